"""Intake, routing, workflow, assignment, updates, transfer, merge, support, reopening and deadlines."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone
from PIL import Image

from jamaati.audit.models import AuditEvent
from jamaati.core import sms
from jamaati.core.actors import Actor
from jamaati.organisations import permissions
from jamaati.organisations.tests.factories import UserFactory
from jamaati.servicerequests import services
from jamaati.servicerequests.models import EventKind, ServiceRequest, Status
from jamaati.servicerequests.tests.conftest import RABAT_POINT, SEA_POINT, TETOUAN_POINT
from jamaati.servicerequests.workflow import ALLOWED_TRANSITIONS

pytestmark = pytest.mark.django_db


def report(tetouan, **kwargs):
    defaults = {
        "category": tetouan.lighting,
        "description": "الضو طافي فالزنقة 🙁 lampadaire en panne",
        "latitude": TETOUAN_POINT[0],
        "longitude": TETOUAN_POINT[1],
        "contact_email": "amina@example.ma",
    }
    return services.servicerequest_create(**{**defaults, **kwargs})


def as_staff(membership):
    return Actor(user=membership.user, membership=membership, ip_address="192.0.2.1")


def jpeg() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


# --- Intake and routing -------------------------------------------------------------------------


def test_a_report_keeps_its_text_exactly_and_gets_a_readable_tracking_code(tetouan):
    text = "  الضو طافي 3 ليالي fl zen9a dyal l7anout 🙁\n  "
    service_request = report(tetouan, description=text)
    assert service_request.description == text
    assert len(service_request.reference.replace("-", "")) >= 9
    assert service_request.status == Status.NEW
    assert service_request.commune == tetouan.commune
    assert service_request.events.get().kind == EventKind.CREATED


def test_a_point_routes_to_the_organisation_competent_for_the_category_domain(tetouan):
    lighting = report(tetouan)
    waste = report(tetouan, category=tetouan.waste)
    assert (lighting.organisation, lighting.department.slug) == (tetouan.council, "public-lighting")
    assert (waste.organisation, waste.department.slug) == (tetouan.company, "collection")


def test_without_a_competence_the_commune_council_is_the_stated_fallback(tetouan):
    from jamaati.servicerequests.tests.factories import CategoryFactory

    noise = CategoryFactory(organisation=tetouan.council, code="noise", domain=None)
    route = services.servicerequest_route(category=noise, territory=tetouan.commune)
    assert (route.organisation, route.rule) == (tetouan.council, "fallback")


def test_a_commune_chosen_from_the_list_replaces_the_point(tetouan):
    service_request = report(
        tetouan,
        latitude=None,
        longitude=None,
        commune=tetouan.commune,
        address="قرب المسجد، حي الباريو",
    )
    assert service_request.territory == tetouan.commune
    assert service_request.latitude is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": SEA_POINT[0], "longitude": SEA_POINT[1]}, "location"),
        ({"latitude": None, "longitude": None}, "location"),
        ({"latitude": 35.5, "longitude": None}, "location"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(tetouan, changes, field):
    with pytest.raises(ValidationError) as excinfo:
        report(tetouan, **changes)
    assert field in excinfo.value.message_dict
    assert not ServiceRequest.objects.exists()


def test_a_category_without_anonymous_reports_requires_a_contact(tetouan):
    with pytest.raises(ValidationError) as excinfo:
        report(tetouan, category=tetouan.waste, contact_email="")
    assert "contact" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        report(tetouan, category=tetouan.waste, anonymous=True)


def test_an_anonymous_report_stores_no_contact_and_sends_nothing(tetouan):
    service_request = report(
        tetouan, anonymous=True, contact_name="Amina", contact_phone="+212661234567"
    )
    assert service_request.is_anonymous
    assert (
        service_request.contact_name,
        service_request.contact_email,
        service_request.contact_phone,
    ) == ("", "", "")
    assert not service_request.followers.exists()
    assert mail.outbox == [] and sms.outbox == []


def test_the_reporter_gets_the_receipt_in_their_language(
    tetouan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        service_request = report(tetouan, language="fr")
    assert len(mail.outbox) == 1
    assert service_request.reference in mail.outbox[0].subject
    assert (
        "Code de suivi" in mail.outbox[0].body or service_request.reference in mail.outbox[0].body
    )


def test_photos_are_checked_by_content_and_at_most_five(tetouan):
    service_request = report(tetouan, photos=[jpeg(), jpeg()])
    assert service_request.photos.count() == 2
    assert not service_request.photos.filter(is_public=True).exists()
    fake = SimpleUploadedFile(
        "photo.jpg", b"%PDF-1.4 not an image %%EOF", content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as excinfo:
        report(tetouan, photos=[fake])
    assert "photos" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        report(tetouan, photos=[jpeg() for _ in range(6)])
    assert ServiceRequest.objects.count() == 1


def test_answers_are_checked_against_the_category_questions(tetouan):
    from jamaati.servicerequests.models import QuestionKind
    from jamaati.servicerequests.tests.factories import QuestionFactory

    QuestionFactory(
        category=tetouan.lighting, code="poles", kind=QuestionKind.NUMBER, required=True
    )
    QuestionFactory(
        category=tetouan.lighting,
        code="since",
        kind=QuestionKind.SINGLE,
        choices=[{"key": "today"}, {"key": "week"}],
    )
    with pytest.raises(ValidationError) as excinfo:
        report(tetouan, answers={"since": "year"})
    assert set(excinfo.value.message_dict) == {"answer_poles", "answer_since"}
    service_request = report(tetouan, answers={"poles": "3", "since": "week"})
    assert service_request.answers == {"poles": "3", "since": "week"}


def test_importing_the_same_external_id_twice_is_refused(tetouan):
    report(tetouan, source="la311", external_id="1-123")
    with pytest.raises(Exception):  # noqa: B017 - the database's unique constraint answers
        report(tetouan, source="la311", external_id="1-123")


# --- Workflow -------------------------------------------------------------------------------------


def test_the_whole_workflow_writes_history_and_audit(tetouan):
    service_request = report(tetouan)
    actor = as_staff(tetouan.agent)
    for status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED):
        service_request = services.servicerequest_transition(
            service_request=service_request, to_status=status, actor=actor
        )
    assert service_request.status == Status.CLOSED
    assert (
        service_request.acknowledged_at
        and service_request.resolved_at
        and service_request.closed_at
    )
    changes = list(
        service_request.events.filter(kind=EventKind.STATUS_CHANGED).values_list(
            "to_status", flat=True
        )
    )
    assert changes == ["acknowledged", "in_progress", "resolved", "closed"]
    assert (
        AuditEvent.objects.filter(action="transition", target_id=str(service_request.pk)).count()
        == 4
    )


ALL = [s.value for s in Status]
FORBIDDEN = [
    (a, b) for a in ALL for b in ALL if b not in ALLOWED_TRANSITIONS[a] and b != Status.DUPLICATE
]


def test_every_forbidden_transition_is_refused(tetouan):
    service_request = report(tetouan)
    accepted = []
    for from_status, to_status in FORBIDDEN:
        ServiceRequest.objects.filter(pk=service_request.pk).update(status=from_status)
        service_request.refresh_from_db()
        try:
            services.servicerequest_transition(
                service_request=service_request,
                to_status=to_status,
                actor=as_staff(tetouan.agent),
                reason="x",
            )
        except ValidationError:
            service_request.refresh_from_db()
            assert service_request.status == from_status
        else:
            accepted.append((from_status, to_status))
    assert accepted == []
    assert len(FORBIDDEN) > 25


def test_duplicate_is_reached_only_by_merging(tetouan):
    service_request = report(tetouan)
    with pytest.raises(ValidationError) as excinfo:
        services.servicerequest_transition(
            service_request=service_request,
            to_status=Status.DUPLICATE,
            actor=as_staff(tetouan.agent),
        )
    assert excinfo.value.code == "use_merge"


def test_a_rejection_needs_a_reason_that_the_citizen_sees(tetouan):
    service_request = report(tetouan)
    with pytest.raises(ValidationError):
        services.servicerequest_transition(
            service_request=service_request,
            to_status=Status.REJECTED,
            actor=as_staff(tetouan.agent),
        )
    service_request = services.servicerequest_transition(
        service_request=service_request,
        to_status=Status.REJECTED,
        actor=as_staff(tetouan.agent),
        reason="خارج اختصاص الجماعة",
    )
    assert service_request.rejection_reason == "خارج اختصاص الجماعة"
    assert service_request.events.filter(is_public=True, body="خارج اختصاص الجماعة").exists()


@pytest.mark.parametrize("who", ["outsider", "company_agent"])
def test_staff_of_another_organisation_cannot_act(tetouan, who):
    service_request = report(tetouan)
    with pytest.raises(PermissionDenied):
        services.servicerequest_transition(
            service_request=service_request,
            to_status=Status.ACKNOWLEDGED,
            actor=as_staff(getattr(tetouan, who)),
        )
    with pytest.raises(PermissionDenied):
        services.servicerequest_comment(
            service_request=service_request,
            body="x",
            public=True,
            actor=as_staff(getattr(tetouan, who)),
        )


def test_public_updates_notify_followers_and_internal_notes_do_not(
    tetouan, django_capture_on_commit_callbacks
):
    service_request = report(tetouan, notify_reporter=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.servicerequest_comment(
            service_request=service_request,
            body="ملاحظة داخلية",
            public=False,
            actor=as_staff(tetouan.agent),
        )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.servicerequest_comment(
            service_request=service_request,
            body="الفرقة في الطريق",
            public=True,
            actor=as_staff(tetouan.agent),
        )
    assert len(mail.outbox) == 1
    assert "الفرقة في الطريق" in mail.outbox[0].body


def test_an_unsubscribed_follower_is_not_notified(tetouan, django_capture_on_commit_callbacks):
    service_request = report(tetouan, notify_reporter=False)
    services.follower_unsubscribe(token=service_request.followers.get().unsubscribe_token)
    with django_capture_on_commit_callbacks(execute=True):
        services.servicerequest_transition(
            service_request=service_request,
            to_status=Status.ACKNOWLEDGED,
            actor=as_staff(tetouan.agent),
        )
    assert mail.outbox == []


def test_assignment_is_limited_to_staff_who_may_work_on_the_request(tetouan):
    service_request = report(tetouan)
    services.servicerequest_assign(
        service_request=service_request, assignee=tetouan.head.user, actor=as_staff(tetouan.agent)
    )
    service_request.refresh_from_db()
    assert service_request.assigned_to == tetouan.head.user
    with pytest.raises(ValidationError):
        services.servicerequest_assign(
            service_request=service_request,
            assignee=tetouan.outsider.user,
            actor=as_staff(tetouan.agent),
        )


def test_a_transfer_opens_the_request_to_the_receiving_organisation_only(tetouan):
    service_request = report(tetouan)
    company_user = tetouan.company_agent.user
    assert (
        permissions.staff_access(
            user=company_user,
            organisation=tetouan.council,
            territory=service_request.territory,
            target=service_request,
        )
        is None
    )
    services.servicerequest_transfer(
        service_request=service_request,
        to_organisation=tetouan.company,
        reason="نفايات وليس إنارة",
        actor=as_staff(tetouan.agent),
    )
    assert permissions.staff_access(
        user=company_user,
        organisation=tetouan.council,
        territory=service_request.territory,
        target=service_request,
        write=True,
    )
    other = report(tetouan)
    assert (
        permissions.staff_access(
            user=company_user, organisation=tetouan.council, territory=other.territory, target=other
        )
        is None
    )
    services.servicerequest_transition(
        service_request=service_request,
        to_status=Status.IN_PROGRESS,
        actor=as_staff(tetouan.company_agent),
    )


def test_merging_a_duplicate_keeps_its_reporter_and_supporters(tetouan):
    original = report(tetouan, contact_email="first@example.ma")
    duplicate = report(tetouan, contact_email="second@example.ma")
    services.servicerequest_support(service_request=duplicate, email="third@example.ma")
    services.servicerequest_merge(
        duplicate=duplicate, original=original, actor=as_staff(tetouan.agent)
    )
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == (Status.DUPLICATE, original)
    assert original.supporters_count == 2
    assert set(original.followers.values_list("email", flat=True)) == {
        "first@example.ma",
        "second@example.ma",
        "third@example.ma",
    }
    with pytest.raises(ValidationError):
        services.servicerequest_merge(
            duplicate=original, original=original, actor=as_staff(tetouan.agent)
        )


def test_a_supporter_is_counted_once(tetouan):
    service_request = report(tetouan)
    neighbour = UserFactory(email="neighbour@example.ma")
    services.servicerequest_support(service_request=service_request, user=neighbour)
    with pytest.raises(ValidationError):
        services.servicerequest_support(service_request=service_request, user=neighbour)
    service_request.refresh_from_db()
    assert service_request.supporters_count == 1


def test_the_reporter_may_reopen_within_the_configured_days_only(tetouan, settings):
    settings.SERVICEREQUEST_REOPEN_DAYS = 7
    citizen = UserFactory(email="reporter@example.ma")
    service_request = report(tetouan, reporter=citizen, contact_email="")
    for status in (Status.IN_PROGRESS, Status.RESOLVED):
        services.servicerequest_transition(
            service_request=service_request, to_status=status, actor=as_staff(tetouan.agent)
        )
    with pytest.raises(PermissionDenied):
        services.servicerequest_reopen(
            service_request=service_request, user=UserFactory(), reason="x"
        )
    with time_machine.travel(timezone.now() + timedelta(days=8)), pytest.raises(ValidationError):
        services.servicerequest_reopen(
            service_request=service_request, user=citizen, reason="ما زال"
        )
    service_request = services.servicerequest_reopen(
        service_request=service_request, user=citizen, reason="ما زال الضو طافي"
    )
    assert service_request.status == Status.IN_PROGRESS
    assert service_request.resolved_at is None


def test_overdue_requests_escalate_once_to_the_department_head(
    tetouan, django_capture_on_commit_callbacks
):
    service_request = report(tetouan, notify_reporter=False)
    assert services.servicerequests_escalate_overdue() == 0
    later = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.servicerequests_escalate_overdue(now=later) == 1
    assert [m.to for m in mail.outbox] == [["head@tetouan.ma"]]
    assert services.servicerequests_escalate_overdue(now=later + timedelta(days=10)) == 0
    event = service_request.events.get(kind=EventKind.ESCALATED)
    assert (event.is_public, event.data["deadline"]) == (False, "acknowledge")


def test_a_report_from_rabat_is_not_routed_to_tetouan(tetouan):
    service_request = report(tetouan, latitude=RABAT_POINT[0], longitude=RABAT_POINT[1])
    assert service_request.commune.code == "04.421.01.0"
    assert service_request.organisation != tetouan.company


def test_the_periodic_task_escalates_through_celery(tetouan):
    from jamaati.servicerequests.tasks import escalate_overdue_task

    service_request = report(tetouan, notify_reporter=False)
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        due_acknowledge_at=timezone.now() - timedelta(hours=1)
    )
    assert escalate_overdue_task.delay().get() == 1


def test_an_import_may_carry_no_contact_even_where_reports_need_one(tetouan):
    service_request = report(
        tetouan,
        category=tetouan.waste,
        contact_email="",
        channel="import",
        source="archive",
        external_id="A-1",
        notify_reporter=False,
    )
    assert service_request.is_anonymous
    with pytest.raises(ValidationError):
        report(tetouan, category=tetouan.waste, contact_email="")


def test_staff_actions_keep_the_actor_address_in_the_audit_row(tetouan):
    service_request = report(tetouan)
    services.servicerequest_transition(
        service_request=service_request,
        to_status=Status.ACKNOWLEDGED,
        actor=Actor(user=tetouan.agent.user, ip_address="203.0.113.9"),
    )
    event = AuditEvent.objects.get(action="transition")
    assert (event.ip_address, event.membership) == ("203.0.113.9", tetouan.agent)


@pytest.mark.django_db(transaction=True)
def test_a_tracking_code_already_taken_is_drawn_again_and_nothing_is_half_written(
    tetouan, monkeypatch
):
    """The clash rolls the whole transaction back (no savepoint) and the intake draws again."""
    first = report(tetouan)
    drawn = iter([first.reference, "ZZZZ-ZZZZ-ZZ"])
    monkeypatch.setattr(services, "refcode_new", lambda: next(drawn))
    second = report(tetouan)
    assert second.reference == "ZZZZ-ZZZZ-ZZ"
    assert ServiceRequest.objects.count() == 2
    assert second.events.count() == 1
    assert second.followers.count() == 1


def test_a_clash_on_anything_but_the_tracking_code_is_not_retried(tetouan, monkeypatch):
    report(tetouan, source="import", external_id="LA-1")
    calls = []

    def draw():
        calls.append(1)
        return f"AAAA-AAAA-A{len(calls)}"

    monkeypatch.setattr(services, "refcode_new", draw)
    with pytest.raises(IntegrityError):
        report(tetouan, source="import", external_id="LA-1")
    assert len(calls) == 1
