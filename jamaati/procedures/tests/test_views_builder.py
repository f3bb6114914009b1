"""The no-code form builder's pages: each action as a plain POST and with htmx, the preview in
each language, publication into versions, and everybody but the organisation's admins refused.

Behaviour tests use the English pages (/en/…) and compute displayed texts with gettext under
`translation.override`; the pages are also rendered in Arabic and French.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.logins import log_in_verified
from jamaati.organisations.models import Role
from jamaati.organisations.tests.factories import MembershipFactory, StaffUserFactory
from jamaati.procedures import services
from jamaati.procedures.forms_engine import schema as s
from jamaati.procedures.models import Form, FormVersion
from jamaati.procedures.tests.conftest import actor_of
from jamaati.procedures.tests.factories import ProcedureFactory, publish_schema

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"procedures_builder:{name}", args=args)


@pytest.fixture
def form(procedures) -> Form:
    return procedures.procedure.form


@pytest.fixture
def admin_client(client, org_admin):
    return log_in_verified(client, org_admin)


def draft_of(form: Form) -> dict:
    form.refresh_from_db()
    return form.draft


def section_keys(form: Form) -> list[str]:
    return [section["key"] for section in draft_of(form)["sections"]]


def field_keys(form: Form, section_key: str) -> list[str]:
    for section in draft_of(form)["sections"]:
        if section["key"] == section_key:
            return [field["key"] for field in section["fields"]]
    raise AssertionError(section_key)


def field_of(form: Form, key: str) -> dict:
    return s.field_index(draft_of(form))[key]


def form_audits(form: Form) -> int:
    return AuditEvent.objects.filter(target_type="procedures.form", target_id=str(form.pk)).count()


LABELS = {"label_ar": "الاسم الكامل", "label_fr": "Nom complet", "label_en": "Full name"}


# --- Who may build ----------------------------------------------------------------------------


def test_an_org_admin_sees_their_procedures_with_the_version_in_use_and_counts(
    admin_client, procedures, citizen
):
    services.application_start(
        procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
    )
    response = admin_client.get(url("index"))
    assert response.status_code == 200
    row = next(p for p in response.context["groups"][0]["procedures"])
    assert row == procedures.procedure
    assert row.version_count == 1
    assert row.application_count == 1
    with translation.override("en"):
        assert _("Version %(number)s") % {"number": 1} in response.content.decode()


def test_the_list_of_procedures_takes_as_many_queries_for_many_procedures_as_for_one(
    admin_client, procedures, world
):
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url("index"))
    for number in range(3):
        procedure = ProcedureFactory(organisation=world.organisation, slug=f"more-{number}")
        publish_schema(procedure, draft_of(procedures.procedure.form))
    with CaptureQueriesContext(connection) as four:
        response = admin_client.get(url("index"))
    assert len(response.context["groups"][0]["procedures"]) == 4
    assert len(four) == len(one)


@pytest.mark.parametrize("persona", ["agent", "other_org_agent"])
def test_staff_who_are_not_admins_are_refused_every_builder_page(
    client, procedures, request, persona
):
    log_in_verified(client, request.getfixturevalue(persona))
    pk = procedures.procedure.pk
    assert client.get(url("index")).status_code == 403
    assert client.get(url("form", pk)).status_code == 404
    assert client.get(url("preview", pk, "ar")).status_code == 404
    assert client.post(url("section_add", pk), {"title_ar": "قسم"}).status_code == 404
    assert client.post(url("publish", pk)).status_code == 404


def test_an_admin_of_another_organisation_is_refused_this_organisations_form(
    client, procedures, world, form
):
    outsider = MembershipFactory(
        user=StaffUserFactory(email="admin@other.ma"),
        organisation=world.other_organisation,
        role=Role.ORG_ADMIN,
    ).user
    log_in_verified(client, outsider)
    pk = procedures.procedure.pk
    before = draft_of(form)
    response = client.get(url("index"))
    assert response.status_code == 200
    assert procedures.procedure.title not in response.content.decode()
    assert client.get(url("form", pk)).status_code == 404
    assert client.get(url("field_edit", pk, "full_name")).status_code == 404
    assert client.post(url("field_delete", pk, "full_name")).status_code == 404
    assert client.post(url("field_move", pk, "cin"), {"direction": "up"}).status_code == 404
    assert client.post(url("publish", pk)).status_code == 404
    assert draft_of(form) == before


def test_a_citizen_is_refused_and_a_visitor_is_sent_to_sign_in(client, procedures, citizen):
    pk = procedures.procedure.pk
    response = client.get(url("form", pk))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client.force_login(citizen)
    assert client.get(url("form", pk)).status_code == 403
    assert client.post(url("publish", pk)).status_code == 403


def test_a_platform_admin_builds_any_organisations_form(client, procedures, platform_admin, form):
    log_in_verified(client, platform_admin)
    assert client.get(url("form", procedures.procedure.pk)).status_code == 200
    client.post(url("section_add", procedures.procedure.pk), {"title_ar": "قسم", "title_fr": "S"})
    assert len(section_keys(form)) == 4


# --- Sections ------------------------------------------------------------------------------------


def test_adding_a_section_keeps_its_title_and_help_in_each_language_and_is_audited(
    admin_client, procedures, form
):
    audits = form_audits(form)
    response = admin_client.post(
        url("section_add", procedures.procedure.pk),
        {
            "title_ar": "البناء",
            "title_fr": "Construction",
            "title_en": "Building",
            "help_fr": "Décrivez le projet.",
        },
    )
    assert response.status_code == 302
    section = draft_of(form)["sections"][-1]
    assert section["title"] == {"ar": "البناء", "fr": "Construction", "en": "Building"}
    assert section["help"] == {"fr": "Décrivez le projet."}
    assert form_audits(form) == audits + 1


def test_a_section_without_any_title_is_refused_and_nothing_changes(admin_client, procedures, form):
    before = draft_of(form)
    response = admin_client.post(url("section_add", procedures.procedure.pk), {"help_fr": "Aide"})
    assert response.status_code == 200
    assert response.context["section_form"].errors
    assert draft_of(form) == before


def test_editing_a_section_changes_its_titles(admin_client, procedures, form):
    pk = procedures.procedure.pk
    assert admin_client.get(url("section_edit", pk, "request")).status_code == 200
    admin_client.post(
        url("section_edit", pk, "request"),
        {"title_ar": "الطلب الجديد", "title_fr": "Nouvelle demande", "title_en": "New request"},
    )
    assert draft_of(form)["sections"][1]["title"]["en"] == "New request"


def test_sections_move_up_and_down(admin_client, procedures, form):
    pk = procedures.procedure.pk
    admin_client.post(url("section_move", pk, "files"), {"direction": "up"})
    assert section_keys(form) == ["applicant", "files", "request"]
    admin_client.post(url("section_move", pk, "applicant"), {"direction": "down"})
    assert section_keys(form) == ["files", "applicant", "request"]


def test_moving_the_first_section_up_is_refused_clearly(admin_client, procedures, form):
    response = admin_client.post(
        url("section_move", procedures.procedure.pk, "applicant"), {"direction": "up"}, follow=True
    )
    with translation.override("en"):
        assert _("This section cannot move that way.") in response.content.decode()
    assert section_keys(form) == ["applicant", "request", "files"]


def test_removing_a_section_removes_its_fields(admin_client, procedures, form):
    admin_client.post(url("section_delete", procedures.procedure.pk, "applicant"))
    assert section_keys(form) == ["request", "files"]
    assert "full_name" not in s.field_index(draft_of(form))


# --- Fields -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("field_type", list(s.FIELD_TYPES))
def test_a_field_of_every_type_can_be_added_to_a_section(
    admin_client, procedures, form, field_type
):
    response = admin_client.post(
        url("field_add", procedures.procedure.pk),
        {"where": "section:request", "field_type": field_type, "required": "on", **LABELS},
    )
    assert response.status_code == 302
    added = draft_of(form)["sections"][1]["fields"][-1]
    assert added["type"] == field_type
    assert added["label"] == {"ar": "الاسم الكامل", "fr": "Nom complet", "en": "Full name"}
    assert added["required"] is True


def test_a_field_may_be_given_its_technical_name_unless_another_element_has_it(
    admin_client, procedures, form
):
    pk = procedures.procedure.pk
    admin_client.post(
        url("field_add", pk),
        {"where": "section:request", "field_type": "text", "key": "address", **LABELS},
    )
    assert field_keys(form, "request")[-1] == "address"
    response = admin_client.post(
        url("field_add", pk),
        {"where": "section:request", "field_type": "text", "key": "cin", **LABELS},
    )
    with translation.override("en"):
        assert any(
            (_("Two elements have the key %(key)s.") % {"key": "cin"}) in error
            for error in response.context["errors"]
        )
    response = admin_client.post(
        url("field_add", pk),
        {"where": "section:request", "field_type": "text", "key": "Adresse 2", **LABELS},
    )
    assert response.context["field_form"].errors["key"]
    assert field_keys(form, "request").count("address") == 1
    assert len(field_keys(form, "request")) == 4


def test_a_field_can_be_added_inside_a_repeatable_group_but_not_a_file(
    admin_client, procedures, form
):
    pk = procedures.procedure.pk
    admin_client.post(
        url("field_add", pk), {"where": "section:request", "field_type": "group", **LABELS}
    )
    group_key = draft_of(form)["sections"][1]["fields"][-1]["key"]
    admin_client.post(
        url("field_add", pk), {"where": f"group:{group_key}", "field_type": "text", **LABELS}
    )
    response = admin_client.post(
        url("field_add", pk), {"where": f"group:{group_key}", "field_type": "file", **LABELS}
    )
    group = field_of(form, group_key)
    assert [sub["type"] for sub in group["fields"]] == ["text"]
    assert response.context["field_form"].errors["field_type"]


def test_editing_a_field_saves_its_label_and_help_in_three_languages(
    admin_client, procedures, form
):
    pk = procedures.procedure.pk
    assert admin_client.get(url("field_edit", pk, "full_name")).status_code == 200
    response = admin_client.post(
        url("field_edit", pk, "full_name"),
        {
            "label_ar": "الاسم الشخصي والعائلي",
            "label_fr": "Prénom et nom",
            "label_en": "First and last name",
            "help_ar": "كما في البطاقة الوطنية",
            "help_fr": "Comme sur la CIN",
            "help_en": "As on the ID card",
            "required": "",
            "max_length": "120",
        },
    )
    assert response.status_code == 302
    field = field_of(form, "full_name")
    assert field["label"] == {
        "ar": "الاسم الشخصي والعائلي",
        "fr": "Prénom et nom",
        "en": "First and last name",
    }
    assert field["help"]["en"] == "As on the ID card"
    assert field["required"] is False
    assert field["max_length"] == 120


def test_choices_are_edited_as_rows_and_keep_their_keys(admin_client, procedures, form):
    pk = procedures.procedure.pk
    response = admin_client.post(
        url("field_edit", pk, "purpose"),
        {
            **LABELS,
            "required": "on",
            "choice-TOTAL_FORMS": "4",
            "choice-INITIAL_FORMS": "2",
            "choice-MIN_NUM_FORMS": "0",
            "choice-MAX_NUM_FORMS": "100",
            "choice-0-key": "build",
            "choice-0-label_ar": "بناء",
            "choice-0-label_fr": "Construire",
            "choice-1-key": "sell",
            "choice-1-label_fr": "Vendre",
            "choice-1-delete": "on",
            "choice-2-label_ar": "كراء",
            "choice-2-label_fr": "Louer un local",
            "choice-2-label_en": "Rent",
        },
    )
    assert response.status_code == 302
    choices = field_of(form, "purpose")["choices"]
    assert [c["key"] for c in choices] == ["build", "louer_un_local"]
    assert choices[1]["label"] == {"ar": "كراء", "fr": "Louer un local", "en": "Rent"}


def test_a_file_field_takes_its_types_size_and_listed_document(admin_client, procedures, form):
    response = admin_client.post(
        url("field_edit", procedures.procedure.pk, "cin_copy"),
        {
            **LABELS,
            "required": "on",
            "document": "site-plan",
            "allowed_types": ["pdf", "png"],
            "max_megabytes": "2.5",
            "max_files": "3",
        },
    )
    assert response.status_code == 302
    field = field_of(form, "cin_copy")
    assert field["document"] == "site-plan"
    assert field["allowed_types"] == ["pdf", "png"]
    assert field["max_bytes"] == int(2.5 * 1024 * 1024)
    assert field["max_files"] == 3


def test_a_file_larger_than_the_platform_allows_is_refused(
    admin_client, procedures, form, settings
):
    before = field_of(form, "cin_copy")
    response = admin_client.post(
        url("field_edit", procedures.procedure.pk, "cin_copy"),
        {**LABELS, "max_megabytes": str(settings.UPLOAD_MAX_BYTES // (1024 * 1024) + 1)},
    )
    assert response.status_code == 200
    assert response.context["edit_form"].errors["max_megabytes"]
    assert field_of(form, "cin_copy") == before


def test_fields_move_up_and_down_and_across_sections(admin_client, procedures, form):
    pk = procedures.procedure.pk
    admin_client.post(url("field_move", pk, "phone"), {"direction": "up"})
    assert field_keys(form, "applicant") == ["full_name", "phone", "cin"]
    admin_client.post(url("field_move", pk, "cin"), {"direction": "down"})
    assert field_keys(form, "applicant") == ["full_name", "phone"]
    assert field_keys(form, "request")[0] == "cin"
    admin_client.post(url("field_move", pk, "cin"), {"direction": "up"})
    assert field_keys(form, "applicant") == ["full_name", "phone", "cin"]


def test_a_dropped_field_goes_to_the_place_given(admin_client, procedures, form):
    pk = procedures.procedure.pk
    admin_client.post(url("field_move", pk, "cin"), {"position": "1", "section": "request"})
    assert field_keys(form, "applicant") == ["full_name", "phone"]
    assert field_keys(form, "request")[:2] == ["purpose", "cin"]
    admin_client.post(url("section_move", pk, "files"), {"position": "0"})
    assert section_keys(form) == ["files", "applicant", "request"]


def test_a_move_that_puts_a_field_before_the_one_its_condition_tests_is_refused(
    admin_client, procedures, form
):
    pk = procedures.procedure.pk
    before = draft_of(form)
    response = admin_client.post(url("field_move", pk, "parcel"), {"direction": "up"}, follow=True)
    assert draft_of(form) == before
    assert "placed before it" in response.content.decode()
    # The message names the field by its label, not by its place in the JSON.
    assert "sections[" not in response.content.decode()


def test_removing_a_field(admin_client, procedures, form):
    admin_client.post(url("field_delete", procedures.procedure.pk, "phone"))
    assert field_keys(form, "applicant") == ["full_name", "cin"]


def test_removing_a_field_that_a_condition_tests_is_refused(admin_client, procedures, form):
    admin_client.post(url("field_delete", procedures.procedure.pk, "has_parcel"))
    assert "has_parcel" in field_keys(form, "request")


# --- Conditions ---------------------------------------------------------------------------------------


def test_the_condition_page_offers_only_the_fields_placed_before(admin_client, procedures):
    response = admin_client.get(url("condition", procedures.procedure.pk, "purpose"))
    offered = [key for key, _label in response.context["condition_form"].fields["source"].choices]
    # cin and phone cannot be tested (not a comparable type); parcel comes later.
    assert offered == ["full_name"]


def test_a_condition_on_a_yes_no_field_is_picked_from_menus(admin_client, procedures, form):
    pk = procedures.procedure.pk
    response = admin_client.get(url("condition", pk, "files"), {"source": "has_parcel"})
    value_field = response.context["condition_form"].fields["value"]
    assert [key for key, _label in value_field.choices] == ["yes", "no"]
    # The second step carries the chosen field to the POST.
    assert '<input type="hidden" name="source" value="has_parcel">' in response.content.decode()
    response = admin_client.post(
        url("condition", pk, "files"), {"source": "has_parcel", "op": "equals", "value": "no"}
    )
    assert response.status_code == 302
    assert draft_of(form)["sections"][2]["condition"] == {
        "field": "has_parcel",
        "op": "equals",
        "value": False,
    }


def test_a_condition_on_a_choice_field_offers_its_choices(admin_client, procedures, form):
    pk = procedures.procedure.pk
    response = admin_client.get(url("condition", pk, "has_parcel"), {"source": "purpose"})
    value_field = response.context["condition_form"].fields["value"]
    assert [key for key, _label in value_field.choices] == ["build", "sell"]
    admin_client.post(
        url("condition", pk, "has_parcel"), {"source": "purpose", "op": "equals", "value": "sell"}
    )
    assert field_of(form, "has_parcel")["condition"] == {
        "field": "purpose",
        "op": "equals",
        "value": "sell",
    }


def test_a_condition_on_a_commune_field_offers_the_organisations_communes(
    admin_client, procedures, form, world
):
    pk = procedures.procedure.pk
    admin_client.post(
        url("field_add", pk), {"where": "section:applicant", "field_type": "commune", **LABELS}
    )
    commune_key = draft_of(form)["sections"][0]["fields"][-1]["key"]
    response = admin_client.get(url("condition", pk, "request"), {"source": commune_key})
    offered = [code for code, _name in response.context["condition_form"].fields["value"].choices]
    assert world.commune.code in offered
    admin_client.post(
        url("condition", pk, "request"),
        {"source": commune_key, "op": "equals", "value": world.commune.code},
    )
    assert draft_of(form)["sections"][1]["condition"] == {
        "field": commune_key,
        "op": "equals",
        "value": world.commune.code,
    }


def test_a_value_that_is_not_a_choice_is_refused(admin_client, procedures, form):
    response = admin_client.post(
        url("condition", procedures.procedure.pk, "has_parcel"),
        {"source": "purpose", "op": "equals", "value": "steal"},
    )
    assert response.status_code == 200
    assert response.context["condition_form"].errors["value"]
    assert "condition" not in field_of(form, "has_parcel")


def test_the_value_step_answers_htmx_with_the_value_part_only(admin_client, procedures):
    response = admin_client.get(
        url("condition", procedures.procedure.pk, "files"),
        {"source": "purpose"},
        headers={"HX-Request": "true"},
    )
    assert response.templates[0].name == "procedures/builder/_condition_value.html"


def test_removing_a_condition(admin_client, procedures, form):
    admin_client.post(url("condition_remove", procedures.procedure.pk, "parcel"))
    assert "condition" not in field_of(form, "parcel")


# --- htmx ---------------------------------------------------------------------------------------------


def test_with_htmx_a_move_answers_with_the_editor_only_and_keeps_the_focus(
    admin_client, procedures, form
):
    response = admin_client.post(
        url("field_move", procedures.procedure.pk, "phone"),
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "procedures/builder/_editor.html"
    html = response.content.decode()
    assert 'id="field-phone-up" autofocus' in html
    assert "<html" not in html
    with translation.override("en"):
        assert _("The field was moved.") in html


def test_with_htmx_a_refusal_is_shown_in_the_editor(admin_client, procedures, form):
    response = admin_client.post(
        url("field_delete", procedures.procedure.pk, "has_parcel"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.context["errors"]
    assert 'role="alert"' in response.content.decode()


# --- Preview -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", "حقل full_name"), ("fr", "Champ full_name"), ("en", "Champ full_name")],
)
def test_the_preview_shows_the_draft_in_each_language(admin_client, procedures, language, expected):
    response = admin_client.get(url("preview", procedures.procedure.pk, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert f'lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}"' in html
    # The applicant's own renderer: the parcel's condition is there for its script.
    assert 'name="q_parcel"' in html
    assert "data-condition=" in html
    with translation.override(language):
        assert _("Yes") in html


def test_the_preview_in_english_shows_the_english_label_once_given(admin_client, procedures):
    admin_client.post(url("field_edit", procedures.procedure.pk, "full_name"), LABELS)
    html = admin_client.get(url("preview", procedures.procedure.pk, "en")).content.decode()
    assert "Full name" in html


def test_an_unknown_preview_language_is_not_found(admin_client, procedures):
    assert admin_client.get(url("preview", procedures.procedure.pk, "de")).status_code == 404


# --- Publication and versions ------------------------------------------------------------------


def test_publishing_makes_a_new_version_while_applications_keep_theirs(
    admin_client, procedures, form, citizen
):
    pk = procedures.procedure.pk
    earlier = services.application_start(
        procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
    )
    admin_client.post(url("field_delete", pk, "phone"))
    response = admin_client.post(url("publish", pk), follow=True)
    form.refresh_from_db()
    assert form.current_version.number == 2
    assert "phone" not in s.field_index(form.current_version.schema)
    earlier.refresh_from_db()
    assert earlier.form_version.number == 1
    assert "phone" in s.field_index(earlier.form_version.schema)
    versions = {v.number: v.application_count for v in response.context["versions"]}
    assert versions == {2: 0, 1: 1}
    with translation.override("en"):
        assert (
            _(
                "Version %(number)d is published: new applications use it; earlier ones keep their own."
            )
            % {"number": 2}
            in response.content.decode()
        )


def test_publishing_an_unchanged_draft_is_refused(admin_client, procedures, form):
    response = admin_client.post(url("publish", procedures.procedure.pk), follow=True)
    with translation.override("en"):
        assert _("Nothing changed since the last published version.") in response.content.decode()
    assert FormVersion.objects.filter(form=form).count() == 1


def test_publishing_a_choice_field_without_choices_is_refused_in_the_admins_language(
    client, org_admin, procedures, form
):
    log_in_verified(client, org_admin)
    pk = procedures.procedure.pk
    client.post(
        url("field_add", pk),
        {"where": "section:request", "field_type": "single_choice", **LABELS},
    )
    response = client.post(url("publish", pk, language="fr"), follow=True)
    html = response.content.decode()
    with translation.override("fr"):
        assert _("Give at least one choice.") in html
        assert (_("field “%(label)s”") % {"label": "Nom complet"}) in html
    assert FormVersion.objects.filter(form=form).count() == 1


def test_the_publish_panel_lists_what_is_missing_before_publishing(admin_client, procedures):
    admin_client.post(
        url("field_add", procedures.procedure.pk),
        {"where": "section:request", "field_type": "text", "label_ar": "فقط بالعربية"},
    )
    response = admin_client.get(url("form", procedures.procedure.pk))
    with translation.override("en"):
        missing = _("%(what)s is missing in %(language)s.") % {
            "what": _("The label"),
            "language": _("French"),
        }
    assert any(missing in problem for problem in response.context["problems"])


def test_a_published_version_can_be_previewed(admin_client, procedures):
    response = admin_client.get(url("version_preview", procedures.procedure.pk, 1, "fr"))
    assert response.status_code == 200
    assert "Champ full_name" in response.content.decode()
    assert (
        admin_client.get(url("version_preview", procedures.procedure.pk, 9, "fr")).status_code
        == 404
    )


def test_discarding_the_drafts_changes_returns_to_the_published_version(
    admin_client, procedures, form
):
    pk = procedures.procedure.pk
    admin_client.post(url("field_delete", pk, "phone"))
    admin_client.post(url("reset", pk))
    assert draft_of(form) == form.current_version.schema


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_every_builder_page_renders_in_each_language(admin_client, procedures, language):
    pk = procedures.procedure.pk
    for page in (
        url("index", language=language),
        url("form", pk, language=language),
        url("section_edit", pk, "request", language=language),
        url("field_edit", pk, "purpose", language=language),
        url("field_edit", pk, "cin_copy", language=language),
        url("condition", pk, "parcel", language=language),
        url("preview", pk, "ar", language=language),
    ):
        response = admin_client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{language}"' in response.content.decode()
