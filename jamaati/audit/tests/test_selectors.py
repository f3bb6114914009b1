import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from jamaati.audit.models import AuditEvent
from jamaati.audit.selectors import audit_events_filter, audit_events_for
from jamaati.audit.tests.factories import AuditEventFactory
from jamaati.organisations.models import Role
from jamaati.organisations.tests.factories import MembershipFactory, StaffUserFactory


@pytest.fixture
def other_org_admin(world):
    return MembershipFactory(
        user=StaffUserFactory(email="admin@clean-co.ma"),
        organisation=world.other_organisation,
        role=Role.ORG_ADMIN,
    ).user


@pytest.fixture
def events(world, agent, other_org_agent):
    return {
        "ours": AuditEventFactory(organisation=world.organisation, actor=agent),
        "theirs": AuditEventFactory(organisation=world.other_organisation, actor=other_org_agent),
        "platform": AuditEventFactory(organisation=None),
    }


def test_a_platform_admin_sees_every_event(platform_admin, events):
    assert set(audit_events_for(user=platform_admin)) == set(events.values())


def test_an_organisation_admin_sees_only_their_organisations_events(org_admin, events):
    assert list(audit_events_for(user=org_admin)) == [events["ours"]]


def test_another_organisations_admin_does_not_see_our_events(other_org_admin, events):
    assert list(audit_events_for(user=other_org_admin)) == [events["theirs"]]


def test_an_inactive_admin_membership_grants_nothing(org_admin_membership, events):
    org_admin_membership.is_active = False
    org_admin_membership.save()

    with pytest.raises(PermissionDenied):
        audit_events_for(user=org_admin_membership.user)


@pytest.mark.parametrize("persona", ["agent", "citizen"])
def test_anybody_else_is_refused(request, persona, events):
    with pytest.raises(PermissionDenied):
        audit_events_for(user=request.getfixturevalue(persona))


def test_it_filters_by_action_day_and_actor(platform_admin, agent, other_org_agent, world):
    # Half past midnight on 2 May in Casablanca is still 1 May in UTC.
    with time_machine.travel(dt.datetime(2026, 5, 2, 0, 30, tzinfo=ZoneInfo("Africa/Casablanca"))):
        may = AuditEventFactory(actor=agent, action=AuditEvent.Action.CREATE)
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, 0, tzinfo=ZoneInfo("Africa/Casablanca"))):
        june = AuditEventFactory(actor=other_org_agent, action=AuditEvent.Action.DELETE)
    everything = audit_events_for(user=platform_admin)

    assert list(audit_events_filter(everything, action="delete")) == [june]
    assert list(
        audit_events_filter(everything, date_from=dt.date(2026, 5, 2), date_to=dt.date(2026, 5, 2))
    ) == [may]
    assert list(audit_events_filter(everything, date_to=dt.date(2026, 5, 1))) == []
    assert list(audit_events_filter(everything, date_from=dt.date(2026, 5, 3))) == [june]
    assert list(audit_events_filter(everything, actor_query="CLEAN-CO")) == [june]
