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
        user = self.model(username=username, email=email.lower() or None, phone=phone or None, **extra)
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
        _("staff"), default=False, help_text=_("Staff work for an organisation and log in with a password and a second factor.")
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
