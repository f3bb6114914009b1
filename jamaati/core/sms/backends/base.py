"""The interface every SMS backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jamaati.core.sms import SmsMessage


class BaseSmsBackend:
    def __init__(self, *, fail_silently: bool = False, **kwargs) -> None:
        self.fail_silently = fail_silently

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        """Send `messages`; return how many were accepted."""
        raise NotImplementedError("SMS backends must implement send_messages()")
