"""The PDF documents: rendered from the site's templates with the vendored fonts, in Arabic and
French; the receipt states the reference, the procedure and the legal deadline; the decision its
outcome; the urbanism note the rules of the parcel's zones; the QR code the verification URL.

The PDF is read back with poppler-utils (pdftotext, pdffonts), as CI installs them; without
them these tests skip and say so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import date as date_filter
from django.utils import translation

from jamaati.procedures import services
from jamaati.procedures.documents import qr
from jamaati.procedures.documents.context import document_language
from jamaati.procedures.documents.render import (
    FONTS_DIR,
    ForbiddenResource,
    _url_fetcher,
    document_html,
    document_pdf,
    document_render,
    page_counter_css,
)
from jamaati.procedures.documents.tasks import TASK_NAME, document_render_after_commit
from jamaati.procedures.models import IssuedDocument, IssuedDocumentKind, Zone, ZoningPlan
from jamaati.procedures.tests.conftest import actor_of
from jamaati.procedures.tests.helpers import in_instruction, submitted

POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(
    not POPPLER,
    reason="poppler-utils (pdftotext, pdffonts) is not installed: apt-get install poppler-utils",
)
# Bidi embedding marks pdftotext puts around right-to-left runs; the letters between are in
# logical (reading) order.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(BIDI_MARKS.sub("", text).split())


def pdf_fonts(content: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name without its subset prefix, embedded yes/no) for each font of the PDF."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        columns = line.split()
        name = columns[0].split("+", 1)[-1]
        fonts.append((name, columns[-5]))
    return fonts


def receipt_of(application) -> IssuedDocument:
    return IssuedDocument.objects.get(application=application, kind=IssuedDocumentKind.RECEIPT)


def in_language(application, language: str):
    application.language = language
    application.save(update_fields=["language"])
    return application


def box(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


@pytest.fixture
def zoning_plan(world):
    plan = ZoningPlan.objects.create(
        organisation=world.organisation,
        slug="north-plan",
        name="تصميم تهيئة الشمال",
        name_ar="تصميم تهيئة الشمال",
        name_fr="Plan d'aménagement de Nord",
    )
    Zone.objects.create(
        plan=plan,
        code="D3",
        name="Habitat économique",
        name_ar="منطقة السكن الاقتصادي",
        name_fr="Habitat économique",
        rules_fr="Recul minimal de 3 mètres.",
        geometry=box(-5.40, 35.50, -5.39, 35.51),
        allowed_uses=["housing", "commerce"],
        max_height_m=Decimal("11.50"),
        max_floors=3,
        plot_ratio=Decimal("2.00"),
        land_coverage=Decimal("70.00"),
    )
    Zone.objects.create(
        plan=plan,
        code="ZV",
        name="Espace vert",
        name_fr="Espace vert",
        geometry=box(-5.39, 35.50, -5.38, 35.51),
        allowed_uses=["green"],
    )
    return plan


def decided(procedures, citizen, *, approved=True, reasons="", **answers):
    application = in_instruction(procedures, citizen) if not answers else None
    if application is None:
        application = submitted(procedures, citizen, **answers)
        services.application_transition(
            application=application,
            to_status="in_instruction",
            actor=actor_of(procedures.instructor),
        )
    services.application_decide(
        application=application,
        approved=approved,
        reasons=reasons,
        actor=actor_of(procedures.instructor),
    )
    application.refresh_from_db()
    return IssuedDocument.objects.get(application=application, kind=IssuedDocumentKind.DECISION)


# --- Rendering ---------------------------------------------------------------------------------------


@needs_poppler
def test_the_arabic_receipt_states_the_reference_procedure_and_legal_deadline(
    procedures, citizen, tmp_path
):
    procedure = procedures.procedure
    procedure.title_ar = "مذكرة المعلومات التعميرية"
    procedure.save(update_fields=["title_ar"])
    application = submitted(procedures, citizen)
    text = pdf_text(document_pdf(receipt_of(application)), tmp_path)
    document = receipt_of(application)
    assert document.number in text
    assert application.reference in text
    # The Arabic title comes out in logical (reading) order, its letters joined into words:
    # pdftotext maps the shaped glyphs back to these characters only when shaping was right.
    assert "مذكرة المعلومات التعميرية" in text
    with translation.override("ar"):
        assert "الأجل القانوني" in text or str(translation.gettext("Legal deadline")) in text
        assert translation.gettext("Receipt of application") in text
    assert application.due_date.strftime("%Y") in text


@needs_poppler
def test_the_french_receipt_states_the_deadline_the_documents_and_the_verification_address(
    procedures, citizen, tmp_path
):
    application = in_language(submitted(procedures, citizen), "fr")
    document = receipt_of(application)
    text = pdf_text(document_pdf(document), tmp_path)
    with translation.override("fr"):
        due = date_filter(application.due_date, "DATE_FORMAT")
        expected = translation.gettext("The administration must answer by %(date)s.") % {
            "date": due
        }
        assert expected in text
        assert application.procedure.title_fr in text
        assert str(procedures.cin_copy) in text  # the catalogue name of the file received
    assert "cin.pdf" in text
    assert qr.verification_url(document=document, language="fr") in text.replace(" ", "")
    with translation.override("fr"):
        assert translation.gettext("Page %(page)s of %(pages)s") % {"page": 1, "pages": 1} in text


@needs_poppler
def test_documents_are_a4_tagged_and_titled(procedures, citizen, tmp_path):
    path = tmp_path / "a4.pdf"
    path.write_bytes(document_pdf(receipt_of(submitted(procedures, citizen))))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info.stdout), info.stdout
    assert re.search(r"Tagged:\s+yes", info.stdout)  # structure for screen readers
    assert re.search(r"Title:\s+.*R-\d{4}-\d{3}-\d{6}", info.stdout)


@needs_poppler
def test_only_the_vendored_fonts_are_embedded_in_arabic_and_french(procedures, citizen, tmp_path):
    application = submitted(procedures, citizen)
    for language in ("ar", "fr"):
        fonts = pdf_fonts(document_pdf(receipt_of(in_language(application, language))), tmp_path)
        names = {name for name, _embedded in fonts}
        assert all(embedded == "yes" for _name, embedded in fonts), fonts
        assert names <= {
            "Jamaati-Naskh",
            "Jamaati-Naskh-Bold",
            "Jamaati-Sans",
            "Jamaati-Sans-Bold",
        }, names
        assert "Jamaati-Sans" in names or "Jamaati-Sans-Bold" in names
        if language == "ar":
            assert {"Jamaati-Naskh", "Jamaati-Naskh-Bold"} & names


def test_the_document_follows_its_applications_language_and_direction(procedures, citizen):
    application = submitted(procedures, citizen)
    document = receipt_of(application)
    assert '<html lang="ar" dir="rtl">' in document_html(document)
    in_language(application, "fr")
    document.refresh_from_db()
    assert '<html lang="fr" dir="ltr">' in document_html(document)
    in_language(application, "zgh")
    assert document_language(application) == "ar"


def test_page_numbers_are_translated_css_counters():
    with translation.override("fr"):
        css = page_counter_css()
        words = translation.gettext("Page %(page)s of %(pages)s")
    assert "counter(page)" in css and "counter(pages)" in css
    assert css.index("counter(page)") < css.index("counter(pages)") or words.index(
        "%(pages)s"
    ) < words.index("%(page)s")


def test_the_qr_code_is_drawn_from_exactly_the_verification_url(procedures, citizen):
    application = submitted(procedures, citizen)
    document = receipt_of(application)
    # Built by hand, not with the code under test: site URL, language, /verify/, the token.
    expected = f"{settings.SITE_URL.rstrip('/')}/ar/verify/{document.verification_token}/"
    html = document_html(document)
    with translation.override("ar"):
        regenerated = qr.qr_svg(
            expected, title=translation.gettext("QR code of the verification page")
        )
    assert regenerated in html
    other = qr.qr_svg(expected.replace("/ar/", "/fr/"))
    assert other.split("<path", 1)[1] not in html


def test_the_branding_is_the_organisations_colour_and_name(procedures, citizen):
    organisation = procedures.procedure.organisation
    organisation.primary_color = "#123abc"
    organisation.save(update_fields=["primary_color"])
    html = document_html(receipt_of(submitted(procedures, citizen)))
    assert "#123abc" in html
    assert organisation.name_ar in html


def test_the_organisations_logo_is_inlined_and_nothing_is_fetched(procedures, citizen):
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "#0b6e4f").save(buffer, format="PNG")
    organisation = procedures.procedure.organisation
    organisation.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    html = document_html(receipt_of(submitted(procedures, citizen)))
    assert 'class="jm-doc-logo" src="data:image/png;base64,' in html


def test_a_tacit_approval_says_the_legal_time_passed(procedures, citizen):
    import datetime as dt

    procedure = procedures.procedure
    procedure.silence_means_approval = True
    procedure.save(update_fields=["silence_means_approval"])
    application = submitted(procedures, citizen)
    assert services.application_approve_tacitly(
        application=application, on=application.due_date + dt.timedelta(days=1)
    )
    document = IssuedDocument.objects.get(application=application, kind=IssuedDocumentKind.DECISION)
    with translation.override("ar"):
        expected = translation.gettext(
            "Approved by silence: no decision was made within the legal time, which ended on "
            "%(date)s."
        ) % {"date": date_filter(application.due_date, "DATE_FORMAT")}
    assert expected in document_html(document)


def test_a_colour_that_is_not_a_plain_hex_value_never_reaches_the_stylesheet(procedures, citizen):
    organisation = procedures.procedure.organisation
    organisation.primary_color = "red;}"
    organisation.save(update_fields=["primary_color"])
    html = document_html(receipt_of(submitted(procedures, citizen)))
    assert "red;}" not in html


def test_the_renderer_fetches_nothing_but_the_vendored_fonts_and_data_uris():
    fetcher = _url_fetcher()
    assert fetcher.fetch((FONTS_DIR / "NotoSans-Regular.ttf").as_uri()).read(4)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in ("file:///etc/passwd", "http://example.com/logo.png", "https://cdn.example/f.ttf"):
        with pytest.raises(ForbiddenResource):
            fetcher.fetch(url)


@needs_poppler
def test_the_refusal_gives_its_reasons(procedures, citizen, tmp_path):
    reasons = "Le plan de situation ne correspond pas à la parcelle."
    document = decided(procedures, citizen, approved=False, reasons=reasons)
    in_language(document.application, "fr")
    text = pdf_text(document_pdf(document), tmp_path)
    with translation.override("fr"):
        assert translation.gettext("Decision of refusal") in text
        assert translation.gettext("The application is refused.") in text
    assert reasons in text
    assert document.number in text


@needs_poppler
def test_the_urbanism_note_lists_the_rules_of_the_parcels_zones(
    procedures, citizen, zoning_plan, tmp_path
):
    procedure = procedures.procedure
    procedure.decision_kind = "note"
    procedure.save(update_fields=["decision_kind"])
    # Three quarters in D3, one quarter in the green space.
    document = decided(
        procedures, citizen, has_parcel="yes", parcel=box(-5.3915, 35.5010, -5.3895, 35.5020)
    )
    in_language(document.application, "fr")
    html = document_html(document)
    text = pdf_text(document_pdf(document), tmp_path)
    with translation.override("fr"):
        assert translation.gettext("Planning rules of the parcel") in text
        assert (
            translation.gettext("Zone %(code)s: %(name)s")
            % {"code": "D3", "name": "Habitat économique"}
        ) in text
        assert translation.gettext("Housing") in text and translation.gettext("Shops") in text
        assert translation.gettext("Green space") in text
    assert "11,50" in text  # maximum height, French decimals
    assert "2,00" in text  # plot ratio
    assert "Recul minimal de 3 mètres." in text
    assert "75,0" in text and "25,0" in text  # shares of the parcel
    assert "Plan d'aménagement de Nord" in text
    # The map is drawn from the geometries: both zones labelled, the parcel outlined.
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg" class="jm-doc-map"', 1)[1]
    svg = svg.split("</svg>", 1)[0]
    assert ">D3</text>" in svg and ">ZV</text>" in svg
    assert 'stroke="#b3001b"' in svg


def test_a_note_for_a_parcel_outside_every_zone_says_so(procedures, citizen, zoning_plan):
    procedure = procedures.procedure
    procedure.decision_kind = "note"
    procedure.save(update_fields=["decision_kind"])
    document = decided(
        procedures, citizen, has_parcel="yes", parcel=box(-5.3015, 35.6010, -5.3005, 35.6020)
    )
    with translation.override("ar"):
        assert translation.gettext(
            "The parcel is outside the zones of the urban plans in force."
        ) in document_html(document)


# --- Storing and scheduling -------------------------------------------------------------------------


def test_rendering_stores_the_pdf_once(procedures, citizen):
    document = receipt_of(submitted(procedures, citizen))
    rendered = document_render(document=document)
    assert rendered.rendered_file.name.endswith(".pdf")
    content = rendered.rendered_file.read()
    assert content.startswith(b"%PDF-")
    again = document_render(document=document.pk)
    assert again.rendered_file.name == rendered.rendered_file.name
    with pytest.raises(ValidationError):
        services.document_attach_rendering(document=again, content=b"%PDF-other")


def test_the_render_task_runs_after_the_commit_that_issued_the_document(
    procedures, citizen, django_capture_on_commit_callbacks
):
    document = receipt_of(submitted(procedures, citizen))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_render_after_commit(document)
    document.refresh_from_db()
    assert not document.rendered_file  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: Celery runs the task (eagerly here)
    document.refresh_from_db()
    assert document.number in document.rendered_file.name
    assert document.rendered_file.read().startswith(b"%PDF-")
    from celery import current_app

    assert TASK_NAME in current_app.tasks


def test_reasons_in_another_script_keep_their_own_direction(procedures, citizen):
    reasons = "L'adresse ne correspond pas au justificatif."
    document = decided(procedures, citizen, approved=False, reasons=reasons)
    html = document_html(document)  # an Arabic document with French reasons
    assert '<html lang="ar" dir="rtl">' in html
    assert f'<p class="jm-doc-reasons" dir="ltr">{reasons}</p>'.replace("'", "&#x27;") in html


def test_the_map_marks_a_point_and_draws_only_the_zones_around_it(zoning_plan):
    from shapely.geometry import Point

    from jamaati.procedures.documents import mapsvg

    zones = list(zoning_plan.zones.all())
    colours = mapsvg.zone_colours(zones)
    svg = mapsvg.parcel_map_svg(
        parcel=Point(-5.3950, 35.5050), zones=zones, title="Carte", colours=colours
    )
    assert '<circle cx="' in svg and 'stroke="#b3001b"' in svg
    assert ">D3</text>" in svg and ">ZV</text>" not in svg  # the green space is 400 m away
    assert "<title>Carte</title>" in svg
