"""The forms of the staff workspace for service requests: they check input, the services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaati.organisations.forms import StaffForm
from jamaati.servicerequests import selectors_staff
from jamaati.servicerequests.models import OPEN_STATUSES, ServiceRequest, Status
from jamaati.servicerequests.workflow import ALLOWED_TRANSITIONS, NEEDS_OWN_SERVICE

STATUS_OPEN = ""
STATUS_ANY = "all"
BULK_MAX_ROWS = 100
BODY_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000


class _AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_level_display()})"


class _CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.organisation.name}"


class _DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.organisation.name}"


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class _WorkspaceForm(StaffForm):
    """Several forms share one page: each gets its own id prefix so labels point at the right field."""

    id_prefix = "sr"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class QueueFilterForm(_WorkspaceForm):
    """The queue's filters, read from the query string; every choice is within the user's scope."""

    id_prefix = "filter"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(STATUS_OPEN, _("Open")), (STATUS_ANY, _("Any status")), *Status.choices],
    )
    category = _CategoryChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("Any category")
    )
    department = _DepartmentChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("Any department")
    )
    area = _AreaChoiceField(
        label=_("Commune or arrondissement"),
        queryset=None,
        required=False,
        empty_label=_("Everywhere I work"),
    )
    since = forms.DateField(
        label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Reported until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors_staff.staff_filter_categories(user=user)
        self.fields["department"].queryset = selectors_staff.staff_filter_departments(user=user)
        self.fields["area"].queryset = selectors_staff.staff_filter_areas(user=user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    @staticmethod
    def _start_of(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    def queue_filters(self) -> dict[str, Any]:
        """The arguments of `selectors.staff_queue`; open requests when nothing was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status", STATUS_OPEN)
        if status == STATUS_OPEN:
            statuses = [str(s) for s in OPEN_STATUSES]
        elif status == STATUS_ANY:
            statuses = None
        else:
            statuses = [status]
        since, until = data.get("since"), data.get("until")
        return {
            "statuses": statuses,
            "category_id": data["category"].pk if data.get("category") else None,
            "department_id": data["department"].pk if data.get("department") else None,
            "overdue": bool(data.get("overdue")),
            "territory": data.get("area"),
            "since": self._start_of(since) if since else None,
            "until": self._start_of(until + dt.timedelta(days=1)) if until else None,
        }


class _IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError):
            raise ValidationError(_("The selection is not valid."), code="invalid") from None
        return list(dict.fromkeys(ids))

    def validate(self, value: list[int]) -> None:
        super().validate(value)
        if len(value) > BULK_MAX_ROWS:
            raise ValidationError(
                _("Select at most %(max)d requests at a time.") % {"max": BULK_MAX_ROWS},
                code="too_many",
            )


class BulkActionForm(_WorkspaceForm):
    id_prefix = "bulk"

    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"

    action = forms.ChoiceField(
        label=_("With the selected requests"),
        choices=[(ACKNOWLEDGE, _("Acknowledge")), (ASSIGN, _("Assign to"))],
    )
    assignee = _PersonChoiceField(
        label=_("Agent"), queryset=None, required=False, empty_label=_("Choose an agent")
    )
    selected = _IdListField(
        label=_("Selected requests"),
        error_messages={"required": _("Select at least one request.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors_staff.staff_assignees(user=user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("assignee"):
            self.add_error("assignee", _("Choose the agent to assign the requests to."))
        return data


class TransitionForm(_WorkspaceForm):
    """The statuses offered are the allowed next ones; any other is left to the service to refuse."""

    id_prefix = "status"

    to_status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Note for the citizen"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        help_text=_("Shown on the public timeline and sent to the citizen."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_("Required when the request is rejected; the citizen sees it."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def __init__(self, *args, service_request: ServiceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed_next_statuses(service_request)
        self.fields["to_status"].widget.choices = [
            (value, label) for value, label in Status.choices if value in self.allowed
        ]


def allowed_next_statuses(service_request: ServiceRequest) -> list[str]:
    """The statuses staff may move this request to from this page (a duplicate is a merge)."""
    allowed = ALLOWED_TRANSITIONS.get(service_request.status, frozenset()) - NEEDS_OWN_SERVICE
    return [value for value in Status.values if value in allowed]


class AssignForm(_WorkspaceForm):
    id_prefix = "assign"

    assignee = _PersonChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, service_request: ServiceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors_staff.servicerequest_assignees(
            service_request=service_request
        )


class CommentForm(_WorkspaceForm):
    id_prefix = "comment"

    PUBLIC = "public"
    INTERNAL = "internal"

    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=[
            (INTERNAL, _("Internal note: staff only")),
            (PUBLIC, _("Public update: shown to the citizen, who is notified")),
        ],
        initial=INTERNAL,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    @property
    def is_public(self) -> bool:
        return self.cleaned_data.get("visibility") == self.PUBLIC


class _OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.kind.name})"


class _DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.organisation.name} · {obj.name}"


class TransferForm(_WorkspaceForm):
    id_prefix = "transfer"

    to_organisation = _OrganisationChoiceField(
        label=_("Transfer to"), queryset=None, empty_label=_("Choose an organisation")
    )
    department = _DepartmentChoiceField(
        label=_("Receiving department"),
        queryset=None,
        required=False,
        empty_label=_("The organisation decides"),
        help_text=_("Optional: the department of that organisation that should handle it."),
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def __init__(self, *args, service_request: ServiceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        targets = selectors_staff.servicerequest_transfer_targets(service_request=service_request)
        self.fields["to_organisation"].queryset = targets
        self.fields["department"].queryset = selectors_staff.transfer_target_departments(
            organisations=targets
        )

    def clean(self):
        cleaned = super().clean()
        organisation, department = cleaned.get("to_organisation"), cleaned.get("department")
        if organisation and department and department.organisation_id != organisation.pk:
            self.add_error(
                "department",
                _("Choose a department of %(organisation)s, or none.")
                % {"organisation": organisation.name},
            )
        return cleaned


class MergeForm(_WorkspaceForm):
    id_prefix = "merge"

    original = forms.CharField(
        label=_("Tracking code of the original request"),
        max_length=30,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )


class ContactRevealForm(_WorkspaceForm):
    id_prefix = "contact"

    reason = forms.CharField(
        label=_("Why do you need them?"),
        max_length=300,
        help_text=_("Recorded in the audit log with your name (law 09-08)."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
