"""The Django admin site of Jamaati: every add, change and delete made in it is audited.

The site wraps every ModelAdmin registered on it (ours, Django's, third-party
ones) with `AuditedModelAdminMixin`, so no admin can be added that forgets the
audit log. It is installed through `jamaati.audit.apps.AuditedAdminConfig`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jamaati.core.actors import Actor

# Field names whose values never go into the log, only the fact that they changed.
SENSITIVE_FIELD_MARKERS = ("password", "secret", "token", "hash", "otp", "key")
_FIELD_CHANGES_ATTRIBUTE = "_jamaati_audit_field_changes"
VALUE_MAX_LENGTH = 500


def _is_sensitive(field_name: str) -> bool:
    return any(marker in field_name.lower() for marker in SENSITIVE_FIELD_MARKERS)


def _plain(value: Any) -> Any:
    """A JSON-friendly, bounded rendering of a form value."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    try:
        rendered = DjangoJSONEncoder().default(value)
    except TypeError:
        rendered = str(value)
    return str(rendered)[:VALUE_MAX_LENGTH]


def _organisation_of(obj: models.Model) -> Any:
    from jamaati.organisations.models import Organisation

    if isinstance(obj, Organisation):
        return obj
    organisation = getattr(obj, "organisation", None)
    return organisation if isinstance(organisation, Organisation) else None


def admin_actor(request: HttpRequest, obj: models.Model) -> tuple[Actor, Any]:
    """The actor of an admin action and the organisation the object belongs to."""
    from jamaati.organisations.models import Membership

    organisation = _organisation_of(obj)
    membership = None
    if organisation is not None and request.user.is_authenticated:
        membership = (
            Membership.objects.active()
            .filter(user=request.user, organisation=organisation)
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
    return Actor.from_request(request, membership=membership), organisation


class AuditedModelAdminMixin:
    """Write one audit row for each object added, changed or deleted through the admin."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        field_changes: dict[str, Any] = {}
        for name in form.changed_data:
            if _is_sensitive(name):
                field_changes[name] = {"changed": True}
                continue
            field_changes[name] = {
                "from": None if add else _plain(form.initial.get(name)),
                "to": _plain(form.cleaned_data.get(name)),
            }
        setattr(request, _FIELD_CHANGES_ATTRIBUTE, field_changes)
        return message

    def _audit(self, request, obj, action: str, message: Any = None) -> None:
        from jamaati.audit.services import audit_record

        actor, organisation = admin_actor(request, obj)
        changes: dict[str, Any] = {"via": "admin"}
        field_changes = getattr(request, _FIELD_CHANGES_ATTRIBUTE, None)
        if field_changes:
            changes["fields"] = field_changes
        if message:
            changes["message"] = message
        audit_record(
            actor=actor, action=action, target=obj, changes=changes, organisation=organisation
        )

    def log_addition(self, request, obj, message):
        from jamaati.audit.models import AuditEvent

        self._audit(request, obj, AuditEvent.Action.CREATE, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        from jamaati.audit.models import AuditEvent

        self._audit(request, obj, AuditEvent.Action.UPDATE, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        from jamaati.audit.models import AuditEvent

        for obj in queryset:
            self._audit(request, obj, AuditEvent.Action.DELETE)
        return super().log_deletions(request, queryset)


class AuditedAdminSite(admin.AdminSite):
    site_header = _("Jamaati administration")
    site_title = _("Jamaati administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = audited_admin_class(admin_class or admin.ModelAdmin)
        return super().register(model_or_iterable, admin_class, **options)


def audited_admin_class(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """Return `admin_class` itself if it is audited, else an audited subclass of it."""
    if issubclass(admin_class, AuditedModelAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (AuditedModelAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
    )
