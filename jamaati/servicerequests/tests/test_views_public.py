"""Citizen pages: report (with and without JavaScript), receipt, follow, support, reopen, my reports,
"My data", the public map and list, and per-commune statistics."""

import json
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from PIL import Image

from jamaati.accounts import services as account_services
from jamaati.accounts.selectors import personal_data_export
from jamaati.core.actors import Actor
from jamaati.organisations.tests.factories import UserFactory
from jamaati.servicerequests import selectors, services
from jamaati.servicerequests.models import Follower, ServiceRequest, Status
from jamaati.servicerequests.tests.conftest import TETOUAN_POINT
from jamaati.servicerequests.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

LAT, LON = TETOUAN_POINT
SECRET_NAME = "Amina Secrète"
SECRET_EMAIL = "amina.secret@example.ma"
SECRET_PHONE = "+212612345678"


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def url(name: str, language: str = "ar", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"servicerequests:{name}", kwargs=kwargs or None)


def as_shown(language: str, msgid: str) -> str:
    """The message `msgid` as a page in `language` shows it: translated there, then HTML-escaped."""
    with translation.override(language):
        return escape(translation.gettext(msgid))


def report(tetouan, **kwargs) -> ServiceRequest:
    defaults = {
        "category": tetouan.lighting,
        "description": "الضو طافي فالزنقة 🙁",
        "latitude": LAT,
        "longitude": LON,
        "contact_email": "someone@example.ma",
    }
    return services.servicerequest_create(**{**defaults, **kwargs})


def as_staff(membership) -> Actor:
    return Actor(user=membership.user, membership=membership, ip_address="192.0.2.1")


def resolve(service_request, membership) -> None:
    services.servicerequest_transition(
        service_request=service_request, to_status=Status.RESOLVED, actor=as_staff(membership)
    )


