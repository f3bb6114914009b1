"""The JSON API at /api/v1/service-requests/: public reporting and reading, staff work by token."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jamaati.api import api
from jamaati.apikeys.services import apikey_issue
from jamaati.audit.models import AuditEvent
from jamaati.core.actors import Actor
from jamaati.organisations.models import Referral, Role
from jamaati.organisations.tests.factories import (
    MembershipFactory,
    StaffUserFactory,
    UserFactory,
)
from jamaati.servicerequests import services
from jamaati.servicerequests.models import Channel, EventKind, ServiceRequest, Status
from jamaati.servicerequests.tests.conftest import RABAT_POINT, SEA_POINT, TETOUAN_POINT
from jamaati.territories.models import Territory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/service-requests"
CONTACT = {
    "contact_name": "Amina Tazi",
    "contact_email": "amina.tazi@example.ma",
    "contact_phone": "06 12 34 56 78",
}


def report(tetouan, **kwargs) -> ServiceRequest:
    defaults = {
        "category": tetouan.lighting,
        "description": "الضو طافي فالزنقة",
        "latitude": TETOUAN_POINT[0],
        "longitude": TETOUAN_POINT[1],
        "contact_name": CONTACT["contact_name"],
        "contact_email": CONTACT["contact_email"],
        "contact_phone": "+212612345678",
    }
    return services.servicerequest_create(**{**defaults, **kwargs})


def token(membership, scopes=("read", "write")) -> dict[str, str]:
    issued = apikey_issue(
        actor=Actor(user=membership.user),
        user=membership.user,
        membership=membership,
        name="Tablet",
        scopes=scopes,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.raw_key}"}


def as_staff(membership) -> Actor:
    return Actor(user=membership.user, membership=membership)


def post(client, path, data, **headers):
    return client.post(path, data, content_type="application/json", **headers)


# --- OpenAPI ---------------------------------------------------------------------------------------


def test_the_openapi_document_has_every_service_request_endpoint_with_its_schemas():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    paths = schema["paths"]
    expected = {
        ("/api/v1/service-requests/", "get"),
        ("/api/v1/service-requests/", "post"),
        ("/api/v1/service-requests/categories", "get"),
        ("/api/v1/service-requests/{reference}", "get"),
        ("/api/v1/service-requests/staff/queue", "get"),
        ("/api/v1/service-requests/staff/{request_id}", "get"),
        ("/api/v1/service-requests/staff/{request_id}/transition", "post"),
        ("/api/v1/service-requests/staff/{request_id}/assign", "post"),
        ("/api/v1/service-requests/staff/{request_id}/comments", "post"),
        ("/api/v1/service-requests/staff/{request_id}/transfer", "post"),
        ("/api/v1/service-requests/staff/{request_id}/merge", "post"),
    }
    assert {(path, method) for path in paths for method in paths[path]} >= expected
    create = paths["/api/v1/service-requests/"]["post"]
    assert "Photos cannot be sent in JSON" in create["description"]
    assert set(create["responses"]) == {201, 422, 429}
    components = schema["components"]["schemas"]
    assert "contact_email" not in components["PublicDetailOut"]["properties"]
    assert "contact" in components["StaffDetailOut"]["properties"]
    assert paths["/api/v1/service-requests/staff/queue"]["get"]["security"]


# --- Public: categories and reporting -----------------------------------------------------------------


def test_categories_are_listed_by_organisation_and_by_place(client, tetouan):
    by_organisation = client.get(f"{BASE}/categories", {"organisation": "tetouan"})
    by_place = client.get(f"{BASE}/categories", {"lat": TETOUAN_POINT[0], "lon": TETOUAN_POINT[1]})

    assert by_organisation.status_code == 200
    assert {c["code"] for c in by_organisation.json()} == {"streetlight", "waste"}
    assert {c["code"] for c in by_place.json()} == {"streetlight", "waste"}
    waste = next(c for c in by_place.json() if c["code"] == "waste")
    assert waste["allow_anonymous"] is False
    assert waste["organisation"] == {"slug": "tetouan", "name": tetouan.council.name}
    assert (
        client.get(f"{BASE}/categories", {"lat": SEA_POINT[0], "lon": SEA_POINT[1]}).status_code
        == 404
    )
    assert client.get(f"{BASE}/categories", {"organisation": "nowhere"}).status_code == 404


def test_categories_without_a_place_or_an_organisation_are_a_422(client, tetouan):
    response = client.get(f"{BASE}/categories", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 422
    with translation.override("fr"):
        expected = translation.gettext("Give an organisation, or a latitude and a longitude.")
    assert response.json()["detail"] == [
        {"loc": ["body", "organisation"], "type": "required", "msg": expected}
    ]


def test_a_citizen_reports_through_the_api_and_follows_it_by_its_code(client, tetouan):
    response = post(
        client,
        f"{BASE}/",
        {
            "category_id": tetouan.waste.pk,
            "description": "  الزبل ما تجمعش 3 أيام 🙁 poubelles pleines  ",
            "lat": TETOUAN_POINT[0],
            "lon": TETOUAN_POINT[1],
            **CONTACT,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 201, response.content
    receipt = response.json()
    service_request = ServiceRequest.objects.get(reference=receipt["reference"])
    assert service_request.description == "  الزبل ما تجمعش 3 أيام 🙁 poubelles pleines  "
    assert service_request.channel == Channel.API
    assert service_request.language == "fr"
    assert service_request.contact_phone == "+212612345678"
    assert receipt["organisation"]["slug"] == "tetouan-proprete"  # routed by competence
    assert receipt["commune"]["code"] == tetouan.commune.code
    assert receipt["tracking_url"].endswith(service_request.get_absolute_url())

    detail = client.get(f"{BASE}/{receipt['reference'].lower()}")
    assert detail.status_code == 200
    assert detail.json()["status"] == "new"
    assert detail.json()["open311_status"] == "open"
    assert [event["kind"] for event in detail.json()["timeline"]] == [EventKind.CREATED]


def test_a_report_is_placed_by_commune_and_address_without_a_point(client, tetouan):
    response = post(
        client,
        f"{BASE}/",
        {
            "category_id": tetouan.lighting.pk,
            "description": "Lampadaire éteint",
            "commune": tetouan.commune.code,
            "address": "Avenue Mohammed V, près de la poste",
        },
    )

    assert response.status_code == 201, response.content
    service_request = ServiceRequest.objects.get(reference=response.json()["reference"])
    assert (service_request.latitude, service_request.commune) == (None, tetouan.commune)
    assert service_request.is_anonymous


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"lat": SEA_POINT[0], "lon": SEA_POINT[1]}, "location", "invalid"),
        ({"contact_email": "not-an-address"}, "contact_email", "invalid"),
        ({"contact_phone": "05 37 00 00 00"}, "contact_phone", "invalid_mobile"),
        ({"lat": None, "lon": None, "commune": "99.999"}, "commune", "unknown"),
        ({"category_id": 999_999}, "category_id", "unknown"),
    ],
)
def test_a_bad_report_is_refused_with_the_field_and_a_message(
    client, tetouan, changes, field, code
):
    payload = {
        "category_id": tetouan.lighting.pk,
        "description": "Lampadaire éteint",
        "lat": TETOUAN_POINT[0],
        "lon": TETOUAN_POINT[1],
        **changes,
    }

    response = post(client, f"{BASE}/", payload)

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["message"]
    assert ["body", field] in [error["loc"] for error in body["detail"]]
    assert all(error["msg"] for error in body["detail"])
    assert ServiceRequest.objects.count() == 0


def test_a_category_without_anonymous_reports_needs_a_contact(client, tetouan):
    response = post(
        client,
        f"{BASE}/",
        {
            "category_id": tetouan.waste.pk,
            "description": "Poubelles",
            "lat": TETOUAN_POINT[0],
            "lon": TETOUAN_POINT[1],
        },
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "contact"]


def test_a_missing_description_is_a_422_in_the_client_language(client, tetouan):
    response = post(
        client, f"{BASE}/", {"category_id": tetouan.lighting.pk}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 422
    assert {
        "loc": ["body", "payload", "description"],
        "type": "missing",
        "msg": "Ce champ est obligatoire.",
    } in response.json()["detail"]


def test_reports_from_one_address_are_limited(client, tetouan, monkeypatch):
    monkeypatch.setattr("jamaati.servicerequests.api.CREATE_LIMIT_PER_HOUR", 2)
    payload = {
        "category_id": tetouan.lighting.pk,
        "description": "Lampadaire",
        "lat": TETOUAN_POINT[0],
        "lon": TETOUAN_POINT[1],
    }

    codes = [post(client, f"{BASE}/", payload).status_code for _ in range(3)]

    assert codes == [201, 201, 429]


# --- Public: no personal data ---------------------------------------------------------------------------


@pytest.mark.parametrize("anonymous", [False, True])
def test_public_answers_carry_no_personal_data(client, tetouan, anonymous):
    citizen = UserFactory(email="citizen.secret@example.ma", full_name="Karim Secret")
    service_request = report(tetouan, reporter=None if anonymous else citizen, anonymous=anonymous)
    services.servicerequest_comment(
        service_request=service_request,
        body="Note interne: appeler Amina Tazi",
        public=False,
        actor=as_staff(tetouan.agent),
    )

    answers = [
        client.get(f"{BASE}/{service_request.reference}"),
        client.get(f"{BASE}/"),
        client.get(f"{BASE}/", {"commune": tetouan.commune.code}),
    ]

    for response in answers:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in (
            "Amina",
            "amina.tazi@example.ma",
            "612345678",
            "citizen.secret",
            "Karim",
            "Note interne",
            "reporter",
            "contact",
        ):
            assert secret not in text
    assert answers[1].json()["items"][0]["reference"] == service_request.reference


# --- Public: list ------------------------------------------------------------------------------------------


def test_the_public_list_filters_by_status_category_commune_and_box(client, tetouan):
    lighting = report(tetouan)
    waste = report(tetouan, category=tetouan.waste, latitude=35.57, longitude=-5.37)
    services.servicerequest_transition(
        service_request=lighting, to_status=Status.ACKNOWLEDGED, actor=as_staff(tetouan.agent)
    )

    def references(**params):
        response = client.get(f"{BASE}/", params)
        assert response.status_code == 200, response.content
        return {item["reference"] for item in response.json()["items"]}

    assert references() == {lighting.reference, waste.reference}
    assert references(status="acknowledged") == {lighting.reference}
    assert references(status=["acknowledged", "new"]) == {lighting.reference, waste.reference}
    assert references(category="waste") == {waste.reference}
    assert references(organisation="tetouan-proprete") == {waste.reference}
    assert references(commune=tetouan.commune.code) == {lighting.reference, waste.reference}
    assert references(commune=Territory.objects.get(code="04.421.01.0").code) == set()
    assert references(bbox="-5.3700,35.5780,-5.3680,35.5790") == {lighting.reference}
    assert (
        references(
            bbox=f"{RABAT_POINT[1] - 0.01},{RABAT_POINT[0] - 0.01},{RABAT_POINT[1]},{RABAT_POINT[0]}"
        )
        == set()
    )


def test_the_public_list_pages_by_cursor_without_counting_the_table(client, tetouan):
    created = [report(tetouan, description=f"Lampadaire {n}") for n in range(5)]

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/", params)
        assert response.status_code == 200
        assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
        assert len(queries.captured_queries) <= 2
        # Only public columns and names: no contact column, no commune polygon per row.
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        assert "boundary_wkb" not in sql and "contact_email" not in sql
        seen += [item["reference"] for item in response.json()["items"]]
        pages += 1
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert seen == [
        sr.reference for sr in sorted(created, key=lambda sr: (sr.created_at, sr.pk), reverse=True)
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "10,50,5,40"}, "bbox"),
        ({"commune": "00.000"}, "commune"),
    ],
)
def test_the_public_list_refuses_a_bad_filter(client, tetouan, params, field):
    response = client.get(f"{BASE}/", params)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_an_unknown_tracking_code_is_a_404(client, tetouan):
    assert client.get(f"{BASE}/ABCD-EFGH-JK").status_code == 404


# --- Staff: tokens and scoping --------------------------------------------------------------------------------


def test_the_staff_queue_shows_only_what_the_token_membership_reaches(client, tetouan):
    lighting = report(tetouan)
    waste = report(tetouan, category=tetouan.waste)

    def queue(membership, **params):
        response = client.get(f"{BASE}/staff/queue", params, **token(membership))
        assert response.status_code == 200, response.content
        return {item["reference"] for item in response.json()["items"]}

    assert queue(tetouan.agent) == {lighting.reference}
    assert queue(tetouan.company_agent) == {waste.reference}
    assert queue(tetouan.outsider) == set()
    assert queue(tetouan.agent, status="resolved") == set()
    assert queue(tetouan.agent, area=tetouan.commune.code) == {lighting.reference}


def test_a_token_acts_as_its_own_membership_only(client, tetouan):
    lighting = report(tetouan)
    # The Tétouan agent also works for Rabat: a token made for Rabat does not reach Tétouan's requests.
    rabat_role = MembershipFactory(
        user=tetouan.agent.user, organisation=tetouan.outsider.organisation, role=Role.AGENT
    )
    rabat_token = token(rabat_role)

    assert client.get(f"{BASE}/staff/queue", **rabat_token).json()["items"] == []
    assert client.get(f"{BASE}/staff/{lighting.pk}", **rabat_token).status_code == 404
    assert client.get(f"{BASE}/staff/{lighting.pk}", **token(tetouan.agent)).status_code == 200


def test_staff_detail_shows_the_contact_and_records_the_read_in_the_audit_log(client, tetouan):
    citizen = UserFactory(email="karim@example.ma")
    with_account = report(
        tetouan, reporter=citizen, contact_email="", contact_phone="", contact_name=""
    )
    without_account = report(tetouan)
    anonymous = report(tetouan, anonymous=True)
    headers = token(tetouan.agent, scopes=["read"])

    first = client.get(f"{BASE}/staff/{with_account.pk}", **headers)
    second = client.get(f"{BASE}/staff/{without_account.pk}", **headers)
    third = client.get(f"{BASE}/staff/{anonymous.pk}", **headers)

    assert first.status_code == 200
    assert first.json()["contact"]["reporter"]["id"] == citizen.pk
    assert first.json()["contact"]["email"] == "karim@example.ma"
    assert second.json()["contact"]["email"] == CONTACT["contact_email"]
    assert second.json()["contact"]["phone"] == "+212612345678"
    assert third.json()["contact"] == {
        "anonymous": True,
        "reporter": None,
        "name": "",
        "email": "",
        "phone": "",
    }
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA)
    assert {(event.target_type, event.target_id) for event in reads} == {
        ("accounts.user", str(citizen.pk)),
        ("servicerequests.servicerequest", str(without_account.pk)),
    }
    assert all(event.changes["reason"] == "API" for event in reads)
    assert all(event.membership == tetouan.agent for event in reads)
    assert [e["kind"] for e in first.json()["timeline"]] == [EventKind.CREATED]


def other_area_agent(tetouan):
    """An agent of the Tétouan council whose area is another commune (Oued Laou)."""
    membership = MembershipFactory(
        user=StaffUserFactory(email="agent.oued-laou@tetouan.ma"),
        organisation=tetouan.council,
        role=Role.AGENT,
    )
    membership.territories.set([Territory.objects.get(code="01.571.01.07")])
    return membership


@pytest.mark.parametrize("who", ["outsider", "other_area"])
def test_staff_outside_the_request_scope_get_404_everywhere(client, tetouan, who):
    service_request = report(tetouan)
    original = report(tetouan, description="Original")
    membership = tetouan.outsider if who == "outsider" else other_area_agent(tetouan)
    headers = token(membership)
    pk = service_request.pk

    answers = [
        client.get(f"{BASE}/staff/{pk}", **headers),
        post(client, f"{BASE}/staff/{pk}/transition", {"to_status": "acknowledged"}, **headers),
        post(client, f"{BASE}/staff/{pk}/assign", {"assignee_id": None}, **headers),
        post(client, f"{BASE}/staff/{pk}/comments", {"body": "Vu", "public": True}, **headers),
        post(
            client,
            f"{BASE}/staff/{pk}/transfer",
            {"organisation": "rabat", "reason": "Pas chez nous"},
            **headers,
        ),
        post(client, f"{BASE}/staff/{pk}/merge", {"original_id": original.pk}, **headers),
    ]

    assert [response.status_code for response in answers] == [404] * 6
    assert client.get(f"{BASE}/staff/queue", **headers).json()["items"] == []
    service_request.refresh_from_db()
    assert service_request.status == Status.NEW
    assert service_request.events.count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).exists()


def test_staff_endpoints_need_a_staff_token_with_the_right_scope(client, tetouan):
    service_request = report(tetouan)
    admin = MembershipFactory(
        user=StaffUserFactory(email="admin@tetouan.ma"),
        organisation=tetouan.council,
        role=Role.ORG_ADMIN,
    )
    partner = apikey_issue(
        actor=Actor(user=admin.user),
        organisation=tetouan.council,
        name="Partner app",
        scopes=["read", "write"],
    )
    read_only = token(tetouan.agent, scopes=["read"])
    pk = service_request.pk

    assert client.get(f"{BASE}/staff/queue").status_code == 401
    assert client.get(f"{BASE}/staff/{pk}", HTTP_X_API_KEY="jmt_nonsense").status_code == 401
    partner_answer = client.get(
        f"{BASE}/staff/queue", HTTP_AUTHORIZATION=f"Bearer {partner.raw_key}"
    )
    assert partner_answer.status_code == 403
    with translation.override(partner_answer["Content-Language"]):
        expected = translation.gettext("This needs a staff token, not a partner application key.")
    assert partner_answer.json()["detail"] == expected
    refused = post(
        client, f"{BASE}/staff/{pk}/transition", {"to_status": "acknowledged"}, **read_only
    )
    assert refused.status_code == 403
    assert client.get(f"{BASE}/staff/{pk}", **read_only).status_code == 200


# --- Staff: the workflow through the API ---------------------------------------------------------------------


def test_staff_move_a_request_through_its_whole_workflow(client, tetouan, mailoutbox):
    service_request = report(tetouan)
    headers = token(tetouan.agent)
    path = f"{BASE}/staff/{service_request.pk}/transition"

    statuses = []
    for to_status in ("acknowledged", "in_progress", "resolved", "closed"):
        response = post(client, path, {"to_status": to_status, "note": ""}, **headers)
        assert response.status_code == 200, response.content
        statuses.append(response.json()["status"])

    assert statuses == ["acknowledged", "in_progress", "resolved", "closed"]
    service_request.refresh_from_db()
    assert service_request.resolved_at and service_request.closed_at
    transitions = AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITION)
    assert transitions.count() == 4
    assert {event.membership for event in transitions} == {tetouan.agent}
    public = client.get(f"{BASE}/{service_request.reference}").json()
    assert public["open311_status"] == "closed"
    assert [e["to_status"] for e in public["timeline"]][1:] == statuses


@pytest.mark.parametrize(
    ("start", "to_status", "payload", "field"),
    [
        ("closed", "acknowledged", {}, None),
        ("new", "new", {}, None),
        ("new", "duplicate", {}, None),
        ("new", "rejected", {"reason": "  "}, "reason"),
    ],
)
def test_a_transition_the_workflow_forbids_is_a_422_with_a_translated_message(
    client, tetouan, start, to_status, payload, field
):
    service_request = report(tetouan)
    ServiceRequest.objects.filter(pk=service_request.pk).update(status=start)

    response = post(
        client,
        f"{BASE}/staff/{service_request.pk}/transition",
        {"to_status": to_status, **payload},
        HTTP_ACCEPT_LANGUAGE="fr",
        **token(tetouan.agent),
    )

    assert response.status_code == 422, response.content
    error = response.json()["detail"][0]
    assert error["loc"] == (["body", field] if field else ["body"])
    assert error["msg"]
    if (start, to_status) == ("closed", "acknowledged"):
        with translation.override("fr"):
            expected = translation.gettext("A request that is %(from)s cannot become %(to)s.") % {
                "from": Status.CLOSED.label,
                "to": Status.ACKNOWLEDGED.label,
            }
        assert error == {"loc": ["body"], "type": "forbidden_transition", "msg": expected}
    service_request.refresh_from_db()
    assert service_request.status == start


def test_an_unknown_status_is_refused_before_reaching_the_service(client, tetouan):
    service_request = report(tetouan)

    response = post(
        client,
        f"{BASE}/staff/{service_request.pk}/transition",
        {"to_status": "done"},
        **token(tetouan.agent),
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "literal_error"


def test_a_rejection_with_its_reason_is_public(client, tetouan):
    service_request = report(tetouan)

    response = post(
        client,
        f"{BASE}/staff/{service_request.pk}/transition",
        {"to_status": "rejected", "reason": "Ce lampadaire est privé."},
        **token(tetouan.agent),
    )

    assert response.json()["rejection_reason"] == "Ce lampadaire est privé."
    timeline = client.get(f"{BASE}/{service_request.reference}").json()["timeline"]
    assert timeline[-1]["body"] == "Ce lampadaire est privé."


def test_staff_assign_a_request_to_a_colleague_and_not_to_an_outsider(client, tetouan):
    service_request = report(tetouan)
    headers = token(tetouan.agent)
    path = f"{BASE}/staff/{service_request.pk}/assign"

    assigned = post(client, path, {"assignee_id": tetouan.head.user.pk}, **headers)
    refused = post(client, path, {"assignee_id": tetouan.outsider.user.pk}, **headers)
    unknown = post(client, path, {"assignee_id": 999_999}, **headers)
    unassigned = post(client, path, {"assignee_id": None}, **headers)

    assert assigned.status_code == 200
    assert assigned.json()["assigned_to"]["id"] == tetouan.head.user.pk
    assert refused.status_code == unknown.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "assignee"]
    assert unknown.json()["detail"][0]["loc"] == ["body", "assignee_id"]
    assert unassigned.json()["assigned_to"] is None


def test_public_updates_are_public_and_internal_notes_are_not(client, tetouan):
    service_request = report(tetouan)
    headers = token(tetouan.agent)
    path = f"{BASE}/staff/{service_request.pk}/comments"

    public = post(client, path, {"body": "L'équipe passe demain.", "public": True}, **headers)
    internal = post(client, path, {"body": "Pièce en rupture de stock", "public": False}, **headers)
    empty = post(client, path, {"body": "   ", "public": True}, **headers)

    assert public.status_code == internal.status_code == 201
    assert (public.json()["is_public"], internal.json()["is_public"]) == (True, False)
    assert internal.json()["actor"]["id"] == tetouan.agent.user.pk
    assert empty.status_code == 422
    bodies = [
        e["body"] for e in client.get(f"{BASE}/{service_request.reference}").json()["timeline"]
    ]
    assert "L'équipe passe demain." in bodies
    assert "Pièce en rupture de stock" not in bodies
    staff_bodies = [
        e["body"]
        for e in client.get(f"{BASE}/staff/{service_request.pk}", **headers).json()["timeline"]
    ]
    assert "Pièce en rupture de stock" in staff_bodies


def test_a_transfer_gives_the_receiving_organisation_this_request_only(client, tetouan):
    service_request = report(tetouan)
    other = report(tetouan, description="Autre lampadaire")
    company_headers = token(tetouan.company_agent)
    assert client.get(f"{BASE}/staff/{service_request.pk}", **company_headers).status_code == 404

    response = post(
        client,
        f"{BASE}/staff/{service_request.pk}/transfer",
        {"organisation": "tetouan-proprete", "department": "collection", "reason": "Dépôt sauvage"},
        **token(tetouan.agent),
    )

    assert response.status_code == 201, response.content
    assert response.json()["organisation"]["slug"] == "tetouan-proprete"
    assert Referral.objects.filter(organisation=tetouan.company).count() == 1
    assert client.get(f"{BASE}/staff/{service_request.pk}", **company_headers).status_code == 200
    assert client.get(f"{BASE}/staff/{other.pk}", **company_headers).status_code == 404
    queue = client.get(f"{BASE}/staff/queue", **company_headers).json()["items"]
    assert service_request.reference in {item["reference"] for item in queue}
    # The referred organisation works on it but may not pass it on: that is the handler's call.
    onward = post(
        client,
        f"{BASE}/staff/{service_request.pk}/transfer",
        {"organisation": "tetouan", "reason": "Retour"},
        **company_headers,
    )
    assert onward.status_code == 403
    assert onward.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"organisation": "nowhere", "reason": "x"}, "organisation"),
        ({"organisation": "tetouan-proprete", "department": "nope", "reason": "x"}, "department"),
        ({"organisation": "tetouan-proprete", "reason": " "}, "reason"),
    ],
)
def test_a_transfer_to_an_unknown_place_or_without_reason_is_a_422(client, tetouan, payload, field):
    service_request = report(tetouan)

    response = post(
        client, f"{BASE}/staff/{service_request.pk}/transfer", payload, **token(tetouan.agent)
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_staff_merge_a_duplicate_and_keep_its_supporters(client, tetouan):
    original = report(tetouan, description="Original")
    duplicate = report(tetouan, description="Même lampadaire", contact_email="omar@example.ma")
    headers = token(tetouan.agent)

    merged = post(
        client, f"{BASE}/staff/{duplicate.pk}/merge", {"original_id": original.pk}, **headers
    )
    into_itself = post(
        client, f"{BASE}/staff/{original.pk}/merge", {"original_id": original.pk}, **headers
    )
    into_a_duplicate = post(
        client, f"{BASE}/staff/{original.pk}/merge", {"original_id": duplicate.pk}, **headers
    )

    assert merged.status_code == 200, merged.content
    assert merged.json()["status"] == "duplicate"
    assert merged.json()["duplicate_of"] == original.reference
    original.refresh_from_db()
    assert original.supporters_count == 1
    assert original.followers.filter(email="omar@example.ma").exists()
    assert into_itself.status_code == into_a_duplicate.status_code == 422
