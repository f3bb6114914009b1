"""The form builder's services: only the organisation's admins edit, every edit keeps the draft
sound, publishing makes a new version, and an application keeps the version it was made with."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jamaati.audit.models import AuditEvent
from jamaati.procedures import services
from jamaati.procedures.forms_engine import builder
from jamaati.procedures.models import Form, FormVersion
from jamaati.procedures.tests.conftest import VALID_ANSWERS, actor_of
from jamaati.procedures.tests.factories import choice, label
from jamaati.procedures.tests.helpers import draft_with_file


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def form(procedures) -> Form:
    return procedures.procedure.form


def test_an_admin_builds_a_form_with_sections_fields_and_a_condition(form, org_admin):
    admin = actor_of(org_admin)
    builder.form_draft_reset(form=form, actor=admin)
    section = builder.form_draft_add_section(form=form, title=label("مشروع", "Projet"), actor=admin)
    kind = builder.form_draft_add_field(
        form=form,
        section_key=section,
        field_type="single_choice",
        label=label("النوع", "Type"),
        options={"choices": [choice("house"), choice("shop")]},
        required=True,
        actor=admin,
    )
    area = builder.form_draft_add_field(
        form=form,
        section_key=section,
        field_type="number",
        label=label("المساحة", "Surface"),
        actor=admin,
    )
    builder.form_draft_set_condition(
        form=form,
        target_key=area,
        condition={"field": kind, "op": "equals", "value": "shop"},
        actor=admin,
    )
    builder.form_draft_update_field(
        form=form, field_key=area, changes={"min": 1, "required": True}, actor=admin
    )
    form.refresh_from_db()
    added = form.draft["sections"][-1]
    assert [f["key"] for f in added["fields"]] == [kind, area]
    assert added["fields"][1]["condition"] == {"field": kind, "op": "equals", "value": "shop"}
    assert added["fields"][1]["min"] == 1
    assert (
        AuditEvent.objects.filter(target_type="procedures.form", target_id=str(form.pk)).count()
        == 6
    )


def test_moving_a_field_before_the_field_its_condition_tests_is_refused(form, org_admin):
    admin = actor_of(org_admin)
    builder.form_draft_set_condition(
        form=form,
        target_key="phone",
        condition={"field": "full_name", "op": "equals", "value": "X"},
        actor=admin,
    )
    with pytest.raises(ValidationError) as caught:
        builder.form_draft_move_field(form=form, field_key="phone", position=0, actor=admin)
    assert any("placed before it" in message for message in caught.value.messages)
    with pytest.raises(ValidationError):
        builder.form_draft_remove_field(form=form, field_key="full_name", actor=admin)
    form.refresh_from_db()
    assert [f["key"] for f in form.draft["sections"][0]["fields"]] == ["full_name", "cin", "phone"]


def test_fields_move_across_sections_and_into_groups(form, org_admin):
    admin = actor_of(org_admin)
    builder.form_draft_move_field(
        form=form, field_key="phone", section_key="request", position=0, actor=admin
    )
    group = builder.form_draft_add_field(
        form=form,
        section_key="request",
        field_type="group",
        label=label("الشركاء", "Co-owners"),
        actor=admin,
    )
    builder.form_draft_add_field(
        form=form,
        section_key="request",
        group_key=group,
        field_type="cin",
        label=label("ب.ت.و", "CIN"),
        actor=admin,
    )
    form.refresh_from_db()
    request = form.draft["sections"][1]
    assert request["fields"][0]["key"] == "phone"
    assert request["fields"][-1]["fields"][0]["type"] == "cin"


def test_a_file_field_can_only_be_a_document_of_the_procedures_list(form, org_admin):
    with pytest.raises(ValidationError) as caught:
        builder.form_draft_add_field(
            form=form,
            section_key="files",
            field_type="file",
            label=label("جواز", "Passeport"),
            options={"document": "passport"},
            actor=actor_of(org_admin),
        )
    assert any("not in this procedure's list" in m for m in caught.value.messages)


def test_publishing_makes_a_new_version_and_an_application_keeps_its_own(
    procedures, form, org_admin, citizen
):
    admin = actor_of(org_admin)
    old_application = draft_with_file(procedures, citizen)
    first = form.current_version
    builder.form_draft_add_field(
        form=form,
        section_key="applicant",
        field_type="email",
        key="email",
        label=label("البريد", "Courriel"),
        required=True,
        actor=admin,
    )
    second = builder.form_publish(form=form, actor=admin)
    assert second.number == first.number + 1
    form.refresh_from_db()
    assert form.current_version == second
    new_application = services.application_start(
        procedure=procedures.procedure, applicant=citizen, actor=actor_of(citizen)
    )
    assert new_application.form_version == second
    # The old application is checked against its own version: no e-mail field there.
    services.application_submit(
        application=old_application, actor=actor_of(citizen), answers=VALID_ANSWERS
    )
    old_application.refresh_from_db()
    assert old_application.form_version == first
    assert old_application.status == "submitted"
    result = services.application_save_draft(
        application=new_application, answers={"email": "x@"}, actor=actor_of(citizen)
    )
    assert set(result.errors) == {"email"}
    new_application.refresh_from_db()
    assert new_application.answers["email"] == "x@"  # kept as typed, nothing lost


def test_a_published_version_is_frozen(form):
    version = form.current_version
    version.schema = {"sections": []}
    with pytest.raises(ValueError):
        version.save()
    assert FormVersion.objects.get(pk=version.pk).schema["sections"]


def test_publishing_an_unchanged_or_incomplete_draft_is_refused(form, org_admin):
    admin = actor_of(org_admin)
    with pytest.raises(ValidationError) as caught:
        builder.form_publish(form=form, actor=admin)
    assert caught.value.error_list[0].code == "unchanged"
    builder.form_draft_add_field(
        form=form, section_key="applicant", field_type="text", label={"ar": "العنوان"}, actor=admin
    )
    with pytest.raises(ValidationError) as caught:
        builder.form_publish(form=form, actor=admin)
    assert any("French" in m for m in caught.value.messages)


@pytest.mark.parametrize("who", ["agent", "other_org_agent", "citizen"])
def test_only_the_organisations_admins_edit_forms(form, request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        builder.form_draft_add_section(form=form, title=label("ق", "S"), actor=actor_of(user))
    with pytest.raises(PermissionDenied):
        builder.form_publish(form=form, actor=actor_of(user))


def test_an_admin_of_another_organisation_is_refused(form, world):
    from jamaati.organisations.models import Role
    from jamaati.organisations.tests.factories import MembershipFactory, StaffUserFactory

    other_admin = MembershipFactory(
        user=StaffUserFactory(email="admin@clean-co.ma"),
        organisation=world.other_organisation,
        role=Role.ORG_ADMIN,
    )
    with pytest.raises(PermissionDenied):
        builder.form_draft_add_section(
            form=form, title=label("ق", "S"), actor=actor_of(other_admin.user)
        )
