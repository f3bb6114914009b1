"""The core forms work with JavaScript turned off, as on a cheap phone with scripts blocked."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from jamaati.organisations.tests.factories import StaffUserFactory
from tests.browser.conftest import STAFF_PASSWORD, code_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(browser, browser_context_args):
    """A tab in a context where JavaScript is off."""
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_javascript_is_really_off_in_these_tests(live_server, page):
    page.goto(f"{live_server.url}/ar/")
    # htmx would have set this on <body> had any script run.
    assert page.evaluate("typeof window.htmx") == "undefined"


def test_the_signup_and_code_forms_log_a_citizen_in_without_javascript(live_server, page):
    page.goto(f"{live_server.url}/fr/accounts/signup/")
    page.locator("input[name=destination]").fill("salma@example.ma")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/accounts/verify/$"))

    page.locator("input[name=code]").fill(code_in(mail.outbox[0].body))
    page.locator("main form[action$='/verify/'] button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/fr/")
    expect(page.locator(".jm-user-menu")).to_contain_text("Mes données")


def test_the_territory_search_form_lists_results_without_javascript(live_server, page, site):
    page.goto(f"{live_server.url}/ar/territories/search/")
    page.locator("main input[name=q]").fill("سيدي قاسم")
    page.locator("main form[role=search] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/ar/territories/search/\?q="))
    results = page.locator("#search-results a")
    expect(results.first).to_be_visible()
    expect(results.filter(has_text="سيدي قاسم").first).to_have_attribute(
        "href", re.compile(r"/ar/territories/04\.481")
    )


def test_the_home_page_search_form_works_without_javascript(live_server, page, site):
    page.goto(f"{live_server.url}/fr/")
    page.locator("#home-q").fill("Errachidia")
    page.locator("main form[role=search] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/fr/territories/search/\?q=Errachidia$"))
    expect(page.locator("#search-results a").first).to_contain_text("Errachidia")


def test_the_language_switcher_works_without_javascript(live_server, page, site):
    page.goto(f"{live_server.url}/ar/territories/04/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.locator("button[name=language][value=fr]").click()

    expect(page).to_have_url(re.compile(r"/fr/territories/04/$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("main h1")).to_have_text("Rabat-Salé-Kénitra")


def test_the_staff_login_form_leads_to_the_authenticator_step_without_javascript(live_server, page):
    staff = StaffUserFactory(email="agent@rabat.ma")
    page.goto(f"{live_server.url}/ar/accounts/login/")
    page.locator("input[name=username]").fill(staff.username)
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    page.locator("main form[action$='/login/'] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/ar/accounts/login/setup/$"))
    expect(page.locator("input[name=code]")).to_be_visible()


def test_the_staff_login_form_shows_its_error_without_javascript(live_server, page):
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.locator("input[name=username]").fill("nobody@example.ma")
    page.locator("input[name=password]").fill("not the password")
    page.locator("main form[action$='/login/'] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/fr/accounts/login/$"))
    expect(page.locator("main [role=alert]").first).to_be_visible()
