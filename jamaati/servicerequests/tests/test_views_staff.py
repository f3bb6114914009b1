"""The staff workspace for service requests: queue, map, bulk actions, one request's page.

Behaviour tests use the English pages (/en/…), so they assert on English messages
whatever the catalogues translate; every page is also rendered in Arabic and French.
"""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.logins import log_in_verified
from jamaati.core.actors import Actor
from jamaati.organisations.models import Referral, Role
from jamaati.organisations.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    StaffUserFactory,
)
from jamaati.servicerequests import services
from jamaati.servicerequests.models import (
    EventKind,
    ResponseTemplate,
    ServiceRequest,
    ServiceRequestPhoto,
    Status,
)
from jamaati.servicerequests.tests.conftest import TETOUAN_POINT
from jamaati.servicerequests.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = "  الضو طافي 3 ليالي fl zen9a 🙁\nlampadaire <b>en panne</b>"


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"staff_requests:{name}", args=args)


def report(tetouan, **kwargs) -> ServiceRequest:
    defaults = {
        "category": tetouan.lighting,
        "description": "Lampadaire en panne",
        "latitude": TETOUAN_POINT[0],
        "longitude": TETOUAN_POINT[1],
        "contact_email": "amina@example.ma",
    }
    return services.servicerequest_create(**{**defaults, **kwargs})


def as_staff(membership) -> Actor:
    return Actor(user=membership.user, membership=membership)


def jpeg() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def agent_client(client, tetouan):
    return log_in_verified(client, tetouan.agent.user)


@pytest.fixture
def lighting_request(tetouan) -> ServiceRequest:
    return report(tetouan, description=DESCRIPTION)


def _all_posts(pk: int, photo_pk: int) -> list[tuple[str, dict]]:
    return [
        (url("status", pk), {"to_status": Status.ACKNOWLEDGED}),
        (url("assign", pk), {"assignee": ""}),
        (url("comment", pk), {"visibility": "internal", "body": "x"}),
        (url("transfer", pk), {"to_organisation": "1", "reason": "x"}),
        (url("merge", pk), {"original": "ABC"}),
        (url("contact", pk), {"reason": "x"}),
        (url("photo_approve", pk, photo_pk), {}),
    ]


