"""Small template helpers shared by every page: language URLs, navigation state, numbers."""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import check_for_language, get_language_info

register = template.Library()

# A number or a code written with Western digits (01.511, 04.421.01.0, 09-08, 10:30, 6);
# tags and character references (&#x27;) are matched first so that their digits are left alone.
_NUMBER_OR_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)|([0-9]+(?:[.,:/\-][0-9]+)*)")


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
    """An integer with its thousands grouped the way the active language writes them.

    The separator is the language's THOUSAND_SEPARATOR (jamaati/formats), as CLDR gives it
    for Morocco; Django's USE_THOUSAND_SEPARATOR stays off so that codes and years are
    never grouped by accident.
    """
    if value is None or isinstance(value, bool):
        return value
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


@register.filter(needs_autoescape=True)
def isolate_numbers(value: object, autoescape: bool = True) -> SafeString:
    """Wrap each number or code of a translated sentence in <bdi dir="ltr">.

    Inside Arabic text a code such as 01.511 followed by punctuation would otherwise take
    part in the sentence's right-to-left ordering; isolated, it reads left to right as
    one word and the punctuation around it follows the sentence. The msgid keeps the
    plain text, so translators never see markup.
    """
    text = str(conditional_escape(value) if autoescape else value)

    def wrap(match: re.Match) -> str:
        markup, number = match.groups()
        return markup or str(format_html('<bdi dir="ltr">{}</bdi>', number))

    # The text is escaped above (or was already safe); only <bdi> tags are added.
    return mark_safe(_NUMBER_OR_MARKUP.sub(wrap, text))
