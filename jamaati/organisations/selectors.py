"""Every read of organisations, and the scoping of staff by organisation, territory and role."""

from __future__ import annotations

from django.db.models import QuerySet

from jamaati.organisations.models import Organisation


def organisation_list_public() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).select_related("kind", "seat").order_by("kind__slug", "slug")


def organisation_get_public(*, slug: str) -> Organisation:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(organisation_list_public(), slug=slug)
