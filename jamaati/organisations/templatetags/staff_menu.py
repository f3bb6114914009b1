"""The staff links of the header: the staff area for staff, the audit log for admins."""

from __future__ import annotations

from django import template

from jamaati.organisations import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_menu(context: template.Context) -> dict[str, bool]:
    """Which staff links the signed-in user gets; one query, once per request, for staff only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"staff_area": False, "audit_log": False}
    cached = getattr(request, "_jamaati_staff_menu", None)
    if cached is None:
        cached = {
            "staff_area": True,
            "audit_log": permissions.is_organisation_admin_anywhere(user),
        }
        request._jamaati_staff_menu = cached
    return cached
