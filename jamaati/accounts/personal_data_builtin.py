"""The personal data the accounts module itself keeps: profile, codes, logins, authenticator."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamaati.accounts.models import OneTimeCode, StaffTOTPDevice, User


def _destinations(user: User) -> list[str]:
    return [value for value in (user.email, user.phone, user.username) if value]


class ProfileData:
    key = "profile"
    title = _("Your account")

    def collect(self, user: User) -> list[dict[str, Any]]:
        return [
            {
                str(_("e-mail address")): user.email or "",
                str(_("mobile number")): user.phone or "",
                str(_("full name")): user.full_name,
                str(_("preferred language")): user.get_preferred_language_display(),
                str(_("date joined")): user.date_joined,
                str(_("last login")): user.last_login,
                str(_("staff")): user.is_staff,
            }
        ]

    def erase(self, user: User) -> None:
        # The account row itself is blanked by user_delete_account.
        return None


class OneTimeCodeData:
    key = "one_time_codes"
    title = _("Codes sent to you")

    def collect(self, user: User) -> list[dict[str, Any]]:
        codes = OneTimeCode.objects.filter(destination__in=_destinations(user)).order_by(
            "-created_at"
        )
        return [
            {
                str(_("sent to")): code.destination,
                str(_("channel")): code.get_channel_display(),
                str(_("created")): code.created_at,
                str(_("expires")): code.expires_at,
                str(_("used")): code.used_at,
            }
            for code in codes
        ]

    def erase(self, user: User) -> None:
        OneTimeCode.objects.filter(destination__in=_destinations(user)).delete()


class LoginHistoryData:
    """Logins recorded by django-axes (successes, failures, lock-outs): they hold IP addresses."""

    key = "logins"
    title = _("Logins")

    def _querysets(self, user: User):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        usernames = Q(username__in=_destinations(user))
        return (
            (_("login"), AccessLog.objects.filter(usernames)),
            (_("failed login"), AccessFailureLog.objects.filter(usernames)),
            (_("failed logins (counter)"), AccessAttempt.objects.filter(usernames)),
        )

    def collect(self, user: User) -> list[dict[str, Any]]:
        rows = []
        for label, queryset in self._querysets(user):
            for entry in queryset.order_by("-attempt_time"):
                rows.append(
                    {
                        str(_("event")): str(label),
                        str(_("when")): entry.attempt_time,
                        str(_("from address")): entry.ip_address,
                        str(_("browser")): entry.user_agent,
                    }
                )
        return rows

    def erase(self, user: User) -> None:
        for _label, queryset in self._querysets(user):
            queryset.delete()


class AuthenticatorData:
    key = "authenticator"
    title = _("Authenticator app")

    def collect(self, user: User) -> list[dict[str, Any]]:
        # The secret is never shown again after enrolment: only that the app exists.
        return [
            {
                str(_("created")): device.created_at,
                str(_("confirmed")): device.confirmed_at,
            }
            for device in StaffTOTPDevice.objects.filter(user=user)
        ]

    def erase(self, user: User) -> None:
        StaffTOTPDevice.objects.filter(user=user).delete()


BUILTIN_PROVIDERS = (ProfileData, OneTimeCodeData, LoginHistoryData, AuthenticatorData)
