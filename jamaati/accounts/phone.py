"""Moroccan mobile numbers: the one place that decides what a valid number is.

Citizens type numbers in many shapes (``06 12 34 56 78``, ``+212 6-12-34-56-78``,
``00212612345678``, Arabic-Indic digits from an Arabic keyboard). They are all
normalised to E.164 (``+212612345678``) before being stored, compared or sent.
Only mobile numbers (6… and 7…) are accepted: a landline (5…) cannot receive
a code by SMS.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Arabic-Indic (U+0660…) and Extended Arabic-Indic (U+06F0…) digits to ASCII.
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")} | {
    ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")
}
_SEPARATORS = re.compile(r"[\s\-.()/\u200e\u200f\u202a-\u202e]")
_E164_MOROCCAN_MOBILE = re.compile(r"^\+212[67]\d{8}$")

INVALID_MOBILE_MESSAGE = _(
    "Enter a Moroccan mobile number, for example 06 12 34 56 78 or +212 7 12 34 56 78."
)


def ascii_digits(value: str) -> str:
    """Return `value` with Arabic-Indic digits replaced by ASCII digits."""
    return value.translate(_DIGITS)


def normalise_moroccan_mobile(raw: str) -> str:
    """Return the E.164 form of a Moroccan mobile number, or raise ValidationError."""
    value = _SEPARATORS.sub("", ascii_digits(raw or ""))
    if value.startswith("00"):
        value = "+" + value[2:]
    if value.startswith("+212"):
        national = value[4:]
    elif value.startswith("212") and len(value) == 12:
        national = value[3:]
    elif value.startswith("0"):
        national = value[1:]
    else:
        raise ValidationError(INVALID_MOBILE_MESSAGE, code="invalid_mobile")
    # "+212 06…" is a frequent mix of both notations: drop the trunk zero.
    if national.startswith("0"):
        national = national[1:]
    number = "+212" + national
    if not _E164_MOROCCAN_MOBILE.match(number):
        raise ValidationError(INVALID_MOBILE_MESSAGE, code="invalid_mobile")
    return number


def is_moroccan_mobile(value: str) -> bool:
    """Return True when `value` is already a normalised (E.164) Moroccan mobile number."""
    return bool(_E164_MOROCCAN_MOBILE.match(value or ""))
