"""The service request state machine: which status may follow which, and who may move it.

new → acknowledged → in progress → resolved → closed
new / acknowledged / in progress → rejected (with a reason) → closed
new / acknowledged / in progress → duplicate (of another request) → closed
resolved / closed → in progress: the citizen reopens, within REOPEN_DAYS of resolution
"""

from __future__ import annotations

from jamaati.servicerequests.models import Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(
        {
            Status.ACKNOWLEDGED,
            Status.IN_PROGRESS,
            Status.RESOLVED,
            Status.REJECTED,
            Status.DUPLICATE,
        }
    ),
    Status.ACKNOWLEDGED: frozenset(
        {Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED, Status.DUPLICATE}
    ),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.REJECTED, Status.DUPLICATE}),
    Status.RESOLVED: frozenset({Status.CLOSED}),
    Status.REJECTED: frozenset({Status.CLOSED}),
    Status.DUPLICATE: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# Reopening is the citizen's move, not staff's: kept apart from the staff table above.
REOPENABLE = frozenset({Status.RESOLVED, Status.CLOSED})

# Statuses the staff transition service refuses because they need their own service
# (duplicate needs the original request; see servicerequest_merge).
NEEDS_OWN_SERVICE = frozenset({Status.DUPLICATE})


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def open311_status(status: str) -> str:
    """Open311 knows only open and closed."""
    return "open" if status in (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS) else "closed"
