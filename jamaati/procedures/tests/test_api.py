"""The e-services API: the public catalogue and verification, a citizen's own applications by
session, and the staff instruction endpoints with tokens (404 outside the token's reach)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from jamaati.apikeys.services import apikey_issue
from jamaati.core.actors import Actor
from jamaati.procedures import services
from jamaati.procedures.models import OpinionRequest, Status
from jamaati.procedures.tests.conftest import actor_of
from jamaati.procedures.tests.helpers import in_instruction, submitted

BASE = "/api/v1/procedures"


def token(membership, scopes=("read", "write")) -> dict[str, str]:
    issued = apikey_issue(
        actor=Actor(user=membership.user),
        user=membership.user,
        membership=membership,
        name="Tablet",
        scopes=scopes,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.raw_key}"}


def test_the_catalogue_is_public_and_searchable(client, procedures):
    answer = client.get(f"{BASE}/catalogue", {"q": "Démarche"})
    assert answer.status_code == 200
    [item] = answer.json()
    assert item["slug"] == "note" and item["processing_days"] == 10 and item["fee_mad"] == "0.00"
    detail = client.get(f"{BASE}/catalogue/north/note").json()
    assert [d["code"] for d in detail["documents"]] == ["cin-copy", "site-plan"]
    assert detail["form_version"] == 1
    assert detail["form_schema"]["sections"][0]["key"] == "applicant"
    assert client.get(f"{BASE}/catalogue/north/unknown").status_code == 404


def test_a_citizen_sees_their_applications_with_the_session(client, procedures, citizen):
    application = submitted(procedures, citizen)
    assert client.get(f"{BASE}/mine").status_code == 401
    client.force_login(citizen)
    [item] = client.get(f"{BASE}/mine").json()
    assert item["reference"] == application.reference and item["status"] == "submitted"
    detail = client.get(f"{BASE}/mine/{application.reference}").json()
    assert [d["kind"] for d in detail["documents"]] == ["receipt"]
    assert detail["timeline"][0]["kind"] == "created"


def test_a_citizen_cannot_read_someone_elses_application(client, procedures, citizen):
    from jamaati.organisations.tests.factories import UserFactory

    application = submitted(procedures, citizen)
    client.force_login(UserFactory(email="other@example.ma"))
    assert client.get(f"{BASE}/mine/{application.reference}").status_code == 404
    assert client.get(f"{BASE}/mine").json() == []


def test_the_verification_shows_minimal_data(client, procedures, citizen):
    application = submitted(procedures, citizen)
    receipt = application.issued_documents.get()
    answer = client.get(f"{BASE}/verify/{receipt.verification_token}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["number"] == receipt.number
    assert "AB123456" not in str(body) and citizen.email not in str(body)
    assert client.get(f"{BASE}/verify/not-a-token").status_code == 404


def test_an_instructor_moves_an_application_through_the_api(client, procedures, citizen):
    application = submitted(procedures, citizen)
    headers = token(procedures.instructor)
    listed = client.get(f"{BASE}/staff/applications", **headers).json()
    assert [a["reference"] for a in listed] == [application.reference]
    url = f"{BASE}/staff/applications/{application.pk}"
    assert (
        client.post(
            f"{url}/transition",
            {"to_status": "in_instruction"},
            content_type="application/json",
            **headers,
        ).status_code
        == 200
    )
    answer = client.post(
        f"{url}/request-completion",
        {"message": "Plan manquant", "documents": ["site-plan"]},
        content_type="application/json",
        **headers,
    )
    assert answer.json()["status"] == "completion_requested"
    services.application_complete(application=application, actor=actor_of(citizen))
    answer = client.post(
        f"{url}/request-opinions",
        {"reviewers": [{"organisation": "urban-agency"}], "question": "Conforme ?"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 200 and answer.json()[0]["organisation"]["slug"] == "urban-agency"
    answer = client.post(
        f"{url}/decide", {"decision": "refused"}, content_type="application/json", **headers
    )
    assert answer.status_code == 422
    with translation.override("ar"):
        assert answer.json()["detail"][0]["msg"] == _("Give the reasons for the refusal.")
    detail = client.get(url, **headers).json()
    assert detail["answers"]["cin"] == "AB123456"
    assert [e["kind"] for e in detail["timeline"]][-1] == "opinion_requested"


def test_a_forbidden_move_is_a_422(client, procedures, citizen):
    application = submitted(procedures, citizen)
    answer = client.post(
        f"{BASE}/staff/applications/{application.pk}/request-opinions",
        {"reviewers": [{"organisation": "urban-agency"}]},
        content_type="application/json",
        **token(procedures.instructor),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "forbidden_transition"


def test_an_agent_of_another_organisation_gets_a_404(
    client, procedures, citizen, other_org_agent_membership
):
    application = submitted(procedures, citizen)
    headers = token(other_org_agent_membership)
    assert client.get(f"{BASE}/staff/applications", **headers).json() == []
    assert client.get(f"{BASE}/staff/applications/{application.pk}", **headers).status_code == 404
    answer = client.post(
        f"{BASE}/staff/applications/{application.pk}/decide",
        {"decision": "approved"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_reviewer_reads_the_referred_application_and_gives_an_opinion(
    client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    other = in_instruction(procedures, citizen)
    services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    headers = token(procedures.reviewer)
    listed = client.get(f"{BASE}/staff/applications", **headers).json()
    assert [a["reference"] for a in listed] == [application.reference]
    detail = client.get(f"{BASE}/staff/applications/{application.pk}", **headers).json()
    assert detail["notes"] == []
    assert client.get(f"{BASE}/staff/applications/{other.pk}", **headers).status_code == 404
    [pending] = client.get(f"{BASE}/staff/opinions", **headers).json()
    answer = client.post(
        f"{BASE}/staff/opinions/{pending['id']}",
        {"verdict": "reserved", "comment": "Recul de 3 m"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 200 and answer.json()["verdict"] == "reserved"
    assert OpinionRequest.objects.get().given_by == procedures.reviewer.user
    assert (
        client.post(
            f"{BASE}/staff/applications/{application.pk}/decide",
            {"decision": "approved"},
            content_type="application/json",
            **headers,
        ).status_code
        == 404
    )


def test_staff_statistics_need_a_membership_of_the_organisation(
    client, procedures, citizen, other_org_agent_membership
):
    submitted(procedures, citizen)
    [row] = client.get(
        f"{BASE}/staff/statistics", {"organisation": "north"}, **token(procedures.instructor)
    ).json()
    assert row["volume"] == 1 and row["legal_working_days"] == 10
    outsider = client.get(
        f"{BASE}/staff/statistics", {"organisation": "north"}, **token(other_org_agent_membership)
    )
    assert outsider.status_code == 404


@pytest.mark.parametrize("path", ["/staff/applications", "/staff/opinions"])
def test_staff_endpoints_need_a_token(client, procedures, path):
    assert client.get(f"{BASE}{path}").status_code == 401


def test_a_token_acting_as_one_membership_lists_only_what_that_membership_reaches(
    client, procedures, citizen
):
    from jamaati.organisations.models import Role
    from jamaati.organisations.tests.factories import MembershipFactory

    application = submitted(procedures, citizen)
    # The instructor also reviews for the urban agency; a token of that membership sees nothing yet.
    agency = MembershipFactory(
        user=procedures.instructor.user, organisation=procedures.reviewer_org, role=Role.REVIEWER
    )
    assert client.get(f"{BASE}/staff/applications", **token(agency)).json() == []
    assert (
        client.get(f"{BASE}/staff/applications/{application.pk}", **token(agency)).status_code
        == 404
    )
    listed = client.get(f"{BASE}/staff/applications", **token(procedures.instructor)).json()
    assert [a["reference"] for a in listed] == [application.reference]
