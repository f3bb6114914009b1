"""The programmes API: public reads with exact money, staff writes by token, outsiders refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from jamaati.apikeys.services import apikey_issue
from jamaati.core.actors import Actor
from jamaati.programmes.models import ProjectTransaction, Status
from jamaati.programmes.tests.factories import (
    FundingCommitmentFactory,
    ProgrammeFactory,
    ProjectFactory,
    TransactionFactory,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/programmes"


def token(membership, scopes=("read", "write")) -> dict[str, str]:
    issued = apikey_issue(
        actor=Actor(user=membership.user),
        user=membership.user,
        membership=membership,
        name="Tablette de chantier",
        scopes=scopes,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.raw_key}"}


def post(client, path, data, **headers):
    return client.post(path, data, content_type="application/json", **headers)


@pytest.fixture
def road(world, undp):
    programme = ProgrammeFactory(organisation=world.organisation, slug="pac")
    project = ProjectFactory(
        organisation=world.organisation,
        programme=programme,
        code="ROAD",
        status=Status.WORKS,
        territories=[world.commune],
        total_cost=Decimal("300000.00"),
    )
    FundingCommitmentFactory(project=project, partner=undp, amount=Decimal("300000.00"))
    TransactionFactory(project=project, amount=Decimal("0.10"))
    TransactionFactory(project=project, amount=Decimal("0.20"))
    TransactionFactory(project=project, kind="disbursement", partner=undp, amount=Decimal("1"))
    ProjectFactory(organisation=world.organisation, code="HIDDEN", is_published=False)
    return project


def test_the_openapi_document_has_every_programmes_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/",
        "/projects",
        "/projects/{organisation}/{code}",
        "/{organisation}/{slug}",
        "/staff/projects/{project_id}/progress",
        "/staff/projects/{project_id}/transactions",
        "/staff/projects/{project_id}/photos",
    ):
        assert BASE + path in paths


def test_the_public_list_gives_exact_money_as_strings(client, road, world):
    body = client.get(f"{BASE}/projects", {"organisation": world.organisation.slug}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == "ROAD"
    assert item["money"] == {
        "total_cost": "300000.00",
        "committed": "300000.00",
        "disbursed": "1.00",
        "spent": "0.30",
        "financial_progress": "0.00",
    }


def test_the_public_list_filters_and_refuses_an_unknown_place(client, road, world, undp):
    assert client.get(f"{BASE}/projects", {"commune": world.commune.code}).json()["count"] == 1
    assert (
        client.get(f"{BASE}/projects", {"commune": world.other_commune.code}).json()["count"] == 0
    )
    assert (
        client.get(f"{BASE}/projects", {"partner": "undp", "status": "works"}).json()["count"] == 1
    )
    assert client.get(f"{BASE}/projects", {"sector": "education"}).json()["count"] == 0
    response = client.get(f"{BASE}/projects", {"province": "00.000"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "province"]


def test_project_and_programme_details(client, road, world):
    body = client.get(f"{BASE}/projects/{world.organisation.slug}/ROAD").json()
    assert body["funding"] == [
        {
            "partner": "undp",
            "name": body["funding"][0]["name"],
            "committed": "300000.00",
            "disbursed": "1.00",
        }
    ]
    assert body["territories"][0]["code"] == world.commune.code
    assert client.get(f"{BASE}/projects/{world.organisation.slug}/HIDDEN").status_code == 404
    programme = client.get(f"{BASE}/{world.organisation.slug}/pac").json()
    assert programme["money"]["spent"] == "0.30"
    assert programme["projects_by_status"] == {"works": 1}


def test_staff_record_progress_and_a_transaction_with_a_token(client, road, agent_membership):
    headers = token(agent_membership)
    response = post(
        client,
        f"{BASE}/staff/projects/{road.pk}/progress",
        {"physical_progress": "42.5", "note": "Couche de base"},
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["project_physical_progress"] == "42.50"
    response = post(
        client,
        f"{BASE}/staff/projects/{road.pk}/transactions",
        {"kind": "disbursement", "date": "2025-01-10", "amount": "1250.05", "partner": "undp"},
        **headers,
    )
    assert response.status_code == 201, response.content
    assert ProjectTransaction.objects.get(pk=response.json()["id"]).amount == Decimal("1250.05")


def test_a_disbursement_without_funder_is_a_translated_422(client, road, agent_membership):
    with translation.override("fr"):
        expected = gettext("Say which partner the money came from.")
    response = post(
        client,
        f"{BASE}/staff/projects/{road.pk}/transactions",
        {"kind": "disbursement", "date": "2025-01-10", "amount": "10"},
        HTTP_ACCEPT_LANGUAGE="fr",
        **token(agent_membership),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "partner"], "type": "funder_required", "msg": expected}
    ]


@pytest.mark.parametrize("path", ["progress", "transactions"])
def test_outsiders_get_a_404_and_no_key_a_401(
    client, road, other_org_agent_membership, other_area_agent_membership, path
):
    data = (
        {"physical_progress": "10"}
        if path == "progress"
        else {"kind": "expenditure", "date": "2025-01-01", "amount": "1"}
    )
    url = f"{BASE}/staff/projects/{road.pk}/{path}"
    for membership in (other_org_agent_membership, other_area_agent_membership):
        assert post(client, url, data, **token(membership)).status_code == 404
    assert post(client, url, data).status_code == 401
    road.refresh_from_db()
    assert road.physical_progress == Decimal("0.00")
    assert ProjectTransaction.objects.count() == 3


def test_a_read_only_token_cannot_write(client, road, agent_membership):
    response = post(
        client,
        f"{BASE}/staff/projects/{road.pk}/progress",
        {"physical_progress": "10"},
        **token(agent_membership, scopes=("read",)),
    )
    assert response.status_code == 403


def test_a_future_date_is_refused(client, road, agent_membership):
    response = post(
        client,
        f"{BASE}/staff/projects/{road.pk}/progress",
        {"physical_progress": "10", "as_of": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
        **token(agent_membership),
    )
    assert response.status_code == 422


def _jpeg(name="site.jpg"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 140, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_staff_add_a_located_photo_with_the_progress(
    client, road, agent_membership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = client.post(
        f"{BASE}/staff/projects/{road.pk}/photos",
        {
            "file": _jpeg(),
            "latitude": "35.571",
            "longitude": "-5.371",
            "caption": "Chaussée",
            "physical_progress": "30",
            "taken_on": "2025-03-02",
        },
        **token(agent_membership),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["taken_on"] == "2025-03-02" and body["latitude"] == 35.571
    road.refresh_from_db()
    assert road.physical_progress == Decimal("30.00")
    assert road.photos.get().progress_update.as_of == dt.date(2025, 3, 2)


def test_a_photo_that_is_not_an_image_is_refused(
    client, road, agent_membership, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = client.post(
        f"{BASE}/staff/projects/{road.pk}/photos",
        {"file": SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")},
        **token(agent_membership),
    )
    assert response.status_code == 422
    assert not road.photos.exists()


def test_an_outsider_cannot_add_a_photo(
    client, road, other_org_agent_membership, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = client.post(
        f"{BASE}/staff/projects/{road.pk}/photos",
        {"file": _jpeg()},
        **token(other_org_agent_membership),
    )
    assert response.status_code == 404
