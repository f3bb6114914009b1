import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jamaati.audit.models import AuditEvent
from jamaati.core.actors import Actor
from jamaati.organisations import services
from jamaati.organisations.models import Membership, Organisation, Role
from jamaati.organisations.selectors import competence_for
from jamaati.organisations.tests.factories import (
    DomainFactory,
    OrganisationKindFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_council_takes_the_slug_of_its_seat(world, platform_admin):
    region_council = services.organisation_create(
        actor=Actor(user=platform_admin),
        kind=OrganisationKindFactory(slug="region-council"),
        names={"ar": "مجلس الجهة", "fr": "Conseil régional"},
        territories=[world.region],
        seat=world.region,
    )
    province_council = services.organisation_create(
        actor=Actor(user=platform_admin),
        kind=OrganisationKindFactory(slug="province-council"),
        names={"ar": "مجلس الإقليم", "fr": "Conseil provincial"},
        territories=[world.province],
        seat=world.province,
    )
    assert region_council.slug == "test-region"
    assert province_council.slug == "province-test-province"
    assert region_council.name_fr == "Conseil régional"
    assert (
        AuditEvent.objects.filter(
            target_type="organisations.organisation", actor=platform_admin
        ).count()
        == 2
    )


def test_only_a_platform_admin_creates_organisations(world, org_admin):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=Actor(user=org_admin),
            kind=OrganisationKindFactory(),
            names={"ar": "x"},
            territories=[world.commune],
            slug="x",
        )
    assert not Organisation.objects.filter(slug="x").exists()


def test_an_organisation_admin_adds_staff_limited_to_part_of_the_territory(
    world, org_admin_membership
):
    actor = Actor(
        user=org_admin_membership.user, membership=org_admin_membership, ip_address="192.0.2.7"
    )
    newcomer = UserFactory(email="new@north.ma")
    membership = services.membership_create(
        actor=actor,
        organisation=world.organisation,
        user=newcomer,
        role=Role.AGENT,
        territories=[world.district],
    )
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert list(membership.territories.all()) == [world.district]
    event = AuditEvent.objects.get(target_type="organisations.membership")
    assert (event.actor, event.membership, event.organisation, event.ip_address) == (
        org_admin_membership.user,
        org_admin_membership,
        world.organisation,
        "192.0.2.7",
    )


def test_a_membership_cannot_reach_outside_the_organisation_territory(world, org_admin_membership):
    actor = Actor(user=org_admin_membership.user, membership=org_admin_membership)
    with pytest.raises(ValidationError):
        services.membership_create(
            actor=actor,
            organisation=world.organisation,
            user=StaffUserFactory(),
            role=Role.AGENT,
            territories=[world.other_commune],
        )
    assert Membership.objects.filter(organisation=world.organisation, role=Role.AGENT).count() == 0


def test_an_admin_of_another_organisation_cannot_add_staff(world, other_org_agent_membership):
    other_org_agent_membership.role = Role.ORG_ADMIN
    other_org_agent_membership.save()
    actor = Actor(user=other_org_agent_membership.user, membership=other_org_agent_membership)
    with pytest.raises(PermissionDenied):
        services.membership_create(
            actor=actor, organisation=world.organisation, user=StaffUserFactory(), role=Role.AGENT
        )


def test_setting_a_competence_replaces_the_previous_holder(world, platform_admin):
    waste = DomainFactory(slug="waste")
    actor = Actor(user=platform_admin)
    services.competence_set(
        actor=actor, organisation=world.organisation, domain=waste, territory=world.commune
    )
    services.competence_set(
        actor=actor, organisation=world.other_organisation, domain=waste, territory=world.commune
    )
    assert (
        competence_for(domain=waste, territory=world.commune).organisation
        == world.other_organisation
    )
    assert AuditEvent.objects.filter(target_type="organisations.competence").count() == 2


def test_a_referral_is_made_by_the_referring_organisation_only(
    world, agent_membership, other_org_agent_membership
):
    target = world.district
    referral = services.referral_create(
        actor=Actor(user=agent_membership.user, membership=agent_membership),
        target=target,
        from_organisation=world.organisation,
        to_organisation=world.other_organisation,
        reason="Waste, not lighting",
    )
    assert referral.target == target
    with pytest.raises(PermissionDenied):
        services.referral_create(
            actor=Actor(
                user=other_org_agent_membership.user, membership=other_org_agent_membership
            ),
            target=target,
            from_organisation=world.organisation,
            to_organisation=world.other_organisation,
        )
    services.referral_revoke(
        actor=Actor(user=agent_membership.user, membership=agent_membership), referral=referral
    )
    referral.refresh_from_db()
    assert referral.revoked_at is not None


def test_names_are_stored_per_language_whatever_the_active_language(world, platform_admin):
    from django.utils import translation

    with translation.override("fr"):
        organisation = services.organisation_create(
            actor=Actor(user=platform_admin),
            kind=OrganisationKindFactory(),
            names={"ar": "مجلس", "fr": "Conseil", "en": "Council"},
            territories=[world.commune],
            slug="council",
        )
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert (organisation.name_ar, organisation.name_fr, organisation.name_en) == (
        "مجلس",
        "Conseil",
        "Council",
    )
    with translation.override("fr"):
        assert organisation.name == "Conseil"
    with translation.override("ar"):
        assert organisation.name == "مجلس"
