import json
import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from jamaati.accounts.decorators import (
    SECOND_FACTOR_DEMO,
    SECOND_FACTOR_TOTP,
    SESSION_SECOND_FACTOR,
    staff_member_verified_required,
)
from jamaati.accounts.models import StaffTOTPDevice, User
from jamaati.accounts.phone import INVALID_MOBILE_MESSAGE
from jamaati.accounts.tests.conftest import code_in
from jamaati.accounts.tests.factories import StaffTOTPDeviceFactory
from jamaati.accounts.views import NOT_SENT_MESSAGE

PASSWORD = "correct horse battery staple"


@pytest.fixture
def post_sending(client, django_capture_on_commit_callbacks):
    """POST and run what the request scheduled after its commit (the e-mail or SMS task)."""

    def _post(url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **extra)

    return _post


def _session_user_id(client):
    return client.session.get("_auth_user_id")


def as_shown(language, message):
    """`message` as a page in `language` shows it: translated there, then HTML-escaped.

    `message` is a lazy string of the code, or a function building it with the code's own
    msgid, so the test holds whether the catalogues are compiled or not.
    """
    with translation.override(language):
        return escape(str(message() if callable(message) else message))


def url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


# --- Citizens ------------------------------------------------------------------------------


def test_a_citizen_signs_up_by_email_without_javascript_or_password(client, post_sending, db):
    page = client.get(reverse("accounts:signup"))
    assert page.status_code == 200
    assert b"<script" not in page.content.split(b"<main")[1].split(b"</main>")[0]

    response = post_sending(
        reverse("accounts:signup"),
        {
            "destination": "Salma@Example.ma",
            "full_name": "Salma B.",
            "preferred_language": "fr",
            "next": "/fr/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    assert mail.outbox[0].to == ["salma@example.ma"]
    page = client.get(reverse("accounts:verify"))
    assert "salma@example.ma" in page.content.decode()

    response = client.post(reverse("accounts:verify"), {"code": code_in(mail.outbox[0].body)})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    user = User.objects.get(username="salma@example.ma")
    assert (user.full_name, user.preferred_language) == ("Salma B.", "fr")
    assert _session_user_id(client) == str(user.pk)


def test_a_citizen_logs_in_by_sms(client, post_sending, sms_outbox, db):
    existing = User.objects.create_user(phone="+212712345678", password=None)
    post_sending(
        reverse("accounts:signup"), {"destination": "07 12 34 56 78", "preferred_language": "ar"}
    )
    assert [m.to for m in sms_outbox] == ["+212712345678"]
    response = client.post(reverse("accounts:verify"), {"code": code_in(sms_outbox[0].body)})
    assert response.status_code == 302
    assert _session_user_id(client) == str(existing.pk)
    assert User.objects.count() == 1


def test_a_wrong_code_shows_a_clear_error_and_logs_nobody_in(client, post_sending, db):
    post_sending(
        reverse("accounts:signup"), {"destination": "a@example.ma", "preferred_language": "en"}
    )
    right = code_in(mail.outbox[0].body)
    wrong = f"{(int(right) + 7) % 1_000_000:06d}"
    response = client.post(url("accounts:verify", "ar"), {"code": wrong})
    assert response.status_code == 200
    four_left = as_shown(
        "ar",
        lambda: (
            ngettext(
                "This code is not correct. %(left)d attempt left.",
                "This code is not correct. %(left)d attempts left.",
                4,
            )
            % {"left": 4}
        ),
    )
    assert four_left in response.content.decode()
    assert _session_user_id(client) is None


def test_an_expired_code_is_refused_with_a_clear_error(client, post_sending, db):
    post_sending(
        reverse("accounts:signup"), {"destination": "b@example.ma", "preferred_language": "en"}
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post(url("accounts:verify", "ar"), {"code": code_in(mail.outbox[0].body)})
    expired = as_shown("ar", lambda: gettext("This code has expired. Ask for a new code."))
    assert expired in response.content.decode()
    assert _session_user_id(client) is None


def test_an_invalid_destination_is_refused_on_the_form(client, db):
    response = client.post(
        url("accounts:signup", "fr"), {"destination": "0522 12 34 56", "preferred_language": "en"}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert as_shown("fr", INVALID_MOBILE_MESSAGE) in response.content.decode()
    assert mail.outbox == []


def test_a_resend_is_throttled_then_allowed(client, post_sending, db):
    sent_at = timezone.now()
    with time_machine.travel(sent_at, tick=False):
        post_sending(
            reverse("accounts:signup"), {"destination": "c@example.ma", "preferred_language": "en"}
        )
    with time_machine.travel(sent_at + timedelta(seconds=20.5), tick=False):
        response = post_sending(url("accounts:code", "ar"), {}, follow=True)
    # 39.5 seconds remain: the page rounds up.
    wait = as_shown(
        "ar",
        lambda: (
            ngettext(
                "A code was sent a moment ago. Wait %(seconds)d second before asking for a new one.",
                "A code was sent a moment ago. Wait %(seconds)d seconds before asking for a new one.",
                40,
            )
            % {"seconds": 40}
        ),
    )
    assert wait in response.content.decode()
    assert len(mail.outbox) == 1
    with time_machine.travel(sent_at + timedelta(seconds=61)):
        response = post_sending(url("accounts:code", "ar"), {}, follow=True)
    assert len(mail.outbox) == 2
    assert as_shown("ar", lambda: gettext("A new code is on its way.")) in response.content.decode()


def test_staff_are_refused_in_the_citizen_flow(client, post_sending, agent):
    post_sending(
        reverse("accounts:signup"), {"destination": agent.email, "preferred_language": "en"}
    )
    response = client.post(
        url("accounts:verify", "ar"), {"code": code_in(mail.outbox[0].body)}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(url("accounts:login", "ar"))
    staff_account = as_shown(
        "ar",
        lambda: gettext(
            "This is a staff account: log in with your password and your authenticator app."
        ),
    )
    assert staff_account in response.content.decode()
    assert _session_user_id(client) is None


def test_a_gateway_outage_is_reported_on_the_form(client, transactional_db, settings):
    settings.SMS_BACKEND = "jamaati.core.sms.backends.http.SmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/unreachable"
    settings.SMS_GATEWAY_TOKEN = "t"
    response = client.post(
        url("accounts:signup", "ar"), {"destination": "0612345678", "preferred_language": "en"}
    )
    assert response.status_code == 200
    assert as_shown("ar", NOT_SENT_MESSAGE) in response.content.decode()


# --- Staff -------------------------------------------------------------------------------


def _password_step(client, user, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}, **extra
    )


def test_staff_enrol_an_authenticator_on_first_login(client, agent):
    response = _password_step(client, agent)
    assert response["Location"] == reverse("accounts:totp_setup")
    assert _session_user_id(client) is None  # a password alone logs nobody in

    page = client.get(reverse("accounts:totp_setup"))
    html = page.content.decode()
    assert "<svg" in html
    device = StaffTOTPDevice.objects.get(user=agent)
    assert device.secret[:4] in html
    assert not device.is_confirmed

    response = client.post(
        reverse("accounts:totp_setup"), {"code": pyotp.TOTP(device.secret).now()}
    )
    assert response.status_code == 302
    assert _session_user_id(client) == str(agent.pk)
    assert client.session[SESSION_SECOND_FACTOR] == SECOND_FACTOR_TOTP
    device.refresh_from_db()
    assert device.is_confirmed


def test_staff_log_in_with_password_and_code_and_a_replayed_code_is_refused(client, agent):
    device = StaffTOTPDeviceFactory(user=agent)
    code = pyotp.TOTP(device.secret).now()
    assert _password_step(client, agent)["Location"] == reverse("accounts:totp_verify")
    assert client.post(reverse("accounts:totp_verify"), {"code": code}).status_code == 302
    assert _session_user_id(client) == str(agent.pk)

    client.post(reverse("accounts:logout"))
    _password_step(client, agent)
    response = client.post(url("accounts:totp_verify", "fr"), {"code": code})
    assert response.status_code == 200
    not_valid = as_shown(
        "fr",
        lambda: gettext(
            "This code is not valid. Wait for the next code in your app and try again."
        ),
    )
    assert not_valid in response.content.decode()
    assert _session_user_id(client) is None


def test_the_code_step_needs_the_password_step_first(client, agent):
    StaffTOTPDeviceFactory(user=agent)
    assert client.get(reverse("accounts:totp_verify"))["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:totp_setup"))["Location"] == reverse("accounts:login")


def test_the_password_step_expires(client, agent):
    device = StaffTOTPDeviceFactory(user=agent)
    _password_step(client, agent)
    later = timezone.now() + timedelta(minutes=6)
    with time_machine.travel(later):
        response = client.post(
            reverse("accounts:totp_verify"), {"code": pyotp.TOTP(device.secret).at(later)}
        )
    assert response["Location"] == reverse("accounts:login")
    assert _session_user_id(client) is None


def test_five_wrong_authenticator_codes_send_staff_back_to_the_password(client, agent):
    device = StaffTOTPDeviceFactory(user=agent)
    _password_step(client, agent)
    right = pyotp.TOTP(device.secret).now()
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    for _ in range(4):
        assert client.post(reverse("accounts:totp_verify"), {"code": wrong}).status_code == 200
    # The fifth wrong code also reaches django-axes' limit for this login.
    response = client.post(reverse("accounts:totp_verify"), {"code": wrong})
    assert response.status_code == 429
    assert "accounts_pending_staff" not in client.session
    assert client.post(reverse("accounts:totp_verify"), {"code": right})["Location"] == reverse(
        "accounts:login"
    )
    assert _session_user_id(client) is None
    assert _password_step(client, agent).status_code == 429


def test_citizens_cannot_use_the_staff_login(client, citizen):
    response = client.post(
        url("accounts:login", "fr"), {"username": citizen.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    for_staff = as_shown(
        "fr",
        lambda: gettext("This login is for staff. Citizens log in with a code sent to them."),
    )
    assert for_staff in response.content.decode()
    assert _session_user_id(client) is None


def test_axes_locks_the_staff_login_after_five_failures(client, agent):
    for _ in range(5):
        response = _password_step(client, agent, password="wrong password")
    assert response.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    # Even the right password is refused while locked.
    assert _password_step(client, agent).status_code == 429
    assert "accounts_pending_staff" not in client.session


def test_password_reset_sends_a_working_link_to_staff_only(client, agent, citizen):
    response = client.post(reverse("accounts:password_reset"), {"email": agent.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    client.post(reverse("accounts:password_reset"), {"email": citizen.email})
    assert [m.to for m in mail.outbox] == [[agent.email]]
    link = re.search(r"https?://[^/\s]+(/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert page.context["validlink"]
    form_url = page.redirect_chain[-1][0]
    new_password = "a brand new passphrase 2026"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    agent.refresh_from_db()
    assert agent.check_password(new_password)
    assert _session_user_id(client) is None  # the reset does not skip the second factor


def test_demo_mode_lets_staff_skip_the_second_factor(client, agent, settings):
    settings.DEMO_MODE = True
    response = _password_step(client, agent)
    assert response.status_code == 302
    assert _session_user_id(client) == str(agent.pk)
    assert client.session[SESSION_SECOND_FACTOR] == SECOND_FACTOR_DEMO
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_demo_skip_is_ignored_when_demo_mode_is_off(client, agent, settings):
    settings.DEMO_MODE = False
    response = _password_step(client, agent)
    assert response["Location"] == reverse("accounts:totp_setup")
    assert _session_user_id(client) is None
    # A session marked in a demo stops counting once the demo is over.
    client.force_login(agent)
    session = client.session
    session[SESSION_SECOND_FACTOR] = SECOND_FACTOR_DEMO
    session.save()
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_the_admin_refuses_staff_without_the_second_factor(client, platform_admin):
    client.force_login(platform_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login["Location"].startswith(reverse("accounts:login"))

    session = client.session
    session[SESSION_SECOND_FACTOR] = SECOND_FACTOR_TOTP
    session.save()
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_the_staff_decorator_checks_both_factors(rf: RequestFactory, agent, citizen, client):
    @staff_member_verified_required
    def view(request):
        return HttpResponse("ok")

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.exceptions import PermissionDenied

    request = rf.get("/staff/")
    request.user, request.session = AnonymousUser(), SessionStore()
    assert view(request).status_code == 302
    request.user = citizen
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = agent
    assert view(request)["Location"].startswith(reverse("accounts:login"))
    request.session[SESSION_SECOND_FACTOR] = SECOND_FACTOR_TOTP
    assert view(request).content == b"ok"


# --- My data --------------------------------------------------------------------------------


def test_my_data_needs_a_login_and_sends_citizens_to_the_code_login(client, db):
    response = client.get(reverse("accounts:my_data"))
    assert response["Location"].startswith(reverse("accounts:signup"))


def test_my_data_shows_and_exports_what_is_stored(client, citizen):
    client.force_login(citizen)
    page = client.get(reverse("accounts:my_data"))
    assert "citizen@example.ma" in page.content.decode()
    assert citizen.full_name in page.content.decode()

    download = client.get(reverse("accounts:my_data_download"))
    assert download["Content-Disposition"].startswith("attachment;")
    document = json.loads(download.content)
    assert "citizen@example.ma" in document["sections"]["profile"]["rows"][0].values()
    assert document["account_id"] == citizen.pk


def test_a_citizen_edits_name_and_language(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:my_data"), {"full_name": "Yassine", "preferred_language": "fr"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/")
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.preferred_language) == ("Yassine", "fr")


def test_deleting_the_account_needs_confirmation_then_erases_and_logs_out(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("accounts:delete_account"), {})
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.is_active

    response = client.post(reverse("accounts:delete_account"), {"confirm": "on"})
    assert response.status_code == 302
    assert _session_user_id(client) is None
    citizen.refresh_from_db()
    assert not citizen.is_active
    assert citizen.email.endswith("@deleted.invalid")
    assert citizen.full_name == ""
    assert not User.objects.filter(email="citizen@example.ma").exists()
