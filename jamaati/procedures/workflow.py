"""The application state machine: which status may follow which, and who moves it.

draft → submitted                                   (the applicant, or an agent at the counter)
submitted → in_instruction | completion_requested | refused
in_instruction → completion_requested | opinions_requested | approved | refused
completion_requested → in_instruction               (the applicant completes; the clock resumes)
completion_requested → refused                      (staff, when nothing came back)
opinions_requested → in_instruction | completion_requested | approved | refused
submitted | in_instruction | opinions_requested → approved   (by silence, the scheduled task)
any open status → withdrawn                         (the applicant)

Several moves need their own service because they carry more than a status (see
NEEDS_OWN_SERVICE): asking for a completion names what is missing, asking for opinions names
the reviewers, a decision carries its reasons.
"""

from __future__ import annotations

from jamaati.procedures.models import Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset(
        {
            Status.IN_INSTRUCTION,
            Status.COMPLETION_REQUESTED,
            Status.APPROVED,
            Status.REFUSED,
            Status.WITHDRAWN,
        }
    ),
    Status.IN_INSTRUCTION: frozenset(
        {
            Status.COMPLETION_REQUESTED,
            Status.OPINIONS_REQUESTED,
            Status.APPROVED,
            Status.REFUSED,
            Status.WITHDRAWN,
        }
    ),
    Status.COMPLETION_REQUESTED: frozenset(
        {Status.IN_INSTRUCTION, Status.REFUSED, Status.WITHDRAWN}
    ),
    Status.OPINIONS_REQUESTED: frozenset(
        {
            Status.IN_INSTRUCTION,
            Status.COMPLETION_REQUESTED,
            Status.APPROVED,
            Status.REFUSED,
            Status.WITHDRAWN,
        }
    ),
    Status.APPROVED: frozenset(),
    Status.REFUSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# Who makes each move. "applicant": the citizen (or the agent filing for them at the counter);
# "staff": an instructor of the responsible department; "system": the scheduled tacit approval.
APPLICANT_MOVES = frozenset(
    {
        (Status.DRAFT, Status.SUBMITTED),
        (Status.COMPLETION_REQUESTED, Status.IN_INSTRUCTION),
        (Status.SUBMITTED, Status.WITHDRAWN),
        (Status.IN_INSTRUCTION, Status.WITHDRAWN),
        (Status.COMPLETION_REQUESTED, Status.WITHDRAWN),
        (Status.OPINIONS_REQUESTED, Status.WITHDRAWN),
    }
)
# Approval by silence: only while the clock runs (never while waiting for the applicant).
TACIT_APPROVAL_FROM = frozenset(
    {Status.SUBMITTED, Status.IN_INSTRUCTION, Status.OPINIONS_REQUESTED}
)

# Moves the generic staff transition refuses: each has its own service.
NEEDS_OWN_SERVICE = frozenset(
    {
        Status.SUBMITTED,  # application_submit
        Status.COMPLETION_REQUESTED,  # application_request_completion
        Status.OPINIONS_REQUESTED,  # application_request_opinions
        Status.APPROVED,  # application_decide
        Status.REFUSED,  # application_decide
        Status.WITHDRAWN,  # application_withdraw
    }
)


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def is_applicant_move(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in APPLICANT_MOVES


def is_staff_move(from_status: str, to_status: str) -> bool:
    return can_transition(from_status, to_status) and not is_applicant_move(from_status, to_status)
