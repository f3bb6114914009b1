"""Money and percentages, exactly: Decimal everywhere, amounts in MAD to the centime.

Amounts are quantized to 0.01 with ROUND_HALF_UP (the rule of Moroccan public accounts).
A percentage is kept exact (a Decimal fraction of 100) and rounded only for display.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
MAX_AMOUNT = Decimal("99999999999999.99")  # 16 digits, 2 decimals: the columns' limit
_THOUSANDS_COMMAS = re.compile(r"^-?\d{1,3}(,\d{3}){2,}$")


def money(value: Decimal | int | str) -> Decimal:
    """An amount in MAD, quantized to the centime. Floats are refused: they are not exact."""
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal, an int or a string.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str | Decimal | int, *, allow_zero: bool = False) -> Decimal:
    """Read an amount typed by a person or found in a file: "1 250 000,50", "1250000.5", "1,250,000".

    Raise ValidationError with a translated message when it is not a valid amount.
    """
    if isinstance(text, (Decimal, int)) and not isinstance(text, bool):
        raw = str(text)
    else:
        raw = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        raw = raw.removesuffix("MAD").removesuffix("DH").removesuffix("dh").strip()
        if "," in raw and "." in raw:
            # The last separator is the decimal one: 1,250,000.50 or 1.250.000,50.
            if raw.rfind(",") > raw.rfind("."):
                raw = raw.replace(".", "").replace(",", ".")
            else:
                raw = raw.replace(",", "")
        elif _THOUSANDS_COMMAS.match(raw):
            raw = raw.replace(",", "")  # 1,250,000
        else:
            raw = raw.replace(",", ".")  # 1250000,50
    try:
        amount = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("“%(value)s” is not an amount in dirhams.") % {"value": text}, code="invalid_amount"
        ) from None
    if not amount.is_finite():
        raise ValidationError(
            _("“%(value)s” is not an amount in dirhams.") % {"value": text}, code="invalid_amount"
        )
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError(
            _("An amount in dirhams has at most two decimals (centimes)."), code="too_precise"
        )
    amount = money(amount)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(_("The amount must be greater than zero."), code="not_positive")
    if amount > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."), code="too_large")
    return amount


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as an exact percentage of `whole` (None when the whole is zero: undefined)."""
    if not whole:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


def percent_display(value: Decimal | None, places: int = 1) -> Decimal | None:
    """A percentage rounded for display (half up)."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def share(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` amounts to the centime that add up exactly to `total`."""
    total = money(total)
    if parts <= 0:
        raise ValueError("parts must be positive")
    base = (total / parts).quantize(CENT, rounding=ROUND_DOWN)
    amounts = [base] * parts
    remainder = int((total - base * parts) / CENT)
    for index in range(remainder):
        amounts[index] += CENT
    return amounts
