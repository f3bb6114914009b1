"""Public reference codes: short, random, easy to read aloud over the phone, typo-proof.

A code is nine random Crockford base32 symbols (45 bits from `secrets`) and a
check symbol, shown in groups: `K7QM-3XPA-9T`, or with a prefix `SR-K7QM-3XPA-9T`.

- Crockford's alphabet leaves out I, L, O and U, so what is read aloud or
  copied by hand cannot be confused: typed i/l become 1 and o becomes 0.
- The check symbol is Crockford's mod-37 check over the prefix and the data: it
  catches every single wrong symbol and every swap of two neighbours.
- The mod-37 check has five extra symbols (*, ~, $, = and U) that are awkward
  in speech and URLs; codes whose check would need one are drawn again, so every
  code stays alphanumeric (that loses about 0.2 bits of the 45).
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
DATA_LENGTH = 9  # 45 random bits
CODE_LENGTH = DATA_LENGTH + 1
GROUPS = (4, 4, 2)
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
_PREFIX = re.compile(rf"^[{ALPHABET}]{{0,6}}$")


def _check_value(symbols: str) -> int:
    value = 0
    for symbol in symbols:
        value = (value * 32 + _VALUES[symbol]) % 37
    return value


def _format(compact: str) -> str:
    prefix, body = compact[:-CODE_LENGTH], compact[-CODE_LENGTH:]
    groups, position = [], 0
    for size in GROUPS:
        groups.append(body[position : position + size])
        position += size
    if prefix:
        groups.insert(0, prefix)
    return "-".join(groups)


def refcode_new(prefix: str = "") -> str:
    """Return a new random reference code, e.g. `K7QM-3XPA-9T` or `SR-K7QM-3XPA-9T`."""
    prefix = prefix.upper()
    if not _PREFIX.match(prefix):
        raise ValueError(
            f"A reference code prefix uses up to 6 symbols of {ALPHABET!r}, got {prefix!r}."
        )
    while True:
        data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
        check = _check_value(prefix + data)
        if check < len(ALPHABET):
            return _format(prefix + data + ALPHABET[check])


def refcode_normalise(user_input: str) -> str:
    """Return the canonical grouped form of what a person typed; it may still be invalid.

    Case does not matter; i and l are read as 1, o as 0; spaces, hyphens,
    dots and underscores are ignored.
    """
    compact = _SEPARATORS.sub("", user_input.strip().upper()).translate(_CONFUSABLE)
    if len(compact) < CODE_LENGTH or any(symbol not in ALPHABET for symbol in compact):
        return compact
    return _format(compact)


def refcode_is_valid(user_input: str, *, prefix: str | None = None) -> bool:
    """Tell whether `user_input` is a well-formed code whose check symbol matches.

    With `prefix`, the code must also carry exactly that prefix.
    """
    compact = refcode_normalise(user_input).replace("-", "")
    if len(compact) < CODE_LENGTH or any(symbol not in ALPHABET for symbol in compact):
        return False
    code_prefix = compact[:-CODE_LENGTH]
    if prefix is not None and code_prefix != prefix.upper():
        return False
    if not _PREFIX.match(code_prefix):
        return False
    check = _check_value(compact[:-1])
    return check < len(ALPHABET) and ALPHABET[check] == compact[-1]


def refcode_parse(user_input: str, *, prefix: str | None = None) -> str:
    """Return the canonical form of a typed code, or raise a ValidationError a person can act on."""
    if not refcode_is_valid(user_input, prefix=prefix):
        raise ValidationError(
            _("This reference code is not valid: check each character and try again."),
            code="invalid_refcode",
        )
    return refcode_normalise(user_input)
