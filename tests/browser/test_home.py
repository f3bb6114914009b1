import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_arabic_home_page_renders_right_to_left(live_server, page):
    page.goto(f"{live_server.url}/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


def test_switching_to_french_renders_left_to_right_and_keeps_the_page(live_server, page):
    page.goto(f"{live_server.url}/ar/territories/")
    page.locator("button[name=language][value=fr]").click()
    expect(page).to_have_url(re.compile(r"/fr/territories/$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
