"""Citizen code login, staff password + authenticator login, and the "My data" pages."""

from __future__ import annotations

import logging
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from jamaati.accounts import selectors, services
from jamaati.accounts.decorators import (
    SECOND_FACTOR_DEMO,
    SECOND_FACTOR_TOTP,
    SESSION_SECOND_FACTOR,
    is_verified_staff,
)
from jamaati.accounts.forms import (
    CitizenCodeRequestForm,
    CodeForm,
    DeleteAccountForm,
    ProfileForm,
    StaffLoginForm,
)
from jamaati.accounts.models import OneTimeCode
from jamaati.core.actors import client_ip_address
from jamaati.core.notifications import DELIVERY_ERRORS

logger = logging.getLogger(__name__)
NOT_SENT_MESSAGE = gettext_lazy("We could not send your code just now. Try again in a few minutes.")
SESSION_PENDING_CITIZEN = "accounts_pending_citizen"
SESSION_PENDING_STAFF = "accounts_pending_staff"
PENDING_STAFF_TTL_SECONDS = 5 * 60
TOTP_MAX_FAILURES = 5
citizen_login_required = login_required(login_url=reverse_lazy("accounts:signup"))


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _add_errors(form, field: str | None, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(field, message)


# --- Citizens: a code by e-mail or SMS ------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Ask for an e-mail address or a mobile number and send a code to it."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST":
        form = CitizenCodeRequestForm(request.POST)
        if form.is_valid():
            try:
                services.otp_request(
                    destination=form.cleaned_data["destination"],
                    purpose=OneTimeCode.Purpose.CITIZEN_LOGIN,
                    ip_address=client_ip_address(request),
                    language=form.cleaned_data["preferred_language"],
                )
            except ValidationError as exc:
                _add_errors(form, "destination", exc)
            except DELIVERY_ERRORS:
                logger.exception("The sign-in code could not be sent")
                form.add_error("destination", NOT_SENT_MESSAGE)
            else:
                request.session[SESSION_PENDING_CITIZEN] = {
                    "destination": form.cleaned_data["destination"],
                    "full_name": form.cleaned_data["full_name"],
                    "language": form.cleaned_data["preferred_language"],
                    "next": _safe_next(request, next_url),
                }
                return redirect("accounts:verify")
    else:
        form = CitizenCodeRequestForm(initial={"preferred_language": translation.get_language()})
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@never_cache
@require_POST
def resend_code(request: HttpRequest) -> HttpResponse:
    """Send a new code to the address given on the sign-up page."""
    pending = request.session.get(SESSION_PENDING_CITIZEN)
    if not pending:
        return redirect("accounts:signup")
    try:
        services.otp_request(
            destination=pending["destination"],
            purpose=OneTimeCode.Purpose.CITIZEN_LOGIN,
            ip_address=client_ip_address(request),
            language=pending["language"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except DELIVERY_ERRORS:
        logger.exception("The sign-in code could not be sent")
        messages.error(request, NOT_SENT_MESSAGE)
    else:
        messages.success(request, _("A new code is on its way."))
    return redirect("accounts:verify")


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check the code, then log the citizen in (creating the account on first use)."""
    pending = request.session.get(SESSION_PENDING_CITIZEN)
    if not pending:
        return redirect("accounts:signup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, created = services.citizen_signup_or_login(
                destination=pending["destination"],
                code=form.cleaned_data["code"],
                full_name=pending["full_name"],
                preferred_language=pending["language"],
            )
        except ValidationError as exc:
            _add_errors(form, "code", exc)
            if exc.code == "staff_account":
                request.session.pop(SESSION_PENDING_CITIZEN, None)
                messages.error(request, exc.messages[0])
                return redirect("accounts:login")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(SESSION_PENDING_CITIZEN, None)
            if created:
                messages.success(request, _("Welcome! Your account is ready."))
            else:
                messages.success(request, _("You are logged in."))
            return redirect(_safe_next(request, pending.get("next")))
    channel_is_sms = pending["destination"].startswith("+")
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "destination": pending["destination"], "channel_is_sms": channel_is_sms},
    )


# --- Staff: password, then authenticator app -----------------------------------------------


def _pending_staff(request: HttpRequest):
    """The staff member who gave a valid password in this session, if recent enough."""
    pending = request.session.get(SESSION_PENDING_STAFF)
    if not pending or time.time() - pending["started"] > PENDING_STAFF_TTL_SECONDS:
        request.session.pop(SESSION_PENDING_STAFF, None)
        return None, None
    user = selectors.user_get_active(user_id=pending["user_id"])
    if user is None or not user.is_staff:
        request.session.pop(SESSION_PENDING_STAFF, None)
        return None, None
    return user, pending


def _complete_staff_login(request: HttpRequest, user, pending: dict, method: str) -> HttpResponse:
    login(request, user, backend=pending["backend"])
    request.session[SESSION_SECOND_FACTOR] = method
    request.session.pop(SESSION_PENDING_STAFF, None)
    return redirect(_safe_next(request, pending.get("next")))


@never_cache
@csrf_protect
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    """The password step for staff. Citizens are pointed to the code login."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if is_verified_staff(request):
        return redirect(_safe_next(request, next_url))
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        pending = {
            "user_id": user.pk,
            "backend": user.backend,
            "started": time.time(),
            "next": _safe_next(request, next_url),
            "failures": 0,
        }
        if settings.DEMO_MODE:
            return _complete_staff_login(request, user, pending, SECOND_FACTOR_DEMO)
        request.session.cycle_key()
        request.session[SESSION_PENDING_STAFF] = pending
        device = selectors.totp_device_for_user(user=user)
        if device is not None and device.is_confirmed:
            return redirect("accounts:totp_verify")
        return redirect("accounts:totp_setup")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "demo_mode": settings.DEMO_MODE},
    )


def _totp_failed(request: HttpRequest, user, pending: dict, form: CodeForm) -> HttpResponse | None:
    # Tell django-axes too, so guessing codes counts towards the lock-out
    # of this login and this address, like guessing passwords.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    pending["failures"] += 1
    request.session[SESSION_PENDING_STAFF] = pending
    if pending["failures"] >= TOTP_MAX_FAILURES:
        request.session.pop(SESSION_PENDING_STAFF, None)
        messages.error(request, _("Too many wrong codes. Log in again."))
        return redirect("accounts:login")
    form.add_error(
        "code", _("This code is not valid. Wait for the next code in your app and try again.")
    )
    return None


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    """First staff login: show the authenticator secret as a QR code, confirm it with a code."""
    user, pending = _pending_staff(request)
    if user is None:
        return redirect("accounts:login")
    device = selectors.totp_device_for_user(user=user)
    if device is not None and device.is_confirmed:
        return redirect("accounts:totp_verify")
    device = services.totp_device_start_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_verify(device=device, code=form.cleaned_data["code"]):
            messages.success(request, _("Your authenticator app is set up."))
            return _complete_staff_login(request, user, pending, SECOND_FACTOR_TOTP)
        refused = _totp_failed(request, user, pending, form)
        if refused is not None:
            return refused
    uri = services.totp_provisioning_uri(device=device)
    secret_groups = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "qr_svg": segno.make(uri, error="m").svg_inline(
                scale=5, title=_("QR code for your authenticator app")
            ),
            "secret": secret_groups,
        },
    )


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def totp_verify(request: HttpRequest) -> HttpResponse:
    """Later staff logins: ask for the current code of the authenticator app."""
    user, pending = _pending_staff(request)
    if user is None:
        return redirect("accounts:login")
    device = selectors.totp_device_for_user(user=user)
    if device is None or not device.is_confirmed:
        return redirect("accounts:totp_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_verify(device=device, code=form.cleaned_data["code"]):
            return _complete_staff_login(request, user, pending, SECOND_FACTOR_TOTP)
        refused = _totp_failed(request, user, pending, form)
        if refused is not None:
            return refused
    return render(request, "accounts/totp_verify.html", {"form": form})


# --- Personal data (law 09-08) ----------------------------------------------------------------


@never_cache
@citizen_login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything stored about the person, and their name and language to edit."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_update_profile(
                user=request.user,
                full_name=form.cleaned_data["full_name"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
        except ValidationError as exc:
            _add_errors(form, None, exc)
        else:
            with translation.override(user.preferred_language):
                messages.success(request, _("Your details are saved."))
                target = reverse("accounts:my_data")
            response = redirect(target)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax"
            )
            return response
    return render(
        request,
        "accounts/my_data.html",
        {"form": form, "sections": selectors.personal_data_sections(user=request.user)},
    )


@never_cache
@citizen_login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The same data as a JSON file."""
    document = selectors.personal_data_export(user=request.user)
    response = JsonResponse(
        document, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="jamaati-my-data-{stamp}.json"'
    return response


@never_cache
@citizen_login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """Confirm, then erase the account and everything attached to it."""
    form = DeleteAccountForm(request.POST or None)
    is_staff = request.user.is_staff or request.user.is_superuser
    if request.method == "POST" and form.is_valid() and not is_staff:
        try:
            services.user_delete_account(user=request.user)
        except ValidationError as exc:
            _add_errors(form, None, exc)
        else:
            logout(request)
            messages.success(request, _("Your account and your data have been erased."))
            return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form, "is_staff": is_staff})
