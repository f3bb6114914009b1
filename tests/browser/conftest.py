"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

Never `playwright install`: the browser comes from apt. Without it these tests fail; they never skip.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from jamaati.accounts.decorators import SECOND_FACTOR_TOTP, SESSION_SECOND_FACTOR
from jamaati.organisations.models import Organisation
from jamaati.organisations.tests.factories import OrganisationFactory, OrganisationKindFactory
from jamaati.territories.models import Territory

CHROMIUM = Path(os.environ.get("JAMAATI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One xdist worker runs all browser tests: Chromium is heavy on a 2-core machine.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is required for the browser tests: {CHROMIUM} is missing (apt-get install chromium)."
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ar-MA", "viewport": {"width": 390, "height": 844}}


def run_axe(page) -> list[dict]:
    """Run axe-core (vendored) on the current page; return serious and critical violations.

    A click on a link returns once the navigation has started: wait until the new document
    is parsed, or the script tag would be added to a document that has no head yet.
    """
    page.wait_for_load_state("domcontentloaded")
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# --- Data and sessions shared by the browser tests ------------------------------------------

CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
STAFF_PASSWORD = "correct horse battery staple"  # The password StaffUserFactory gives.
LANGUAGES = ["ar", "fr"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def code_in(text: str) -> str:
    """The 6-digit one-time code in a message body."""
    match = CODE_RE.search(text)
    assert match, f"no 6-digit code in {text!r}"
    return match.group(1)


@dataclass
class Site:
    """The committed territory fixture, with a commune council and a company serving Rabat."""

    council: Organisation
    company: Organisation


@pytest.fixture
def site(transactional_db) -> Site:
    call_command("load_territories", "--fixture", verbosity=0)
    rabat = Territory.objects.get(code="04.421.01.0")
    touarga = Territory.objects.get(code="04.421.01.07")
    council = OrganisationFactory(
        slug="rabat",
        name_ar="جماعة الرباط",
        name_fr="Commune de Rabat",
        seat=rabat,
        territories=[rabat],
    )
    company = OrganisationFactory(
        slug="rabat-lumiere",
        name_ar="شركة الرباط للإنارة",
        name_fr="Rabat Lumière",
        kind=OrganisationKindFactory(
            slug="concession-company",
            name_ar="شركة مفوض لها",
            name_fr="Société concessionnaire",
            name_en="Concession company",
            is_collectivity=False,
        ),
        territories=[rabat, touarga],
    )
    return Site(council=council, company=company)


def log_in(context, live_server, user, *, verified_staff: bool = False) -> None:
    """Give the browser context a session for `user`, as after a real login.

    `verified_staff` also marks the second factor (authenticator code) as done.
    """
    client = Client()
    client.force_login(user)
    if verified_staff:
        session = client.session
        session[SESSION_SECOND_FACTOR] = SECOND_FACTOR_TOTP
        session.save()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
