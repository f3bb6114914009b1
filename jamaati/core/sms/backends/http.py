"""Post each SMS as JSON to an HTTP gateway, with a bearer token.

The request is ``POST SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN``
and the body ``{"to": "+2126…", "body": "…", "sender": "Jamaati"}``. Any answer
outside 2xx (redirects included: a token must not follow them) raises
`SmsDeliveryError`, marked retryable for 5xx, 429 and network failures.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jamaati.core.sms import SmsDeliveryError
from jamaati.core.sms.backends.base import BaseSmsBackend

DEFAULT_TIMEOUT = 10  # seconds


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class SmsBackend(BaseSmsBackend):
    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout or getattr(settings, "SMS_GATEWAY_TIMEOUT", DEFAULT_TIMEOUT)
        if urlsplit(self.url).scheme not in ("http", "https") or not urlsplit(self.url).netloc:
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http:// or https:// URL.")
        if not self.token:
            raise ImproperlyConfigured("SMS_GATEWAY_TOKEN must be set for the HTTP SMS backend.")
        self._opener = urllib.request.build_opener(_NoRedirect)

    def _post(self, message) -> None:
        payload = json.dumps(
            {"to": message.to, "body": message.body, "sender": message.sender}
        ).encode("utf-8")
        http_request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url,
            data=payload,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with self._opener.open(http_request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            detail = exc.read(200).decode("utf-8", "replace")
            raise SmsDeliveryError(
                f"SMS gateway answered HTTP {exc.code} for a message to {message.to}: {detail}",
                retryable=exc.code >= 500 or exc.code == 429,
                status=exc.code,
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsDeliveryError(f"SMS gateway unreachable at {self.url}: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsDeliveryError(
                f"SMS gateway answered HTTP {status} for a message to {message.to}",
                retryable=False,
                status=status,
            )

    def send_messages(self, messages: Sequence) -> int:
        sent = 0
        for message in messages:
            try:
                self._post(message)
            except SmsDeliveryError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent
