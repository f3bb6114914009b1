import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jamaati.core.refcodes import (
    ALPHABET,
    CHECK_ALPHABET,
    refcode_is_valid,
    refcode_new,
    refcode_normalise,
    refcode_parse,
)

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$")


@pytest.fixture(autouse=True)
def _english():
    """Assert on the English messages, whatever the catalogues translate."""
    with translation.override("en"):
        yield


def _check_symbol(symbols: str) -> str:
    """Crockford's mod-37 check, written independently of the module (value = base-32 number mod 37)."""
    number = 0
    for symbol in symbols:
        number = number * 32 + ALPHABET.index(symbol)
    return CHECK_ALPHABET[number % 37]


def test_a_new_code_is_grouped_for_reading_aloud_and_uses_no_ambiguous_letters():
    for _ in range(500):
        code = refcode_new()
        assert CODE.match(code), code
        assert not set(code) & set("ILOU")


def test_a_new_code_carries_the_crockford_check_symbol():
    for _ in range(200):
        compact = refcode_new().replace("-", "")
        assert compact[-1] == _check_symbol(compact[:-1])


def test_codes_do_not_repeat():
    codes = {refcode_new() for _ in range(5000)}
    assert len(codes) == 5000


def test_a_code_round_trips_through_normalise_and_validation():
    for _ in range(200):
        code = refcode_new()
        assert refcode_normalise(code) == code
        assert refcode_is_valid(code)
        assert refcode_parse(code.lower().replace("-", " ")) == code


def test_a_prefixed_code_includes_the_prefix_in_the_check():
    code = refcode_new(prefix="sr")

    assert code.startswith("SR-")
    assert refcode_is_valid(code, prefix="SR")
    assert not refcode_is_valid(code, prefix="AP")
    assert not refcode_is_valid("AP" + code[2:])  # the check covers the prefix


def test_it_refuses_a_prefix_with_ambiguous_letters():
    with pytest.raises(ValueError, match="prefix"):
        refcode_new(prefix="OIL")


def test_it_reads_i_l_and_o_as_one_and_zero_whatever_the_case():
    data = "1K0Q10M0A"
    code = f"{data[:4]}-{data[4:8]}-{data[8]}{_check_symbol(data)}"
    typed = (
        code.replace("1", "l", 1)
        .replace("1", "I", 1)
        .replace("0", "o", 1)
        .replace("0", "O")
        .lower()
    )

    assert typed != code.lower()
    assert refcode_normalise(f"  {typed.replace('-', ' - ')}  ") == code
    assert refcode_is_valid(typed)


def test_it_catches_every_single_wrong_symbol():
    code = refcode_new().replace("-", "")
    for position in range(len(code)):
        for symbol in ALPHABET:
            if symbol == code[position]:
                continue
            typo = code[:position] + symbol + code[position + 1 :]
            assert not refcode_is_valid(typo), typo


def test_it_catches_swapped_neighbours():
    for _ in range(50):
        code = refcode_new().replace("-", "")
        for position in range(len(code) - 1):
            if code[position] == code[position + 1]:
                continue
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            assert not refcode_is_valid(swapped), swapped


@pytest.mark.parametrize("typed", ["", "K7QM", "K7QM-3XPA-9T-ZZ!", "K7QM-3XPA-*", "ÄÄÄÄ-ÄÄÄÄ-ÄÄ"])
def test_it_refuses_malformed_input_with_a_clear_message(typed):
    assert not refcode_is_valid(typed)
    with pytest.raises(ValidationError) as error:
        refcode_parse(typed)
    assert error.value.code == "invalid_refcode"
    assert "not valid" in str(error.value.messages[0])
