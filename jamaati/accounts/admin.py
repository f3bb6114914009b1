"""The admin for accounts, and the admin site made to require the staff second factor.

The admin has no login page of its own: it sends people to `accounts:login`
(password, then authenticator app), and `has_permission` requires a session
in which both factors were given, so a password alone never opens it.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jamaati.accounts.decorators import is_verified_staff
from jamaati.accounts.models import StaffTOTPDevice, User
from jamaati.accounts.phone import normalise_moroccan_mobile
from jamaati.audit.services import audit_personal_data_read
from jamaati.core.actors import Actor


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """Send admin logins to the staff login (password and second factor)."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(next_url, reverse("accounts:login"))


admin.site.login = admin_login
admin.site.has_permission = is_verified_staff


class _ContactFieldsMixin:
    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        return email or None

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        return normalise_moroccan_mobile(phone) if phone else None

    def _set_username(self) -> None:
        email, phone = self.cleaned_data.get("email"), self.cleaned_data.get("phone")
        if not email and not phone:
            raise ValidationError(_("Give an e-mail address or a mobile number."))
        self.instance.username = email or phone


class UserCreationAdminForm(_ContactFieldsMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "phone", "full_name", "preferred_language", "is_staff")

    def clean(self):
        cleaned = super().clean()
        self._set_username()
        return cleaned


class UserChangeAdminForm(_ContactFieldsMixin, DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        self._set_username()
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Contact"), {"fields": ("email", "phone", "full_name", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "phone",
                    "full_name",
                    "preferred_language",
                    "is_staff",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("username", "last_login", "date_joined")
    list_display = ("username", "full_name", "is_staff", "is_superuser", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language")
    search_fields = ("username", "email", "phone", "full_name")
    ordering = ("username",)

    # Law 09-08: a staff member looking at a citizen's account is a read of personal data.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            subject = self.get_object(request, unquote(object_id))
            if subject is not None:
                _audit_citizen_reads(request, [subject], reason="Viewed the account in the admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            query = request.GET.get("q", "")
            reason = "Listed accounts in the admin" + (f" (search: {query[:80]})" if query else "")
            _audit_citizen_reads(request, changelist.result_list, reason=reason)
        return response


def _audit_citizen_reads(request: HttpRequest, users, *, reason: str) -> None:
    actor = Actor.from_request(request)
    for user in users:
        if not user.is_staff and user.pk != request.user.pk:
            audit_personal_data_read(actor=actor, subject_user=user, reason=reason)


@admin.register(StaffTOTPDevice)
class StaffTOTPDeviceAdmin(admin.ModelAdmin):
    """Read-only; deleting a device makes its owner enrol a new app at the next login."""

    list_display = ("user", "confirmed_at", "created_at")
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "created_at", "confirmed_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
