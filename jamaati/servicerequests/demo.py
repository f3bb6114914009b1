"""Demo-only data of service requests: the Open311 partner key `demo-open311-key` for Tétouan.

The demo prints that key so anyone can try a third-party Open311 client against the
demo. It is a real partner key row (hashed like every other key, issued with an audit
row), with two safeguards: it is only created when `settings.DEMO_MODE` is on, and it is
only accepted while `settings.DEMO_MODE` is on (see `open311_demo_key_authenticate`).

Issued keys look like `jmt_<prefix>_<secret>`; this one cannot, so its row carries the
fixed public prefix `demo-open311`, which no issued key can have (theirs are hexadecimal).
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from jamaati.accounts.models import User
from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.scopes import OPEN311
from jamaati.apikeys.services import _hash as apikey_hash  # the one hashing rule of every key
from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.organisations.models import Organisation

OPEN311_DEMO_KEY = "demo-open311-key"
OPEN311_DEMO_PREFIX = "demo-open311"
OPEN311_DEMO_KEY_NAME = "Open311 demo client"


def _require_demo_mode() -> None:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "The Open311 demo key exists only in demo mode (JAMAATI_DEMO=1 with DEBUG=1)."
        )


def open311_demo_key_ensure(organisation: Organisation, *, issued_by: User | None = None) -> ApiKey:
    """Make sure the partner key `demo-open311-key` exists for `organisation` (Tétouan). Demo only.

    Idempotent. The issuer defaults to the first platform admin (seed_demo creates one).
    """
    _require_demo_mode()
    existing = ApiKey.objects.filter(prefix=OPEN311_DEMO_PREFIX).first()
    if existing is not None:
        if existing.organisation_id != organisation.pk:
            raise ImproperlyConfigured(
                f"The Open311 demo key already belongs to {existing.organisation}."
            )
        return existing
    if issued_by is None:
        issued_by = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if issued_by is None:
        raise ImproperlyConfigured("Create the demo platform admin first (manage.py seed_demo).")
    actor = Actor(user=issued_by)
    with transaction.atomic():
        api_key = ApiKey(
            kind=ApiKey.Kind.PARTNER,
            name=OPEN311_DEMO_KEY_NAME,
            prefix=OPEN311_DEMO_PREFIX,
            secret_hash=apikey_hash(OPEN311_DEMO_KEY),
            organisation=organisation,
            scopes=[OPEN311],
            created_by=issued_by,
        )
        api_key.full_clean()
        api_key.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.ISSUE,
            target=api_key,
            changes={"kind": ApiKey.Kind.PARTNER, "scopes": [OPEN311], "demo": True},
            organisation=organisation,
        )
    return api_key


def open311_demo_key_authenticate(raw_key: str) -> ApiKey | None:
    """The demo key's row when `raw_key` is the demo key and the demo is on; otherwise None."""
    if not settings.DEMO_MODE or not raw_key:
        return None
    if not hmac.compare_digest(raw_key.strip().encode(), OPEN311_DEMO_KEY.encode()):
        return None
    api_key = (
        ApiKey.objects.select_related("organisation").filter(prefix=OPEN311_DEMO_PREFIX).first()
    )
    if api_key is None or not hmac.compare_digest(
        api_key.secret_hash, apikey_hash(OPEN311_DEMO_KEY)
    ):
        return None
    if not api_key.is_active or not api_key.organisation.is_active:
        return None
    return api_key
