"""Append each SMS to a file under ``settings.SMS_FILE_PATH``: one file per connection."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jamaati.core.sms.backends.console import SmsBackend as ConsoleSmsBackend


class SmsBackend(ConsoleSmsBackend):
    def __init__(self, *, file_path: str | None = None, **kwargs) -> None:
        directory = Path(file_path or settings.SMS_FILE_PATH)
        if directory.exists() and not directory.is_dir():
            raise ImproperlyConfigured(f"SMS_FILE_PATH {directory} exists and is not a directory.")
        directory.mkdir(parents=True, exist_ok=True)
        if not os.access(directory, os.W_OK):
            raise ImproperlyConfigured(f"SMS_FILE_PATH {directory} is not writable.")
        self.directory = directory
        self._path: Path | None = None
        kwargs["stream"] = None
        super().__init__(**kwargs)

    @property
    def path(self) -> Path:
        if self._path is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            self._path = self.directory / f"{stamp}-{id(self)}.sms.log"
        return self._path

    def send_messages(self, messages: Sequence) -> int:
        if not messages:
            return 0
        with self._lock, self.path.open("a", encoding="utf-8") as stream:
            self.stream = stream
            return super().send_messages(messages)
