"""A steering committee's ranking: the weighted average of its members' scores.

For each candidate, score = Σ(weight × value) ÷ Σ(weight) over the scores given (every
member × criterion that was scored), computed in Decimal so that the ranking is exact and
the same on every database. Ties share a rank (1, 2, 2, 4). `completeness` says how many of
the expected scores (members × criteria) are in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jamaati.programmes.models import Candidate, Score, SteeringCommittee


@dataclass(frozen=True)
class RankedCandidate:
    rank: int | None  # None: not scored at all
    candidate: Candidate
    score: Decimal | None  # exact weighted average
    scores_given: int
    scores_expected: int

    @property
    def score_display(self) -> Decimal | None:
        if self.score is None:
            return None
        return self.score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def is_complete(self) -> bool:
        return self.scores_given >= self.scores_expected


def weighted_average(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ(weight × value) ÷ Σ(weight) for (value, weight) pairs; None for no pairs."""
    total_weight = sum((weight for _value, weight in pairs), Decimal(0))
    if not total_weight:
        return None
    return sum((value * weight for value, weight in pairs), Decimal(0)) / total_weight


def committee_ranking(committee: SteeringCommittee) -> list[RankedCandidate]:
    """The committee's candidates, best first, with their exact weighted average."""
    candidates = list(
        Candidate.objects.filter(committee=committee).select_related(
            "project", "project__organisation"
        )
    )
    expected = committee.members.count() * committee.criteria.count()
    pairs: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for candidate_id, value, weight in Score.objects.filter(
        candidate__committee=committee
    ).values_list("candidate_id", "value", "criterion__weight"):
        pairs[candidate_id].append((Decimal(value), Decimal(weight)))
    scored = [(weighted_average(pairs[c.pk]), c) for c in candidates]
    scored.sort(key=lambda item: (item[0] is None, -(item[0] or 0), item[1].project.code))
    ranking: list[RankedCandidate] = []
    previous: Decimal | None = None
    rank = 0
    for position, (score, candidate) in enumerate(scored, start=1):
        if score is not None and score != previous:
            rank = position
            previous = score
        ranking.append(
            RankedCandidate(
                rank=rank if score is not None else None,
                candidate=candidate,
                score=score,
                scores_given=len(pairs[candidate.pk]),
                scores_expected=expected,
            )
        )
    return ranking
