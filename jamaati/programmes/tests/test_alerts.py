"""Alerts: a late milestone, spending ahead of works, works ahead of spending (beyond the gap)."""

import datetime as dt
from decimal import Decimal

import pytest

from jamaati.programmes import alerts
from jamaati.programmes.alerts import AlertKind, alerting, project_alerts, with_alerts
from jamaati.programmes.models import Project, Status
from jamaati.programmes.tests.factories import MilestoneFactory, ProjectFactory, TransactionFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def works(world):
    return ProjectFactory(
        organisation=world.organisation,
        territories=[world.commune],
        status=Status.WORKS,
        total_cost=Decimal("1000000.00"),
        physical_progress=Decimal("30.00"),
    )


def _kinds(project):
    return {alert.kind for alert in project_alerts(project, today=TODAY)}


def _flags(project):
    row = with_alerts(Project.objects.filter(pk=project.pk), today=TODAY).get()
    return row.has_late_milestone, row.spending_ahead, row.works_ahead


def test_the_default_gap_is_fifteen_points_and_a_setting_changes_it(settings):
    assert alerts.progress_gap() == Decimal("15")
    settings.PROGRAMMES_PROGRESS_GAP = 10
    assert alerts.progress_gap() == Decimal("10")


def test_a_milestone_past_its_date_without_an_actual_date_is_late(works):
    Project.objects.filter(pk=works.pk).update(physical_progress=Decimal("10"))
    works.refresh_from_db()
    MilestoneFactory(project=works, planned_date=dt.date(2025, 5, 31))
    MilestoneFactory(project=works, planned_date=dt.date(2025, 6, 1))  # due today: not late
    MilestoneFactory(
        project=works, planned_date=dt.date(2025, 1, 1), actual_date=dt.date(2025, 1, 3)
    )
    assert _kinds(works) == {AlertKind.LATE_MILESTONE}
    assert len(project_alerts(works, today=TODAY)) == 1
    assert _flags(works) == (True, False, False)


def test_spending_just_at_the_gap_is_no_alert_and_one_centime_more_is(works):
    # 30 % physical; 45 % spent is exactly 15 points: allowed.
    TransactionFactory(project=works, amount=Decimal("450000.00"))
    assert _kinds(works) == set()
    assert _flags(works) == (False, False, False)
    TransactionFactory(project=works, amount=Decimal("0.01"))
    assert _kinds(works) == {AlertKind.SPENDING_AHEAD}
    assert _flags(works) == (False, True, False)


def test_works_far_ahead_of_spending_is_an_alert(works):
    TransactionFactory(project=works, amount=Decimal("149999.99"))  # 15.000001 % spent
    assert _kinds(works) == {AlertKind.WORKS_AHEAD}
    assert _flags(works) == (False, False, True)


def test_disbursements_are_not_spending(works, undp):
    TransactionFactory(project=works, kind="disbursement", partner=undp, amount=Decimal("900000"))
    assert AlertKind.SPENDING_AHEAD not in _kinds(works)


def test_no_gap_alert_at_identification_or_without_a_cost(world):
    for status, cost in ((Status.IDENTIFICATION, Decimal("100")), (Status.WORKS, Decimal("0"))):
        project = ProjectFactory(organisation=world.organisation, status=status, total_cost=cost)
        TransactionFactory(project=project, amount=Decimal("100"))
        assert _kinds(project) == set()
        assert _flags(project) == (False, False, False)


def test_alerting_lists_only_projects_with_an_alert(world, works):
    quiet = ProjectFactory(organisation=world.organisation, physical_progress=Decimal("10"))
    TransactionFactory(project=quiet, amount=Decimal("100000"))  # 10 % spent, 10 % done
    MilestoneFactory(project=works, planned_date=dt.date(2025, 1, 1))
    assert list(alerting(Project.objects.all(), today=TODAY)) == [works]
