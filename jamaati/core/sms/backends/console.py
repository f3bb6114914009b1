"""Print each SMS to a stream (standard output by default): for development."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence

from jamaati.core.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, stream=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def write_message(self, message) -> None:
        self.stream.write(
            f"SMS from {message.sender} to {message.to}\n{message.body}\n{'-' * 40}\n"
        )

    def send_messages(self, messages: Sequence) -> int:
        sent = 0
        with self._lock:
            try:
                for message in messages:
                    self.write_message(message)
                    sent += 1
                self.stream.flush()
            except Exception:
                if not self.fail_silently:
                    raise
        return sent
