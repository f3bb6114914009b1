"""Small display helpers of the e-services pages (status badges, money, working days)."""

from __future__ import annotations

from django import template

from jamaati.procedures.models import Status

register = template.Library()

BADGES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.IN_INSTRUCTION: "text-bg-info",
    Status.COMPLETION_REQUESTED: "text-bg-warning",
    Status.OPINIONS_REQUESTED: "text-bg-info",
    Status.APPROVED: "text-bg-success",
    Status.REFUSED: "text-bg-danger",
    Status.WITHDRAWN: "text-bg-light border",
}


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge classes of an application status."""
    return BADGES.get(status, "text-bg-secondary")


@register.filter
def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status
