from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, *, email: str = "", phone: str = "", password: str | None, **extra) -> User:
        email = self.normalize_email(email) if email else ""
        username = email.lower() or phone
        if not username:
            raise ValueError("A user needs an e-mail address or a phone number.")
        user = self.model(
            username=username, email=email.lower() or None, phone=phone or None, **extra
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, username: str = "", password: str | None = None, **extra) -> User:
        if username and "@" in username and not extra.get("email"):
            extra["email"] = username
        return self._create(password=password, **extra)

    def create_superuser(self, username: str = "", password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: a citizen (e-mail or phone, passwordless) or staff (password + TOTP).

    `username` is the normalised login identifier: the e-mail address in lower
    case, or the phone number in E.164 form.
    """

    username = models.CharField(_("login"), max_length=254, unique=True)
    email = models.EmailField(_("e-mail address"), null=True, blank=True, unique=True)
    phone = models.CharField(_("mobile number"), max_length=16, null=True, blank=True, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True, default="")
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="ar"
    )
    is_staff = models.BooleanField(
        _("staff"),
        default=False,
        help_text=_(
            "Staff work for an organisation and log in with a password and a second factor."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username


class OneTimeCode(models.Model):
    """A short code sent to an e-mail address or a mobile number, to prove the citizen holds it.

    Only a keyed hash of the code is stored; the row is superseded by a newer
    code for the same destination, consumed on success, and useless after
    `expires_at` or `OTP_MAX_ATTEMPTS` wrong guesses.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    class Purpose(models.TextChoices):
        CITIZEN_LOGIN = "citizen_login", _("citizen sign-up or login")

    destination = models.CharField(_("sent to"), max_length=254)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["destination", "purpose", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="otp_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms"]), name="otp_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.destination}"


class StaffTOTPDevice(models.Model):
    """A staff member's authenticator app (RFC 6238 time-based codes).

    `last_used_step` is the 30-second time step of the last accepted code:
    a code is accepted only for a later step, so an intercepted code cannot
    be replayed, even within its validity window.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="totp_device",
        verbose_name=_("user"),
    )
    secret = models.CharField(_("secret"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
