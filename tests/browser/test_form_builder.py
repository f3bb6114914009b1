"""The form builder in a real browser, in Arabic: an organisation admin builds a small form (a
section, a text field, a yes/no field, a file field shown only on "yes") and publishes it.

axe finds no serious or critical violation on the builder's pages in Arabic and French, and
the same building works with JavaScript off (plain POSTs and the two-step condition page).
"""

from __future__ import annotations

import os
from pathlib import Path
from pprint import pformat

import pytest
from playwright.sync_api import expect

from jamaati.organisations.models import Role
from jamaati.organisations.tests.factories import MembershipFactory, StaffUserFactory
from jamaati.procedures.forms_engine import schema as s
from jamaati.procedures.models import Form, ProcedureDocument
from jamaati.procedures.tests.factories import ProcedureFactory, RequiredDocumentFactory
from tests.browser.conftest import DESKTOP, LANGUAGES, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = os.environ.get("JAMAATI_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _axe(page) -> None:
    violations = run_axe(page)
    assert violations == [], pformat(violations)


@pytest.fixture
def builder_setup(site):
    admin = MembershipFactory(
        user=StaffUserFactory(email="admin@rabat.ma"),
        organisation=site.council,
        role=Role.ORG_ADMIN,
    ).user
    procedure = ProcedureFactory(
        organisation=site.council, slug="residence", title_ar="شهادة السكنى", title_fr="Résidence"
    )
    Form.objects.create(procedure=procedure, draft=s.empty_schema())
    document = RequiredDocumentFactory(
        code="lease", name_ar="عقد الكراء", name_fr="Contrat de bail", name_en="Lease"
    )
    ProcedureDocument.objects.create(procedure=procedure, document=document)
    return admin, procedure


def _add_field(page, kind: str, label_ar: str, label_fr: str) -> None:
    fields = page.locator(".jm-builder-field")
    count = fields.count()
    page.select_option("#id_field_type", kind)
    page.fill("#id_label_ar", label_ar)
    page.fill("#id_label_fr", label_fr)
    page.click("#add-field button[type=submit]")
    # htmx swapped the editor: one more field, the new one last.
    expect(fields).to_have_count(count + 1)
    expect(fields.last.locator("strong")).to_have_text(label_ar)


def test_an_admin_builds_a_small_form_in_arabic_and_publishes_it(page, live_server, builder_setup):
    admin, procedure = builder_setup
    page.set_viewport_size(DESKTOP)
    log_in(page.context, live_server, admin, verified_staff=True)
    base = f"{live_server.url}/ar/staff/procedures/builder/"

    page.goto(base)
    page.click(f"a[href$='/builder/{procedure.pk}/']")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # A section, then three fields: each action swaps the editor in place (htmx).
    page.fill("#id_title_ar", "المعلومات")
    page.fill("#id_title_fr", "Informations")
    page.click("#add-section button[type=submit]")
    expect(page.locator(".jm-builder-section h3")).to_have_text("المعلومات")
    _add_field(page, "text", "العنوان", "Adresse")
    _add_field(page, "yes_no", "هل أنت مكتر؟", "Êtes-vous locataire ?")
    _add_field(page, "file", "عقد الكراء", "Bail")
    expect(page.locator(".jm-builder-field")).to_have_count(3)
    _shot(page, "builder-ar")
    _axe(page)

    # The file field names the listed document it is (law 55-19).
    form = Form.objects.get(procedure=procedure)
    fields = s.flat_fields(form.draft)
    file_key, yes_no_key = fields[2]["key"], fields[1]["key"]
    page.click(f"#field-{file_key} a[href$='/fields/{file_key}/']")
    page.wait_for_load_state()
    page.select_option("#id_document", "lease")
    page.check("input[name=allowed_types][value=pdf]")
    page.fill("#id_max_megabytes", "2")
    _shot(page, "builder-field-ar")
    _axe(page)
    page.click("main form button[type=submit]")
    expect(page.locator(".jm-messages")).to_be_visible()

    # The condition: show the file only when the yes/no field is "yes", picked from menus.
    page.click(f"#field-{file_key} a[href$='/conditions/{file_key}/']")
    page.wait_for_load_state()  # htmx (deferred) is ready
    page.select_option("#id_source_pick", yes_no_key)
    expect(page.locator("#condition-value select[name=value]")).to_be_visible()
    page.select_option("#condition-value select[name=op]", "equals")
    page.select_option("#condition-value select[name=value]", "yes")
    _shot(page, "builder-condition-ar")
    _axe(page)
    page.click("#condition-value button[type=submit]")
    expect(page.locator(f"#field-{file_key} .jm-builder-condition")).to_contain_text("هل أنت مكتر؟")

    # Moving the yes/no field up to the top keeps the focus on it (keyboard users): on its
    # Down button, since Up is now disabled.
    page.click(f"#field-{yes_no_key}-up")
    expect(page.locator(f"#field-{yes_no_key}-up")).to_be_disabled()
    expect(page.locator(f"#field-{yes_no_key}-down")).to_be_focused()
    expect(page.locator(".jm-builder-field strong").first).to_have_text("هل أنت مكتر؟")

    # Drag the text field below the file field (the mouse's way of moving).
    text_key = fields[0]["key"]
    below = page.locator(f"#field-{file_key}")
    height = below.bounding_box()["height"]
    page.locator(f"#field-{text_key}").drag_to(below, target_position={"x": 20, "y": height - 4})
    expect(page.locator(".jm-builder-field strong").last).to_have_text("العنوان")

    # Publish: version 1, in use.
    page.click(f"form[action$='/builder/{procedure.pk}/publish/'] button")
    expect(page.locator("#versions table")).to_be_visible()
    form.refresh_from_db()
    assert form.current_version.number == 1
    published = s.flat_fields(form.current_version.schema)
    assert [f["type"] for f in published] == ["yes_no", "file", "text"]
    assert published[1]["condition"] == {"field": yes_no_key, "op": "equals", "value": True}
    assert published[1]["document"] == "lease"
    _shot(page, "builder-published-ar")

    # The preview is the applicant's form: the file appears once "yes" is answered.
    page.goto(f"{base}{procedure.pk}/preview/ar/")
    expect(page.locator(".jm-builder-preview")).to_contain_text("عقد الكراء")
    file_input = page.locator(f"input[name=q_{file_key}]")
    expect(file_input).to_be_hidden()
    page.check(f"input[name=q_{yes_no_key}][value=true]")
    expect(file_input).to_be_visible()
    _shot(page, "builder-preview-ar")
    _axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_builder_pages_are_accessible(page, live_server, builder_setup, language):
    admin, procedure = builder_setup
    form = Form.objects.get(procedure=procedure)
    form.draft = {
        "sections": [
            {
                "key": "info",
                "title": {"ar": "المعلومات", "fr": "Informations"},
                "fields": [
                    {
                        "key": "tenant",
                        "type": "yes_no",
                        "label": {"ar": "مكتر؟", "fr": "Locataire ?"},
                        "required": True,
                    },
                    {
                        "key": "kind",
                        "type": "single_choice",
                        "label": {"ar": "النوع", "fr": "Type"},
                        "required": False,
                        "choices": [{"key": "a", "label": {"ar": "أ", "fr": "A"}}],
                        "condition": {"field": "tenant", "op": "equals", "value": True},
                    },
                    {
                        "key": "people",
                        "type": "group",
                        "label": {"ar": "الأشخاص", "fr": "Personnes"},
                        "required": False,
                        "fields": [
                            {
                                "key": "name",
                                "type": "text",
                                "label": {"ar": "الاسم", "fr": "Nom"},
                                "required": True,
                            }
                        ],
                    },
                ],
            }
        ]
    }
    form.save()
    page.set_viewport_size(DESKTOP)
    log_in(page.context, live_server, admin, verified_staff=True)
    base = f"{live_server.url}/{language}/staff/procedures/builder/"
    for path, name in (
        ("", "index"),
        (f"{procedure.pk}/", "form"),
        (f"{procedure.pk}/sections/info/", "section"),
        (f"{procedure.pk}/fields/kind/", "field"),
        (f"{procedure.pk}/conditions/kind/?source=tenant", "condition"),
        (f"{procedure.pk}/preview/{language}/", "preview"),
        (f"{procedure.pk}/preview/ar/", "preview-ar"),
    ):
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
        _shot(page, f"builder-{name}-{language}")
        _axe(page)


def test_the_builder_works_without_javascript(
    browser, browser_context_args, live_server, builder_setup
):
    admin, procedure = builder_setup
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_viewport_size(DESKTOP)
        log_in(context, live_server, admin, verified_staff=True)
        page.goto(f"{live_server.url}/fr/staff/procedures/builder/{procedure.pk}/")

        page.fill("#id_title_ar", "المعلومات")
        page.fill("#id_title_fr", "Informations")
        page.click("#add-section button[type=submit]")
        expect(page.locator(".jm-builder-section h3")).to_have_text("Informations")
        # A plain POST answered by a redirect: the notice is a flash message, not htmx's.
        expect(page.locator(".jm-messages")).to_contain_text("La section a été ajoutée.")
        for kind, label_ar, label_fr in (
            ("text", "العنوان", "Adresse"),
            ("yes_no", "هل أنت مكتر؟", "Êtes-vous locataire ?"),
        ):
            page.select_option("#id_field_type", kind)
            page.fill("#id_label_ar", label_ar)
            page.fill("#id_label_fr", label_fr)
            page.click("#add-field button[type=submit]")
        fields = page.locator(".jm-builder-field strong")
        expect(fields).to_have_count(2)
        keys = [f["key"] for f in s.flat_fields(Form.objects.get(procedure=procedure).draft)]

        # The text field is shown only when the yes/no field is "yes": two steps, no script.
        page.click(f"#field-{keys[0]}-down")
        expect(fields.first).to_have_text("Êtes-vous locataire ?")
        page.click(f"#field-{keys[0]} a[href$='/conditions/{keys[0]}/']")
        page.select_option("#id_source_pick", keys[1])
        page.click("text=Choisir ce champ")
        page.select_option("#condition-value select[name=value]", "yes")
        page.click("#condition-value button[type=submit]")
        expect(page.locator(f"#field-{keys[0]} .jm-builder-condition")).to_be_visible()

        page.click(f"form[action$='/builder/{procedure.pk}/publish/'] button")
        expect(page.locator("#versions table")).to_contain_text("Version 1")
        version = Form.objects.get(procedure=procedure).current_version
        assert [f["key"] for f in s.flat_fields(version.schema)] == [keys[1], keys[0]]
        assert s.flat_fields(version.schema)[1]["condition"]["value"] is True
    finally:
        context.close()
