"""The forms of the organisation admin's pages: they check input, the services write."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jamaati.accounts.contact import normalise_destination
from jamaati.accounts.phone import ascii_digits
from jamaati.apikeys.scopes import SCOPE_CHOICES
from jamaati.core.uploads import JPEG, PNG, WEBP, validate_and_clean_upload
from jamaati.organisations import selectors
from jamaati.organisations.models import Department, Organisation, Role

# The languages of every translated name and description, in the platform's order.
LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)
# The languages a name must be given in: Arabic and French are complete everywhere.
REQUIRED_LANGUAGES = frozenset({"ar", "fr"})
LANGUAGE_NAMES = dict(settings.LANGUAGES)
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_DIMENSION = 512
_PHONE = re.compile(r"^\+?[0-9][0-9 .\-()]{5,18}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class StaffForm(forms.Form):
    """Bootstrap classes on every widget, so the templates render fields without JavaScript."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            # CheckboxSelectMultiple and RadioSelect are Select subclasses: test them first.
            if isinstance(
                widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput
            ):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self) -> None:
        super().full_clean()
        # Bootstrap marks a field in error with this class (Django adds aria-invalid itself).
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def translated_values(self, prefix: str) -> dict[str, str]:
        """{"ar": …, "fr": …} from the fields `<prefix>_<language>`."""
        return {language: self.cleaned_data[f"{prefix}_{language}"] for language in LANGUAGES}


def _language_label(label: str, language: str) -> str:
    return f"{label} ({LANGUAGE_NAMES.get(language, language)})"


def _add_translated_fields(
    form: forms.Form, prefix: str, label: str, *, max_length: int | None, textarea: bool = False
) -> None:
    for language in LANGUAGES:
        attrs = {"lang": language, "dir": "rtl" if language in settings.LANGUAGES_BIDI else "auto"}
        widget = forms.Textarea(attrs={**attrs, "rows": 3}) if textarea else forms.TextInput(attrs)
        form.fields[f"{prefix}_{language}"] = forms.CharField(
            label=_language_label(label, language),
            max_length=max_length,
            required=prefix == "name" and language in REQUIRED_LANGUAGES,
            widget=widget,
        )


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class TerritoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        kind = obj.get_kind_display() if obj.kind else obj.get_level_display()
        return f"{obj.name} ({kind})"


class MemberAddForm(StaffForm):
    identifier = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        help_text=_("Of an existing account, or the e-mail address of a new staff account."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "inputmode": "email"}),
    )
    create_account = forms.BooleanField(
        label=_("Create a new staff account if none has this address"),
        required=False,
        help_text=_("The new staff member receives an e-mail with a link to choose a password."),
    )
    full_name = forms.CharField(
        label=_("Full name (for a new account)"), max_length=200, required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = DepartmentChoiceField(
        label=_("Department"),
        queryset=None,
        required=False,
        empty_label=_("No department (the whole organisation)"),
    )
    territories = TerritoryChoiceField(
        label=_("Limited to"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave every box empty for the whole of the organisation's territory."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this organisation's departments and territories can be chosen.
        self.fields["department"].queryset = selectors.organisation_departments(
            organisation=organisation
        )
        self.fields["territories"].queryset = selectors.organisation_area_choices(
            organisation=organisation
        )

    def clean_identifier(self) -> str:
        destination, _channel = normalise_destination(self.cleaned_data["identifier"])
        return destination


class DepartmentForm(StaffForm):
    slug = forms.SlugField(
        label=_("Short identifier"),
        max_length=80,
        required=False,
        help_text=_(
            "Latin letters, digits and hyphens, e.g. public-lighting. Left empty, it is made "
            "from the French or English name."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    def __init__(self, *args, organisation: Organisation, with_slug: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if not with_slug:
            del self.fields["slug"]
        _add_translated_fields(self, "name", _("Name"), max_length=200)
        self.order_fields([*(f"name_{language}" for language in LANGUAGES), "slug"])
        self.style_widgets()

    @classmethod
    def initial_for(cls, department: Department) -> dict[str, str]:
        return {
            f"name_{language}": getattr(department, f"name_{language}") or ""
            for language in LANGUAGES
        }

    def clean(self):
        cleaned = super().clean()
        if "slug" not in self.fields:
            return cleaned
        slug = cleaned.get("slug") or slugify(
            cleaned.get("name_fr") or cleaned.get("name_en") or ""
        )
        if not slug:
            if not self.errors:
                self.add_error(
                    "slug", _("Give a short identifier in Latin letters, e.g. public-lighting.")
                )
            return cleaned
        slug = slug[:80]
        if selectors.department_slug_taken(organisation=self.organisation, slug=slug):
            self.add_error(
                "slug",
                _("Another department of this organisation already uses “%(slug)s”.")
                % {"slug": slug},
            )
        cleaned["slug"] = slug
        return cleaned


class OrganisationProfileForm(StaffForm):
    primary_color = forms.CharField(
        label=_("Brand colour"),
        max_length=7,
        help_text=_(
            "A colour such as #0b6e4f. Text on it and the colour used as text are adjusted "
            "so that they stay readable."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 8}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, 2 MB at most. It is checked and re-encoded."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("Contact e-mail"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_translated_fields(self, "name", _("Name"), max_length=200)
        _add_translated_fields(
            self, "description", _("Description"), max_length=None, textarea=True
        )
        self.order_fields(
            [f"{prefix}_{language}" for prefix in ("name", "description") for language in LANGUAGES]
        )
        self.style_widgets()

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, str]:
        initial = {
            field: getattr(organisation, field)
            for field in ("primary_color", "website", "email", "phone", "address")
        }
        for prefix in ("name", "description"):
            for language in LANGUAGES:
                initial[f"{prefix}_{language}"] = (
                    getattr(organisation, f"{prefix}_{language}") or ""
                )
        return initial

    def clean_primary_color(self) -> str:
        colour = self.cleaned_data["primary_color"].strip()
        if not _COLOUR.match(colour):
            raise forms.ValidationError(
                _("Enter a colour as # and six hexadecimal digits, such as #0b6e4f.")
            )
        return colour.lower()

    def clean_phone(self) -> str:
        phone = ascii_digits(self.cleaned_data["phone"]).strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number, such as 05 39 12 34 56."))
        return phone

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return validate_and_clean_upload(
            upload,
            allowed_kinds=(PNG, JPEG, WEBP),
            max_bytes=LOGO_MAX_BYTES,
            max_dimension=LOGO_MAX_DIMENSION,
        )


class ApiKeyIssueForm(StaffForm):
    name = forms.CharField(
        label=_("Application name"),
        max_length=120,
        help_text=_("Who uses the key, e.g. “Lighting contractor's app”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}),
    )

    def clean_expires_on(self) -> dt.date | None:
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return expires_on

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day, in the platform's time zone."""
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        return timezone.make_aware(dt.datetime.combine(expires_on, dt.time.max))
