"""How dates, numbers, codes and form fields are written on the pages, in each language."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.contrib.auth.tokens import default_token_generator
from django.template import Context, Template
from django.utils import formats, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from jamaati.accounts.forms import (
    CitizenCodeRequestForm,
    CodeForm,
    DeleteAccountForm,
    ProfileForm,
    StaffLoginForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
)
from jamaati.audit.tests.factories import AuditEventFactory
from jamaati.audit.tests.logins import log_in_verified
from jamaati.organisations.tests.factories import StaffUserFactory

CASABLANCA = ZoneInfo("Africa/Casablanca")
MOMENT = datetime.datetime(2026, 11, 23, 16, 5, tzinfo=CASABLANCA)
DISPLAY_FORMATS = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
]
LANGUAGES = ["ar", "fr", "en", "zgh"]
# Arabic-Indic (U+0660-0669) and Eastern Arabic-Indic (U+06F0-06F9) digits, bidi marks.
NON_WESTERN_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")


def _written(language: str, format_name: str, value=MOMENT) -> str:
    with translation.override(language):
        return formats.date_format(value, format_name)


@pytest.mark.parametrize(
    ("language", "format_name", "expected"),
    [
        ("ar", "DATE_FORMAT", "23 نوفمبر 2026"),
        ("ar", "DATETIME_FORMAT", "23 نوفمبر 2026 16:05"),
        ("ar", "SHORT_DATE_FORMAT", "23/11/2026"),
        ("ar", "SHORT_DATETIME_FORMAT", "23/11/2026 16:05"),
        ("ar", "TIME_FORMAT", "16:05"),
        ("fr", "DATE_FORMAT", "23 novembre 2026"),
        ("fr", "DATETIME_FORMAT", "23 novembre 2026 16:05"),
        ("fr", "SHORT_DATETIME_FORMAT", "23/11/2026 16:05"),
        ("en", "DATE_FORMAT", "23 November 2026"),
        ("en", "SHORT_DATETIME_FORMAT", "23/11/2026 16:05"),
        ("zgh", "DATE_FORMAT", "23/11/2026"),
        ("zgh", "DATETIME_FORMAT", "23/11/2026 16:05"),
    ],
)
def test_dates_are_written_day_month_year_in_each_language(language, format_name, expected):
    assert _written(language, format_name) == expected


@pytest.mark.parametrize("format_name", DISPLAY_FORMATS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_use_western_digits_a_24_hour_clock_and_no_bidi_marks(language, format_name):
    written = _written(language, format_name)

    assert not NON_WESTERN_DIGITS.search(written), written
    assert not BIDI_MARKS.search(written), written
    # Django's Arabic default is a 12-hour clock with ص/م, its English one a.m./p.m.
    assert not re.search(r"[صم]$|[ap]\.m\.|[AP]M", written), written
    if "H" in formats.get_format(format_name, lang=language) or format_name == "TIME_FORMAT":
        assert "16:05" in written


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_day_comes_before_the_month_in_every_language(language):
    # The 2nd of March: a month-first format would write 03 or "March" before 2.
    moment = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=CASABLANCA)

    assert _written(language, "SHORT_DATE_FORMAT", moment) == "02/03/2026"
    assert re.match(r"0?2\D", _written(language, "DATE_FORMAT", moment))


def test_tamazight_dates_have_no_arabic_month_names():
    # Django has no Tamazight month names: they would come out in Arabic, its fallback.
    for format_name in DISPLAY_FORMATS:
        assert not re.search("[\u0600-\u06ff]", _written("zgh", format_name)), format_name


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "typed", ["2026-03-02", "02/03/2026", "02/03/26"], ids=["iso", "day-first", "short-year"]
)
def test_a_typed_date_is_read_day_first(language, typed):
    with translation.override(language):
        assert forms.DateField().clean(typed) == datetime.date(2026, 3, 2)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_picker_gets_its_value_in_iso_form(language):
    # <input type="date"> accepts only 2026-11-23: a localised value would show an empty field.
    widget = forms.DateInput(attrs={"type": "date"})

    with translation.override(language):
        html = widget.render("day", datetime.date(2026, 11, 23))

    assert 'value="2026-11-23"' in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "1.275.428"),
        ("fr", "1\u202f275\u202f428"),
        ("en", "1,275,428"),
        ("zgh", "1\u00a0275\u00a0428"),
    ],
)
def test_populations_are_grouped_with_the_languages_thousands_separator(language, expected):
    template = Template("{% load jamaati_ui %}{{ value|grouped }}")

    with translation.override(language):
        assert template.render(Context({"value": 1275428})) == expected


def _isolated(text: str) -> str:
    return Template("{% load jamaati_ui %}{{ text|isolate_numbers }}").render(
        Context({"text": text})
    )


def test_a_code_in_a_sentence_is_isolated_and_the_full_stop_stays_outside():
    html = _isolated("أو رمزًا للمندوبية السامية للتخطيط مثل 01.511.")

    assert html.endswith('مثل <bdi dir="ltr">01.511</bdi>.')


def test_isolating_numbers_still_escapes_the_text_and_leaves_character_references_whole():
    html = _isolated("<b>d'importance</b> 04.421.01.0")

    assert html == ('&lt;b&gt;d&#x27;importance&lt;/b&gt; <bdi dir="ltr">04.421.01.0</bdi>')


@pytest.mark.django_db
def test_the_search_hint_isolates_its_example_code(client):
    html = client.get("/ar/territories/search/").content.decode()

    assert '<bdi dir="ltr">01.511</bdi>.' in html


@pytest.mark.django_db
def test_my_data_shows_arabic_dates_day_first(client, citizen):
    with time_machine.travel(MOMENT, tick=False):
        client.force_login(citizen)
        citizen.refresh_from_db()
        citizen.date_joined = MOMENT
        citizen.save(update_fields=["date_joined"])
        html = client.get("/ar/accounts/my-data/").content.decode()

    assert "23 نوفمبر 2026 16:05" in html
    assert "نوفمبر 23," not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "absent"), [("ar", "11/23/2026"), ("fr", "11/23/2026")])
def test_the_audit_log_writes_the_day_first(client, world, org_admin, agent, language, absent):
    with time_machine.travel(MOMENT, tick=False):
        AuditEventFactory(organisation=world.organisation, actor=agent)
    log_in_verified(client, org_admin)

    html = client.get(f"/{language}/audit/").content.decode()

    assert "23/11/2026 16:05" in html
    assert absent not in html


# --- Form fields ---------------------------------------------------------------------------


def _account_forms():
    return [
        CitizenCodeRequestForm(),
        CodeForm(),
        StaffLoginForm(),
        StaffPasswordResetForm(),
        StaffSetPasswordForm(user=None),
        ProfileForm(),
        DeleteAccountForm(),
    ]


@pytest.mark.django_db
def test_every_accounts_form_field_has_bootstraps_class_for_its_widget():
    expected = {"checkbox": "form-check-input", "select": "form-select"}
    for form in _account_forms():
        for bound in form:
            classes = bound.field.widget.attrs.get("class", "").split()
            wanted = expected.get(bound.widget_type, "form-control")
            assert wanted in classes, (type(form).__name__, bound.name, classes)


def test_a_code_is_typed_left_to_right_on_a_number_pad_and_filled_from_the_message():
    html = str(CodeForm()["code"])

    for attribute in (
        'dir="ltr"',
        'inputmode="numeric"',
        'autocomplete="one-time-code"',
        'class="form-control jm-code-input"',
    ):
        assert attribute in html


@pytest.mark.django_db
def test_addresses_and_passwords_are_typed_left_to_right():
    assert 'dir="ltr"' in str(CitizenCodeRequestForm()["destination"])
    assert 'dir="ltr"' in str(StaffLoginForm()["username"])
    assert 'dir="ltr"' in str(StaffLoginForm()["password"])
    assert 'dir="ltr"' in str(StaffPasswordResetForm()["email"])
    # A name is typed in the page's own direction.
    assert "dir=" not in str(CitizenCodeRequestForm()["full_name"])


def test_a_field_in_error_is_marked_invalid_for_bootstrap():
    form = CodeForm(data={"code": ""})

    assert not form.is_valid()
    html = str(form["code"])
    assert "is-invalid" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_sign_up_page_draws_styled_fields_and_a_brand_button(client, language):
    html = client.get(f"/{language}/accounts/signup/").content.decode()

    assert 'class="form-control"' in html
    assert 'class="form-select"' in html
    assert "btn btn-brand" in html
    assert "btn-primary" not in html
    # Django names these ids in each widget's aria-describedby: they must exist.
    assert 'id="id_destination_helptext"' in html


@pytest.mark.django_db
def test_the_password_reset_link_page_draws_styled_fields(client):
    user = StaffUserFactory()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(f"/fr/accounts/password-reset/{uid}/{token}/", follow=True)

    html = response.content.decode()
    assert 'name="new_password1"' in html
    assert re.search(r'<input type="password" name="new_password1"[^>]*class="form-control"', html)
