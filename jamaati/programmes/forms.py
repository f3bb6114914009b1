"""Forms of the programmes pages: the public filters, and the staff's works and import forms.

Amounts are typed as text and read exactly by the services (`money.parse_amount`: "1 250 000,50"
or "1250000.50"); they never pass through a float.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaati.programmes.models import Partner, Sector, Status, TransactionKind
from jamaati.programmes.money import parse_amount
from jamaati.programmes.workflow import can_transition


class ProjectFilterForm(forms.Form):
    """The public filters: province, sector, status, partner (a GET form, no JavaScript needed)."""

    province = forms.ChoiceField(label=_("Province or prefecture"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    partner = forms.ChoiceField(label=_("Partner"), required=False)

    def __init__(self, *args, provinces, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.provinces = {p.code: p for p in provinces}
        self.partners = {p.slug: p for p in partners}
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.code, p.name) for p in provinces
        ]
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        self.fields["status"].choices = [("", _("All statuses")), *Status.choices]
        self.fields["partner"].choices = [("", _("All partners"))] + [
            (p.slug, p.name) for p in partners
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The keyword arguments of `selectors.projects_public` (an invalid choice is ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "province": self.provinces.get(data.get("province") or ""),
            "sector": data.get("sector") or None,
            "status": data.get("status") or None,
            "partner": self.partners.get(data.get("partner") or ""),
        }


class _StaffForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control")


class AmountField(forms.CharField):
    """An amount in MAD typed by a person, read exactly (never a float)."""

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return parse_amount(value, allow_zero=self.allow_zero)


class ProjectBasicsForm(_StaffForm):
    """A project's basics: titles and descriptions in each language, cost, dates, publication."""

    title_ar = forms.CharField(label=_("Title in Arabic"), max_length=250, required=False)
    title_fr = forms.CharField(label=_("Title in French"), max_length=250, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=250, required=False)
    description_ar = forms.CharField(
        label=_("Description in Arabic"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_fr = forms.CharField(
        label=_("Description in French"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    total_cost = AmountField(label=_("Total cost (MAD)"), allow_zero=True)
    planned_start = forms.DateField(
        label=_("Planned start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    planned_end = forms.DateField(
        label=_("Planned end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_published = forms.BooleanField(label=_("Shown on the public pages"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_ar"].widget.attrs["dir"] = "rtl"
        self.fields["description_ar"].widget.attrs["dir"] = "rtl"
        for name in ("title_fr", "title_en", "description_fr", "description_en"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        for name in ("planned_start", "planned_end"):
            self.fields[name].widget.format = "%Y-%m-%d"

    @classmethod
    def initial_for(cls, project) -> dict:
        return {
            "title_ar": project.title_ar,
            "title_fr": project.title_fr,
            "title_en": project.title_en,
            "description_ar": project.description_ar,
            "description_fr": project.description_fr,
            "description_en": project.description_en,
            "sector": project.sector,
            "total_cost": str(project.total_cost),
            "planned_start": project.planned_start,
            "planned_end": project.planned_end,
            "is_published": project.is_published,
        }

    def clean(self):
        data = super().clean()
        if not (data.get("title_ar") or data.get("title_fr")):
            self.add_error("title_ar", _("Give the project a title in Arabic or in French."))
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "title": {lang: data[f"title_{lang}"] for lang in ("ar", "fr", "en")},
            "description": {lang: data[f"description_{lang}"] for lang in ("ar", "fr", "en")},
            "sector": data["sector"],
            "total_cost": data["total_cost"],
            "planned_start": data["planned_start"],
            "planned_end": data["planned_end"],
            "is_published": data["is_published"],
        }


class ProgressForm(_StaffForm):
    """A dated reading of physical progress, optionally with a photo of the site."""

    physical_progress = forms.DecimalField(
        label=_("Physical progress (%)"), min_value=0, max_value=100, decimal_places=2
    )
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    photo = forms.ImageField(label=_("Photo of the site"), required=False)
    caption = forms.CharField(label=_("Caption of the photo"), required=False, max_length=250)
    photo_latitude = forms.FloatField(
        label=_("Latitude where the photo was taken"), required=False, min_value=-90, max_value=90
    )
    photo_longitude = forms.FloatField(
        label=_("Longitude where the photo was taken"),
        required=False,
        min_value=-180,
        max_value=180,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["as_of"].widget.format = "%Y-%m-%d"
        self.fields["physical_progress"].widget.attrs.update({"dir": "ltr", "step": "0.01"})
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean(self):
        data = super().clean()
        if (data.get("photo_latitude") is None) != (data.get("photo_longitude") is None):
            self.add_error("photo_longitude", _("Give both the latitude and the longitude."))
        return data


class TransactionForm(_StaffForm):
    """A disbursement received from a partner, or an expenditure paid out."""

    kind = forms.ChoiceField(label=_("Kind"), choices=TransactionKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = AmountField(label=_("Amount (MAD)"))
    partner = forms.ModelChoiceField(
        label=_("Partner (funder)"), queryset=Partner.objects.none(), required=False
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=60)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["date"].initial = timezone.localdate()
        self.fields["date"].widget.format = "%Y-%m-%d"
        self.fields["reference"].widget.attrs["dir"] = "ltr"


class MilestoneReachForm(_StaffForm):
    actual_date = forms.DateField(
        label=_("Date it was met"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actual_date"].initial = timezone.localdate()
        self.fields["actual_date"].widget.format = "%Y-%m-%d"


class TransitionForm(_StaffForm):
    """Move the project's status: only the moves the workflow allows from here are offered."""

    to_status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Reason or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (value, label)
            for value, label in Status.choices
            if can_transition(project.status, value, suspended_from=project.suspended_from)
        ]

    @property
    def has_moves(self) -> bool:
        return bool(self.fields["to_status"].choices)


class ImportForm(_StaffForm):
    organisation = forms.ChoiceField(label=_("Organisation"))
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "The first row names the columns: “code” for projects, “project_code” for transactions."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean_file(self):
        file = self.cleaned_data["file"]
        name = (file.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Send a CSV or an XLSX file."))
        from jamaati.programmes.importing import MAX_BYTES

        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (10 MB at most)."))
        return file

    @property
    def chosen(self):
        return self.organisations.get(self.cleaned_data["organisation"])
