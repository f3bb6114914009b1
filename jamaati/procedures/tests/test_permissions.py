"""Who reaches an application: instructors of the responsible department, reviewers only through
the referral of that application, the applicant; everybody else — an agent of another
organisation first — is refused (404 on reads, PermissionDenied on writes)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jamaati.organisations.models import Role
from jamaati.organisations.tests.factories import MembershipFactory, StaffUserFactory
from jamaati.procedures import selectors, services
from jamaati.procedures.models import StaffNote
from jamaati.procedures.tests.conftest import actor_of
from jamaati.procedures.tests.helpers import in_instruction, submitted


def test_an_instructor_of_the_responsible_department_lists_reads_and_acts(procedures, citizen):
    application = submitted(procedures, citizen)
    user = procedures.instructor.user
    assert list(selectors.applications_for_staff(user=user)) == [application]
    found, membership = selectors.application_get_for_staff(
        user=user, pk=application.pk, write=True
    )
    assert found == application and membership == procedures.instructor


def test_an_agent_of_another_organisation_is_refused(procedures, citizen, other_org_agent):
    application = submitted(procedures, citizen)
    assert list(selectors.applications_for_staff(user=other_org_agent)) == []
    with pytest.raises(Http404):
        selectors.application_get_for_staff(user=other_org_agent, pk=application.pk)
    with pytest.raises(PermissionDenied):
        services.application_transition(
            application=application, to_status="in_instruction", actor=actor_of(other_org_agent)
        )
    with pytest.raises(PermissionDenied):
        services.staff_note_add(application=application, body="x", actor=actor_of(other_org_agent))


def test_an_agent_of_another_department_neither_sees_nor_instructs(procedures, citizen, agent):
    application = submitted(procedures, citizen)
    assert list(selectors.applications_for_staff(user=agent)) == []
    with pytest.raises(Http404):
        selectors.application_get_for_staff(user=agent, pk=application.pk)
    with pytest.raises(PermissionDenied):
        services.application_decide(
            application=application, approved=True, reasons="", actor=actor_of(agent)
        )


def test_an_agent_limited_to_another_area_is_refused(procedures, citizen, world):
    limited = MembershipFactory(
        user=StaffUserFactory(email="south@north.ma"),
        organisation=world.organisation,
        department=procedures.urbanism,
        role=Role.AGENT,
        territories=[world.other_district],
    )
    application = submitted(procedures, citizen)
    assert (
        application.territory == world.commune
    )  # the organisation's seat: no place in the answers
    with pytest.raises(Http404):
        selectors.application_get_for_staff(user=limited.user, pk=application.pk)


def test_the_organisation_admin_reaches_every_department(procedures, citizen, org_admin):
    application = submitted(procedures, citizen)
    assert list(selectors.applications_for_staff(user=org_admin)) == [application]
    services.application_transition(
        application=application, to_status="in_instruction", actor=actor_of(org_admin)
    )


def test_a_reviewer_sees_only_the_application_referred_to_them(procedures, citizen):
    referred = in_instruction(procedures, citizen)
    other = in_instruction(procedures, citizen)
    reviewer = procedures.reviewer.user
    assert list(selectors.applications_for_staff(user=reviewer)) == []
    services.application_request_opinions(
        application=referred,
        reviewers=[services.Reviewer(procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    assert list(selectors.applications_for_staff(user=reviewer)) == [referred]
    _found, membership = selectors.application_get_for_staff(user=reviewer, pk=referred.pk)
    assert membership == procedures.reviewer
    with pytest.raises(Http404):
        selectors.application_get_for_staff(user=reviewer, pk=other.pk)
    with pytest.raises(Http404):
        selectors.application_get_for_staff(user=reviewer, pk=referred.pk, write=True)
    with pytest.raises(PermissionDenied):
        services.application_decide(
            application=referred, approved=True, reasons="", actor=actor_of(reviewer)
        )
    # Civil protection was not asked: it sees nothing.
    assert list(selectors.applications_for_staff(user=procedures.civil_reviewer.user)) == []
    assert list(selectors.opinions_for_reviewer(user=procedures.civil_reviewer.user)) == []


def test_a_reviewer_gives_only_their_own_organisations_opinion(procedures, citizen):
    application = in_instruction(procedures, citizen)
    [opinion] = services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    with pytest.raises(PermissionDenied):
        services.opinion_give(
            opinion=opinion,
            verdict="favourable",
            comment="",
            actor=actor_of(procedures.civil_reviewer),
        )
    with pytest.raises(Http404):
        selectors.opinion_get_for_reviewer(user=procedures.civil_reviewer.user, pk=opinion.pk)
    assert (
        selectors.opinion_get_for_reviewer(user=procedures.reviewer.user, pk=opinion.pk)[0]
        == opinion
    )


def test_a_revoked_referral_ends_the_reviewers_access(procedures, citizen, org_admin):
    from jamaati.organisations.services import referral_revoke

    application = in_instruction(procedures, citizen)
    [opinion] = services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    referral_revoke(actor=actor_of(procedures.instructor), referral=opinion.referral)
    with pytest.raises(Http404):
        selectors.application_get_for_staff(user=procedures.reviewer.user, pk=application.pk)
    opinion.referral.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.opinion_give(
            opinion=opinion, verdict="favourable", comment="", actor=actor_of(procedures.reviewer)
        )


def test_a_decision_ends_every_reviewers_access_and_keeps_their_opinions(procedures, citizen):
    """Law 09-08: a reviewing organisation reaches the file only while it is being decided."""
    from jamaati.audit.models import AuditEvent

    application = in_instruction(procedures, citizen)
    given, pending = services.application_request_opinions(
        application=application,
        reviewers=[
            services.Reviewer(procedures.reviewer_org),
            services.Reviewer(procedures.civil_reviewer.organisation),
        ],
        actor=actor_of(procedures.instructor),
    )
    services.opinion_give(
        opinion=given, verdict="favourable", comment="", actor=actor_of(procedures.reviewer)
    )
    services.application_decide(
        application=application,
        approved=True,
        reasons="",
        actor=actor_of(procedures.instructor),
    )

    for membership in (procedures.reviewer, procedures.civil_reviewer):
        with pytest.raises(Http404):
            selectors.application_get_for_staff(user=membership.user, pk=application.pk)
        assert list(selectors.opinions_for_reviewer(user=membership.user, pending_only=False)) == []
    with pytest.raises(Http404):
        selectors.opinion_get_for_reviewer(user=procedures.reviewer.user, pk=given.pk)
    pending.referral.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.opinion_give(
            opinion=pending,
            verdict="favourable",
            comment="",
            actor=actor_of(procedures.civil_reviewer),
        )
    # The instructing department keeps the file, the opinion given and the audit trail.
    found, _membership = selectors.application_get_for_staff(
        user=procedures.instructor.user, pk=application.pk
    )
    assert found == application
    given.refresh_from_db()
    assert given.verdict == "favourable"
    assert (
        AuditEvent.objects.filter(
            target_type="organisations.referral", changes__reason="case closed"
        ).count()
        == 2
    )


def test_a_withdrawal_ends_the_reviewers_access(procedures, citizen):
    application = in_instruction(procedures, citizen)
    services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    services.application_withdraw(application=application, actor=actor_of(citizen))
    with pytest.raises(Http404):
        selectors.application_get_for_staff(user=procedures.reviewer.user, pk=application.pk)


def test_private_notes_are_for_the_instructing_organisation_only(procedures, citizen):
    application = in_instruction(procedures, citizen)
    services.staff_note_add(
        application=application, body="Voisin opposé", actor=actor_of(procedures.instructor)
    )
    services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(procedures.reviewer_org)],
        actor=actor_of(procedures.instructor),
    )
    _app, instructor_membership = selectors.application_get_for_staff(
        user=procedures.instructor.user, pk=application.pk
    )
    _app, reviewer_membership = selectors.application_get_for_staff(
        user=procedures.reviewer.user, pk=application.pk
    )
    assert [
        n.body
        for n in selectors.staff_notes(application=application, membership=instructor_membership)
    ] == ["Voisin opposé"]
    assert (
        list(selectors.staff_notes(application=application, membership=reviewer_membership)) == []
    )
    with pytest.raises(PermissionDenied):
        services.staff_note_add(
            application=application, body="x", actor=actor_of(procedures.reviewer)
        )
    assert StaffNote.objects.count() == 1


def test_a_citizen_sees_only_their_own_applications(procedures, citizen):
    from jamaati.organisations.tests.factories import UserFactory

    mine = submitted(procedures, citizen)
    stranger = UserFactory(email="stranger@example.ma")
    assert list(selectors.applications_of_citizen(user=citizen)) == [mine]
    assert list(selectors.applications_of_citizen(user=stranger)) == []
    with pytest.raises(Http404):
        selectors.application_get_for_citizen(user=stranger, reference=mine.reference)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=mine, actor=actor_of(stranger))
    with pytest.raises(PermissionDenied):
        services.message_send(application=mine, body="Bonjour", actor=actor_of(stranger))


def test_drafts_stay_out_of_the_staff_lists(procedures, citizen, org_admin):
    services.application_start(
        procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
    )
    assert list(selectors.applications_for_staff(user=org_admin)) == []


def test_only_the_organisations_admins_edit_the_catalogue(
    procedures, agent, other_org_agent, org_admin
):
    for outsider in (agent, other_org_agent):
        with pytest.raises(PermissionDenied):
            services.procedure_update(
                procedure=procedures.procedure, changes={"fee": "10"}, actor=actor_of(outsider)
            )
    services.procedure_update(
        procedure=procedures.procedure, changes={"fee": "75.50"}, actor=actor_of(org_admin)
    )
    procedures.procedure.refresh_from_db()
    assert str(procedures.procedure.fee) == "75.50"


def test_a_department_of_the_same_organisation_gives_an_opinion_without_a_referral(
    procedures, citizen, agent_membership, department
):
    application = in_instruction(procedures, citizen)
    [opinion] = services.application_request_opinions(
        application=application,
        reviewers=[services.Reviewer(procedures.instructor.organisation, department)],
        actor=actor_of(procedures.instructor),
    )
    assert opinion.referral is None
    services.opinion_give(
        opinion=opinion, verdict="favourable", comment="", actor=actor_of(agent_membership)
    )
    opinion.refresh_from_db()
    assert opinion.given_by == agent_membership.user


def test_the_staff_list_costs_the_same_few_queries_for_many_applications(
    procedures, citizen, django_assert_max_num_queries
):
    for _ in range(6):
        submitted(procedures, citizen)
    user = procedures.instructor.user
    with django_assert_max_num_queries(8):
        rows = [
            (a.reference, a.procedure.title, a.organisation.slug, a.territory_id)
            for a in selectors.applications_for_staff(user=user)
        ]
    assert len(rows) == 6
