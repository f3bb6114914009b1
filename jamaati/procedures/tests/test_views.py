"""Citizen pages: the catalogue, applying without JavaScript, the draft autosave, following."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jamaati.procedures import services
from jamaati.procedures.models import Application, Channel, Status
from jamaati.procedures.tests.conftest import VALID_ANSWERS, actor_of
from jamaati.procedures.tests.factories import ProcedureFactory
from jamaati.procedures.tests.helpers import draft_with_file, in_instruction, pdf, submitted

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    with translation.override("fr"):
        return reverse(f"procedures:{name}", args=args)


def form_post(answers: dict, action: str = "review") -> dict:
    return {f"q_{key}": value for key, value in answers.items()} | {"_action": action}


# --- Catalogue -------------------------------------------------------------------------------------


def test_the_catalogue_finds_a_procedure_by_its_french_title_without_accents(client, procedures):
    procedures.procedure.title_fr = "Note de renseignements urbanistiques"
    procedures.procedure.save()
    services_text = services.procedure_search_text(procedures.procedure)
    type(procedures.procedure).objects.filter(pk=procedures.procedure.pk).update(
        search_text=services_text
    )
    other = ProcedureFactory(organisation=procedures.procedure.organisation, slug="other")
    response = client.get(url("catalogue"), {"q": "urbanistiques renseignements"})
    assert response.status_code == 200
    page = response.content.decode()
    assert url("procedure", "north", "note") in page
    assert f"/{other.slug}/" not in page


def test_the_catalogue_finds_a_procedure_in_arabic_whatever_the_harakat(client, procedures):
    procedures.procedure.title_ar = "رخصة البناء"
    procedures.procedure.save()
    type(procedures.procedure).objects.filter(pk=procedures.procedure.pk).update(
        search_text=services.procedure_search_text(procedures.procedure)
    )
    response = client.get(url("catalogue"), {"q": "رُخْصَة البِناء"})
    assert url("procedure", "north", "note") in response.content.decode()
    response = client.get(url("catalogue"), {"q": "شهادة"})
    assert url("procedure", "north", "note") not in response.content.decode()


def test_the_catalogue_filters_by_channel(client, procedures):
    ProcedureFactory(
        organisation=procedures.procedure.organisation, slug="counter-only", channel=Channel.COUNTER
    )
    response = client.get(url("catalogue"), {"channel": "online"})
    assert "/counter-only/" not in response.content.decode()
    response = client.get(url("catalogue"), {"channel": "counter"})
    assert "/counter-only/" in response.content.decode()


def test_the_catalogue_lists_procedures_in_a_bounded_number_of_queries(
    client, procedures, django_assert_max_num_queries
):
    for n in range(5):
        ProcedureFactory(organisation=procedures.procedure.organisation, slug=f"p{n}")
    with django_assert_max_num_queries(6):
        response = client.get(url("catalogue"))
    assert response.status_code == 200


def test_the_procedure_page_shows_fees_delay_documents_and_the_apply_button(client, procedures):
    response = client.get(url("procedure", "north", "note"))
    page = response.content.decode()
    with translation.override("fr"):
        assert gettext("Apply online") in page
        assert gettext("Legal processing time") in page
    assert "Copie de la CIN" in page
    assert "Plan de situation" in page


def test_an_unpublished_procedure_is_not_found(client, procedures):
    procedures.procedure.is_published = False
    procedures.procedure.save()
    assert client.get(url("procedure", "north", "note")).status_code == 404


# --- Applying ---------------------------------------------------------------------------------------


def test_an_anonymous_visitor_who_applies_is_sent_to_the_citizen_sign_in(client, procedures):
    response = client.post(url("apply", "north", "note"))
    assert response.status_code == 302
    assert "/accounts/signup/" in response["Location"]
    assert "next=" in response["Location"]
    assert not Application.objects.exists()


def test_applying_starts_a_draft_and_applying_again_resumes_it(client, procedures, citizen):
    client.force_login(citizen)
    first = client.post(url("apply", "north", "note"))
    second = client.post(url("apply", "north", "note"))
    application = Application.objects.get()
    assert first["Location"] == second["Location"] == url("form", application.reference)
    assert application.status == Status.DRAFT


def test_the_form_renders_sections_help_and_conditions_in_the_active_language(
    client, procedures, citizen
):
    application = draft_with_file(procedures, citizen)
    client.force_login(citizen)
    response = client.get(url("form", application.reference))
    page = response.content.decode()
    assert "Demandeur" in page  # section title in French
    assert 'name="q_cin"' in page
    assert "data-condition=" in page  # the parcel shows only when has_parcel is yes
    with translation.override("fr"):
        assert gettext("Save draft") in page


def test_the_form_submitted_without_javascript_files_the_application_and_shows_the_receipt(
    client, procedures, citizen
):
    client.force_login(citizen)
    client.post(url("apply", "north", "note"))
    application = Application.objects.get()
    data = form_post(VALID_ANSWERS, action="review")
    data["q_cin_copy"] = pdf()
    # A hidden question's answer (has_parcel is "no") is ignored by the engine.
    data["q_parcel"] = "not a polygon"
    response = client.post(url("form", application.reference), data)
    assert response.status_code == 302
    assert response["Location"] == url("review", application.reference)
    review = client.get(response["Location"])
    assert "Amina El Fassi" in review.content.decode()
    response = client.post(url("submit", application.reference))
    assert response["Location"] == url("receipt", application.reference)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.answers["cin"] == "AB123456"
    assert "parcel" not in application.answers
    receipt = client.get(response["Location"]).content.decode()
    assert application.reference in receipt
    assert "cin.pdf" in receipt
    assert application.issued_documents.filter(kind="receipt").exists()


def test_a_wrong_answer_is_shown_and_the_other_answers_are_kept(client, procedures, citizen):
    application = draft_with_file(procedures, citizen)
    client.force_login(citizen)
    data = form_post({**VALID_ANSWERS, "cin": "123"}, action="review")
    response = client.post(url("form", application.reference), data)
    assert response.status_code == 400
    with translation.override("fr"):
        expected = gettext(
            "Enter a national ID card number: one or two letters then digits, e.g. AB123456."
        )
    assert expected in response.content.decode().replace("&#x27;", "'")
    application.refresh_from_db()
    assert application.answers["full_name"] == "Amina El Fassi"
    assert application.answers["cin"] == "123"  # kept as typed, nothing lost
    assert application.status == Status.DRAFT


def test_submitting_without_the_mandatory_document_is_refused_with_a_message(
    client, procedures, citizen
):
    client.force_login(citizen)
    client.post(url("apply", "north", "note"))
    application = Application.objects.get()
    response = client.post(url("form", application.reference), form_post(VALID_ANSWERS, "submit"))
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_the_draft_is_saved_as_the_citizen_types(client, procedures, citizen):
    application = draft_with_file(procedures, citizen)
    client.force_login(citizen)
    response = client.post(
        url("autosave", application.reference),
        {"q_full_name": "Amina", "q_phone": "06 12"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.answers["full_name"] == "Amina"
    assert application.answers["phone"] == "06 12"  # not valid yet: kept as typed


def test_the_save_draft_button_keeps_answers_and_redirects_back_to_the_form(
    client, procedures, citizen
):
    application = draft_with_file(procedures, citizen)
    client.force_login(citizen)
    response = client.post(
        url("form", application.reference), form_post({"full_name": "Amina"}, "save")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers["full_name"] == "Amina"


def test_another_citizen_cannot_open_someone_elses_application(client, procedures, citizen):
    from jamaati.organisations.tests.factories import UserFactory

    application = draft_with_file(procedures, citizen)
    client.force_login(UserFactory(email="other@example.ma"))
    assert client.get(url("form", application.reference)).status_code == 404
    assert client.post(url("autosave", application.reference), {}).status_code == 404
    assert client.get(url("application", application.reference)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_for_my_applications(client, procedures):
    response = client.get(url("my_applications"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


# --- Following ----------------------------------------------------------------------------------------


def test_my_applications_lists_them_in_a_bounded_number_of_queries(
    client, procedures, citizen, django_assert_max_num_queries
):
    for _n in range(3):
        submitted(procedures, citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        response = client.get(url("my_applications"))
    assert response.content.decode().count("/fr/procedures/my/EP") >= 3


def test_a_completion_request_is_shown_and_the_citizen_completes_and_resubmits(
    client, procedures, citizen
):
    application = in_instruction(procedures, citizen)
    services.application_request_completion(
        application=application,
        message="Ajoutez votre numéro de téléphone",
        fields=["phone"],
        actor=actor_of(procedures.instructor),
    )
    client.force_login(citizen)
    page = client.get(url("application", application.reference)).content.decode()
    assert "Ajoutez votre numéro de téléphone" in page
    form_page = client.get(url("form", application.reference)).content.decode()
    with translation.override("fr"):
        flag = gettext("The department asks you to correct or complete this.")
    assert form_page.count(flag.replace("'", "&#x27;")) == 1  # the phone question only
    response = client.post(
        url("form", application.reference),
        form_post({**VALID_ANSWERS, "phone": "0611223344"}, "submit"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.IN_INSTRUCTION
    assert application.answers["phone"] == "+212611223344"
    assert application.paused_since is None


def test_the_citizen_sends_a_message_with_an_attachment(client, procedures, citizen):
    application = submitted(procedures, citizen)
    client.force_login(citizen)
    response = client.post(
        url("message", application.reference),
        {"body": "Bonjour, voici le plan.", "attachments": [pdf("plan.pdf")]},
    )
    assert response.status_code == 302
    message = application.messages.get()
    assert message.attachments.count() == 1
    page = client.get(url("application", application.reference)).content.decode()
    assert "Bonjour, voici le plan." in page


def test_the_decision_and_its_document_show_on_the_application_page(client, procedures, citizen):
    application = in_instruction(procedures, citizen)
    services.application_decide(
        application=application,
        approved=False,
        reasons="Zone non constructible",
        actor=actor_of(procedures.instructor),
    )
    client.force_login(citizen)
    page = client.get(url("application", application.reference)).content.decode()
    assert "Zone non constructible" in page
    decision = application.issued_documents.get(kind="decision")
    assert decision.number in page


def test_the_receipt_links_to_its_pdf_and_to_the_verification_page(client, procedures, citizen):
    application = submitted(procedures, citizen)
    receipt = application.issued_documents.get(kind="receipt")
    client.force_login(citizen)
    page = client.get(url("receipt", application.reference)).content.decode()
    with translation.override("fr"):
        assert reverse("verify:download", args=[receipt.pk]) in page
        assert reverse("verify:document", args=[receipt.verification_token]) in page
    assert receipt.number in page


def test_a_citizen_downloads_their_own_file_and_nobody_else_can(client, procedures, citizen):
    from jamaati.organisations.tests.factories import UserFactory

    application = submitted(procedures, citizen)
    document = application.documents.get()
    client.force_login(citizen)
    response = client.get(url("file", application.reference, document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(UserFactory(email="other@example.ma"))
    assert client.get(url("file", application.reference, document.pk)).status_code == 404


def test_the_citizen_withdraws_an_open_application(client, procedures, citizen):
    application = submitted(procedures, citizen)
    client.force_login(citizen)
    client.post(url("withdraw", application.reference))
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
