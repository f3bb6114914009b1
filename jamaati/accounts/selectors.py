"""Every read of the accounts module."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jamaati.accounts import personal_data
from jamaati.accounts.models import StaffTOTPDevice, User
from jamaati.accounts.personal_data import PersonalDataSection


def user_get_active(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def totp_device_for_user(*, user: User) -> StaffTOTPDevice | None:
    return StaffTOTPDevice.objects.filter(user=user).first()


def personal_data_sections(*, user: User) -> list[PersonalDataSection]:
    """Everything every module stores about `user`, one section per provider."""
    return [
        PersonalDataSection(
            key=provider.key, title=str(provider.title), rows=provider.collect(user)
        )
        for provider in personal_data.providers()
    ]


def personal_data_export(*, user: User) -> dict[str, Any]:
    """The JSON document a citizen downloads: the same sections as the page."""
    return {
        "generated_at": timezone.now(),
        "account_id": user.pk,
        "sections": {
            section.key: {"title": section.title, "rows": section.rows}
            for section in personal_data_sections(user=user)
        },
    }
