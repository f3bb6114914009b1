"""Tell a person something, by e-mail and/or SMS, in their own language.

A notification is a directory of templates, ``notifications/<name>/``:

- ``subject.txt`` and ``body.txt``: the e-mail (both needed to send one);
- ``sms.txt``: the SMS (keep it short: Arabic text fits 70 characters per segment).

`notify()` renders them under ``translation.override(language)`` (the
recipient's language, not the one of the person whose action triggered it)
and hands the rendered text to Celery tasks once the current transaction
commits, so a rolled-back action never sends anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

from jamaati.core.sms import SmsDeliveryError
from jamaati.core.tasks import send_email_task, send_sms_task

# What sending can raise when tasks run eagerly (no broker): callers that can
# tell the person "try again later" catch these.
DELIVERY_ERRORS = (SmsDeliveryError, OSError)

if TYPE_CHECKING:
    from jamaati.accounts.models import User


@dataclass(frozen=True)
class ScheduledNotification:
    """What `notify` scheduled: the channels and the recipients, for logs and tests."""

    email: str | None
    phone: str | None


def _render(template_name: str, context: dict[str, Any]) -> str | None:
    try:
        template = get_template(template_name)
    except TemplateDoesNotExist:
        return None
    return template.render(context).strip()


def _language_for(user: User | None, language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, getattr(user, "preferred_language", None)):
        if candidate in codes:
            return candidate
    return settings.LANGUAGE_CODE


def notify(
    *,
    template: str,
    context: dict[str, Any] | None = None,
    user: User | None = None,
    email: str | None = None,
    phone: str | None = None,
    language: str | None = None,
) -> ScheduledNotification:
    """Render `template` in the recipient's language and schedule its e-mail and SMS.

    Explicit `email`/`phone` win over the user's own; with neither, the
    user's e-mail address and mobile number are used. A channel is used when
    its address is known and the notification has templates for it.
    """
    explicit = email is not None or phone is not None
    if not explicit and user is not None:
        email, phone = user.email, user.phone
    if not email and not phone:
        raise ValueError(
            "notify() needs a user with an address, an e-mail address or a phone number."
        )
    language = _language_for(user, language)
    full_context = {"site_url": settings.SITE_URL, "user": user, **(context or {})}
    with translation.override(language):
        full_context["LANGUAGE_CODE"] = language
        subject = body = sms_body = None
        if email:
            subject = _render(f"notifications/{template}/subject.txt", full_context)
            body = _render(f"notifications/{template}/body.txt", full_context)
        if phone:
            sms_body = _render(f"notifications/{template}/sms.txt", full_context)
    # An address given explicitly must be served; the user's own addresses are
    # served by whichever channels the notification has templates for.
    if email and (subject is None or body is None):
        if explicit:
            raise TemplateDoesNotExist(f"notifications/{template}/subject.txt and body.txt")
        email = None
    if phone and sms_body is None:
        if explicit:
            raise TemplateDoesNotExist(f"notifications/{template}/sms.txt")
        phone = None
    if not email and not phone:
        raise TemplateDoesNotExist(
            f"notifications/{template}/ has no template for this user's channels"
        )

    if email:
        # A subject is one line: templates may wrap, headers may not.
        one_line_subject = " ".join((subject or "").split())
        transaction.on_commit(
            lambda: send_email_task.delay(to=email, subject=one_line_subject, body=body)
        )
    if phone:
        transaction.on_commit(lambda: send_sms_task.delay(to=phone, body=sms_body))
    return ScheduledNotification(email=email or None, phone=phone or None)
