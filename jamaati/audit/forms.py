from django import forms
from django.utils.translation import gettext_lazy as _

from jamaati.audit.models import AuditEvent


class AuditEventFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("All actions")), *AuditEvent.Action.choices],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.CharField(label=_("Who"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "action" else "form-control"

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return cleaned
