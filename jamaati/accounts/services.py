"""Every write of the accounts module: one-time codes, citizen sign-up, staff second factor, erasure."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jamaati.accounts import personal_data
from jamaati.accounts.contact import normalise_destination
from jamaati.accounts.models import OneTimeCode, StaffTOTPDevice, User
from jamaati.accounts.phone import ascii_digits
from jamaati.accounts.throttle import throttle_hit
from jamaati.core.notifications import notify

if TYPE_CHECKING:
    from datetime import datetime

OTP_DIGITS = 6
OTP_TTL = timedelta(minutes=10)
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_AFTER = timedelta(seconds=60)
OTP_REQUESTS_PER_DESTINATION = 5  # per hour
# Mobile carriers put many subscribers behind one address (CGNAT): a large
# installation may raise this with settings.OTP_REQUESTS_PER_IP.
OTP_REQUESTS_PER_IP = 20  # per hour
OTP_THROTTLE_WINDOW = 3600  # seconds

TOTP_STEP_SECONDS = 30
TOTP_DRIFT_STEPS = 1  # accept the previous and the next code too: phone clocks drift
TOTP_ISSUER = "Jamaati"

# --- One-time codes -------------------------------------------------------------


def _otp_hash(*, salt: str, destination: str, purpose: str, code: str) -> str:
    # Keyed with SECRET_KEY: a copy of the database alone cannot test the
    # million possible codes against a hash.
    return salted_hmac(
        "jamaati.accounts.otp", f"{salt}:{destination}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def _clean_code(raw: str) -> str:
    code = "".join(ascii_digits(raw or "").split())
    if len(code) != OTP_DIGITS or not code.isdigit():
        raise ValidationError(_("Enter the 6-digit code you received."), code="malformed")
    return code


def otp_request(
    *,
    destination: str,
    purpose: str = OneTimeCode.Purpose.CITIZEN_LOGIN,
    ip_address: str | None,
    language: str | None = None,
) -> OneTimeCode:
    """Create a one-time code for `destination` and send it by e-mail or SMS."""
    destination, channel = normalise_destination(destination)
    now = timezone.now()
    latest = (
        OneTimeCode.objects.filter(destination=destination, purpose=purpose)
        .order_by("-created_at")
        .first()
    )
    if latest is not None and now - latest.created_at < OTP_RESEND_AFTER:
        wait = int((OTP_RESEND_AFTER - (now - latest.created_at)).total_seconds()) + 1
        raise ValidationError(
            ngettext(
                "A code was sent a moment ago. Wait %(seconds)d second before asking for a new one.",
                "A code was sent a moment ago. Wait %(seconds)d seconds before asking for a new one.",
                wait,
            )
            % {"seconds": wait},
            code="resend_too_soon",
        )
    if ip_address and not throttle_hit(
        scope="otp-ip",
        subject=ip_address,
        limit=getattr(settings, "OTP_REQUESTS_PER_IP", OTP_REQUESTS_PER_IP),
        window_seconds=OTP_THROTTLE_WINDOW,
    ):
        raise ValidationError(
            _("Too many codes were requested from your connection. Try again in an hour."),
            code="throttled_ip",
        )
    if not throttle_hit(
        scope="otp-destination",
        subject=destination,
        limit=OTP_REQUESTS_PER_DESTINATION,
        window_seconds=OTP_THROTTLE_WINDOW,
    ):
        raise ValidationError(
            _("Too many codes were sent to this address. Try again in an hour."),
            code="throttled_destination",
        )

    code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
    salt = secrets.token_hex(16)
    with transaction.atomic():
        OneTimeCode.objects.filter(
            destination=destination,
            purpose=purpose,
            used_at__isnull=True,
            superseded_at__isnull=True,
        ).update(superseded_at=now)
        otp = OneTimeCode(
            destination=destination,
            channel=channel,
            purpose=purpose,
            salt=salt,
            code_hash=_otp_hash(salt=salt, destination=destination, purpose=purpose, code=code),
            created_at=now,
            expires_at=now + OTP_TTL,
        )
        otp.full_clean()
        otp.save()
        address = (
            {"email": destination}
            if channel == OneTimeCode.Channel.EMAIL
            else {"phone": destination}
        )
        notify(
            template="otp_code",
            context={"code": code, "minutes": int(OTP_TTL.total_seconds() // 60)},
            language=language,
            **address,
        )
    return otp


def otp_verify(*, destination: str, purpose: str, code: str) -> OneTimeCode:
    """Check `code` against the latest code sent to `destination`, and use it up on success."""
    destination, _channel = normalise_destination(destination)
    code = _clean_code(code)
    now = timezone.now()
    error: ValidationError | None = None
    # Wrong guesses must be counted even though the call fails: decide inside
    # the transaction, raise after it has committed.
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(
                destination=destination,
                purpose=purpose,
                used_at__isnull=True,
                superseded_at__isnull=True,
            )
            .order_by("-created_at")
            .first()
        )
        if otp is None:
            error = ValidationError(
                _("There is no valid code for this address. Ask for a new code."), code="no_code"
            )
        elif otp.expires_at <= now:
            error = ValidationError(_("This code has expired. Ask for a new code."), code="expired")
        elif otp.attempts >= OTP_MAX_ATTEMPTS:
            error = ValidationError(
                _("Too many wrong codes. Ask for a new code."), code="too_many_attempts"
            )
        elif not constant_time_compare(
            otp.code_hash,
            _otp_hash(salt=otp.salt, destination=destination, purpose=purpose, code=code),
        ):
            otp.attempts += 1
            otp.save(update_fields=["attempts"])
            left = OTP_MAX_ATTEMPTS - otp.attempts
            if left:
                error = ValidationError(
                    ngettext(
                        "This code is not correct. %(left)d attempt left.",
                        "This code is not correct. %(left)d attempts left.",
                        left,
                    )
                    % {"left": left},
                    code="wrong_code",
                )
            else:
                error = ValidationError(
                    _("Too many wrong codes. Ask for a new code."), code="too_many_attempts"
                )
        else:
            otp.used_at = now
            otp.save(update_fields=["used_at"])
    if error is not None:
        raise error
    return otp


def _find_account(destination: str) -> User | None:
    return User.objects.filter(
        Q(username=destination) | Q(email=destination) | Q(phone=destination)
    ).first()


def citizen_signup_or_login(
    *,
    destination: str,
    code: str,
    full_name: str = "",
    preferred_language: str | None = None,
) -> tuple[User, bool]:
    """Verify the code, then return the citizen's account, creating it on first use.

    Returns (user, created). Staff accounts are refused: they log in with a
    password and a second factor, never with a code sent by e-mail or SMS.
    """
    destination, channel = normalise_destination(destination)
    otp_verify(destination=destination, purpose=OneTimeCode.Purpose.CITIZEN_LOGIN, code=code)
    with transaction.atomic():
        user = _find_account(destination)
        if user is not None:
            if user.is_staff or user.is_superuser:
                raise ValidationError(
                    _(
                        "This is a staff account: log in with your password and your authenticator app."
                    ),
                    code="staff_account",
                )
            if not user.is_active:
                raise ValidationError(
                    _("This account is disabled. Contact your collectivity."), code="inactive"
                )
            return user, False
        languages = {code for code, _name in settings.LANGUAGES}
        address = (
            {"email": destination}
            if channel == OneTimeCode.Channel.EMAIL
            else {"phone": destination}
        )
        user = User.objects.create_user(
            password=None,
            full_name=(full_name or "").strip()[:200],
            preferred_language=preferred_language
            if preferred_language in languages
            else settings.LANGUAGE_CODE,
            **address,
        )
    return user, True


# --- Staff second factor (TOTP) ------------------------------------------------------


def totp_provisioning_uri(*, device: StaffTOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.username, issuer_name=TOTP_ISSUER
    )


def totp_device_start_enrolment(*, user: User) -> StaffTOTPDevice:
    """Give a staff member an unconfirmed authenticator secret (the same one until confirmed)."""
    if not user.is_staff:
        raise ValidationError(_("Only staff accounts use an authenticator app."), code="not_staff")
    with transaction.atomic():
        device, _created = StaffTOTPDevice.objects.select_for_update().get_or_create(
            user=user, defaults={"secret": pyotp.random_base32(32)}
        )
        if device.is_confirmed:
            raise ValidationError(
                _("An authenticator app is already set up for this account."),
                code="already_enrolled",
            )
    return device


def _matching_step(secret: str, code: str, at: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = int(at.timestamp()) // TOTP_STEP_SECONDS
    for step in range(current + TOTP_DRIFT_STEPS, current - TOTP_DRIFT_STEPS - 1, -1):
        if constant_time_compare(totp.generate_otp(step), code):
            return step
    return None


def totp_device_verify(*, device: StaffTOTPDevice, code: str, at: datetime | None = None) -> bool:
    """Accept `code` once: return True and remember its time step, or False (wrong or replayed)."""
    try:
        code = _clean_code(code)
    except ValidationError:
        return False
    at = at or timezone.now()
    with transaction.atomic():
        locked = StaffTOTPDevice.objects.select_for_update().get(pk=device.pk)
        step = _matching_step(locked.secret, code, at)
        if step is None or (locked.last_used_step is not None and step <= locked.last_used_step):
            return False
        locked.last_used_step = step
        update_fields = ["last_used_step"]
        if locked.confirmed_at is None:
            locked.confirmed_at = at
            update_fields.append("confirmed_at")
        locked.save(update_fields=update_fields)
    device.last_used_step, device.confirmed_at = locked.last_used_step, locked.confirmed_at
    return True


# --- Profile and erasure ---------------------------------------------------------------


def user_update_profile(*, user: User, full_name: str, preferred_language: str) -> User:
    """Change the name and the language a person is addressed in."""
    with transaction.atomic():
        user.full_name = (full_name or "").strip()
        user.preferred_language = preferred_language
        user.full_clean(exclude=["password"])
        user.save(update_fields=["full_name", "preferred_language"])
    return user


def user_delete_account(*, user: User) -> None:
    """Erase a citizen's account: every module's rows, then the identifying fields.

    The row itself stays (other records point to it) but holds nothing that
    identifies the person: a random placeholder login, no name, no number, no
    password, inactive. Staff accounts are closed by their organisation instead.
    """
    if user.is_staff or user.is_superuser:
        raise ValidationError(
            _("Staff accounts are closed by the administrator of your organisation."),
            code="staff_account",
        )
    from jamaati.audit.models import AuditEvent
    from jamaati.audit.services import audit_record
    from jamaati.core.actors import Actor

    with transaction.atomic():
        for provider in personal_data.providers():
            provider.erase(user)
        placeholder = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
        user.username = placeholder
        user.email = placeholder
        user.phone = None
        user.full_name = ""
        user.preferred_language = settings.LANGUAGE_CODE
        user.is_active = False
        user.last_login = None
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        # The audit row names the account by its id only: nothing identifying.
        audit_record(
            actor=Actor(user=user),
            action=AuditEvent.Action.DELETE,
            target=user,
            changes={
                "erased": ["username", "email", "phone", "full_name", "password"],
                "sections": sorted(provider.key for provider in personal_data.providers()),
            },
        )
