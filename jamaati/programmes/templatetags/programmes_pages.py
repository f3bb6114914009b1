"""Money, percentages and progress bars on the programmes pages.

Amounts are Decimal MAD, formatted with the active language's separators (jamaati/formats:
Western digits in every language), never through a float. A percentage is rounded only here,
for display (`money.percent_display`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jamaati.programmes.money import percent_display

register = template.Library()


def format_amount(value: Decimal | int | str) -> str:
    """An amount with the language's thousands and decimal separators; centimes when not zero."""
    if isinstance(value, float):
        raise TypeError("Money is never a float.")
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    units, _dot, cents = f"{abs(amount):.2f}".partition(".")
    grouped = f"{int(units):,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    if cents != "00":
        grouped = f"{grouped}{get_format('DECIMAL_SEPARATOR')}{cents}"
    return f"{sign}{grouped}"


@register.filter
def mad(value) -> SafeString | str:
    """An amount in MAD: the number (left to right in every language) and the unit."""
    if value is None or value == "":
        return "—"
    return format_html('<bdi class="jm-ltr">{}</bdi>&nbsp;{}', format_amount(value), _("MAD"))


@register.filter
def amount(value) -> str:
    """The number alone (for tables whose column header says MAD)."""
    if value is None or value == "":
        return "—"
    return format_amount(value)


@register.filter
def fixed(value, places: int = 2) -> str:
    """A score or a weight with `places` decimals (half up) and the language's separator."""
    if value is None or value == "":
        return "—"
    shown = percent_display(Decimal(value), places)
    return f"{shown}".replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def pct(value, places: int = 1) -> str:
    """A percentage for display, rounded half up, with the language's decimal separator."""
    if value is None or value == "":
        return "—"
    shown = percent_display(Decimal(value), places)
    text = f"{shown}".replace(".", get_format("DECIMAL_SEPARATOR"))
    return f"{text}\u00a0%"


@register.filter
def bar_width(value) -> int:
    """The width class (0..100) of a progress bar for a percentage (None → 0; capped at 100)."""
    if value is None or value == "":
        return 0
    number = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(min(max(number, Decimal(0)), Decimal(100)))


@register.inclusion_tag("programmes/_bar.html")
def progress_bar(value, label: str, tone: str = "brand"):
    """An accessible progress bar (role=progressbar) whose width is a CSS class, not a style.

    The site's Content-Security-Policy forbids inline styles, so the 101 widths are classes
    in programmes.css.
    """
    return {
        "value": value,
        "width": bar_width(value),
        "label": label,
        "text": pct(value),
        "tone": tone,
    }
