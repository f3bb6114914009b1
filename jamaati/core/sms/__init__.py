"""Sending SMS through a pluggable gateway, designed like Django's e-mail backends.

`send_sms(to, body)` loads the backend named by ``settings.SMS_BACKEND``:

- ``jamaati.core.sms.backends.console.SmsBackend``: prints messages (development);
- ``jamaati.core.sms.backends.file.SmsBackend``: appends them to a file in ``SMS_FILE_PATH``;
- ``jamaati.core.sms.backends.locmem.SmsBackend``: keeps them in ``jamaati.core.sms.outbox`` (tests);
- ``jamaati.core.sms.backends.http.SmsBackend``: posts JSON to ``SMS_GATEWAY_URL``.

A gateway of one's own is a class with ``send_messages(messages) -> int``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from jamaati.accounts.phone import is_moroccan_mobile

# Filled by the locmem backend; tests read and clear it.
outbox: list[SmsMessage] = []


class SmsDeliveryError(Exception):
    """The gateway did not accept a message.

    `retryable` tells a task queue whether trying again later can help
    (a gateway outage) or not (a number the gateway refuses).
    """

    def __init__(self, message: str, *, retryable: bool = True, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    sender: str = field(default_factory=lambda: settings.SMS_SENDER)

    def __post_init__(self) -> None:
        if not is_moroccan_mobile(self.to):
            raise ValidationError(
                "SMS recipients must be normalised Moroccan mobile numbers (+2126… or +2127…), got %(to)r",
                params={"to": self.to},
                code="invalid_recipient",
            )
        if not self.body.strip():
            raise ValidationError("An SMS needs a body.", code="empty_body")


def get_connection(backend: str | None = None, *, fail_silently: bool = False, **kwargs: Any):
    """Return an instance of the SMS backend `backend` (default: settings.SMS_BACKEND)."""
    klass = import_string(backend or settings.SMS_BACKEND)
    return klass(fail_silently=fail_silently, **kwargs)


def send_sms(to: str, body: str, *, fail_silently: bool = False, connection=None) -> int:
    """Send one SMS to an E.164 Moroccan mobile number; return the number sent (0 or 1)."""
    message = SmsMessage(to=to, body=body)
    connection = connection or get_connection(fail_silently=fail_silently)
    return connection.send_messages([message])