# --- Who may come in --------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, tetouan, lighting_request):
    for target in (url("queue"), url("map"), url("map_data"), url("detail", lighting_request.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    response = client.post(url("status", lighting_request.pk), {"to_status": "acknowledged"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_a_citizen_with_403(client, tetouan, citizen, lighting_request):
    client.force_login(citizen)
    for target in (url("queue"), url("map_data"), url("detail", lighting_request.pk)):
        assert client.get(target).status_code == 403
    response = client.post(url("comment", lighting_request.pk), {"body": "x"})
    assert response.status_code == 403


def test_it_refuses_staff_who_gave_only_their_password(client, tetouan, lighting_request):
    client.force_login(tetouan.agent.user)
    response = client.get(url("detail", lighting_request.pk))
    assert response.status_code == 302


def test_an_agent_of_another_organisation_gets_404_on_the_detail_and_every_post(client, tetouan):
    service_request = report(tetouan, photos=[jpeg()])
    photo = service_request.photos.get()
    log_in_verified(client, tetouan.outsider.user)
    assert client.get(url("detail", service_request.pk)).status_code == 404
    assert client.get(url("photo", service_request.pk, photo.pk)).status_code == 404
    for target, data in _all_posts(service_request.pk, photo.pk):
        assert client.post(target, data).status_code == 404, target
    service_request.refresh_from_db()
    photo.refresh_from_db()
    assert service_request.status == Status.NEW and not photo.is_public
    assert list(service_request.events.values_list("kind", flat=True)) == [EventKind.CREATED]
    assert not AuditEvent.objects.filter(actor=tetouan.outsider.user).exists()


def test_an_outsider_sees_an_empty_queue_and_an_empty_map(client, tetouan, lighting_request):
    log_in_verified(client, tetouan.outsider.user)
    response = client.get(url("queue"))
    assert response.status_code == 200
    assert lighting_request.reference not in response.content.decode()
    assert client.get(url("map_data")).json()["features"] == []


# --- Pages in Arabic and French -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_page_renders_in_arabic_and_french(agent_client, tetouan, language):
    service_request = report(tetouan, description=DESCRIPTION, photos=[jpeg()])
    for target in (
        url("queue", language=language),
        url("map", language=language),
        url("detail", service_request.pk, language=language),
    ):
        response = agent_client.get(target)
        assert response.status_code == 200, target
        html = response.content.decode()
        assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
        assert service_request.reference in html or "staff-requests-map" in html
    data = agent_client.get(url("map_data", language=language)).json()
    assert [f["properties"]["reference"] for f in data["features"]] == [service_request.reference]


# --- Queue ------------------------------------------------------------------------------------


def test_the_queue_shows_open_requests_by_default_my_department_first(agent_client, tetouan):
    other_department_category = CategoryFactory(
        organisation=tetouan.council, code="potholes", domain=None, department=None
    )
    older_mine = report(tetouan)
    newer_other = report(tetouan, category=other_department_category)
    resolved = report(tetouan)
    services.servicerequest_transition(
        service_request=resolved, to_status=Status.RESOLVED, actor=as_staff(tetouan.agent)
    )
    response = agent_client.get(url("queue"))
    rows = [sr.reference for sr in response.context["page"].object_list]
    assert rows == [older_mine.reference, newer_other.reference]
    response = agent_client.get(url("queue"), {"status": "all"})
    assert resolved.reference in [sr.reference for sr in response.context["page"].object_list]


def test_the_queue_filters_by_status_category_department_and_dates(agent_client, tetouan):
    pothole_category = CategoryFactory(organisation=tetouan.council, code="potholes", domain=None)
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
        old = report(tetouan)
    lamp = report(tetouan)
    pothole = report(tetouan, category=pothole_category)
    services.servicerequest_transition(
        service_request=lamp, to_status=Status.IN_PROGRESS, actor=as_staff(tetouan.agent)
    )

    def listed(**query) -> set[str]:
        response = agent_client.get(url("queue"), query)
        assert response.status_code == 200
        return {sr.reference for sr in response.context["page"].object_list}

    assert listed(status="in_progress") == {lamp.reference}
    assert listed(category=pothole_category.pk) == {pothole.reference}
    assert listed(department=tetouan.lighting.department_id) == {old.reference, lamp.reference}
    today = timezone.localdate()
    assert listed(since=(today - timedelta(days=1)).isoformat()) == {
        lamp.reference,
        pothole.reference,
    }
    assert listed(until=(today - timedelta(days=10)).isoformat()) == {old.reference}


def test_the_queue_explains_a_reversed_date_range(agent_client, tetouan):
    response = agent_client.get(url("queue"), {"since": "2026-05-10", "until": "2026-05-01"})
    assert response.status_code == 200
    assert "The end date comes before the start date." in response.content.decode()


def test_overdue_requests_are_flagged_and_can_be_listed_alone(agent_client, tetouan):
    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        late = report(tetouan)  # the category gives one day to acknowledge
    on_time = report(tetouan)
    response = agent_client.get(url("queue"))
    flags = {sr.reference: sr.is_overdue for sr in response.context["page"].object_list}
    assert flags == {late.reference: True, on_time.reference: False}
    assert "Overdue" in response.content.decode()
    response = agent_client.get(url("queue"), {"overdue": "on"})
    assert [sr.reference for sr in response.context["page"].object_list] == [late.reference]


def test_the_queue_shows_the_assigned_agent(agent_client, tetouan, lighting_request):
    services.servicerequest_assign(
        service_request=lighting_request,
        assignee=tetouan.head.user,
        actor=as_staff(tetouan.agent),
    )
    response = agent_client.get(url("queue"))
    assert tetouan.head.user.get_full_name() in response.content.decode()


def test_the_queue_runs_the_same_number_of_queries_for_more_rows(
    agent_client, tetouan, django_assert_num_queries
):
    for _ in range(2):
        first = report(tetouan)
    # Related rows are prefetched (one query per kind that the page holds): the small page
    # holds an assigned request too, so both pages hold every kind.
    services.servicerequest_assign(
        service_request=first, assignee=tetouan.head.user, actor=as_staff(tetouan.agent)
    )
    agent_client.get(url("queue"))  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        agent_client.get(url("queue"))
    pothole = CategoryFactory(organisation=tetouan.council, code="potholes", domain=None)
    for index in range(8):
        service_request = report(tetouan, category=pothole if index % 2 else tetouan.lighting)
        services.servicerequest_assign(
            service_request=service_request,
            assignee=tetouan.head.user,
            actor=as_staff(tetouan.agent),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = agent_client.get(url("queue"))
    assert len(response.context["page"].object_list) == 10


# --- Areas and referrals --------------------------------------------------------------------------


@pytest.fixture
def north_requests(world, department):
    category = CategoryFactory(
        organisation=world.organisation, code="lamps", domain=None, department=department
    )
    east = services.servicerequest_create(
        category=category, description="Est", commune=world.district, contact_email="a@b.ma"
    )
    west = services.servicerequest_create(
        category=category, description="Ouest", commune=world.other_district, contact_email="a@b.ma"
    )
    return east, west


def test_an_agent_limited_to_another_arrondissement_sees_only_requests_of_their_area(
    client, world, north_requests, other_area_agent
):
    east, west = north_requests
    log_in_verified(client, other_area_agent)
    response = client.get(url("queue"))
    assert [sr.reference for sr in response.context["page"].object_list] == [west.reference]
    assert client.get(url("detail", east.pk)).status_code == 404
    assert (
        client.post(url("comment", east.pk), {"body": "x", "visibility": "internal"}).status_code
        == 404
    )
    assert client.get(url("detail", west.pk)).status_code == 200
    # The area filter offers only what lies in their area.
    areas = list(response.context["form"].fields["area"].queryset)
    assert areas == [world.other_district]
    response = client.get(url("queue"), {"area": world.district.pk})
    assert "area" in response.context["form"].errors


def test_the_area_filter_narrows_the_queue_to_one_arrondissement(
    client, world, north_requests, agent
):
    east, west = north_requests
    log_in_verified(client, agent)
    response = client.get(url("queue"))
    assert {sr.reference for sr in response.context["page"].object_list} == {
        east.reference,
        west.reference,
    }
    assert world.district in response.context["form"].fields["area"].queryset
    response = client.get(url("queue"), {"area": world.district.pk})
    assert [sr.reference for sr in response.context["page"].object_list] == [east.reference]


def test_a_referred_organisations_agent_sees_exactly_the_referred_requests(client, tetouan):
    referred = report(tetouan)
    kept = report(tetouan)
    waste = report(tetouan, category=tetouan.waste)  # routed to the company itself
    log_in_verified(client, tetouan.agent.user)
    response = client.post(
        url("transfer", referred.pk),
        {
            "to_organisation": tetouan.company.pk,
            "reason": "Le poteau appartient au concessionnaire",
        },
        follow=True,
    )
    assert "The request was transferred to Tétouan Propreté." in messages_of(response)
    assert Referral.objects.filter(
        organisation=tetouan.company, object_id=str(referred.pk)
    ).exists()
    client.logout()
    log_in_verified(client, tetouan.company_agent.user)
    response = client.get(url("queue"))
    assert {sr.reference for sr in response.context["page"].object_list} == {
        referred.reference,
        waste.reference,
    }
    assert client.get(url("detail", referred.pk)).status_code == 200
    assert client.get(url("detail", kept.pk)).status_code == 404
    response = client.post(
        url("comment", referred.pk), {"body": "Équipe envoyée", "visibility": "public"}
    )
    assert response.status_code == 302


# --- Map --------------------------------------------------------------------------------------


def test_the_map_data_holds_the_filtered_placed_requests_only(agent_client, tetouan):
    placed = report(tetouan)
    report(tetouan, latitude=None, longitude=None, commune=tetouan.commune)
    resolved = report(tetouan)
    services.servicerequest_transition(
        service_request=resolved, to_status=Status.RESOLVED, actor=as_staff(tetouan.agent)
    )
    response = agent_client.get(url("map_data"))
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert [f["properties"]["reference"] for f in data["features"]] == [placed.reference]
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [TETOUAN_POINT[1], TETOUAN_POINT[0]]
    assert feature["properties"]["url"] == url("detail", placed.pk)
    assert "contact" not in json.dumps(data) and "amina" not in json.dumps(data)
    data = agent_client.get(url("map_data"), {"status": "resolved"}).json()
    assert [f["properties"]["reference"] for f in data["features"]] == [resolved.reference]


def test_the_map_page_fetches_the_same_filters(agent_client, tetouan):
    response = agent_client.get(url("map"), {"status": "resolved", "overdue": "on"})
    html = response.content.decode()
    assert f'data-url="{url("map_data")}?status=resolved&amp;overdue=on"' in html
    assert "staff-requests-map.js" in html


# --- Bulk actions -------------------------------------------------------------------------------


def test_bulk_acknowledge_changes_each_row_and_reports_which_failed_and_why(agent_client, tetouan):
    first, second, resolved = report(tetouan), report(tetouan), report(tetouan)
    services.servicerequest_transition(
        service_request=resolved, to_status=Status.RESOLVED, actor=as_staff(tetouan.agent)
    )
    outside = report(tetouan, category=tetouan.waste)  # the company's, not the council's
    response = agent_client.post(
        url("bulk"),
        {
            "action": "acknowledge",
            "selected": [first.pk, second.pk, resolved.pk, outside.pk],
            "next": url("queue") + "?status=all",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("queue") + "?status=all"
    notes = messages_of(response)
    assert "2 requests acknowledged." in notes
    assert (
        f"{resolved.reference} was not changed: A request that is Resolved cannot become Acknowledged."
        in notes
    )
    assert (
        f"#{outside.pk} was not changed: This request does not exist or is outside what you may act on."
        in notes
    )
    statuses = dict(ServiceRequest.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[second.pk] == Status.ACKNOWLEDGED
    assert statuses[resolved.pk] == Status.RESOLVED and statuses[outside.pk] == Status.NEW


def test_bulk_assign_gives_each_row_to_the_agent(agent_client, tetouan):
    rows = [report(tetouan), report(tetouan)]
    response = agent_client.post(
        url("bulk"),
        {"action": "assign", "assignee": tetouan.head.user.pk, "selected": [r.pk for r in rows]},
        follow=True,
    )
    assert f"2 requests assigned to {tetouan.head.user.get_full_name()}." in messages_of(response)
    assert set(
        ServiceRequest.objects.filter(pk__in=[r.pk for r in rows]).values_list(
            "assigned_to", flat=True
        )
    ) == {tetouan.head.user.pk}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ASSIGN).count() == 2


def test_bulk_assign_needs_an_agent_and_a_selection(agent_client, tetouan, lighting_request):
    response = agent_client.post(
        url("bulk"), {"action": "assign", "selected": [lighting_request.pk]}, follow=True
    )
    assert "Choose the agent to assign the requests to." in messages_of(response)
    response = agent_client.post(url("bulk"), {"action": "acknowledge"}, follow=True)
    assert "Select at least one request." in messages_of(response)
    response = agent_client.post(
        url("bulk"), {"action": "acknowledge", "selected": ["x"], "next": "https://evil.example/"}
    )
    assert response["Location"] == url("queue")
    lighting_request.refresh_from_db()
    assert lighting_request.status == Status.NEW and lighting_request.assigned_to is None


# --- One request ------------------------------------------------------------------------------


def test_the_detail_shows_the_text_as_typed_and_public_and_internal_entries_apart(
    agent_client, tetouan, lighting_request
):
    services.servicerequest_comment(
        service_request=lighting_request,
        body="Note interne: équipe B",
        public=False,
        actor=as_staff(tetouan.agent),
    )
    response = agent_client.get(url("detail", lighting_request.pk))
    html = response.content.decode()
    assert (
        '<p dir="auto" class="border rounded p-2 mb-0">  الضو طافي 3 ليالي fl zen9a 🙁<br>lampadaire &lt;b&gt;en panne&lt;/b&gt;</p>'
        in html
    )
    assert "border-warning bg-warning-subtle" in html and "Internal" in html
    assert "border-success" in html
    assert "Note interne: équipe B" in html
    # Contact details stay hidden until asked for.
    assert "amina@example.ma" not in html
    assert "Show contact details" in html


def test_the_detail_shows_the_answers_to_the_category_questions(agent_client, tetouan):
    from jamaati.servicerequests.tests.factories import QuestionFactory

    QuestionFactory(
        category=tetouan.lighting,
        code="poles",
        kind="single",
        label_en="How many poles?",
        choices=[{"key": "one", "label_en": "Just one", "label_fr": "Un seul"}],
    )
    service_request = report(tetouan, answers={"poles": "one"})
    html = agent_client.get(url("detail", service_request.pk)).content.decode()
    assert "How many poles?" in html and "Just one" in html


def test_changing_the_status_offers_only_the_allowed_next_statuses(
    agent_client, tetouan, lighting_request
):
    response = agent_client.get(url("detail", lighting_request.pk))
    offered = [
        value
        for value, _label in response.context["status_form"].fields["to_status"].widget.choices
    ]
    assert offered == ["acknowledged", "in_progress", "resolved", "rejected"]
    response = agent_client.post(
        url("status", lighting_request.pk),
        {"to_status": "acknowledged", "note": "On s'en occupe"},
        follow=True,
    )
    assert "The request is now Acknowledged." in messages_of(response)
    lighting_request.refresh_from_db()
    assert lighting_request.status == Status.ACKNOWLEDGED
    event = lighting_request.events.get(kind=EventKind.STATUS_CHANGED)
    assert (event.body, event.is_public) == ("On s'en occupe", True)


def test_a_forbidden_transition_is_refused_with_a_message(agent_client, tetouan, lighting_request):
    response = agent_client.post(url("status", lighting_request.pk), {"to_status": "closed"})
    assert response.status_code == 200
    assert "A request that is New cannot become Closed." in response.content.decode()
    response = agent_client.post(url("status", lighting_request.pk), {"to_status": "duplicate"})
    assert "Mark a duplicate by merging it into the original request." in response.content.decode()
    lighting_request.refresh_from_db()
    assert lighting_request.status == Status.NEW


def test_a_rejection_needs_a_reason(agent_client, tetouan, lighting_request):
    response = agent_client.post(url("status", lighting_request.pk), {"to_status": "rejected"})
    assert "Say why the request is rejected." in response.content.decode()
    assert response.context["status_form"].errors["reason"]
    response = agent_client.post(
        url("status", lighting_request.pk),
        {"to_status": "rejected", "reason": "Hors domaine public"},
        follow=True,
    )
    lighting_request.refresh_from_db()
    assert (lighting_request.status, lighting_request.rejection_reason) == (
        Status.REJECTED,
        "Hors domaine public",
    )


def test_a_closed_request_offers_no_status_change(agent_client, tetouan, lighting_request):
    for status in (Status.RESOLVED, Status.CLOSED):
        services.servicerequest_transition(
            service_request=lighting_request, to_status=status, actor=as_staff(tetouan.agent)
        )
    html = agent_client.get(url("detail", lighting_request.pk)).content.decode()
    assert "This request is closed: its status can no longer change." in html


def test_assigning_and_unassigning(agent_client, tetouan, lighting_request):
    response = agent_client.post(
        url("assign", lighting_request.pk), {"assignee": tetouan.head.user.pk}, follow=True
    )
    assert f"The request is assigned to {tetouan.head.user.get_full_name()}." in messages_of(
        response
    )
    lighting_request.refresh_from_db()
    assert lighting_request.assigned_to == tetouan.head.user
    response = agent_client.post(url("assign", lighting_request.pk), {"assignee": ""}, follow=True)
    assert "Nobody is assigned any more." in messages_of(response)
    # Somebody who cannot work on it is not offered, and is refused.
    response = agent_client.post(
        url("assign", lighting_request.pk), {"assignee": tetouan.outsider.user.pk}
    )
    assert response.status_code == 200 and response.context["assign_form"].errors["assignee"]


def test_a_public_update_and_an_internal_note(agent_client, tetouan, lighting_request):
    response = agent_client.post(
        url("comment", lighting_request.pk),
        {"visibility": "public", "body": "L'équipe passe demain"},
        follow=True,
    )
    assert "The update was published; the citizen is notified." in messages_of(response)
    response = agent_client.post(
        url("comment", lighting_request.pk),
        {"visibility": "internal", "body": "Câble volé"},
        follow=True,
    )
    assert "The internal note was added." in messages_of(response)
    kinds = dict(lighting_request.events.values_list("body", "is_public"))
    assert kinds["L'équipe passe demain"] is True and kinds["Câble volé"] is False
    response = agent_client.post(
        url("comment", lighting_request.pk), {"visibility": "internal", "body": ""}
    )
    assert response.context["comment_form"].errors["body"]


def test_a_response_template_prefills_a_public_update(agent_client, tetouan, lighting_request):
    template = ResponseTemplate.objects.create(
        organisation=tetouan.council,
        title_en="Team on its way",
        body_en="A team will come within 48 hours.",
        title_ar="فرقة في الطريق",
        body_ar="ستحضر فرقة خلال 48 ساعة.",
    )
    response = agent_client.get(url("detail", lighting_request.pk))
    assert f'href="?template={template.pk}#comment"' in response.content.decode()
    response = agent_client.get(url("detail", lighting_request.pk), {"template": template.pk})
    form = response.context["comment_form"]
    assert form.initial == {"body": "A team will come within 48 hours.", "visibility": "public"}
    assert "A team will come within 48 hours.</textarea>" in response.content.decode()


def test_a_transfer_offers_the_organisations_covering_the_place_and_needs_a_reason(
    agent_client, tetouan, lighting_request
):
    response = agent_client.get(url("detail", lighting_request.pk))
    offered = list(response.context["transfer_form"].fields["to_organisation"].queryset)
    assert offered == [tetouan.company]
    response = agent_client.post(
        url("transfer", lighting_request.pk), {"to_organisation": tetouan.company.pk, "reason": ""}
    )
    assert response.context["transfer_form"].errors["reason"]
    response = agent_client.post(
        url("transfer", lighting_request.pk),
        {"to_organisation": tetouan.outsider.organisation.pk, "reason": "x"},
    )
    assert response.context["transfer_form"].errors["to_organisation"]
    assert not Referral.objects.exists()


def test_a_transfer_may_name_the_receiving_department_of_that_organisation_only(
    agent_client, tetouan, lighting_request
):
    collection = DepartmentFactory(organisation=tetouan.company, name="Collection")
    elsewhere = DepartmentFactory(organisation=tetouan.outsider.organisation, name="Elsewhere")
    response = agent_client.get(url("detail", lighting_request.pk))
    offered = list(response.context["transfer_form"].fields["department"].queryset)
    assert collection in offered and elsewhere not in offered
    response = agent_client.post(
        url("transfer", lighting_request.pk),
        {"to_organisation": tetouan.company.pk, "department": elsewhere.pk, "reason": "bins"},
    )
    assert response.context["transfer_form"].errors["department"]
    assert not Referral.objects.exists()
    response = agent_client.post(
        url("transfer", lighting_request.pk),
        {"to_organisation": tetouan.company.pk, "department": collection.pk, "reason": "bins"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.organisation, referral.department) == (tetouan.company, collection)


def test_merging_by_tracking_code_with_nearby_suggestions(agent_client, tetouan):
    original = report(tetouan)
    duplicate = report(tetouan, contact_email="karim@example.ma")
    response = agent_client.get(url("detail", duplicate.pk))
    suggested = [n.service_request.reference for n in response.context["merge_suggestions"]]
    assert suggested == [original.reference]
    response = agent_client.post(
        url("merge", duplicate.pk), {"original": original.reference.lower()}, follow=True
    )
    assert f"The request was merged into {original.reference} as a duplicate." in messages_of(
        response
    )
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == (Status.DUPLICATE, original)
    assert original.supporters_count == 1


def test_merging_refuses_an_unknown_or_unreachable_code(agent_client, tetouan, lighting_request):
    response = agent_client.post(url("merge", lighting_request.pk), {"original": "ZZZ-ZZZ-ZZZ"})
    assert "No request you may act on has this tracking code." in response.content.decode()
    waste = report(tetouan, category=tetouan.waste)  # the company's: out of reach
    response = agent_client.post(url("merge", lighting_request.pk), {"original": waste.reference})
    assert "No request you may act on has this tracking code." in response.content.decode()
    response = agent_client.post(
        url("merge", lighting_request.pk), {"original": lighting_request.reference}
    )
    assert "A request cannot be a duplicate of itself." in response.content.decode()
    lighting_request.refresh_from_db()
    assert lighting_request.status == Status.NEW


def test_showing_the_contact_details_records_an_audit_row_with_the_reason(
    agent_client, tetouan, citizen
):
    service_request = report(
        tetouan, reporter=citizen, contact_email="", contact_phone="+212600000001"
    )
    response = agent_client.post(
        url("contact", service_request.pk), {"reason": "Préciser l'adresse"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "+212600000001" in html and citizen.username in html
    row = AuditEvent.objects.get(action=AuditEvent.Action.READ_PERSONAL_DATA)
    assert row.actor == tetouan.agent.user and row.membership == tetouan.agent
    assert (row.target_type, row.target_id) == ("accounts.user", str(citizen.pk))
    assert row.changes == {"reason": f"{service_request.reference}: Préciser l'adresse"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_contact_details_given_without_an_account_are_audited_on_the_request(
    agent_client, tetouan, lighting_request
):
    response = agent_client.post(url("contact", lighting_request.pk), {"reason": "Rappeler"})
    assert "amina@example.ma" in response.content.decode()
    row = AuditEvent.objects.get(action=AuditEvent.Action.READ_PERSONAL_DATA)
    assert (row.target_type, row.target_id) == (
        "servicerequests.servicerequest",
        str(lighting_request.pk),
    )
    assert row.changes["reason"] == "Rappeler"


def test_showing_the_contact_details_needs_a_reason_and_anonymous_reports_have_none(
    agent_client, tetouan, lighting_request
):
    response = agent_client.post(url("contact", lighting_request.pk), {"reason": "  "})
    assert "amina@example.ma" not in response.content.decode()
    assert response.context["contact_form"].errors["reason"]
    anonymous = report(tetouan, contact_email="", anonymous=True)
    html = agent_client.get(url("detail", anonymous.pk)).content.decode()
    assert "This report is anonymous: there are no contact details." in html
    response = agent_client.post(url("contact", anonymous.pk), {"reason": "Rappeler"})
    assert response.context["contact"] is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).exists()


def test_staff_see_every_photo_and_can_make_one_public(agent_client, tetouan):
    service_request = report(tetouan, photos=[jpeg()])
    photo = service_request.photos.get()
    response = agent_client.get(url("detail", service_request.pk))
    assert url("photo", service_request.pk, photo.pk) in response.content.decode()
    response = agent_client.get(url("photo", service_request.pk, photo.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    response = agent_client.post(url("photo_approve", service_request.pk, photo.pk), follow=True)
    assert "The photo is now public." in messages_of(response)
    photo.refresh_from_db()
    assert photo.is_public
    other = report(tetouan, photos=[jpeg()]).photos.get()
    response = agent_client.get(url("photo", service_request.pk, other.pk))
    assert response.status_code == 404
    assert not ServiceRequestPhoto.objects.get(pk=other.pk).is_public


def test_a_reader_without_an_acting_role_sees_the_request_but_no_forms(
    client, tetouan, lighting_request
):
    reviewer = MembershipFactory(
        user=StaffUserFactory(email="elu@tetouan.ma"),
        organisation=tetouan.council,
        role=Role.ELECTED_OFFICIAL,
    )
    log_in_verified(client, reviewer.user)
    response = client.get(url("detail", lighting_request.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Act on this request" not in html and "Show contact details" not in html
    assert client.post(url("comment", lighting_request.pk), {"body": "x"}).status_code == 404
    assert client.post(url("contact", lighting_request.pk), {"reason": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).exists()


# --- Django admin -----------------------------------------------------------------------------


def test_the_admin_edits_categories_with_their_questions_and_response_templates(
    client, tetouan, platform_admin
):
    log_in_verified(client, platform_admin)
    response = client.get(
        reverse("admin:servicerequests_category_change", args=[tetouan.lighting.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="name_ar"' in html and 'name="name_fr"' in html
    assert 'name="questions-TOTAL_FORMS"' in html and 'name="questions-__prefix__-label_ar"' in html
    assert client.get(reverse("admin:servicerequests_responsetemplate_add")).status_code == 200


def test_the_admin_shows_requests_read_only_and_without_personal_data(
    client, tetouan, platform_admin, lighting_request
):
    log_in_verified(client, platform_admin)
    assert client.get(reverse("admin:servicerequests_servicerequest_changelist")).status_code == 200
    response = client.get(
        reverse("admin:servicerequests_servicerequest_change", args=[lighting_request.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert lighting_request.reference in html
    assert "amina@example.ma" not in html
    assert client.get(reverse("admin:servicerequests_servicerequest_add")).status_code == 403
    response = client.post(
        reverse("admin:servicerequests_servicerequest_change", args=[lighting_request.pk]),
        {"status": "closed"},
    )
    assert response.status_code == 403
    lighting_request.refresh_from_db()
    assert lighting_request.status == Status.NEW


def test_the_header_links_staff_to_the_requests_and_not_citizens(client, tetouan, citizen):
    link = f'<a href="{url("queue")}"'
    log_in_verified(client, tetouan.agent.user)
    assert f'{link} aria-current="page">Requests</a>' in client.get(url("queue")).content.decode()
    client.logout()
    client.force_login(citizen)
    with translation.override("en"):
        home = reverse("home")
    assert link not in client.get(home).content.decode()
