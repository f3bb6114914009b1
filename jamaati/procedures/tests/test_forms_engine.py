"""The form engine: each field type checks and normalises its answer, conditions show and hide,
required means required only when visible, and schemas are checked before they are saved."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from jamaati.procedures.forms_engine import schema as fs
from jamaati.procedures.forms_engine.answers import (
    answers_clean,
    answers_validate,
    normalise_cin,
    normalise_phone,
    visible_keys,
)
from jamaati.procedures.tests.factories import choice, field, label


@pytest.fixture(autouse=True)
def _in_english():
    # Messages are compared with their English msgids (or computed with gettext where it matters).
    with translation.override("en"):
        yield


PARCEL = {
    "type": "Polygon",
    "coordinates": [
        [[-5.37, 35.57], [-5.369, 35.57], [-5.369, 35.571], [-5.37, 35.571], [-5.37, 35.57]]
    ],
}


def one(kind: str, **options) -> dict:
    return {
        "sections": [
            {
                "key": "s",
                "title": label("ق", "S"),
                "fields": [field("f", kind, required=True, **options)],
            }
        ]
    }


def check(kind: str, value, **options):
    return answers_validate(one(kind, **options), {"f": value})


@pytest.mark.parametrize(
    ("kind", "options", "raw", "expected"),
    [
        ("text", {}, "  Amina  ", "Amina"),
        ("text", {}, "deux\nlignes", "deux lignes"),
        ("long_text", {}, "ligne 1\nligne 2", "ligne 1\nligne 2"),
        ("number", {}, "١٢", "12"),
        ("number", {"decimals": 2}, "12,5", "12.50"),
        ("number", {"min": 1, "max": 10}, 10, "10"),
        ("date", {}, "2026-03-31", "2026-03-31"),
        ("single_choice", {"choices": [choice("a"), choice("b")]}, "b", "b"),
        (
            "multiple_choice",
            {"choices": [choice("a"), choice("b"), choice("c")]},
            ["c", "a"],
            ["a", "c"],
        ),
        ("multiple_choice", {"choices": [choice("a")]}, "a", ["a"]),
        ("yes_no", {}, "on", True),
        ("yes_no", {}, "لا", False),
        ("yes_no", {}, False, False),
        ("map_point", {}, "35.5785, -5.3684", {"lat": 35.5785, "lon": -5.3684}),
        ("map_point", {}, {"lat": 35.5, "lon": -5.3}, {"lat": 35.5, "lon": -5.3}),
        ("parcel", {}, PARCEL, PARCEL),
        ("cin", {}, "ab-123 456", "AB123456"),
        ("cin", {}, "K12345", "K12345"),
        ("phone", {}, "06 12 34 56 78", "+212612345678"),
        ("phone", {}, "+212 5 39 12 34 56", "+212539123456"),
        ("phone", {}, "٠٦١٢٣٤٥٦٧٨", "+212612345678"),
        ("email", {}, " Amina@Example.MA ", "amina@example.ma"),
    ],
)
def test_each_field_type_normalises_a_good_answer(kind, options, raw, expected):
    result = check(kind, raw, **options)
    assert result.errors == {}
    assert result.cleaned == {"f": expected}


@pytest.mark.parametrize(
    ("kind", "options", "raw", "message"),
    [
        ("text", {"max_length": 3}, "abcd", "Keep this under %(max)d characters."),
        ("number", {}, "douze", "Enter a number."),
        ("number", {}, "1.5", "Enter a whole number."),
        ("number", {"min": 1}, "0", "Enter a number of at least %(min)s."),
        ("number", {"max": 10}, "11", "Enter a number of at most %(max)s."),
        ("date", {}, "31/03/2026", "Enter a date such as 2026-03-31."),
        ("date", {"min": "2026-01-01"}, "2025-12-31", "Enter a date on or after %(date)s."),
        ("single_choice", {"choices": [choice("a")]}, "z", "Choose one of the options."),
        ("multiple_choice", {"choices": [choice("a")]}, ["a", "z"], "Choose among the options."),
        (
            "multiple_choice",
            {"choices": [choice("a"), choice("b")], "max_selected": 1},
            ["a", "b"],
            "Choose at most %(count)d options.",
        ),
        ("yes_no", {}, "peut-être", "Answer yes or no."),
        ("map_point", {}, "here", "Put a point on the map."),
        (
            "map_point",
            {},
            {"lat": 48.85, "lon": 2.35},
            "This point is outside Morocco. Move it onto the place.",
        ),
        ("parcel", {}, {"type": "Point", "coordinates": [0, 0]}, "Draw the parcel on the map."),
        (
            "parcel",
            {"max_area_m2": 100},
            PARCEL,
            "The parcel is too large (%(area)d m²; at most %(max)d m²).",
        ),
        (
            "cin",
            {},
            "123456",
            "Enter a national ID card number: one or two letters then digits, e.g. AB123456.",
        ),
        (
            "cin",
            {},
            "ABC123",
            "Enter a national ID card number: one or two letters then digits, e.g. AB123456.",
        ),
        (
            "cin",
            {},
            "AB1234567",
            "Enter a national ID card number: one or two letters then digits, e.g. AB123456.",
        ),
        (
            "phone",
            {},
            "+33 6 12 34 56 78",
            "Enter a Moroccan phone number, for example 06 12 34 56 78 or +212 5 39 12 34 56.",
        ),
        (
            "phone",
            {},
            "0612",
            "Enter a Moroccan phone number, for example 06 12 34 56 78 or +212 5 39 12 34 56.",
        ),
        ("email", {}, "amina@", "Enter an e-mail address such as name@example.ma."),
    ],
)
def test_each_field_type_refuses_a_bad_answer_with_a_translated_message(
    kind, options, raw, message
):
    with translation.override("fr"):
        result = check(kind, raw, **options)
        assert result.cleaned == {}
        [error] = result.errors["f"]
        assert error.startswith(_(message).split("%")[0].strip()[:20])


def test_a_self_crossing_parcel_is_refused():
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[-5.37, 35.57], [-5.369, 35.571], [-5.369, 35.57], [-5.37, 35.571]]],
    }
    assert check("parcel", bow_tie).errors == {
        "f": [_("The parcel's outline crosses itself. Draw it again.")]
    }


def test_the_commune_selector_takes_the_code_of_a_commune(world):
    assert check("commune", world.commune.code).cleaned == {"f": world.commune.code}
    assert check("commune", world.province.code).errors == {
        "f": [_("Choose a commune from the list.")]
    }


def test_the_cin_and_phone_helpers_raise_a_coded_error():
    assert normalise_cin(" j 4567 ") == "J4567"
    with pytest.raises(ValidationError) as caught:
        normalise_cin("4567")
    assert caught.value.code == "invalid_cin"
    with pytest.raises(ValidationError) as caught:
        normalise_phone("12345")
    assert caught.value.code == "invalid_phone"


def test_a_required_field_left_empty_is_an_error_but_not_in_a_draft():
    schema = one("text")
    assert answers_validate(schema, {"f": "  "}).errors == {"f": [_("This answer is required.")]}
    assert answers_validate(schema, {}, partial=True).errors == {}


def test_a_file_answer_must_point_at_a_file_uploaded_for_that_field():
    schema = one("file", document="cin-copy", max_files=2)
    documents = {7: SimpleNamespace(field_key="f"), 8: SimpleNamespace(field_key="other")}
    assert answers_validate(schema, {"f": [7]}, documents=documents).cleaned == {"f": [7]}
    assert answers_validate(schema, {"f": [8]}, documents=documents).errors == {
        "f": [_("Attach the file again.")]
    }
    assert answers_validate(schema, {"f": [99]}, documents=documents).errors == {
        "f": [_("Attach the file again.")]
    }


CONDITIONAL = {
    "sections": [
        {
            "key": "who",
            "title": label("من", "Qui"),
            "fields": [
                field(
                    "kind",
                    "single_choice",
                    required=True,
                    choices=[choice("person"), choice("company")],
                ),
                field(
                    "ice",
                    "text",
                    required=True,
                    condition={"field": "kind", "op": "equals", "value": "company"},
                ),
                field("uses", "multiple_choice", choices=[choice("housing"), choice("shop")]),
                field(
                    "shop_area",
                    "number",
                    required=True,
                    condition={"field": "uses", "op": "contains", "value": "shop"},
                ),
                field("owner", "yes_no"),
            ],
        },
        {
            "key": "lease",
            "title": label("كراء", "Bail"),
            "condition": {"field": "owner", "op": "equals", "value": False},
            "fields": [field("landlord", "text", required=True)],
        },
    ]
}


def test_a_hidden_required_field_is_not_required_and_its_answer_is_dropped():
    result = answers_validate(
        CONDITIONAL, {"kind": "person", "ice": "123", "owner": True, "landlord": "X"}
    )
    assert result.errors == {}
    assert result.cleaned == {"kind": "person", "owner": True}


def test_a_visible_required_field_is_required():
    result = answers_validate(CONDITIONAL, {"kind": "company", "uses": ["shop"], "owner": "no"})
    assert set(result.errors) == {"ice", "shop_area", "landlord"}


def test_contains_tests_a_multiple_choice_and_equals_tests_a_yes_no_on_a_section():
    assert visible_keys(
        CONDITIONAL, {"kind": "person", "uses": ["housing", "shop"], "owner": False}
    ) == {"who", "kind", "uses", "shop_area", "owner", "lease", "landlord"}
    assert "lease" not in visible_keys(CONDITIONAL, {"owner": True})
    assert "lease" not in visible_keys(CONDITIONAL, {})


def test_a_not_equals_condition_holds_when_the_field_is_unanswered():
    schema = one("text")
    schema["sections"][0]["fields"].append(
        field(
            "g", "text", required=True, condition={"field": "f", "op": "not_equals", "value": "x"}
        )
    )
    assert answers_validate(schema, {}, partial=False).errors.keys() == {"f", "g"}
    assert "g" not in answers_validate(schema, {"f": "x"}).errors


GROUP = one(
    "group",
    min_items=1,
    max_items=2,
    fields=[field("name", "text", required=True), field("cin", "cin", required=True)],
)


def test_a_repeatable_group_checks_each_item_and_its_count():
    good = answers_validate(GROUP, {"f": [{"name": "A", "cin": "a1"}, {"name": "", "cin": ""}]})
    assert good.errors == {}
    assert good.cleaned == {"f": [{"name": "A", "cin": "A1"}]}
    bad = answers_validate(
        GROUP, {"f": [{"name": "A", "cin": "1"}, {"name": "B"}, {"name": "C", "cin": "C1"}]}
    )
    assert set(bad.errors) == {"f.0.cin", "f.1.cin", "f"}
    assert answers_validate(GROUP, {"f": []}).errors == {"f": [_("Give at least one item.")]}


def test_answers_clean_raises_the_errors_per_field():
    with pytest.raises(ValidationError) as caught:
        answers_clean(CONDITIONAL, {"kind": "company"})
    assert set(caught.value.message_dict) == {"ice"}


# --- Schemas ----------------------------------------------------------------------------------------


def test_a_sound_schema_has_no_errors():
    assert fs.schema_errors(CONDITIONAL, complete=True) == []
    assert fs.schema_errors(GROUP, complete=False) == []


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ({"fields": []}, "A form is a list of sections."),
        (one("telepathy"), "Unknown field type"),
        (one("text", colour="red"), "Unknown settings"),
        (one("number", min=5, max=1), "The minimum is above the maximum."),
        (one("file", allowed_types=["exe"]), "The allowed file types"),
        (one("file", max_bytes=10**12), "The maximum size"),
        (one("group", fields=[field("inner", "group", fields=[])]), "cannot hold another group"),
        (one("group", fields=[field("up", "file")]), "cannot hold a file field"),
    ],
)
def test_a_broken_schema_is_refused_with_a_message_saying_where(schema, fragment):
    problems = fs.schema_errors(schema)
    assert any(fragment in problem for problem in problems), problems


def test_a_condition_must_test_an_earlier_field_of_a_testable_type():
    later = one("text")
    later["sections"][0]["fields"].insert(
        0, field("g", "text", condition={"field": "f", "op": "equals", "value": "x"})
    )
    assert any("placed before it" in p for p in fs.schema_errors(later))
    on_file = one("file")
    on_file["sections"][0]["fields"].append(
        field("g", "text", condition={"field": "f", "op": "equals", "value": "x"})
    )
    assert any("cannot test a field of this type" in p for p in fs.schema_errors(on_file))
    wrong_choice = {"sections": [{**CONDITIONAL["sections"][0]}]}
    wrong_choice["sections"][0]["fields"] = [
        CONDITIONAL["sections"][0]["fields"][0],
        field("x", "text", condition={"field": "kind", "op": "equals", "value": "robot"}),
    ]
    assert any("one of the field's choices" in p for p in fs.schema_errors(wrong_choice))


def test_publication_needs_arabic_and_french_labels_and_files_tied_to_listed_documents():
    missing_french = one("text")
    missing_french["sections"][0]["fields"][0]["label"] = {"ar": "الاسم"}
    assert fs.schema_errors(missing_french) == []
    assert any("French" in p for p in fs.schema_errors(missing_french, complete=True))
    loose_file = one("file")
    assert any("Choose which document" in p for p in fs.schema_errors(loose_file, complete=True))
    unlisted = one("file", document="passport")
    assert any(
        "not in this procedure's list" in p
        for p in fs.schema_errors(unlisted, document_codes={"cin-copy"})
    )
    assert (
        fs.schema_errors(
            one("file", document="cin-copy"), complete=True, document_codes={"cin-copy"}
        )
        == []
    )


def test_keys_are_unique_across_the_form():
    twice = {
        "sections": [
            {"key": "s", "title": label("ق", "S"), "fields": [field("f", "text")]},
            {"key": "f", "title": label("ق", "S"), "fields": []},
        ]
    }
    assert any("Two elements have the key f" in p for p in fs.schema_errors(twice))


def test_answers_are_displayed_in_the_requested_language_visible_ones_only():
    from jamaati.procedures.forms_engine.display import answers_display, schema_localised

    answers = {"kind": "company", "ice": "001", "owner": True, "landlord": "ignored"}
    [section] = answers_display(CONDITIONAL, answers, language="fr")
    assert section.title == "Qui"
    with translation.override("fr"):
        yes = _("Yes")
    assert [(a.label, a.value) for a in section.answers] == [
        ("Champ kind", "Choix company"),
        ("Champ ice", "001"),
        ("Champ owner", yes),
    ]
    [ar_section] = answers_display(CONDITIONAL, answers, language="ar")
    with translation.override("ar"):
        assert ar_section.answers[2].value == _("Yes")
    preview = schema_localised(CONDITIONAL, "ar")
    assert preview[0]["fields"][0]["label_text"] == "حقل kind"
    assert preview[0]["fields"][0]["choices"][1]["label_text"] == "خيار company"
    with translation.override("ar"):
        assert preview[0]["fields"][0]["type_name"] == str(fs.FIELD_TYPES["single_choice"])
