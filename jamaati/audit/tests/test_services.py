import pytest
from django.db import transaction
from django.test import RequestFactory

from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_personal_data_read, audit_record
from jamaati.core.actors import Actor


def test_it_records_who_did_what_in_which_membership(world, agent_membership, department):
    actor = Actor(
        user=agent_membership.user,
        membership=agent_membership,
        ip_address="196.200.1.2",
        user_agent="Firefox",
    )

    event = audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=department,
        changes={"name": ["old", "new"]},
    )

    event.refresh_from_db()
    assert event.actor == agent_membership.user
    assert event.membership == agent_membership
    assert event.organisation == world.organisation  # from the actor's membership
    assert event.target_type == "organisations.department"
    assert event.target_id == str(department.pk)
    assert event.target_repr == str(department)
    assert event.changes == {"name": ["old", "new"]}
    assert event.ip_address == "196.200.1.2"
    assert event.user_agent == "Firefox"


def test_it_takes_an_explicit_organisation_over_the_actors(world, platform_admin, department):
    event = audit_record(
        actor=Actor(user=platform_admin),
        action=AuditEvent.Action.DELETE,
        target=department,
        organisation=world.other_organisation,
    )

    assert event.organisation == world.other_organisation
    assert event.membership is None


def test_it_serialises_dates_in_changes(platform_admin, department):
    import datetime as dt

    event = audit_record(
        actor=Actor(user=platform_admin),
        action=AuditEvent.Action.UPDATE,
        target=department,
        changes={"due": dt.date(2026, 5, 1)},
    )

    event.refresh_from_db()
    assert event.changes == {"due": "2026-05-01"}


def test_it_refuses_an_unknown_action(platform_admin, department):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=Actor(user=platform_admin), action="dance", target=department)
    assert not AuditEvent.objects.exists()


def test_it_writes_inside_the_callers_transaction(platform_admin, department):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(
            actor=Actor(user=platform_admin), action=AuditEvent.Action.UPDATE, target=department
        )
        raise RuntimeError("the caller's write failed")

    assert not AuditEvent.objects.exists()


def test_it_records_a_staff_read_of_personal_data_with_its_reason(agent_membership, citizen):
    actor = Actor(user=agent_membership.user, membership=agent_membership)

    event = audit_personal_data_read(
        actor=actor, subject_user=citizen, reason="  Call back about report  "
    )

    assert event.action == AuditEvent.Action.READ_PERSONAL_DATA
    assert event.target_type == "accounts.user"
    assert event.target_id == str(citizen.pk)
    assert event.changes == {"reason": "Call back about report"}
    assert event.organisation == agent_membership.organisation


def test_it_refuses_a_personal_data_read_without_a_reason(agent_membership, citizen):
    with pytest.raises(ValueError, match="reason"):
        audit_personal_data_read(
            actor=Actor(user=agent_membership.user), subject_user=citizen, reason="  "
        )


def test_an_actor_from_a_request_ignores_forwarded_for_by_default(agent, settings):
    settings.BEHIND_TLS_PROXY = False
    http_request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_USER_AGENT="x" * 400
    )
    http_request.user = agent

    actor = Actor.from_request(http_request)

    assert actor.user == agent
    assert actor.ip_address == "10.0.0.5"
    assert len(actor.user_agent) == 300


def test_an_actor_behind_our_proxy_takes_the_address_the_proxy_appended(agent, settings):
    settings.BEHIND_TLS_PROXY = True
    http_request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 196.200.1.2"
    )
    http_request.user = agent

    assert Actor.from_request(http_request).ip_address == "196.200.1.2"


def test_an_anonymous_actor_has_no_user_and_a_garbage_address_is_dropped(settings):
    from django.contrib.auth.models import AnonymousUser

    settings.BEHIND_TLS_PROXY = True
    http_request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="not-an-address")
    http_request.user = AnonymousUser()

    actor = Actor.from_request(http_request)

    assert actor.user is None
    assert actor.ip_address is None
