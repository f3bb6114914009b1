"""Staff pages need both factors: the password and the authenticator code, in this session.

Staff sign in in two steps. The password step only leaves a short-lived
"pending" mark in the session; Django's login() runs after the second
factor, so `request.user` is never a staff member who has only given a
password. The session also records how the second factor was done:

- ``"totp"``: a code from the staff member's authenticator app;
- ``"demo"``: skipped because ``settings.DEMO_MODE`` is on. Every staff
  account skips it in the demo (the demo prints its staff logins; DEMO_MODE is
  refused by settings when DEBUG is off). A ``"demo"`` session stops counting
  as verified as soon as DEMO_MODE is off.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

SESSION_SECOND_FACTOR = "accounts_second_factor"
SECOND_FACTOR_TOTP = "totp"
SECOND_FACTOR_DEMO = "demo"


def second_factor_done(request: HttpRequest) -> bool:
    method = request.session.get(SESSION_SECOND_FACTOR)
    if method == SECOND_FACTOR_TOTP:
        return True
    return method == SECOND_FACTOR_DEMO and bool(settings.DEMO_MODE)


def is_verified_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and second_factor_done(request)
    )


def _refuse(request: HttpRequest):
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied
    return redirect_to_login(request.get_full_path(), reverse("accounts:login"))


def staff_member_verified_required(view_func):
    """Let a view run only for active staff who gave their password and second factor."""

    @wraps(view_func)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_verified_staff(request):
            return _refuse(request)
        return view_func(request, *args, **kwargs)

    return wrapper


class StaffMemberVerifiedRequiredMixin:
    """The class-based-view form of `staff_member_verified_required`."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not is_verified_staff(request):
            return _refuse(request)
        return super().dispatch(request, *args, **kwargs)
