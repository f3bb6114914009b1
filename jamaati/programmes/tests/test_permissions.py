"""Outsiders are refused: every write service, and every staff read, for every kind of outsider."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from PIL import Image

from jamaati.audit.models import AuditEvent
from jamaati.programmes import selectors, services
from jamaati.programmes.models import Status, TransactionKind

pytestmark = pytest.mark.django_db


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


@pytest.fixture
def plan(world, planner, works_agent, project, undp, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.project_transition(project=project, to_status=Status.STUDIES, actor=works_agent)
    programme = services.programme_create(
        organisation=world.organisation,
        slug="pac-2022-2027",
        kind="pac",
        title={"fr": "PAC 2022-2027"},
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2027, 12, 31),
        actor=planner,
    )
    convention = services.convention_create(
        organisation=world.organisation,
        reference="C-1",
        title={"fr": "Convention"},
        signed_on=dt.date(2024, 1, 1),
        duration_months=12,
        actor=planner,
    )
    party = services.convention_party_add(
        convention=convention, partner=undp, role="funder", actor=planner
    )
    commitment = services.party_commitment_add(
        party=party,
        kind="money",
        amount="200",
        actor=planner,
    )
    tranche = services.tranche_add(
        commitment=commitment, due_on=dt.date(2024, 6, 1), amount="100", actor=planner
    )
    in_kind = services.party_commitment_add(
        party=party, kind="land", description="Terrain", actor=planner
    )
    committee = services.committee_create(
        organisation=world.organisation, slug="c", name={"fr": "Comité"}, actor=planner
    )
    member = services.committee_member_add(committee=committee, name="M", actor=planner)
    criterion = services.criterion_add(
        committee=committee, title={"fr": "Impact"}, weight="2", actor=planner
    )
    candidate = services.candidate_add(committee=committee, project=project, actor=planner)
    services.score_record(
        member=member, criterion=criterion, candidate=candidate, value="7", actor=planner
    )
    milestone = services.milestone_create(
        project=project, title={"fr": "J"}, planned_date=dt.date(2024, 1, 1), actor=planner
    )
    return SimpleNamespace(
        world=world,
        project=project,
        programme=programme,
        convention=convention,
        party=party,
        commitment=commitment,
        tranche=tranche,
        in_kind=in_kind,
        committee=committee,
        member=member,
        criterion=criterion,
        candidate=candidate,
        milestone=milestone,
        partner=undp,
    )


WRITES = {
    "partner_create": lambda p, a: services.partner_create(
        organisation=p.world.organisation, slug="x", name={"fr": "X"}, kind="state", actor=a
    ),
    "programme_create": lambda p, a: services.programme_create(
        organisation=p.world.organisation,
        slug="x",
        kind="pac",
        title={"fr": "X"},
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2023, 1, 1),
        actor=a,
    ),
    "axis_create": lambda p, a: services.axis_create(
        programme=p.programme, code="1", title={"fr": "Axe"}, actor=a
    ),
    "project_create": lambda p, a: services.project_create(
        organisation=p.world.organisation,
        code="X",
        title={"fr": "X"},
        sector="economy",
        territories=[p.world.commune],
        actor=a,
    ),
    "project_update": lambda p, a: services.project_update(
        project=p.project, total_cost="5", actor=a
    ),
    "project_transition": lambda p, a: services.project_transition(
        project=p.project, to_status=Status.TENDERING, actor=a
    ),
    "project_stage_plan": lambda p, a: services.project_stage_plan(
        project=p.project, stage=Status.WORKS, planned_start=dt.date(2025, 1, 1), actor=a
    ),
    "milestone_create": lambda p, a: services.milestone_create(
        project=p.project, title={"fr": "J"}, planned_date=dt.date(2025, 1, 1), actor=a
    ),
    "milestone_reach": lambda p, a: services.milestone_reach(
        milestone=p.milestone, actual_date=dt.date(2024, 2, 1), actor=a
    ),
    "project_progress_record": lambda p, a: services.project_progress_record(
        project=p.project, physical_progress="10", actor=a
    ),
    "project_photo_add": lambda p, a: services.project_photo_add(
        project=p.project, file=_jpeg(), actor=a
    ),
    "project_document_add": lambda p, a: services.project_document_add(
        project=p.project, file=_jpeg(), title="Plan", actor=a
    ),
    "funding_commit": lambda p, a: services.funding_commit(
        project=p.project, partner=p.partner, amount="1", actor=a
    ),
    "transaction_record": lambda p, a: services.transaction_record(
        project=p.project,
        kind=TransactionKind.EXPENDITURE,
        date=dt.date(2024, 1, 1),
        amount="1",
        actor=a,
    ),
    "convention_create": lambda p, a: services.convention_create(
        organisation=p.world.organisation,
        reference="C-2",
        title={"fr": "C"},
        signed_on=dt.date(2024, 1, 1),
        duration_months=1,
        actor=a,
    ),
    "convention_party_add": lambda p, a: services.convention_party_add(
        convention=p.convention,
        partner=services.Partner.objects.create(slug="y", name="Y", kind="state"),
        role="funder",
        actor=a,
    ),
    "party_commitment_add": lambda p, a: services.party_commitment_add(
        party=p.party, kind="money", amount="1", actor=a
    ),
    "tranche_add": lambda p, a: services.tranche_add(
        commitment=p.commitment, due_on=dt.date(2025, 1, 1), amount="1", actor=a
    ),
    "tranche_set_status": lambda p, a: services.tranche_set_status(
        tranche=p.tranche, status="called", actor=a
    ),
    "party_commitment_deliver": lambda p, a: services.party_commitment_deliver(
        commitment=p.in_kind, delivered_on=dt.date(2024, 1, 1), actor=a
    ),
    "committee_create": lambda p, a: services.committee_create(
        organisation=p.world.organisation, slug="d", name={"fr": "D"}, actor=a
    ),
    "committee_member_add": lambda p, a: services.committee_member_add(
        committee=p.committee, name="N", actor=a
    ),
    "criterion_add": lambda p, a: services.criterion_add(
        committee=p.committee, title={"fr": "C"}, weight="1", actor=a
    ),
    "candidate_add": lambda p, a: services.candidate_add(
        committee=p.committee,
        project=services.Project.objects.create(
            organisation=p.world.organisation, code="Y", title="Y", sector="economy"
        ),
        actor=a,
    ),
    "score_record": lambda p, a: services.score_record(
        member=p.member, criterion=p.criterion, candidate=p.candidate, value="5", actor=a
    ),
    "committee_publish": lambda p, a: services.committee_publish(
        committee=p.committee, rationale={"fr": "R"}, actor=a
    ),
    "committee_unpublish": lambda p, a: services.committee_unpublish(
        committee=p.committee, actor=a
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("who", ["outsider", "area_outsider", "citizen_actor"])
def test_every_write_refuses_an_outsider_and_writes_nothing(plan, write, who, request, citizen):
    from jamaati.core.actors import Actor

    actor = Actor(user=citizen) if who == "citizen_actor" else request.getfixturevalue(who)
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        WRITES[write](plan, actor)
    assert AuditEvent.objects.count() == audit_rows


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_is_allowed_to_the_organisation_admin(plan, write, planner):
    WRITES[write](plan, planner)


def test_staff_reads_refuse_outsiders_with_a_404(plan, other_org_agent, other_area_agent, agent):
    for user in (other_org_agent, other_area_agent):
        with pytest.raises(Http404):
            selectors.project_get_for_staff(user=user, pk=plan.project.pk)
        assert not selectors.projects_for_staff(user=user).filter(pk=plan.project.pk).exists()
        with pytest.raises(Http404):
            selectors.organisation_get_for_planning(user=user, slug=plan.world.organisation.slug)
    project, membership = selectors.project_get_for_staff(user=agent, pk=plan.project.pk)
    assert project == plan.project and membership.user == agent
    assert selectors.projects_for_staff(user=agent).filter(pk=plan.project.pk).exists()


def test_the_dashboard_refuses_an_outsider(plan, other_org_agent, citizen):
    for user in (other_org_agent, citizen):
        with pytest.raises(PermissionDenied):
            selectors.dashboard(user=user, organisation=plan.world.organisation)


def test_unpublished_projects_are_not_public(plan, planner):
    services.project_update(project=plan.project, is_published=False, actor=planner)
    assert not selectors.projects_public().exists()
    with pytest.raises(Http404):
        selectors.project_get_public(
            organisation_slug=plan.world.organisation.slug, code=plan.project.code
        )


def test_staff_lists_of_plans_refuse_outsiders(plan, other_org_agent, org_admin, agent):
    organisation = plan.world.organisation
    for selector in (
        selectors.programmes_for_staff,
        selectors.conventions_for_staff,
        selectors.committees_for_staff,
    ):
        with pytest.raises(PermissionDenied):
            selector(user=other_org_agent, organisation=organisation)
        assert selector(user=agent, organisation=organisation).count() == 1
    with pytest.raises(PermissionDenied):
        selectors.convention_get_for_staff(
            user=other_org_agent, organisation=organisation, pk=plan.convention.pk
        )
    assert (
        selectors.committee_get_for_staff(
            user=org_admin, organisation=organisation, pk=plan.committee.pk
        )
        == plan.committee
    )
    with pytest.raises(Http404):
        selectors.project_timeline_for_staff(user=other_org_agent, pk=plan.project.pk)
    timeline = selectors.project_timeline_for_staff(user=agent, pk=plan.project.pk)
    assert [e.kind for e in timeline.events][:2] == ["created", "status_changed"]
