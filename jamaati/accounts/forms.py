from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jamaati.accounts.contact import normalise_destination
from jamaati.accounts.models import User
from jamaati.core.tasks import send_email_task

# Bootstrap's class for each kind of widget; the first match wins (RadioSelect and
# CheckboxSelectMultiple are Select subclasses, so they come before it).
_WIDGET_CLASSES: tuple[tuple[type[forms.Widget] | tuple[type[forms.Widget], ...], str], ...] = (
    ((forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect), "form-check-input"),
    (forms.Select, "form-select"),
    (forms.HiddenInput, ""),
    (forms.Widget, "form-control"),
)
# What is typed in these is Latin text, left to right even on an Arabic page.
_LEFT_TO_RIGHT_WIDGETS = (forms.EmailInput, forms.URLInput, forms.PasswordInput, forms.NumberInput)


class BootstrapWidgetsMixin:
    """Give every widget Bootstrap's class for its kind, and `is-invalid` when it has an error.

    Every form of the accounts pages uses it, so that the shared field template
    (accounts/_field.html) renders them all alike, without JavaScript. A class already
    set on a widget (`jm-code-input`) is kept after Bootstrap's.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            base = next(css for kind, css in _WIDGET_CLASSES if isinstance(widget, kind))
            widget.attrs["class"] = " ".join(filter(None, [base, widget.attrs.get("class")]))
            if isinstance(widget, _LEFT_TO_RIGHT_WIDGETS):
                widget.attrs.setdefault("dir", "ltr")

    def full_clean(self) -> None:
        super().full_clean()
        # Django adds aria-invalid itself; Bootstrap needs the class to draw the red border.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class CitizenCodeRequestForm(BootstrapWidgetsMixin, forms.Form):
    destination = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        help_text=_("We send you a 6-digit code. No password is needed."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "email", "dir": "ltr"}
        ),
    )
    full_name = forms.CharField(
        label=_("Full name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only used if this creates your account."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for our messages"), choices=settings.LANGUAGES
    )

    def clean_destination(self) -> str:
        destination, _channel = normalise_destination(self.cleaned_data["destination"])
        return destination


class CodeForm(BootstrapWidgetsMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "dir": "ltr",
                "size": 8,
                "spellcheck": "false",
                "class": "jm-code-input",
            }
        ),
    )


class StaffLoginForm(BootstrapWidgetsMixin, AuthenticationForm):
    """The staff password step: citizens are sent to the code login instead."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_staff": _("This login is for staff. Citizens log in with a code sent to them."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A staff login is an e-mail address or a phone number: typed left to right.
        self.fields["username"].widget.attrs.update({"dir": "ltr", "inputmode": "email"})

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(self.error_messages["not_staff"], code="not_staff")


class StaffPasswordResetForm(BootstrapWidgetsMixin, PasswordResetForm):
    """Send the reset link in the staff member's language, through the retrying e-mail task.

    Only staff have passwords: citizens log in with codes and get no reset e-mail.
    """

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        send_email_task.delay(to=to_email, subject=subject, body=body)


class StaffSetPasswordForm(BootstrapWidgetsMixin, SetPasswordForm):
    """Django's new-password form (reset link), drawn like the other account forms."""


class ProfileForm(BootstrapWidgetsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]


class DeleteAccountForm(BootstrapWidgetsMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and my data will be erased, and that this cannot be undone."
        ),
        required=True,
    )
