import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.services import apikey_authenticate, apikey_issue, apikey_revoke
from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
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
def partner_key(world, org_admin):
    return apikey_issue(
        actor=Actor(user=org_admin),
        organisation=world.organisation,
        name="Citizen app",
        scopes=["open311"],
    )


def test_an_organisation_admin_issues_a_partner_key_shown_once_and_stored_hashed(world, org_admin):
    issued = apikey_issue(
        actor=Actor(user=org_admin),
        organisation=world.organisation,
        name="  Citizen app ",
        scopes=["open311", "read", "open311"],
    )

    key = ApiKey.objects.get()
    assert issued.raw_key.startswith(f"jmt_{key.prefix}_")
    assert len(issued.raw_key) > 50
    assert key.kind == ApiKey.Kind.PARTNER
    assert key.name == "Citizen app"
    assert key.organisation == world.organisation
    assert key.user is None
    assert key.scopes == ["open311", "read"]
    secret = issued.raw_key.rsplit("_", 1)[1]
    stored = " ".join(str(value) for value in ApiKey.objects.values().get().values())
    assert secret not in stored
    assert issued.raw_key not in stored


def test_issuing_is_audited_under_the_organisation(world, org_admin, partner_key):
    event = AuditEvent.objects.get(action=AuditEvent.Action.ISSUE)

    assert event.actor == org_admin
    assert event.organisation == world.organisation
    assert event.target_id == str(partner_key.api_key.pk)
    # The secret (which may itself hold "_") never reaches the audit log, nor the whole key.
    secret = partner_key.raw_key.split("_", 2)[2]
    assert secret not in str(event.changes)
    assert partner_key.raw_key not in str(event.changes)


def test_another_organisations_admin_cannot_issue_a_key_for_us(world, other_org_admin):
    with pytest.raises(PermissionDenied):
        apikey_issue(
            actor=Actor(user=other_org_admin),
            organisation=world.organisation,
            name="Intruder",
            scopes=["read"],
        )
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("persona", ["agent", "citizen"])
def test_a_non_admin_cannot_issue_a_partner_key(request, world, persona):
    with pytest.raises(PermissionDenied):
        apikey_issue(
            actor=Actor(user=request.getfixturevalue(persona)),
            organisation=world.organisation,
            name="Mine",
            scopes=["read"],
        )


def test_a_platform_admin_issues_a_key_for_any_organisation(world, platform_admin):
    issued = apikey_issue(
        actor=Actor(user=platform_admin),
        organisation=world.other_organisation,
        name="Fleet tracker",
        scopes=["read"],
    )

    assert issued.api_key.organisation == world.other_organisation


def test_a_staff_member_issues_their_own_token_acting_as_their_membership(
    world, agent, agent_membership
):
    issued = apikey_issue(
        actor=Actor(user=agent), user=agent, name="My laptop", scopes=["read", "write"]
    )

    assert issued.api_key.kind == ApiKey.Kind.STAFF
    assert issued.api_key.membership == agent_membership
    assert issued.api_key.organisation == world.organisation


def test_an_organisation_admin_issues_a_token_for_their_agent_but_an_outsider_cannot(
    agent, agent_membership, org_admin, other_org_admin
):
    issued = apikey_issue(
        actor=Actor(user=org_admin), user=agent, name="Field tablet", scopes=["read"]
    )
    assert issued.api_key.membership == agent_membership

    with pytest.raises(PermissionDenied):
        apikey_issue(actor=Actor(user=other_org_admin), user=agent, name="Stolen", scopes=["read"])


def test_an_agent_cannot_issue_a_token_for_a_colleague(agent, org_admin):
    with pytest.raises(PermissionDenied):
        apikey_issue(actor=Actor(user=agent), user=org_admin, name="Borrowed", scopes=["read"])


def test_a_token_for_someone_with_several_roles_must_name_the_membership(
    world, agent, agent_membership
):
    reviewer = MembershipFactory(user=agent, organisation=world.organisation, role=Role.REVIEWER)

    with pytest.raises(ValidationError) as error:
        apikey_issue(actor=Actor(user=agent), user=agent, name="Laptop", scopes=["read"])
    assert error.value.code == "ambiguous_membership"

    issued = apikey_issue(
        actor=Actor(user=agent), membership=reviewer, name="Laptop", scopes=["read"]
    )
    assert issued.api_key.membership == reviewer


