"""The services: what they write (rows, history, audit), what they refuse, and to whom."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from jamaati.audit.models import AuditEvent
from jamaati.programmes import services
from jamaati.programmes.models import (
    EventKind,
    FundingCommitment,
    Milestone,
    Project,
    ProjectEvent,
    ProjectPhoto,
    ProjectTransaction,
    Sector,
    Status,
    Tranche,
    TrancheStatus,
    TransactionKind,
)

pytestmark = pytest.mark.django_db

SQUARE = (
    '{"type":"Polygon","coordinates":[[[-5.38,35.56],[-5.36,35.56],[-5.36,35.58],'
    "[-5.38,35.58],[-5.38,35.56]]]}"
)
BOWTIE = '{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}'


def _jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "site.jpg"
    return buffer


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_creating_a_project_writes_its_history_and_an_audit_row(project, org_admin_membership):
    assert project.territory == project.territories.get()
    assert project.total_cost == Decimal("1000000.00")
    event = ProjectEvent.objects.get(project=project)
    assert (event.kind, event.to_status) == (EventKind.CREATED, Status.IDENTIFICATION)
    audit = AuditEvent.objects.get(target_type="programmes.project", target_id=str(project.pk))
    assert audit.membership == org_admin_membership
    assert audit.changes["total_cost"] == "1000000.00"


def test_a_project_in_several_communes_is_placed_in_their_province(world, planner):
    world.organisation.territories.add(world.other_commune)
    project = services.project_create(
        organisation=world.organisation,
        code="PAC-02",
        title={"fr": "Route rurale"},
        sector=Sector.ROADS,
        territories=[world.commune, world.other_commune],
        actor=planner,
    )
    assert project.territory == world.province


def test_an_outline_is_checked_and_gives_the_point(world, planner):
    project = services.project_create(
        organisation=world.organisation,
        code="PAC-03",
        title={"fr": "Parc urbain"},
        sector=Sector.CULTURE,
        territories=[world.commune],
        geometry=SQUARE,
        actor=planner,
    )
    assert 35.56 < project.latitude < 35.58 and -5.38 < project.longitude < -5.36
    with pytest.raises(ValidationError) as caught:
        services.project_update(project=project, geometry=BOWTIE, actor=planner)
    assert caught.value.error_dict["geometry"][0].code == "invalid_polygon"
    with pytest.raises(ValidationError):
        services.project_update(
            project=project, geometry='{"type":"Point","coordinates":[0,0]}', actor=planner
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": {"en": "Only English"}}, "title"),
        ({"territories": []}, "territories"),
        ({"latitude": 35.5, "longitude": None}, "location"),
        ({"total_cost": "-1"}, "total_cost"),
        ({"planned_start": dt.date(2025, 1, 1), "planned_end": dt.date(2024, 1, 1)}, "planned_end"),
    ],
)
def test_bad_project_input_is_refused_by_field_and_nothing_is_written(
    world, planner, changes, field
):
    arguments = {
        "organisation": world.organisation,
        "code": "BAD-1",
        "title": {"ar": "مشروع"},
        "sector": Sector.ROADS,
        "territories": [world.commune],
        "actor": planner,
    } | changes
    with pytest.raises(ValidationError) as caught:
        services.project_create(**arguments)
    assert field in caught.value.error_dict
    assert not Project.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_project_outside_the_organisation_territory_is_refused(world, planner):
    with pytest.raises(ValidationError) as caught:
        services.project_create(
            organisation=world.organisation,
            code="OUT-1",
            title={"fr": "Ailleurs"},
            sector=Sector.ROADS,
            territories=[world.other_commune],
            actor=planner,
        )
    assert caught.value.error_dict["territories"][0].code == "outside"


def test_progress_is_the_latest_dated_update_and_a_photo_is_cleaned(project, works_agent):
    services.project_transition(project=project, to_status=Status.STUDIES, actor=works_agent)
    services.project_progress_record(
        project=project, physical_progress="40", as_of=dt.date(2025, 3, 1), actor=works_agent
    )
    update = services.project_progress_record(
        project=project,
        physical_progress=Decimal("35.5"),
        as_of=dt.date(2025, 2, 1),
        actor=works_agent,
        photo=_jpeg(),
        photo_latitude=35.571,
        photo_longitude=-5.371,
        caption="Chantier",
    )
    project.refresh_from_db()
    assert project.physical_progress == Decimal("40.00")  # the back-dated update is history
    photo = ProjectPhoto.objects.get(progress_update=update)
    assert photo.taken_on == dt.date(2025, 2, 1)
    assert photo.file.name.endswith(".jpg") and "site" not in photo.file.name
    assert (
        ProjectEvent.objects.filter(project=project, kind=EventKind.PROGRESS_RECORDED).count() == 2
    )


@pytest.mark.parametrize("value", ["-1", "100.01", "abc"])
def test_progress_outside_zero_to_hundred_is_refused(project, works_agent, value):
    services.project_transition(project=project, to_status=Status.STUDIES, actor=works_agent)
    with pytest.raises(ValidationError):
        services.project_progress_record(
            project=project, physical_progress=value, actor=works_agent
        )
    project.refresh_from_db()
    assert project.physical_progress == Decimal("0.00")


def test_a_disbursement_needs_its_funder_and_amounts_stay_exact(project, works_agent, undp):
    with pytest.raises(ValidationError) as caught:
        services.transaction_record(
            project=project,
            kind=TransactionKind.DISBURSEMENT,
            date=dt.date(2025, 1, 10),
            amount="100",
            actor=works_agent,
        )
    assert "partner" in caught.value.error_dict
    for _ in range(3):
        services.transaction_record(
            project=project,
            kind=TransactionKind.EXPENDITURE,
            date=dt.date(2025, 1, 10),
            amount="0.10",
            actor=works_agent,
        )
    amounts = list(ProjectTransaction.objects.values_list("amount", flat=True))
    assert sum(amounts) == Decimal("0.30")
    with pytest.raises(TypeError):
        services.transaction_record(
            project=project,
            kind=TransactionKind.EXPENDITURE,
            date=dt.date(2025, 1, 10),
            amount=0.1,
            actor=works_agent,
        )


def test_a_transaction_reference_is_recorded_once(project, works_agent):
    kwargs = {
        "project": project,
        "kind": TransactionKind.EXPENDITURE,
        "date": dt.date(2025, 1, 10),
        "amount": "5000",
        "reference": "OP-2025-001",
        "actor": works_agent,
    }
    services.transaction_record(**kwargs)
    with pytest.raises(ValidationError) as caught:
        services.transaction_record(**kwargs)
    assert caught.value.error_dict["reference"][0].code == "duplicate"


def test_a_funding_line_is_set_once_per_partner_and_updated_in_place(project, planner, undp):
    services.funding_commit(project=project, partner=undp, amount="300000", actor=planner)
    services.funding_commit(project=project, partner=undp, amount="350000.50", actor=planner)
    assert FundingCommitment.objects.get().amount == Decimal("350000.50")
    assert AuditEvent.objects.filter(target_type="programmes.fundingcommitment").count() == 2


def test_tranches_must_add_up_to_the_money_promised(world, planner, undp, project):
    convention = services.convention_create(
        organisation=world.organisation,
        reference="CONV-1",
        title={"fr": "Ville intelligente"},
        signed_on=dt.date(2024, 4, 23),
        duration_months=36,
        projects=[project],
        actor=planner,
    )
    party = services.convention_party_add(
        convention=convention, partner=undp, role="funder", actor=planner
    )
    with pytest.raises(ValidationError):
        services.party_commitment_add(
            party=party,
            kind="money",
            amount="1000000",
            tranches=[(dt.date(2024, 6, 1), "400000"), (dt.date(2025, 6, 1), "500000")],
            actor=planner,
        )
    commitment = services.party_commitment_add(
        party=party,
        kind="money",
        amount="1000000",
        tranches=[(dt.date(2024, 6, 1), "400000"), (dt.date(2025, 6, 1), "600000")],
        actor=planner,
    )
    first = commitment.tranches.order_by("due_on").first()
    with pytest.raises(ValidationError):
        services.tranche_set_status(tranche=first, status=TrancheStatus.PAID, actor=planner)
    services.tranche_set_status(
        tranche=first, status=TrancheStatus.PAID, paid_on=dt.date(2024, 6, 20), actor=planner
    )
    with pytest.raises(ValidationError):
        services.tranche_add(
            commitment=commitment, due_on=dt.date(2026, 1, 1), amount="1", actor=planner
        )
    assert Tranche.objects.filter(status=TrancheStatus.PAID).count() == 1
    in_kind = services.party_commitment_add(
        party=party, kind="technical", description="Expertise", actor=planner
    )
    services.party_commitment_deliver(
        commitment=in_kind, delivered_on=dt.date(2024, 9, 1), actor=planner
    )


def test_an_agent_may_act_on_works_but_not_change_the_plan(project, works_agent, undp):
    with pytest.raises(PermissionDenied):
        services.funding_commit(project=project, partner=undp, amount="1", actor=works_agent)
    with pytest.raises(PermissionDenied):
        services.project_update(project=project, total_cost="2", actor=works_agent)


def test_a_milestone_is_late_until_met(project, works_agent):
    milestone = services.milestone_create(
        project=project,
        title={"fr": "Ordre de service"},
        planned_date=dt.date(2024, 1, 1),
        actor=works_agent,
    )
    assert Milestone.objects.late(today=dt.date(2024, 1, 2)).get() == milestone
    services.milestone_reach(
        milestone=milestone, actual_date=dt.date(2024, 1, 5), actor=works_agent
    )
    assert not Milestone.objects.late(today=dt.date(2024, 1, 2)).exists()
