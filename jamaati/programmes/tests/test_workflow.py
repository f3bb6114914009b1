"""The project state machine: every allowed move works, every other one is refused."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError

from jamaati.programmes import services
from jamaati.programmes.models import ProjectEvent, ProjectStage, Status
from jamaati.programmes.workflow import ALLOWED_TRANSITIONS, can_transition

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(a, b) for a, b in itertools.product(Status.values, Status.values) if a != b]
FORBIDDEN = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED_TRANSITIONS[a]]


def _force(project, status, suspended_from=""):
    type(project).objects.filter(pk=project.pk).update(status=status, suspended_from=suspended_from)
    project.refresh_from_db()


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_every_forbidden_transition_is_refused_and_changes_nothing(
    project, works_agent, from_status, to_status
):
    _force(project, from_status, Status.WORKS if from_status == Status.SUSPENDED else "")
    events = ProjectEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.project_transition(
            project=project, to_status=to_status, actor=works_agent, note="why"
        )
    assert caught.value.error_dict["to_status"][0].code == "forbidden_transition"
    project.refresh_from_db()
    assert project.status == from_status
    assert ProjectEvent.objects.count() == events


def test_completed_and_cancelled_are_final():
    assert ALLOWED_TRANSITIONS[Status.COMPLETED] == frozenset()
    assert ALLOWED_TRANSITIONS[Status.CANCELLED] == frozenset()


def test_a_project_runs_through_its_stages_and_each_stage_is_dated(project, works_agent):
    days = iter(dt.date(2025, 1, d) for d in range(1, 10))
    for status in (
        Status.STUDIES,
        Status.TENDERING,
        Status.WORKS,
        Status.PROVISIONAL_RECEPTION,
        Status.COMPLETED,
    ):
        project = services.project_transition(
            project=project, to_status=status, actor=works_agent, on=next(days)
        )
    assert project.status == Status.COMPLETED
    assert project.actual_start == dt.date(2025, 1, 3)
    assert project.actual_end == dt.date(2025, 1, 5)
    works = ProjectStage.objects.get(project=project, stage=Status.WORKS)
    assert (works.actual_start, works.actual_end) == (dt.date(2025, 1, 3), dt.date(2025, 1, 4))
    history = list(
        ProjectEvent.objects.filter(project=project, kind="status_changed").values_list(
            "from_status", "to_status"
        )
    )
    assert history[0] == (Status.IDENTIFICATION, Status.STUDIES)
    assert history[-1] == (Status.PROVISIONAL_RECEPTION, Status.COMPLETED)


def test_a_suspended_project_resumes_only_at_the_stage_it_left(project, works_agent):
    for status in (Status.STUDIES, Status.TENDERING, Status.WORKS):
        services.project_transition(project=project, to_status=status, actor=works_agent)
    project = services.project_transition(
        project=project, to_status=Status.SUSPENDED, actor=works_agent, note="Intempéries"
    )
    assert project.suspended_from == Status.WORKS
    for elsewhere in (Status.STUDIES, Status.TENDERING, Status.PROVISIONAL_RECEPTION):
        with pytest.raises(ValidationError):
            services.project_transition(project=project, to_status=elsewhere, actor=works_agent)
    project = services.project_transition(
        project=project, to_status=Status.WORKS, actor=works_agent
    )
    assert (project.status, project.suspended_from) == (Status.WORKS, "")


def test_suspending_or_cancelling_needs_a_reason(project, works_agent):
    with pytest.raises(ValidationError) as caught:
        services.project_transition(project=project, to_status=Status.CANCELLED, actor=works_agent)
    assert "note" in caught.value.error_dict


def test_can_transition_follows_the_table_and_the_stage_left():
    assert can_transition(Status.WORKS, Status.PROVISIONAL_RECEPTION)
    assert not can_transition(Status.WORKS, Status.COMPLETED)
    assert can_transition(Status.SUSPENDED, Status.TENDERING, suspended_from=Status.TENDERING)
    assert not can_transition(Status.SUSPENDED, Status.WORKS, suspended_from=Status.TENDERING)
    assert can_transition(Status.SUSPENDED, Status.CANCELLED, suspended_from=Status.WORKS)


def test_an_unsuccessful_tender_sends_the_project_back_to_open_studies(project, works_agent):
    services.project_transition(
        project=project, to_status=Status.STUDIES, actor=works_agent, on=dt.date(2025, 1, 1)
    )
    services.project_transition(
        project=project, to_status=Status.TENDERING, actor=works_agent, on=dt.date(2025, 3, 1)
    )
    project = services.project_transition(
        project=project,
        to_status=Status.STUDIES,
        actor=works_agent,
        note="Appel d'offres infructueux",
        on=dt.date(2025, 5, 1),
    )
    studies = ProjectStage.objects.get(project=project, stage=Status.STUDIES)
    assert (studies.actual_start, studies.actual_end) == (dt.date(2025, 1, 1), None)
    assert project.status == Status.STUDIES
