from django import forms
from django.utils.translation import gettext_lazy as _


class TerritorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or HCP code"),
        min_length=2,
        max_length=100,
        strip=True,
        error_messages={
            "required": _("Type the name or the HCP code of a region, province or commune."),
            "min_length": _("Type at least %(limit_value)d characters."),
            "max_length": _("Type at most %(limit_value)d characters."),
        },
    )
