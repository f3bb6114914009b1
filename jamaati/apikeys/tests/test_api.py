import pytest
from django.test import RequestFactory
from ninja.errors import HttpError

from jamaati.apikeys.auth import ApiKeyAuth, ApiKeyQueryAuth
from jamaati.apikeys.services import apikey_issue, apikey_revoke
from jamaati.core.actors import Actor

ME = "/api/v1/me"


@pytest.fixture
def partner_key(world, org_admin):
    return apikey_issue(
        actor=Actor(user=org_admin),
        organisation=world.organisation,
        name="Citizen app",
        scopes=["open311"],
    )


def test_me_answers_who_a_partner_key_is_with_a_bearer_header(client, partner_key):
    response = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {partner_key.raw_key}")

    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "partner"
    assert body["name"] == "Citizen app"
    assert body["prefix"] == partner_key.api_key.prefix
    assert body["scopes"] == ["open311"]
    assert body["organisation"]["slug"] == "north"
    assert body["user"] is None
    assert "secret" not in response.text and partner_key.raw_key not in response.text


def test_me_accepts_the_x_api_key_header(client, partner_key):
    response = client.get(ME, HTTP_X_API_KEY=partner_key.raw_key)

    assert response.status_code == 200
    assert response.json()["kind"] == "partner"


def test_me_answers_for_a_staff_token_with_the_user_and_role(client, agent):
    issued = apikey_issue(actor=Actor(user=agent), user=agent, name="Laptop", scopes=["read"])

    body = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {issued.raw_key}").json()

    assert body["kind"] == "staff"
    assert body["user"] == {"id": agent.pk, "full_name": agent.get_full_name()}
    assert body["role"] == "agent"
    assert body["organisation"]["slug"] == "north"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer jmt_0123456789ab_notthesecretatallnotthesecret"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
        {"HTTP_X_API_KEY": "nonsense"},
    ],
)
def test_me_refuses_a_missing_or_wrong_key(client, partner_key, headers):
    assert client.get(ME, **headers).status_code == 401


def test_me_refuses_a_revoked_key(client, org_admin, partner_key):
    apikey_revoke(actor=Actor(user=org_admin), api_key=partner_key.api_key)

    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {partner_key.raw_key}").status_code == 401


def test_a_key_without_the_needed_scope_is_forbidden(partner_key):
    http_request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {partner_key.raw_key}")

    with pytest.raises(HttpError) as error:
        ApiKeyAuth(scopes=["write"])(http_request)

    assert error.value.status_code == 403
    assert ApiKeyAuth(scopes=["open311"])(http_request) == partner_key.api_key


def test_the_open311_query_parameter_variant_authenticates(partner_key):
    with_key = RequestFactory().get("/open311/v2/requests.json", {"api_key": partner_key.raw_key})
    without_key = RequestFactory().get("/open311/v2/requests.json")

    assert ApiKeyQueryAuth(scopes=["open311"])(with_key) == partner_key.api_key
    assert ApiKeyQueryAuth(scopes=["open311"])(without_key) is None


def test_a_staff_token_makes_its_user_the_request_user(agent):
    issued = apikey_issue(actor=Actor(user=agent), user=agent, name="Laptop", scopes=["read"])
    http_request = RequestFactory().get("/", HTTP_X_API_KEY=issued.raw_key)

    ApiKeyAuth()(http_request)

    assert http_request.user == agent
