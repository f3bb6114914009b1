"""The committee's ranking: exact weighted averages, shared ranks, publication."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jamaati.programmes import selectors, services
from jamaati.programmes.scoring import committee_ranking, weighted_average
from jamaati.programmes.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(world, planner, undp):
    committee = services.committee_create(
        organisation=world.organisation,
        slug="smart-city",
        name={"fr": "Comité ville intelligente", "ar": "لجنة المدينة الذكية"},
        actor=planner,
    )
    members = [
        services.committee_member_add(committee=committee, name=name, actor=planner)
        for name in ("Président", "PNUD")
    ]
    impact = services.criterion_add(
        committee=committee, title={"fr": "Impact"}, weight="3", actor=planner
    )
    cost = services.criterion_add(
        committee=committee, title={"fr": "Coût"}, weight="1", actor=planner
    )
    candidates = [
        services.candidate_add(
            committee=committee,
            project=ProjectFactory(organisation=world.organisation, code=code),
            actor=planner,
        )
        for code in ("A", "B", "C", "D")
    ]
    return committee, members, (impact, cost), candidates


def _score(planner, member, criterion, candidate, value):
    services.score_record(
        member=member, criterion=criterion, candidate=candidate, value=value, actor=planner
    )


def test_the_ranking_is_the_exact_weighted_average_of_all_scores(committee, planner):
    committee, (m1, m2), (impact, cost), (a, b, c, _d) = committee
    # A: impact 8 and 6, cost 4 and 2 → (3×8 + 3×6 + 4 + 2) / 8 = 6
    for member, i, k in ((m1, 8, 4), (m2, 6, 2)):
        _score(planner, member, impact, a, i)
        _score(planner, member, cost, a, k)
    # B: impact 7, cost 10 (one member) → (21 + 10) / 4 = 7.75
    _score(planner, m1, impact, b, 7)
    _score(planner, m1, cost, b, 10)
    # C: one third-precision score: impact 5, 5, cost 6.5 → (15 + 15 + 6.5) / 7 = 5.2142857…
    _score(planner, m1, impact, c, 5)
    _score(planner, m2, impact, c, 5)
    _score(planner, m1, cost, c, "6.5")
    ranking = committee_ranking(committee)
    assert [(r.rank, r.candidate.project.code) for r in ranking] == [
        (1, "B"),
        (2, "A"),
        (3, "C"),
        (None, "D"),
    ]
    assert ranking[0].score == Decimal("7.75")
    assert ranking[1].score == Decimal("6")
    assert ranking[2].score == Decimal("36.5") / Decimal("7")
    assert ranking[2].score_display == Decimal("5.21")
    assert (ranking[1].scores_given, ranking[1].scores_expected, ranking[1].is_complete) == (
        4,
        4,
        True,
    )
    assert not ranking[0].is_complete


def test_equal_scores_share_a_rank(committee, planner):
    committee, (m1, _m2), (impact, _cost), (a, b, c, _d) = committee
    for candidate, value in ((a, 9), (b, 9), (c, 4)):
        _score(planner, m1, impact, candidate, value)
    assert [r.rank for r in committee_ranking(committee)][:3] == [1, 1, 3]


def test_a_score_outside_the_scale_is_refused_and_a_second_score_corrects_the_first(
    committee, planner
):
    committee, (m1, _m2), (impact, _cost), (a, *_rest) = committee
    with pytest.raises(ValidationError):
        _score(planner, m1, impact, a, 11)
    _score(planner, m1, impact, a, 3)
    _score(planner, m1, impact, a, 4)
    assert committee_ranking(committee)[0].score == Decimal("4")


def test_a_member_scores_with_their_own_account(committee, planner, citizen):
    committee, (m1, _m2), (impact, _cost), (a, *_rest) = committee
    m1.user = citizen
    m1.save()
    from jamaati.core.actors import Actor

    services.score_record(
        member=m1, criterion=impact, candidate=a, value=6, actor=Actor(user=citizen)
    )


def test_the_published_ranking_is_public_and_closes_scoring(committee, planner, world):
    committee, (m1, _m2), (impact, _cost), (a, *_rest) = committee
    with pytest.raises(ValidationError):
        services.committee_publish(committee=committee, rationale={"fr": "R"}, actor=planner)
    _score(planner, m1, impact, a, 6)
    services.committee_publish(
        committee=committee,
        rationale={"fr": "Priorité à l'impact", "ar": "الأولوية للأثر"},
        candidate_rationales={a.pk: {"fr": "Fort impact"}},
        actor=planner,
    )
    public = selectors.committee_get_public(
        organisation_slug=world.organisation.slug, slug=committee.slug
    )
    assert public.rationale_fr == "Priorité à l'impact"
    with pytest.raises(ValidationError):
        _score(planner, m1, impact, a, 7)


def test_weighted_average_of_nothing_is_none():
    assert weighted_average([]) is None
