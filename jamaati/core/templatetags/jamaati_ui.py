"""Small template helpers shared by every page: language URLs and navigation state."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import check_for_language, get_language, get_language_info

register = template.Library()

# Thousands separators as CLDR gives them for Morocco (ar-MA, fr-MA) and for zgh. Django's
# own Arabic format does not group digits at all, which makes 1275428 hard to read.
_GROUP_SEPARATORS = {"ar": ".", "fr": "\u202f", "zgh": "\u00a0"}


def _page_in_language(request: HttpRequest | None, language: str) -> str:
    if request is None:
        return f"/{language}/"
    # Resolved under the page's own (active) language, then reversed in `language`.
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def page_languages(context: template.Context) -> list[dict]:
    """Each usable language with the current page's URL in it (/ar/territories/ → /fr/territories/).

    Django's set_language only translates `next` when it is in the language active
    for the POST itself (the cookie's, or Accept-Language), so the switcher sends
    each language's own URL. A language without a message catalogue yet is left out:
    LocaleMiddleware would answer its URLs with a 404.
    """
    request = context.get("request")
    languages = []
    for code, _name in settings.LANGUAGES:
        if not check_for_language(code):
            continue
        url = _page_in_language(request, code)
        absolute = request.build_absolute_uri(url) if request is not None else url
        languages.append({**get_language_info(code), "url": url, "absolute_url": absolute})
    return languages


@register.filter
def in_section(path: str, prefix: str) -> bool:
    """Whether `path` is the page `prefix` or below it (for aria-current in the navigation)."""
    return bool(prefix) and str(path).startswith(str(prefix))


@register.filter
def grouped(value: object) -> object:
    """An integer with its thousands grouped the way the active language writes them."""
    if value is None or isinstance(value, bool):
        return value
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    separator = _GROUP_SEPARATORS.get(get_language() or "", ",")
    return f"{number:,}".replace(",", separator)
