import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.factories import AuditEventFactory
from jamaati.audit.tests.logins import log_in_verified
from jamaati.organisations.models import Role
from jamaati.organisations.tests.factories import MembershipFactory, StaffUserFactory

URL = "/fr/audit/"


@pytest.fixture
def other_org_admin(world):
    return MembershipFactory(
        user=StaffUserFactory(email="admin@clean-co.ma"),
        organisation=world.other_organisation,
        role=Role.ORG_ADMIN,
    ).user


def test_the_page_is_mounted_under_the_language_prefix():
    with translation.override("ar"):
        assert reverse("audit:event_list") == "/ar/audit/"


def test_it_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_organisation_admin_sees_their_organisations_events_only(
    client, world, org_admin, agent, other_org_agent
):
    AuditEventFactory(
        organisation=world.organisation, actor=agent, target_repr="Lamp 12 in our street"
    )
    AuditEventFactory(
        organisation=world.other_organisation,
        actor=other_org_agent,
        target_repr="Their secret contract",
    )
    log_in_verified(client, org_admin)

    response = client.get(URL)

    assert response.status_code == 200
    assert "Lamp 12 in our street" in response.text
    assert "Their secret contract" not in response.text


def test_another_organisations_admin_does_not_see_our_events(client, world, other_org_admin, agent):
    AuditEventFactory(
        organisation=world.organisation, actor=agent, target_repr="Lamp 12 in our street"
    )
    log_in_verified(client, other_org_admin)

    response = client.get(URL)

    assert response.status_code == 200
    assert "Lamp 12 in our street" not in response.text


def test_it_asks_an_admin_who_gave_only_a_password_for_the_second_factor(client, org_admin):
    client.force_login(org_admin)

    response = client.get(URL)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["agent", "citizen"])
def test_it_refuses_staff_and_citizens_who_are_not_admins(request, client, persona):
    log_in_verified(client, request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403


def test_it_filters_by_action_and_actor(client, world, org_admin, agent, department):
    AuditEventFactory(
        organisation=world.organisation,
        actor=agent,
        action=AuditEvent.Action.DELETE,
        target_repr="Deleted by the agent",
    )
    AuditEventFactory(
        organisation=world.organisation,
        actor=org_admin,
        action=AuditEvent.Action.CREATE,
        target_repr="Created by the admin",
    )
    log_in_verified(client, org_admin)

    by_action = client.get(URL, {"action": "delete"})
    by_actor = client.get(URL, {"actor": "admin@north"})

    assert "Deleted by the agent" in by_action.text
    assert "Created by the admin" not in by_action.text
    assert "Created by the admin" in by_actor.text
    assert "Deleted by the agent" not in by_actor.text


def test_it_explains_a_reversed_date_range(client, org_admin):
    log_in_verified(client, org_admin)

    response = client.get(URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"})

    assert response.status_code == 200
    with translation.override("fr"):
        reversed_range = gettext("The start date must not be after the end date.")
    assert escape(reversed_range) in response.text


def test_it_paginates_with_the_filters_kept(client, world, org_admin, agent):
    AuditEventFactory.create_batch(
        51, organisation=world.organisation, actor=agent, action=AuditEvent.Action.UPDATE
    )
    log_in_verified(client, org_admin)

    first = client.get(URL, {"action": "update"})
    second = client.get(URL, {"action": "update", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert "action=update&amp;page=2" in first.text
    assert len(second.context["page"].object_list) == 1


def test_the_number_of_queries_does_not_grow_with_the_page(client, world, org_admin, agent):
    log_in_verified(client, org_admin)
    AuditEventFactory.create_batch(2, organisation=world.organisation, actor=agent)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    AuditEventFactory.create_batch(40, organisation=world.organisation, actor=agent)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)

    assert len(many.captured_queries) == len(few.captured_queries)
