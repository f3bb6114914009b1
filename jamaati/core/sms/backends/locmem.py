"""Keep each SMS in ``jamaati.core.sms.outbox``: for tests."""

from __future__ import annotations

from collections.abc import Sequence

from jamaati.core import sms
from jamaati.core.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def send_messages(self, messages: Sequence) -> int:
        sms.outbox.extend(messages)
        return len(messages)