# --- Report a problem -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [("ar", "rtl", "Report a problem"), ("fr", "ltr", "Report a problem")],
)
def test_the_report_form_asks_for_the_place_first_in_arabic_and_french(
    client, tetouan, language, direction, heading
):
    response = client.get(url("new", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert 'name="latitude"' in html and 'name="commune"' in html and 'name="address"' in html
    assert 'name="category"' not in html  # the category comes once the place is known
    # The commune served by an organisation is offered without typing anything.
    assert f'value="{tetouan.commune.code}"' in html


def test_a_point_on_the_map_lists_the_categories_of_the_place_grouped(client, tetouan):
    response = client.get(url("new"), {"latitude": LAT, "longitude": LON})
    html = response.content.decode()
    assert 'name="category"' in html
    assert f'<option value="{tetouan.lighting.pk}"' in html
    assert "<optgroup" in html
    assert 'accept="image/*"' in html and 'capture="environment"' in html and "multiple" in html
    assert 'dir="auto"' in html


def test_with_htmx_a_place_change_returns_only_the_details(client, tetouan):
    response = client.get(
        url("new"), {"latitude": LAT, "longitude": LON}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="report-categories"' in html


def test_a_report_with_a_photo_gives_a_receipt_with_its_code_then_the_track_page(client, tetouan):
    text = "  الضو طافي 3 ليالي fl zen9a 🙁\r\nlampadaire en panne  "
    response = client.post(
        url("new"),
        {
            "latitude": LAT,
            "longitude": LON,
            "category": tetouan.lighting.pk,
            "description": text,
            "contact_name": "Amina",
            "contact": "Amina@Example.ma",
            "photos": [jpeg()],
        },
    )
    service_request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("receipt", reference=service_request.reference)
    assert service_request.description == text
    assert service_request.photos.count() == 1
    assert service_request.contact_email == "amina@example.ma"
    assert service_request.language == "ar"

    receipt = client.get(response["Location"]).content.decode()
    for group in service_request.reference.split("-"):
        assert f"<span>{group}</span>" in receipt
    assert f"http://testserver{service_request.get_absolute_url()}" in receipt
    assert tetouan.council.name_ar in receipt

    track = client.get(service_request.get_absolute_url()).content.decode()
    assert service_request.reference in track
    assert "<img" not in track  # the photo is not approved yet


def test_the_receipt_is_only_for_the_browser_that_reported(client, tetouan):
    service_request = report(tetouan)
    response = client.get(url("receipt", reference=service_request.reference))
    assert response.status_code == 302
    assert response["Location"] == service_request.get_absolute_url()


def test_without_javascript_the_commune_and_address_lead_to_step_two_then_a_report(client, tetouan):
    found = client.get(url("new", "fr"), {"q": "Tétouan", "find": "1"}).content.decode()
    assert f'value="{tetouan.commune.code}"' in found
    assert 'name="category"' not in found

    step_two = client.get(
        url("new", "fr"),
        {"commune": tetouan.commune.code, "address": "Rue Mohammed V, près du marché"},
    )
    html = step_two.content.decode()
    assert 'name="category"' in html
    assert "Rue Mohammed V, près du marché" in html

    response = client.post(
        url("new", "fr"),
        {
            "commune": tetouan.commune.code,
            "address": "Rue Mohammed V, près du marché",
            "category": tetouan.lighting.pk,
            "description": "Lampadaire éteint",
            "anonymous": "on",
        },
    )
    assert response.status_code == 302
    service_request = ServiceRequest.objects.get()
    assert service_request.latitude is None
    assert service_request.commune == tetouan.commune
    assert service_request.address == "Rue Mohammed V, près du marché"
    assert service_request.language == "fr"


def test_a_commune_without_an_address_is_refused_with_a_message_next_to_the_field(client, tetouan):
    response = client.get(url("new", "fr"), {"commune": tetouan.commune.code})
    html = response.content.decode()
    assert 'name="category"' not in html
    assert 'id="id_address_error"' in html


def test_errors_keep_what_was_typed_and_say_photos_must_be_chosen_again(client, tetouan):
    response = client.post(
        url("new", "fr"),
        {
            "latitude": LAT,
            "longitude": LON,
            "category": tetouan.lighting.pk,
            "description": "",
            "contact_name": "Khalid El Idrissi",
            "contact": "not a contact",
            "photos": [jpeg()],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ServiceRequest.objects.count() == 0
    assert 'id="id_description_error"' in html
    assert 'id="id_contact_error"' in html
    assert 'value="Khalid El Idrissi"' in html
    assert 'value="not a contact"' in html
    assert f'<option value="{tetouan.lighting.pk}" selected>' in html
    assert (
        as_shown(
            "fr",
            "For your safety, photos are not kept when the form has errors: choose them again.",
        )
        in html
    )


def test_a_category_without_anonymous_reports_asks_for_a_contact_next_to_the_field(client, tetouan):
    response = client.post(
        url("new", "fr"),
        {
            "latitude": LAT,
            "longitude": LON,
            "category": tetouan.waste.pk,
            "description": "Poubelles pleines depuis une semaine",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_contact_error"' in html
    assert (
        as_shown(
            "fr",
            "Give an e-mail address or a mobile number: "
            "this category does not accept anonymous reports.",
        )
        in html
    )
    assert "Poubelles pleines depuis une semaine" in html


def test_the_category_questions_are_asked_and_their_answers_kept(client, tetouan):
    question = QuestionFactory(category=tetouan.lighting, code="poles", required=True)
    field = f"q{tetouan.lighting.pk}_poles"
    data = {
        "latitude": LAT,
        "longitude": LON,
        "category": tetouan.lighting.pk,
        "description": "Trois poteaux éteints",
        "anonymous": "on",
    }
    response = client.post(url("new", "fr"), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()

    response = client.post(url("new", "fr"), {**data, field: "3"})
    assert response.status_code == 302
    assert ServiceRequest.objects.get().answers == {question.code: "3"}


def test_a_logged_in_citizen_reports_with_their_account_and_finds_it_in_my_reports(
    client, tetouan, citizen
):
    other = report(tetouan, description="Pas le mien")
    client.force_login(citizen)
    form = client.get(url("new"), {"latitude": LAT, "longitude": LON}).content.decode()
    assert 'name="contact"' not in form
    response = client.post(
        url("new"),
        {"latitude": LAT, "longitude": LON, "category": tetouan.waste.pk, "description": "زبالة"},
    )
    assert response.status_code == 302
    mine = ServiceRequest.objects.get(reporter=citizen)
    page = client.get(url("mine")).content.decode()
    assert mine.reference in page
    assert other.reference not in page


def test_my_reports_needs_an_account(client):
    response = client.get(url("mine"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


# --- Nearby duplicates -----------------------------------------------------------------------------


def test_nearby_open_reports_are_offered_and_supporting_adds_a_supporter_not_a_report(
    client, tetouan
):
    existing = report(tetouan, latitude=LAT + 0.0005)  # about 55 m north
    far = report(tetouan, latitude=LAT + 0.01)  # about 1.1 km

    step_two = client.get(url("new"), {"latitude": LAT, "longitude": LON}).content.decode()
    assert existing.reference in step_two and far.reference not in step_two
    assert url("support", reference=existing.reference) in step_two

    partial = client.get(
        url("nearby"),
        {"latitude": LAT, "longitude": LON, "category": tetouan.lighting.pk},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert existing.reference in partial and "<html" not in partial
    other_category = client.get(
        url("nearby"), {"latitude": LAT, "longitude": LON, "category": tetouan.waste.pk}
    ).content.decode()
    assert existing.reference not in other_category

    response = client.post(
        url("support", reference=existing.reference),
        {"contact": "voisin@example.ma", "description": "Même lampadaire"},
    )
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.supporters_count == 1
    assert ServiceRequest.objects.count() == 2
    assert Follower.objects.filter(
        service_request=existing, email="voisin@example.ma", is_supporter=True
    ).exists()


# --- Tracking ---------------------------------------------------------------------------------------


def test_the_track_form_reads_a_code_typed_loosely(client, tetouan):
    service_request = report(tetouan)
    typed = service_request.reference.lower().replace("-", " ")
    response = client.get(url("track_form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == service_request.get_absolute_url()

    response = client.get(url("track_form", "fr"), {"code": "AAAA-BBBB-CC"})
    assert response.status_code == 400
    assert 'id="id_code_error"' in response.content.decode()


def test_the_track_page_shows_only_approved_photos_and_the_public_timeline(client, tetouan):
    service_request = report(tetouan, photos=[jpeg(), jpeg("second.jpg")])
    first = service_request.photos.first()
    services.servicerequest_photo_approve(photo=first, actor=as_staff(tetouan.agent))
    services.servicerequest_comment(
        service_request=service_request,
        body="Note interne secrète",
        public=False,
        actor=as_staff(tetouan.agent),
    )
    html = client.get(service_request.get_absolute_url()).content.decode()
    assert html.count("<img") == 1
    assert first.file.url in html
    assert "Note interne secrète" not in html
    assert 'id="request-map"' in html


def test_the_reporter_reopens_a_resolved_report_within_the_configured_days(
    client, tetouan, citizen, settings
):
    settings.SERVICEREQUEST_REOPEN_DAYS = 7
    service_request = report(tetouan, reporter=citizen)
    resolve(service_request, tetouan.agent)
    client.force_login(citizen)
    page = client.get(service_request.get_absolute_url()).content.decode()
    assert url("reopen", reference=service_request.reference) in page

    response = client.post(url("reopen", reference=service_request.reference), {"reason": ""})
    assert response.status_code == 400
    response = client.post(
        url("reopen", reference=service_request.reference), {"reason": "Toujours éteint"}
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == Status.IN_PROGRESS

    resolve(service_request, tetouan.agent)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        page = client.get(service_request.get_absolute_url()).content.decode()
        assert url("reopen", reference=service_request.reference) not in page


def test_someone_else_cannot_reopen_but_can_follow_the_report(client, tetouan, citizen):
    service_request = report(tetouan)
    resolve(service_request, tetouan.agent)
    client.force_login(citizen)
    page = client.get(service_request.get_absolute_url()).content.decode()
    assert url("reopen", reference=service_request.reference) not in page
    assert url("follow", reference=service_request.reference) in page
    client.post(url("reopen", reference=service_request.reference), {"reason": "Non"})
    service_request.refresh_from_db()
    assert service_request.status == Status.RESOLVED

    client.post(url("follow", reference=service_request.reference))
    assert Follower.objects.filter(service_request=service_request, user=citizen).exists()


def test_a_visitor_follows_a_report_with_an_e_mail_address(client, tetouan):
    service_request = report(tetouan)
    response = client.post(
        url("follow", "fr", reference=service_request.reference), {"contact": "x"}
    )
    assert response.status_code == 400
    client.post(
        url("follow", reference=service_request.reference), {"contact": "Voisin@Example.ma"}
    )
    assert Follower.objects.filter(
        service_request=service_request, email="voisin@example.ma"
    ).exists()


# --- No personal data in public --------------------------------------------------------------------


def test_anonymous_and_named_reports_leak_no_personal_data_on_any_public_page(
    client, tetouan, citizen
):
    named = report(
        tetouan,
        reporter=citizen,
        contact_name=SECRET_NAME,
        contact_email=SECRET_EMAIL,
        contact_phone=SECRET_PHONE,
    )
    anonymous = report(tetouan, anonymous=True, contact_email="", latitude=LAT + 0.0003)
    pages = [
        client.get(named.get_absolute_url()),
        client.get(anonymous.get_absolute_url()),
        client.get(url("list")),
        client.get(url("list"), {"commune": tetouan.commune.code}),
        client.get(url("map_json"), {"bbox": "-6,35,-5,36"}),
        client.get(url("stats", code=tetouan.commune.code)),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, citizen.email, citizen.full_name):
            assert secret not in body
    features = json.loads(pages[4].content)["features"]
    assert {f["properties"]["reference"] for f in features} == {
        named.reference,
        anonymous.reference,
    }
    # An anonymous report looks like any other: the same keys, nothing saying who or that nobody.
    assert {frozenset(f["properties"]) for f in features} == {
        frozenset({"reference", "url", "category", "status", "status_label", "is_open"})
    }


# --- Public map, list and statistics ---------------------------------------------------------------


def test_the_map_json_filters_by_box_and_status_and_refuses_a_bad_box(client, tetouan):
    open_request = report(tetouan)
    resolved = report(tetouan)
    resolve(resolved, tetouan.agent)
    data = client.get(url("map_json"), {"bbox": "-6,35,-5,36", "status": "open"}).json()
    assert [f["properties"]["reference"] for f in data["features"]] == [open_request.reference]
    elsewhere = client.get(url("map_json"), {"bbox": "-7,33,-6.5,34"}).json()
    assert elsewhere["features"] == []
    assert client.get(url("map_json"), {"bbox": "nonsense"}).status_code == 400
    assert client.get(url("map_json"), {"bbox": "10,40,-10,30"}).status_code == 400


def test_the_list_filters_by_category_status_and_commune_and_pages(client, tetouan):
    lights = [report(tetouan) for _ in range(21)]
    waste = report(tetouan, category=tetouan.waste)
    first = client.get(url("list"), {"category": tetouan.lighting.pk}).content.decode()
    assert lights[-1].reference in first and waste.reference not in first
    assert "page=2" in first
    second = client.get(url("list"), {"category": tetouan.lighting.pk, "page": 2}).content.decode()
    assert lights[0].reference in second and "page=3" not in second
    resolved = client.get(url("list"), {"status": "resolved"}).content.decode()
    assert waste.reference not in resolved


def test_the_list_page_runs_the_same_number_of_queries_for_few_or_many_reports(
    client, tetouan, django_assert_num_queries
):
    report(tetouan)
    client.get(url("list"))  # warm the session, content types and caches
    with CaptureQueriesContext(connection) as few:
        client.get(url("list"), {"commune": tetouan.commune.code})
    for _ in range(15):
        report(tetouan, category=tetouan.waste)
    with django_assert_num_queries(len(few.captured_queries)) as many:
        client.get(url("list"), {"commune": tetouan.commune.code})
    # A commune's polygon is never loaded once per row.
    assert not any(
        "boundary_wkb" in q["sql"] and "servicerequest" in q["sql"] for q in many.captured_queries
    )


def test_the_map_json_loads_no_polygon_and_no_personal_field(client, tetouan):
    report(tetouan, contact_name=SECRET_NAME)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("map_json"), {"bbox": "-6,35,-5,36"})
    assert len(response.json()["features"]) == 1
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "boundary_wkb" not in sql and "contact_name" not in sql and "reporter_id" not in sql


def test_commune_statistics_count_and_give_the_median_and_the_share_within_target(client, tetouan):
    # lighting's target is 5 days (CategoryFactory): one resolved in 2 days, one in 10.
    start = timezone.now() - timedelta(days=30)
    with time_machine.travel(start, tick=False):
        quick, slow = report(tetouan), report(tetouan)
        report(tetouan, category=tetouan.waste)
    with time_machine.travel(start + timedelta(days=2), tick=False):
        resolve(quick, tetouan.agent)
    with time_machine.travel(start + timedelta(days=10), tick=False):
        resolve(slow, tetouan.agent)

    stats = selectors.commune_statistics(commune=tetouan.commune)
    assert stats.total == 3
    assert {s.status: s.count for s in stats.by_status}[Status.RESOLVED] == 2
    assert stats.median_resolve == timedelta(days=6)
    assert stats.share_within_target == 0.5
    lighting = next(c for c in stats.by_category if c.category == tetouan.lighting)
    assert (lighting.total, lighting.resolved, lighting.within_target) == (2, 1 + 1, 1)
    assert lighting.median_resolve == timedelta(days=6)
    waste = next(c for c in stats.by_category if c.category == tetouan.waste)
    assert (waste.total, waste.resolved, waste.median_resolve) == (1, 0, None)

    html = client.get(url("stats", "fr", code=tetouan.commune.code)).content.decode()
    assert 'id="stats-data"' in html and "<table" in html
    with translation.override("fr"):
        six_days = translation.ngettext("%(n)d day", "%(n)d days", 6) % {"n": 6}
    assert "50%" in html and six_days in html
    assert client.get(url("stats", code="99.999.99.99")).status_code == 404


def test_the_statistics_of_another_commune_do_not_count_these_reports(tetouan, real_territories):
    from jamaati.territories.models import Territory

    report(tetouan)
    rabat = Territory.objects.get(code="04.421.01.0")
    assert selectors.commune_statistics(commune=rabat).total == 0


# --- My data --------------------------------------------------------------------------------------


def test_my_data_shows_exports_and_erases_the_citizens_reports(client, tetouan, citizen):
    service_request = report(
        tetouan, reporter=citizen, contact_name=SECRET_NAME, contact_phone=SECRET_PHONE
    )
    followed = report(tetouan, latitude=LAT + 0.001)
    services.servicerequest_follow(service_request=followed, user=citizen)

    with translation.override("en"):
        exported = personal_data_export(user=citizen)["sections"]
    rows = exported["service_requests"]["rows"]
    assert [row["Tracking code"] for row in rows] == [service_request.reference]
    assert rows[0]["Name"] == SECRET_NAME
    assert exported["service_request_follows"]["rows"][0]["Tracking code"] == followed.reference

    client.force_login(citizen)
    assert service_request.reference in client.get(reverse("accounts:my_data")).content.decode()

    account_services.user_delete_account(user=citizen)
    service_request.refresh_from_db()
    assert service_request.reporter is None
    assert (
        service_request.contact_name,
        service_request.contact_email,
        service_request.contact_phone,
    ) == ("", "", "")
    assert not Follower.objects.filter(user=citizen).exists()
    assert ServiceRequest.objects.filter(pk=service_request.pk).exists()  # the problem stays public


def test_another_citizens_data_is_not_in_my_data(tetouan, citizen):
    someone = UserFactory(email="other@example.ma")
    report(tetouan, reporter=someone)
    assert personal_data_export(user=citizen)["sections"]["service_requests"]["rows"] == []