def test_a_citizen_gets_no_staff_token(citizen):
    with pytest.raises(ValidationError) as error:
        apikey_issue(actor=Actor(user=citizen), user=citizen, name="Me", scopes=["read"])
    assert error.value.code == "not_staff"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"name": " ", "scopes": ["read"]}, "no_name"),
        ({"name": "App", "scopes": ["everything"]}, "unknown_scope"),
        ({"name": "App", "scopes": []}, "no_scope"),
        (
            {
                "name": "App",
                "scopes": ["read"],
                "expires_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            },
            "expired",
        ),
    ],
)
def test_it_refuses_bad_input_with_a_clear_error(world, org_admin, kwargs, code):
    with pytest.raises(ValidationError) as error:
        apikey_issue(actor=Actor(user=org_admin), organisation=world.organisation, **kwargs)
    assert error.value.code == code


def test_it_authenticates_the_right_key_only(partner_key):
    raw = partner_key.raw_key

    assert apikey_authenticate(raw) == partner_key.api_key
    assert apikey_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert apikey_authenticate("jmt_000000000000_" + raw.rsplit("_", 1)[1]) is None
    assert apikey_authenticate("") is None
    assert apikey_authenticate("Bearer nonsense") is None


def test_a_revoked_key_stops_working_and_revoking_is_audited(world, org_admin, partner_key):
    apikey_revoke(actor=Actor(user=org_admin), api_key=partner_key.api_key)
    apikey_revoke(actor=Actor(user=org_admin), api_key=partner_key.api_key)

    assert apikey_authenticate(partner_key.raw_key) is None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVOKE).count() == 1
    partner_key.api_key.refresh_from_db()
    assert partner_key.api_key.revoked_by == org_admin


def test_another_organisations_admin_cannot_revoke_our_key(other_org_admin, partner_key):
    with pytest.raises(PermissionDenied):
        apikey_revoke(actor=Actor(user=other_org_admin), api_key=partner_key.api_key)
    assert apikey_authenticate(partner_key.raw_key) is not None


def test_an_expired_key_stops_working(world, org_admin):
    issued = apikey_issue(
        actor=Actor(user=org_admin),
        organisation=world.organisation,
        name="Pilot",
        scopes=["read"],
        expires_at=timezone.now() + dt.timedelta(days=30),
    )

    assert apikey_authenticate(issued.raw_key) is not None
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert apikey_authenticate(issued.raw_key) is None


def test_a_staff_token_dies_with_its_membership(agent, agent_membership):
    issued = apikey_issue(actor=Actor(user=agent), user=agent, name="Laptop", scopes=["read"])
    agent_membership.is_active = False
    agent_membership.save()

    assert apikey_authenticate(issued.raw_key) is None


def test_a_partner_key_dies_with_its_organisation(world, partner_key):
    world.organisation.is_active = False
    world.organisation.save()

    assert apikey_authenticate(partner_key.raw_key) is None


def test_last_use_is_recorded_at_most_once_a_minute(partner_key):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        apikey_authenticate(partner_key.raw_key)
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        apikey_authenticate(partner_key.raw_key)
        partner_key.api_key.refresh_from_db()
        assert partner_key.api_key.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        apikey_authenticate(partner_key.raw_key)
        partner_key.api_key.refresh_from_db()
        assert partner_key.api_key.last_used_at == start + dt.timedelta(seconds=90)


def test_a_partners_action_is_audited_under_its_key_and_organisation(
    world, partner_key, department
):
    http_request = RequestFactory().post("/api/v1/x", REMOTE_ADDR="41.250.1.1")
    http_request.auth = apikey_authenticate(partner_key.raw_key)
    actor = Actor.from_api_request(http_request)

    event = audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=department)

    assert event.actor is None
    assert event.organisation == world.organisation
    assert event.changes == {"api_key": partner_key.api_key.prefix}
    assert event.ip_address == "41.250.1.1"


@pytest.mark.django_db(transaction=True)
def test_a_login_keeps_the_cached_keys_but_deactivating_the_owner_drops_them(
    agent, agent_membership
):
    """Every process caches keys (ADR 0007); a login's `last_login` write must not flush them."""
    from django.contrib.auth.models import update_last_login

    from jamaati.apikeys.services import KEYS

    issued = apikey_issue(actor=Actor(user=agent), user=agent, name="Laptop", scopes=["read"])
    assert apikey_authenticate(issued.raw_key) is not None
    generation = KEYS._generation()
    update_last_login(None, agent)
    assert KEYS._generation() == generation
    assert apikey_authenticate(issued.raw_key) is not None

    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert KEYS._generation() != generation
    assert apikey_authenticate(issued.raw_key) is None
