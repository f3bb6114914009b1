"""axe-core on every page of the site, in Arabic and in French: no serious or critical violation.

Each case opens one page in one state (empty, with results, with a form error, logged in...)
the way a person would reach it, then runs axe on what the browser shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pprint import pformat

import pytest
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from jamaati.accounts.tests.factories import StaffTOTPDeviceFactory
from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.factories import AuditEventFactory
from jamaati.organisations.tests.factories import StaffUserFactory
from tests.browser.conftest import LANGUAGES, STAFF_PASSWORD, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Visit:
    page: Page
    live_server: object
    language: str
    request: pytest.FixtureRequest

    def url(self, path: str) -> str:
        return f"{self.live_server.url}/{self.language}{path}"

    def goto(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"{path} answered {response.status}"

    def email(self, name: str) -> str:
        """An address of its own for each language: codes and devices are per account."""
        return f"{name}.{self.language}@rabat.ma"

    def fixture(self, name: str):
        return self.request.getfixturevalue(name)

    def submit(self, fields: dict[str, str]) -> None:
        """Fill the main form's fields and press its first submit button."""
        main = self.page.locator("main")
        for name, value in fields.items():
            main.locator(f"[name={name}]").fill(value)
        with self.page.expect_navigation():
            main.locator("form[method=post] button[type=submit]").first.click()

    def staff_password_step(self, user) -> None:
        self.goto("/accounts/login/")
        self.submit({"username": user.username, "password": STAFF_PASSWORD})


def _path(path: str, status: int = 200, *, needs_site: bool = False) -> Callable[[Visit], None]:
    def open_page(visit: Visit) -> None:
        if needs_site:
            visit.fixture("site")
        visit.goto(path, status=status)

    return open_page


def _search_results(visit: Visit) -> None:
    visit.fixture("site")
    query = "الرباط" if visit.language == "ar" else "Rabat"
    visit.goto(f"/territories/search/?q={query}")
    expect(visit.page.locator("#search-results a").first).to_be_visible()


def _signup_error(visit: Visit) -> None:
    visit.goto("/accounts/signup/")
    visit.submit({"destination": "not an address"})
    expect(visit.page.locator("main .invalid-feedback").first).to_be_visible()


def _verify(visit: Visit) -> None:
    visit.goto("/accounts/signup/")
    visit.submit({"destination": visit.email("amina")})
    expect(visit.page.locator("input[name=code]")).to_be_visible()


def _verify_error(visit: Visit) -> None:
    _verify(visit)
    visit.submit({"code": "000000"})
    expect(visit.page.locator("main .invalid-feedback").first).to_be_visible()


def _staff_login_error(visit: Visit) -> None:
    visit.goto("/accounts/login/")
    visit.submit({"username": "nobody@example.ma", "password": "wrong password"})
    expect(visit.page.locator("main [role=alert]").first).to_be_visible()


def _totp_setup(visit: Visit) -> None:
    visit.staff_password_step(StaffUserFactory(email=visit.email("new-staff")))
    expect(visit.page.locator("main svg").first).to_be_visible()
    assert "/accounts/login/setup/" in visit.page.url


def _totp_verify(visit: Visit) -> None:
    device = StaffTOTPDeviceFactory(user=StaffUserFactory(email=visit.email("staff")))
    visit.staff_password_step(device.user)
    assert "/accounts/login/code/" in visit.page.url


