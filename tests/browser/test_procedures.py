"""E-services in a real browser, in Arabic: apply with a document, completion, opinion, decision,
the QR verification page; the application form without JavaScript; axe on every new page."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from jamaati.organisations.models import Membership, Organisation, Role
from jamaati.organisations.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationKindFactory,
    StaffUserFactory,
    UserFactory,
)
from jamaati.procedures.models import Application, Channel, Procedure, Status
from jamaati.procedures.tests.factories import (
    ProcedureFactory,
    RequiredDocumentFactory,
    choice,
    field,
    label,
    publish_schema,
)
from tests.browser.conftest import DESKTOP, LANGUAGES, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = os.environ.get("JAMAATI_SCREENSHOTS")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SCHEMA = {
    "sections": [
        {
            "key": "applicant",
            "title": label("مقدم الطلب", "Demandeur"),
            "fields": [
                field("full_name", "text", required=True),
                field("cin", "cin", required=True),
                field("phone", "phone"),
            ],
        },
        {
            "key": "request",
            "title": label("الطلب", "Demande"),
            "fields": [
                field(
                    "purpose",
                    "single_choice",
                    required=True,
                    choices=[choice("build"), choice("sell")],
                ),
                field("has_parcel", "yes_no"),
                field(
                    "parcel",
                    "parcel",
                    required=True,
                    condition={"field": "has_parcel", "op": "equals", "value": True},
                ),
                field(
                    "owners",
                    "group",
                    fields=[field("owner_name", "text"), field("owner_cin", "cin")],
                ),
            ],
        },
        {
            "key": "files",
            "title": label("الوثائق", "Pièces"),
            "fields": [
                field("cin_copy", "file", required=True, document="cin-copy"),
            ],
        },
    ]
}


@dataclass
class EServices:
    procedure: Procedure
    instructor: Membership
    reviewer: Membership
    reviewer_org: Organisation
    citizen: object


@pytest.fixture
def eservices(site) -> EServices:
    urbanism = DepartmentFactory(
        organisation=site.council, slug="urbanism", name_ar="قسم التعمير", name_fr="Urbanisme"
    )
    instructor = MembershipFactory(
        user=StaffUserFactory(email="instructor@rabat.ma", full_name="Instructeur"),
        organisation=site.council,
        department=urbanism,
        role=Role.AGENT,
    )
    reviewer_org = OrganisationFactory(
        slug="urban-agency",
        name_ar="الوكالة الحضرية",
        name_fr="Agence urbaine",
        kind=OrganisationKindFactory(slug="urban-agency", is_collectivity=False),
        territories=list(site.council.territories.all()),
    )
    reviewer = MembershipFactory(
        user=StaffUserFactory(email="reviewer@agency.ma"),
        organisation=reviewer_org,
        role=Role.REVIEWER,
    )
    cin_copy = RequiredDocumentFactory(
        code="cin-copy", name_ar="نسخة من البطاقة الوطنية", name_fr="Copie de la CIN"
    )
    procedure = ProcedureFactory(
        organisation=site.council,
        department=urbanism,
        slug="building-permit",
        title="رخصة البناء",
        title_ar="رخصة البناء",
        title_fr="Permis de construire",
        summary_ar="رخصة لبناء سكن صغير",
        summary_fr="Autorisation de construire un petit logement",
        processing_days=10,
        channel=Channel.BOTH,
    )
    from jamaati.procedures.services import procedure_search_text

    Procedure.objects.filter(pk=procedure.pk).update(search_text=procedure_search_text(procedure))
    publish_schema(procedure, SCHEMA, documents=[cin_copy])
    citizen = UserFactory(
        email="amina@example.ma", full_name="أمينة الفاسي", preferred_language="ar"
    )
    return EServices(procedure, instructor, reviewer, reviewer_org, citizen)


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _pdf(tmp_path: Path) -> Path:
    path = tmp_path / "cin.pdf"
    path.write_bytes(PDF_BYTES)
    return path


def _axe(page, where: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{where}: {violations}"


def _new_page(browser, browser_context_args, live_server, user=None, *, staff=False, js=True):
    context = browser.new_context(
        **{**browser_context_args, "viewport": DESKTOP}, java_script_enabled=js
    )
    if user is not None:
        log_in(context, live_server, user, verified_staff=staff)
    return context.new_page()


def _fill_answers(page) -> None:
    page.locator("[name=q_full_name]").fill("أمينة الفاسي")
    page.locator("[name=q_cin]").fill("AB123456")
    page.locator("[name=q_phone]").fill("0612345678")
    page.locator("[name=q_purpose][value=build]").check()
    page.locator("[name=q_has_parcel][value=false]").check()


def _verify_url(application: Application) -> str:
    document = application.issued_documents.get(kind="decision")
    with translation.override("ar"):
        return reverse("verify:document", args=[document.verification_token])


def test_a_citizen_applies_and_the_application_is_instructed_to_a_verified_decision(
    browser, browser_context_args, live_server, eservices, tmp_path
):
    base = live_server.url
    citizen = _new_page(browser, browser_context_args, live_server, eservices.citizen)

    # Find the procedure in the Arabic catalogue, without its harakat.
    citizen.goto(f"{base}/ar/procedures/")
    citizen.locator("main input[name=q]").fill("رخصة البناء")
    citizen.locator("main form[role=search] button[type=submit]").click()
    citizen.get_by_role("link", name="رخصة البناء").click()
    expect(citizen.get_by_role("button", name="تقديم الطلب عن بعد")).to_be_visible()
    _axe(citizen, "procedure")
    citizen.get_by_role("button", name="تقديم الطلب عن بعد").click()
    expect(citizen).to_have_url(re.compile(r"/ar/procedures/my/EP[^/]+/form/$"))
    application = Application.objects.get()

    # Conditional display: the parcel shows only when the applicant says they have one.
    parcel = citizen.locator(".jm-q[data-key=parcel]")
    expect(parcel).to_be_hidden()
    citizen.locator("[name=q_has_parcel][value=true]").check()
    expect(parcel).to_be_visible()
    _fill_answers(citizen)
    expect(parcel).to_be_hidden()
    # A repeatable group: add a row with JavaScript.
    rows = citizen.locator(".jm-group[data-key=owners] .jm-group-rows > li")
    before = rows.count()
    citizen.locator(".jm-group[data-key=owners] .jm-group-add").click()
    expect(rows).to_have_count(before + 1)
    rows.last.locator("input").first.fill("سعيد الفاسي")
    # The draft is saved as the citizen types (htmx autosave).
    expect(citizen.locator("#autosave-status")).not_to_be_empty()
    application.refresh_from_db()
    assert application.answers.get("full_name") == "أمينة الفاسي"
    _axe(citizen, "form")
    _shot(citizen, "procedures-form-ar")

    citizen.locator("[name=q_cin_copy]").set_input_files(str(_pdf(tmp_path)))
    citizen.locator("button[name=_action][value=review]").click()
    expect(citizen).to_have_url(re.compile(r"/review/$"))
    expect(citizen.locator("main")).to_contain_text("سعيد الفاسي")
    _axe(citizen, "review")
    citizen.get_by_role("button", name="إيداع الطلب").click()
    expect(citizen).to_have_url(re.compile(r"/receipt/$"))
    expect(citizen.locator("main")).to_contain_text(application.reference)
    expect(citizen.locator("main")).to_contain_text("cin.pdf")
    _axe(citizen, "receipt")
    _shot(citizen, "procedures-receipt-ar")

    # The instructor starts the instruction and asks for a completion.
    instructor = _new_page(
        browser, browser_context_args, live_server, eservices.instructor.user, staff=True
    )
    instructor.goto(f"{base}/ar/staff/procedures/")
    instructor.get_by_role("link", name=application.reference).click()
    expect(instructor.get_by_role("button", name="بدء دراسة الطلب")).to_be_visible()
    _axe(instructor, "staff application")
    instructor.get_by_role("button", name="بدء دراسة الطلب").click()
    instructor.locator("summary", has_text="مطالبة مقدم الطلب بالإتمام").click()
    instructor.locator("textarea[name=message]").fill("المرجو تصحيح رقم الهاتف")
    instructor.get_by_role("button", name="طلب الإتمام").click()
    expect(instructor.locator("main")).to_contain_text("الأجل موقوف")
    _shot(instructor, "procedures-staff-application-ar")

    # The citizen completes and sends the application back.
    citizen.goto(f"{base}/ar/procedures/my/{application.reference}/")
    expect(citizen.locator("main")).to_contain_text("المرجو تصحيح رقم الهاتف")
    _axe(citizen, "application")
    citizen.get_by_role("link", name="إتمام طلبي").click()
    citizen.locator("[name=q_phone]").fill("0611223344")
    citizen.get_by_role("button", name="إرسال الطلب بعد إتمامه").click()
    expect(citizen).to_have_url(re.compile(rf"/my/{application.reference}/$"))
    application.refresh_from_db()
    assert application.status == Status.IN_INSTRUCTION

    # The instructor asks the urban agency for an opinion; the reviewer gives it.
    instructor.reload()
    instructor.locator("summary", has_text="طلب الآراء").click()
    instructor.get_by_label("الوكالة الحضرية").check()
    instructor.get_by_role("button", name="إرسال طلب الآراء").click()
    reviewer = _new_page(
        browser, browser_context_args, live_server, eservices.reviewer.user, staff=True
    )
    reviewer.goto(f"{base}/ar/staff/procedures/opinions/")
    _axe(reviewer, "opinions")
    reviewer.get_by_role("link", name=application.reference).click()
    expect(reviewer).to_have_url(re.compile(r"/opinions/\d+/$"))
    _axe(reviewer, "opinion")
    reviewer.locator("[name=verdict][value=reserved]").check()
    reviewer.locator("textarea[name=comment]").fill("احترام العلو الأقصى")
    reviewer.get_by_role("button", name="إرسال رأيي").click()
    expect(reviewer).to_have_url(re.compile(r"/opinions/$"))

    # The decision is issued; the citizen sees it and the QR verification page confirms it.
    instructor.reload()
    expect(instructor.locator("main")).to_contain_text("احترام العلو الأقصى")
    instructor.locator("summary", has_text="البت").click()
    instructor.locator("[name=decision][value=approve]").check()
    instructor.get_by_role("button", name="إصدار القرار").click()
    expect(instructor.locator("main")).to_contain_text("صدر القرار.")
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    citizen.goto(f"{base}/ar/procedures/my/{application.reference}/")
    decision = application.issued_documents.get(kind="decision")
    expect(citizen.locator("main")).to_contain_text(decision.number)
    verify = citizen.get_by_role("link", name="صفحة التحقق").last.get_attribute("href")
    assert verify == _verify_url(application)
    citizen.goto(f"{base}{verify}")
    expect(citizen.locator("main")).to_contain_text(decision.number)
    _axe(citizen, "verification")
    for context_page in (citizen, instructor, reviewer):
        context_page.context.close()


def test_the_application_form_is_submitted_without_javascript(
    browser, browser_context_args, live_server, eservices, tmp_path
):
    page = _new_page(browser, browser_context_args, live_server, eservices.citizen, js=False)
    page.goto(f"{live_server.url}/ar/procedures/rabat/building-permit/")
    page.get_by_role("button", name="تقديم الطلب عن بعد").click()
    # Without JavaScript every question is shown, with a hint that hidden ones are ignored.
    expect(page.locator(".jm-q[data-key=parcel]")).to_be_visible()
    expect(page.locator(".jm-nojs").first).to_be_visible()
    _fill_answers(page)
    page.locator("[name=q_parcel]").fill("this is ignored: the parcel question is hidden")
    page.locator("[name=q_owners__0__owner_name]").fill("سعيد الفاسي")
    page.locator("[name=q_cin_copy]").set_input_files(str(_pdf(tmp_path)))
    page.locator("button[name=_action][value=review]").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.get_by_role("button", name="إيداع الطلب").click()
    expect(page).to_have_url(re.compile(r"/receipt/$"))
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert "parcel" not in application.answers
    assert application.answers["owners"] == [{"owner_name": "سعيد الفاسي"}]
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_e_services_page_passes_axe(
    browser, browser_context_args, live_server, eservices, language
):
    from jamaati.core.actors import Actor
    from jamaati.procedures import services

    citizen_actor = Actor(user=eservices.citizen)
    draft = services.application_start(
        procedure=eservices.procedure, applicant=eservices.citizen, actor=citizen_actor
    )
    with translation.override(language):
        citizen_urls = [
            reverse("procedures:catalogue"),
            reverse("procedures:procedure", args=["rabat", "building-permit"]),
            reverse("procedures:my_applications"),
            reverse("procedures:form", args=[draft.reference]),
        ]
        staff_urls = [
            reverse("staff_procedures:queue"),
            reverse("staff_procedures:overdue"),
            reverse("staff_procedures:counter"),
            reverse("staff_procedures:counter_file", args=[eservices.procedure.pk]),
            reverse("staff_procedures:statistics"),
        ]
    citizen = _new_page(browser, browser_context_args, live_server, eservices.citizen)
    for path in citizen_urls:
        citizen.goto(f"{live_server.url}{path}")
        _axe(citizen, path)
        _shot(citizen, f"procedures-{language}-{path.strip('/').replace('/', '-')}")
    staff = _new_page(
        browser, browser_context_args, live_server, eservices.instructor.user, staff=True
    )
    for path in staff_urls:
        staff.goto(f"{live_server.url}{path}")
        _axe(staff, path)
        _shot(staff, f"procedures-{language}-{path.strip('/').replace('/', '-')}")
    citizen.context.close()
    staff.context.close()


def test_the_parcel_is_drawn_on_the_map_and_kept_in_the_draft(
    browser, browser_context_args, live_server, eservices
):
    page = _new_page(browser, browser_context_args, live_server, eservices.citizen)
    page.goto(f"{live_server.url}/ar/procedures/rabat/building-permit/")
    page.get_by_role("button", name="تقديم الطلب عن بعد").click()
    page.locator("[name=q_has_parcel][value=true]").check()
    drawing = page.locator(".jm-answer-map[data-map-kind=parcel]")
    expect(drawing).to_be_visible()
    # The commune's boundary is drawn (no tile server), then the map fits it.
    expect(drawing.locator("path").first).to_be_attached()
    box = drawing.bounding_box()
    centre_x, centre_y = box["width"] / 2, box["height"] / 2
    for dx, dy in ((0, 0), (8, 0), (4, 8)):  # a few pixels apart: a small parcel
        drawing.click(position={"x": centre_x + dx, "y": centre_y + dy})
    expect(page.locator("[name=q_parcel]")).to_have_value(re.compile(r'"Polygon"'))
    _axe(page, "form with the parcel map")
    with page.expect_response(lambda r: r.request.method == "POST" and "/form/" in r.url):
        page.locator("button[name=_action][value=save]").click()
    application = Application.objects.get()
    assert application.answers["parcel"]["type"] == "Polygon"
    assert len(application.answers["parcel"]["coordinates"][0]) == 4
    page.context.close()


def test_a_form_built_in_the_builder_is_applied_for_by_a_citizen(
    browser, browser_context_args, live_server, site, tmp_path
):
    """The start of the issue's story: an admin builds a small form, a citizen applies with it."""
    from jamaati.procedures.forms_engine import schema as s
    from jamaati.procedures.models import Form, ProcedureDocument

    admin = MembershipFactory(
        user=StaffUserFactory(email="admin@rabat.ma"),
        organisation=site.council,
        role=Role.ORG_ADMIN,
    ).user
    procedure = ProcedureFactory(
        organisation=site.council, slug="residence", title_ar="شهادة السكنى", title_fr="Résidence"
    )
    Form.objects.create(procedure=procedure, draft=s.empty_schema())
    lease = RequiredDocumentFactory(code="lease", name_ar="عقد الكراء", name_fr="Contrat de bail")
    ProcedureDocument.objects.create(procedure=procedure, document=lease)
    citizen_user = UserFactory(email="salma@example.ma", full_name="سلمى", preferred_language="ar")

    builder = _new_page(browser, browser_context_args, live_server, admin, staff=True)
    builder.goto(f"{live_server.url}/ar/staff/procedures/builder/{procedure.pk}/")
    builder.fill("#id_title_ar", "المعلومات")
    builder.fill("#id_title_fr", "Informations")
    builder.click("#add-section button[type=submit]")
    expect(builder.locator(".jm-builder-section h3")).to_have_text("المعلومات")
    for kind, label_ar, label_fr in (
        ("text", "العنوان", "Adresse"),
        ("file", "عقد الكراء", "Bail"),
    ):
        count = builder.locator(".jm-builder-field").count()
        builder.select_option("#id_field_type", kind)
        builder.fill("#id_label_ar", label_ar)
        builder.fill("#id_label_fr", label_fr)
        builder.click("#add-field button[type=submit]")
        expect(builder.locator(".jm-builder-field")).to_have_count(count + 1)
    file_key = s.flat_fields(Form.objects.get(procedure=procedure).draft)[1]["key"]
    builder.click(f"#field-{file_key} a[href$='/fields/{file_key}/']")
    builder.wait_for_load_state()
    builder.select_option("#id_document", "lease")
    builder.click("main form button[type=submit]")
    expect(builder.locator(".jm-messages")).to_be_visible()
    builder.click(f"form[action$='/builder/{procedure.pk}/publish/'] button")
    expect(builder.locator("#versions table")).to_be_visible()

    citizen = _new_page(browser, browser_context_args, live_server, citizen_user)
    citizen.goto(f"{live_server.url}/ar/procedures/rabat/residence/")
    citizen.get_by_role("button", name="تقديم الطلب عن بعد").click()
    citizen.get_by_label("العنوان").fill("زنقة المامونية 12")
    citizen.locator(f"[name=q_{file_key}]").set_input_files(str(_pdf(tmp_path)))
    citizen.locator("button[name=_action][value=review]").click()
    citizen.get_by_role("button", name="إيداع الطلب").click()
    expect(citizen).to_have_url(re.compile(r"/receipt/$"))
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert application.form_version.number == 1
    assert application.documents.get().required_document == lease
    builder.context.close()
    citizen.context.close()
