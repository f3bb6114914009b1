"""A citizen signs up in Arabic with a one-time code, by e-mail or by SMS, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from jamaati.accounts.models import User
from jamaati.core import sms
from tests.browser.conftest import code_in

pytestmark = pytest.mark.django_db(transaction=True)


def _ask_for_a_code(page, live_server, destination: str, full_name: str) -> None:
    page.goto(f"{live_server.url}/ar/accounts/signup/")
    page.get_by_label("البريد الإلكتروني أو رقم الهاتف المحمول").fill(destination)
    page.locator("input[name=full_name]").fill(full_name)
    expect(page.locator("select[name=preferred_language]")).to_have_value("ar")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ar/accounts/verify/$"))


def _enter_the_code(page, code: str) -> None:
    page.locator("input[name=code]").fill(code)
    page.locator("main form[action$='/verify/'] button[type=submit]").click()


def _expect_logged_in_as(page, live_server, user: User) -> None:
    expect(page).to_have_url(f"{live_server.url}/ar/")
    expect(page.locator(".jm-user-menu")).to_contain_text(f"متصل باسم {user.get_short_name()}")
    page.goto(f"{live_server.url}/ar/accounts/my-data/")
    expect(page).to_have_url(re.compile(r"/ar/accounts/my-data/$"))


def test_a_citizen_signs_up_in_arabic_with_a_code_sent_by_email(live_server, page):
    _ask_for_a_code(page, live_server, "Fatima.Zahra@Example.ma", "فاطمة الزهراء")

    expect(page.locator("main bdi")).to_have_text("fatima.zahra@example.ma")
    assert [m.to for m in mail.outbox] == [["fatima.zahra@example.ma"]]
    _enter_the_code(page, code_in(mail.outbox[0].body))

    user = User.objects.get(username="fatima.zahra@example.ma")
    _expect_logged_in_as(page, live_server, user)
    assert (user.full_name, user.preferred_language, user.is_staff) == (
        "فاطمة الزهراء",
        "ar",
        False,
    )


def test_a_citizen_signs_up_in_arabic_with_a_code_sent_by_sms(live_server, page):
    _ask_for_a_code(page, live_server, "06 61 23 45 67", "يوسف")

    expect(page.locator("main bdi")).to_have_text("+212661234567")
    assert [m.to for m in sms.outbox] == ["+212661234567"]
    assert mail.outbox == []
    _enter_the_code(page, code_in(sms.outbox[0].body))

    user = User.objects.get(username="+212661234567")
    _expect_logged_in_as(page, live_server, user)
    assert (user.full_name, user.phone, user.email) == ("يوسف", "+212661234567", None)


def test_a_wrong_code_keeps_the_citizen_on_the_code_page_with_an_arabic_error(live_server, page):
    _ask_for_a_code(page, live_server, "karim@example.ma", "كريم")
    code = code_in(mail.outbox[0].body)
    wrong = "000000" if code != "000000" else "111111"

    _enter_the_code(page, wrong)

    expect(page).to_have_url(re.compile(r"/ar/accounts/verify/$"))
    error = page.locator("main .invalid-feedback")
    expect(error).to_be_visible()
    assert re.search(r"[\u0600-\u06FF]", error.inner_text()), error.inner_text()
    assert not User.objects.filter(username="karim@example.ma").exists()