def _lockout(visit: Visit) -> None:
    user = StaffUserFactory(email=visit.email("forgetful"))
    visit.goto("/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        visit.submit({"username": user.username, "password": "wrong password"})
    assert visit.page.locator("input[name=password]").count() == 0


def _password_reset_sent(visit: Visit) -> None:
    visit.goto("/accounts/password-reset/")
    visit.submit({"email": visit.email("staff")})
    assert "/accounts/password-reset/sent/" in visit.page.url


def _password_reset_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/password-reset/{uid}/{default_token_generator.make_token(user)}/"


def _password_reset_confirm(visit: Visit) -> None:
    visit.goto(_password_reset_link(StaffUserFactory(email=visit.email("staff"))))
    expect(visit.page.locator("input[name=new_password1]")).to_be_visible()


def _password_reset_complete(visit: Visit) -> None:
    _password_reset_confirm(visit)
    new_password = "a brand new passphrase for Rabat"
    visit.submit({"new_password1": new_password, "new_password2": new_password})
    assert "/accounts/password-reset/done/" in visit.page.url


def _password_reset_invalid_link(visit: Visit) -> None:
    visit.goto("/accounts/password-reset/MQ/not-a-token/")
    assert visit.page.locator("input[name=new_password1]").count() == 0


def _citizen(visit: Visit):
    citizen = visit.fixture("citizen")
    log_in(visit.page.context, visit.live_server, citizen)
    return citizen


def _my_data(visit: Visit) -> None:
    _citizen(visit)
    visit.goto("/accounts/my-data/")


def _delete_account(visit: Visit) -> None:
    _citizen(visit)
    visit.goto("/accounts/my-data/delete/")


def _audit_log(visit: Visit) -> None:
    world, org_admin, agent = (visit.fixture(n) for n in ("world", "org_admin", "agent"))
    for action in (AuditEvent.Action.UPDATE, AuditEvent.Action.READ_PERSONAL_DATA):
        AuditEventFactory(
            organisation=world.organisation,
            actor=agent,
            action=action,
            target_repr="Lamp 12, Avenue Hassan II",
        )
    log_in(visit.page.context, visit.live_server, org_admin, verified_staff=True)
    visit.goto("/audit/")
    expect(visit.page.locator("main table")).to_be_visible()


def _admin_index(visit: Visit) -> None:
    log_in(
        visit.page.context, visit.live_server, visit.fixture("platform_admin"), verified_staff=True
    )
    visit.goto("/admin/")


def _forbidden(visit: Visit) -> None:
    # A citizen who follows a link to a staff page.
    _citizen(visit)
    visit.goto("/audit/", status=403)


def _signed_in_home(visit: Visit) -> None:
    visit.fixture("site")
    _citizen(visit)
    visit.goto("/")


PAGES: dict[str, Callable[[Visit], None]] = {
    "home": _path("/", needs_site=True),
    "home-signed-in": _signed_in_home,
    "organisations": _path("/o/", needs_site=True),
    "organisation-council": _path("/o/rabat/", needs_site=True),
    "organisation-company": _path("/o/rabat-lumiere/", needs_site=True),
    "regions": _path("/territories/", needs_site=True),
    "region": _path("/territories/04/", needs_site=True),
    "prefecture": _path("/territories/04.421/", needs_site=True),
    "province": _path("/territories/04.481/", needs_site=True),
    "cercle": _path("/territories/04.481.03/", needs_site=True),
    "urban-commune": _path("/territories/04.421.01.0/", needs_site=True),
    "rural-commune": _path("/territories/04.481.03.01/", needs_site=True),
    "arrondissement": _path("/territories/04.421.01.05/", needs_site=True),
    "prefecture-of-arrondissements": _path("/territories/06.141.01.00/", needs_site=True),
    "search": _path("/territories/search/"),
    "search-results": _search_results,
    "search-no-result": _path("/territories/search/?q=zzzz", needs_site=True),
    "search-error": _path("/territories/search/?q=z"),
    "signup": _path("/accounts/signup/"),
    "signup-error": _signup_error,
    "verify": _verify,
    "verify-error": _verify_error,
    "staff-login": _path("/accounts/login/"),
    "staff-login-error": _staff_login_error,
    "totp-setup": _totp_setup,
    "totp-verify": _totp_verify,
    "lockout": _lockout,
    "password-reset": _path("/accounts/password-reset/"),
    "password-reset-sent": _password_reset_sent,
    "password-reset-confirm": _password_reset_confirm,
    "password-reset-invalid-link": _password_reset_invalid_link,
    "password-reset-complete": _password_reset_complete,
    "my-data": _my_data,
    "delete-account": _delete_account,
    "audit-log": _audit_log,
    "admin": _admin_index,
    "not-found": _path("/territories/99.999/", status=404),
    "forbidden": _forbidden,
}


@pytest.fixture(scope="module")
def _reused_page(browser, browser_context_args):
    # One tab for the whole module: a new context or tab per page costs a cold renderer
    # and cache, which would double the time of these page checks.
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_page(_reused_page):
    _reused_page.context.clear_cookies()
    yield _reused_page
    _reused_page.goto("about:blank")


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_has_no_serious_accessibility_violation_in_arabic_and_french(
    live_server, axe_page, request, name
):
    # Both languages in one test: half the database set-ups, and one report for the page.
    problems = {}
    for language in LANGUAGES:
        # Each language starts afresh: signed out, no failed logins or sent codes counted.
        axe_page.context.clear_cookies()
        axes_reset()
        cache.clear()
        PAGES[name](Visit(axe_page, live_server, language, request))

        violations = run_axe(axe_page)
        page_language = axe_page.locator("html").get_attribute("lang")
        if violations or page_language != language:
            problems[language] = {"lang": page_language, "violations": violations}

    assert not problems, pformat(problems)
