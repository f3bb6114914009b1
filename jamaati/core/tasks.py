"""Background delivery of e-mail and SMS, retried while the channel is down.

Retries need a worker. In eager mode (no broker: the demo, the tests) there
is no queue to come back to later, so a failure reaches the caller at once
and the page can say that the message could not be sent.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage

from jamaati.core import sms

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
FIRST_RETRY_SECONDS = 30
LAST_RETRY_SECONDS = 15 * 60


def _retry_later(task, exc: Exception):
    if task.request.is_eager:
        raise exc
    countdown = min(FIRST_RETRY_SECONDS * 2**task.request.retries, LAST_RETRY_SECONDS)
    raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES) from exc


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_email_task(self, *, to: str, subject: str, body: str) -> int:
    """Send one plain-text e-mail; retry while the mail server is unreachable."""
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    try:
        return message.send()
    except OSError as exc:  # smtplib.SMTPException and socket errors are OSErrors
        logger.warning("E-mail not sent, attempt %s: %s", self.request.retries + 1, exc)
        _retry_later(self, exc)
        raise  # unreachable: _retry_later always raises


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_sms_task(self, *, to: str, body: str) -> int:
    """Send one SMS; retry while the gateway is unavailable, not when it refuses the message."""
    try:
        return sms.send_sms(to, body)
    except sms.SmsDeliveryError as exc:
        if not exc.retryable:
            logger.warning("SMS refused by the gateway, not retried: %s", exc)
            raise
        logger.warning("SMS not sent, attempt %s: %s", self.request.retries + 1, exc)
        _retry_later(self, exc)
        raise
