"""Citizen forms of service requests: where the problem is, then what it is.

Both forms work without JavaScript: the place is a commune chosen from a list (with a
search) and a typed address, or, with JavaScript, a pin on the map that fills the hidden
latitude and longitude. The services check everything again; these forms only turn what
was typed into the services' arguments and put each error next to its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jamaati.accounts.contact import normalise_destination
from jamaati.accounts.forms import BootstrapWidgetsMixin
from jamaati.accounts.models import OneTimeCode
from jamaati.servicerequests.models import Category, CategoryGroup, QuestionKind
from jamaati.servicerequests.services import MAX_DESCRIPTION, MAX_PHOTOS
from jamaati.territories.models import Level, Territory
from jamaati.territories.selectors import territory_lookup

PLACE_LEVELS = (Level.COMMUNE, Level.ARRONDISSEMENT)


def commune_label(territory: Territory) -> str:
    """A commune's name with the province or commune holding it: two communes may share a name."""
    parent = territory.commune if territory.level == Level.ARRONDISSEMENT else territory.province
    if parent is None or parent.name == territory.name:
        return territory.name
    return f"{territory.name} — {parent.name}"


class PlaceForm(BootstrapWidgetsMixin, forms.Form):
    """Step 1: a point (filled by the map) or a commune and an address."""

    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    q = forms.CharField(
        label=_("Find your commune"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        max_length=300,
        help_text=_("A street, a landmark, a neighbourhood: what helps the team find the place."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "dir": "auto"}),
    )

    def __init__(self, *args, communes: list[Territory] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.territory: Territory | None = None
        self.commune_territory: Territory | None = None
        choices = [("", _("Choose a commune"))]
        seen = set()
        chosen = self._chosen_commune()
        for territory in ([chosen] if chosen else []) + list(communes):
            if territory.code not in seen:
                seen.add(territory.code)
                choices.append((territory.code, commune_label(territory)))
        self.fields["commune"].choices = choices

    def _chosen_commune(self) -> Territory | None:
        code = (self.data.get(self.add_prefix("commune")) or "").strip() if self.is_bound else ""
        if not code:
            return None
        return (
            Territory.objects.filter(code=code, level__in=PLACE_LEVELS)
            .defer("boundary_wkb", "search_text")
            .select_related("province", "commune")
            .first()
        )

    def clean_commune(self) -> Territory | None:
        code = self.cleaned_data.get("commune")
        if not code:
            return None
        territory = self._chosen_commune()
        if territory is None:
            raise ValidationError(_("Choose a commune from the list."), code="invalid_commune")
        return territory

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if self.errors:
            return data
        if latitude is not None and longitude is not None:
            lookup = territory_lookup(lat=latitude, lon=longitude)
            if lookup is None:
                raise ValidationError(
                    _(
                        "This point is outside every commune of Morocco. Move the pin onto the place."
                    ),
                    code="outside",
                )
            self.territory = lookup.arrondissement or lookup.commune
            self.commune_territory = lookup.commune
            return data
        if latitude is not None or longitude is not None:
            raise ValidationError(_("Give both the latitude and the longitude."), code="half")
        commune = data.get("commune")
        if commune is None:
            self.add_error(
                "commune",
                ValidationError(
                    _("Put a pin on the map, or choose the commune and describe the place."),
                    code="no_location",
                ),
            )
            return data
        if not data.get("address", "").strip():
            self.add_error(
                "address",
                ValidationError(
                    _("Describe where the problem is: a street, a landmark."), code="no_address"
                ),
            )
            return data
        self.territory = commune
        self.commune_territory = (
            commune.commune if commune.level == Level.ARRONDISSEMENT else commune
        )
        return data

    @property
    def has_point(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("latitude") is not None

    def place_query(self) -> dict[str, str]:
        """The place as GET parameters (links, htmx requests)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        if data.get("latitude") is not None:
            return {"latitude": f"{data['latitude']:.6f}", "longitude": f"{data['longitude']:.6f}"}
        return {"commune": data["commune"].code, "address": data["address"]}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one input; each is checked by content in the service."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(MultipleImageField, self).clean(f, initial) for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Send at most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many"
            )
        return files


def question_field_name(category: Category, code: str) -> str:
    return f"q{category.pk}_{code}"


def _question_field(question) -> forms.Field:
    label = question.label
    common = {"label": label, "required": False, "help_text": question.help_text}
    choices = [
        (
            choice.get("key"),
            choice.get(f"label_{_language()}") or choice.get("label_fr") or choice.get("key"),
        )
        for choice in question.choices
    ]
    if question.kind == QuestionKind.NUMBER:
        return forms.CharField(
            **common, widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"})
        )
    if question.kind == QuestionKind.DATE:
        return forms.CharField(**common, widget=forms.DateInput(attrs={"type": "date"}))
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(**common, choices=[("", "—"), *choices])
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            **common, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    return forms.CharField(**common, max_length=2000, widget=forms.TextInput(attrs={"dir": "auto"}))


def _language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "ar").split("-")[0]


class ReportForm(BootstrapWidgetsMixin, forms.Form):
    """Step 2: the category, what is wrong, photos, and how to reach the citizen."""

    category = forms.ChoiceField(label=_("What is the problem about?"))
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=MAX_DESCRIPTION,
        strip=False,  # kept exactly as typed
        help_text=_("In Arabic, French, Darija or any way you write: it is kept as you typed it."),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    photos = MultipleImageField(
        label=_("Photos (up to 5)"),
        required=False,
        help_text=_("Optional. Photos are shown publicly only after the team checks them."),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        help_text=_("Your name and contact are not kept; you will not be told of updates."),
    )
    contact_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    contact = forms.CharField(
        label=_("E-mail address or mobile number"),
        required=False,
        max_length=254,
        help_text=_("To tell you when the problem is handled. Never shown publicly."),
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "dir": "ltr"}),
    )

    def __init__(self, *args, categories: list[Category], user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {str(c.pk): c for c in categories}
        self.user = user if user is not None and user.is_authenticated else None
        grouped: dict[str, list[tuple[str, str]]] = {}
        for category in categories:
            grouped.setdefault(category.group, []).append((str(category.pk), category.name))
        labels = dict(CategoryGroup.choices)
        self.fields["category"].choices = [("", _("Choose a category"))] + [
            (labels.get(group, group), options) for group, options in grouped.items()
        ]
        self.question_fields: dict[int, list[str]] = {}
        for category in categories:
            names = []
            for question in category.questions.all():
                name = question_field_name(category, question.code)
                self.fields[name] = _question_field(question)
                self.fields[name].question = question
                names.append(name)
            self.question_fields[category.pk] = names
        if self.user is not None:
            del self.fields["contact_name"]
            del self.fields["contact"]
        # The fields are built before BootstrapWidgetsMixin runs again on the question fields.
        for name, field in self.fields.items():
            if name.startswith("q") and name[1:2].isdigit():
                widget = field.widget
                base = (
                    "form-check-input"
                    if isinstance(widget, forms.CheckboxSelectMultiple)
                    else "form-select"
                    if isinstance(widget, forms.Select)
                    else "form-control"
                )
                if base not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{base} {widget.attrs.get('class', '')}".strip()

    def clean_category(self) -> Category:
        category = self.categories.get(self.cleaned_data["category"])
        if category is None:
            raise ValidationError(_("Choose a category from the list."), code="invalid_category")
        return category

    def clean_contact(self) -> tuple[str, str]:
        value = self.cleaned_data.get("contact", "").strip()
        if not value:
            return "", ""
        destination, channel = normalise_destination(value)
        return (destination, "") if channel == OneTimeCode.Channel.EMAIL else ("", destination)

    def question_groups(self) -> list[tuple[Category, list[forms.BoundField]]]:
        """The extra questions, one group per category (the page shows those of the chosen one)."""
        return [
            (category, [self[name] for name in self.question_fields[category.pk]])
            for category in self.categories.values()
            if self.question_fields.get(category.pk)
        ]

    def answers(self) -> dict[str, Any]:
        category = self.cleaned_data["category"]
        return {
            self.fields[name].question.code: self.cleaned_data.get(name)
            for name in self.question_fields.get(category.pk, [])
        }

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        email, phone = data.get("contact") or ("", "")
        return {
            "category": data["category"],
            "description": data["description"],
            "answers": self.answers(),
            "photos": data.get("photos") or [],
            "anonymous": data.get("anonymous", False),
            "reporter": self.user,
            "contact_name": data.get("contact_name", ""),
            "contact_email": email,
            "contact_phone": phone,
        }

    def add_service_errors(self, error: ValidationError, place_form: PlaceForm) -> None:
        """Put each error the service raised next to the field it is about."""
        category = self.cleaned_data.get("category")
        for key, messages in error.message_dict.items():
            if key.startswith("answer_") and category is not None:
                name = question_field_name(category, key.removeprefix("answer_"))
                target, form = (name, self) if name in self.fields else (None, self)
            elif key in ("location", "commune"):
                target, form = ("commune", place_form)
            elif key == "contact" and "contact" not in self.fields:
                target, form = (None, self)
            elif key in self.fields:
                target, form = (key, self)
            else:
                target, form = (None, self)
            for message in messages:
                if target is not None and target in form.errors and message in form.errors[target]:
                    continue
                form.add_error(target, message)


class TrackForm(BootstrapWidgetsMixin, forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("The code on your receipt, for example K7QM-3XPA-9T."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
                "class": "jm-code-input",
            }
        ),
    )


class ReopenForm(BootstrapWidgetsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the problem not solved?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class FollowForm(BootstrapWidgetsMixin, forms.Form):
    contact = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "dir": "ltr"}),
    )

    def clean_contact(self) -> tuple[str, str]:
        destination, channel = normalise_destination(self.cleaned_data["contact"])
        return (destination, "") if channel == OneTimeCode.Channel.EMAIL else ("", destination)
