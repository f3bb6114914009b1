"""The project state machine: which status may follow which.

identification → studies → tendering → works → provisional reception → completed

- Every stage may also go back one step (a tender declared unsuccessful sends the project
  back to studies; a reception refused sends it back to works), and skip forward only where
  the law allows it: a project carried out by the organisation's own means (en régie) goes
  from studies straight to works, with no tender.
- Any stage before completion may be suspended; a suspended project resumes only to the
  stage it left (`Project.suspended_from`), or is cancelled.
- Any stage before completion may be cancelled. Completed and cancelled are final.
"""

from __future__ import annotations

from jamaati.programmes.models import ACTIVE_STATUSES, Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.IDENTIFICATION: frozenset({Status.STUDIES, Status.SUSPENDED, Status.CANCELLED}),
    Status.STUDIES: frozenset(
        {
            Status.IDENTIFICATION,
            Status.TENDERING,
            Status.WORKS,
            Status.SUSPENDED,
            Status.CANCELLED,
        }
    ),
    Status.TENDERING: frozenset({Status.STUDIES, Status.WORKS, Status.SUSPENDED, Status.CANCELLED}),
    Status.WORKS: frozenset({Status.PROVISIONAL_RECEPTION, Status.SUSPENDED, Status.CANCELLED}),
    Status.PROVISIONAL_RECEPTION: frozenset(
        {Status.WORKS, Status.COMPLETED, Status.SUSPENDED, Status.CANCELLED}
    ),
    # Resuming goes back to the stage the project left (checked against suspended_from).
    Status.SUSPENDED: frozenset(set(ACTIVE_STATUSES) | {Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
}

FINAL_STATUSES = frozenset({Status.COMPLETED, Status.CANCELLED})


def can_transition(from_status: str, to_status: str, *, suspended_from: str = "") -> bool:
    """Whether a project may go from `from_status` to `to_status`."""
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, frozenset()):
        return False
    if from_status == Status.SUSPENDED and to_status != Status.CANCELLED:
        return to_status == suspended_from
    return True
