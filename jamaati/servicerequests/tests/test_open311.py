"""Open311 GeoReport v2: every endpoint in JSON and XML, the third-party schemas, every error path."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone, translation
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError
from PIL import Image
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.services import apikey_issue, apikey_revoke
from jamaati.audit.models import AuditEvent
from jamaati.core.actors import Actor
from jamaati.organisations.models import Role
from jamaati.organisations.tests.factories import MembershipFactory, StaffUserFactory
from jamaati.servicerequests import services
from jamaati.servicerequests.demo import (
    OPEN311_DEMO_KEY,
    open311_demo_key_authenticate,
    open311_demo_key_ensure,
)
from jamaati.servicerequests.models import (
    CategoryGroup,
    Channel,
    EventKind,
    QuestionKind,
    ServiceRequest,
    ServiceRequestPhoto,
    Status,
)
from jamaati.servicerequests.tests.conftest import RABAT_POINT, SEA_POINT, TETOUAN_POINT
from jamaati.servicerequests.tests.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "open311_schemas"
FIXTURES = DATA / "fixtures"
BASE = "/open311/v2/"
TETOUAN_CODE = "01.571.01.11"

# --- Schemas and fixtures --------------------------------------------------------------------

_format_checker = FormatChecker()


@_format_checker.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return datetime.fromisoformat(value).tzinfo is not None


@_format_checker.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _schema(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


_REGISTRY = Registry().with_resources(
    (name, Resource.from_contents(_schema(name), default_specification=DRAFT4))
    for name in (
        "request.json",
        "requests.json",
        "service.json",
        "services.json",
        "service-definition.json",
    )
)


def validate(document, schema_name: str) -> None:
    Draft4Validator(
        _schema(schema_name), registry=_REGISTRY, format_checker=_format_checker
    ).validate(document)


def fixture_xml(name: str) -> ElementTree.Element:
    # Trusted files of our own repository.
    return ElementTree.parse(FIXTURES / name).getroot()  # noqa: S314


def parse_xml(response) -> ElementTree.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own answer


def child_tags(element: ElementTree.Element) -> set[str]:
    return {child.tag for child in element}


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def council_admin(tetouan):
    return MembershipFactory(
        user=StaffUserFactory(email="admin@tetouan.ma"),
        organisation=tetouan.council,
        role=Role.ORG_ADMIN,
    ).user


@pytest.fixture
def api_key(tetouan, council_admin) -> str:
    return apikey_issue(
        actor=Actor(user=council_admin),
        organisation=tetouan.council,
        name="Citizen app",
        scopes=["open311"],
    ).raw_key


@pytest.fixture
def questions(tetouan):
    """The lighting category asks one question of each kind."""
    lighting = tetouan.lighting
    QuestionFactory(
        category=lighting,
        code="pole",
        kind=QuestionKind.TEXT,
        label_ar="رقم العمود",
        label_fr="Numéro du poteau",
        help_text_fr="Il est peint sur le poteau.",
        position=1,
    )
    QuestionFactory(
        category=lighting, code="lamps", kind=QuestionKind.NUMBER, label_fr="Lampes", position=2
    )
    QuestionFactory(
        category=lighting, code="since", kind=QuestionKind.DATE, label_fr="Depuis", position=3
    )
    QuestionFactory(
        category=lighting,
        code="state",
        kind=QuestionKind.SINGLE,
        required=True,
        label_fr="État",
        choices=[
            {"key": "off", "label_ar": "مطفأ", "label_fr": "Éteint"},
            {"key": "blinking", "label_ar": "يومض", "label_fr": "Clignote"},
        ],
        position=4,
    )
    QuestionFactory(
        category=lighting,
        code="danger",
        kind=QuestionKind.MULTIPLE,
        label_fr="Dangers",
        choices=[
            {"key": "wires", "label_ar": "أسلاك", "label_fr": "Fils nus"},
            {"key": "dark", "label_ar": "ظلام", "label_fr": "Rue noire"},
        ],
        position=5,
    )
    return lighting


def post(client, fmt="json", **data):
    defaults = {
        "jurisdiction_id": "tetouan",
        "service_code": "streetlight",
        "lat": str(TETOUAN_POINT[0]),
        "long": str(TETOUAN_POINT[1]),
        "description": "الضو طافي فالزنقة 🙁 lampadaire en panne",
    }
    payload = {key: value for key, value in {**defaults, **data}.items() if value is not None}
    return client.post(f"{BASE}requests.{fmt}", payload)


def report(tetouan, **kwargs):
    defaults = {
        "category": tetouan.lighting,
        "description": "Lampadaire éteint",
        "latitude": TETOUAN_POINT[0],
        "longitude": TETOUAN_POINT[1],
        "contact_email": "amina@example.ma",
        "contact_name": "Amina Berrada",
        "contact_phone": "+212612345678",
    }
    return services.servicerequest_create(**{**defaults, **kwargs})


def as_staff(membership):
    return Actor(user=membership.user, membership=membership, ip_address="192.0.2.1")


def png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (32, 24), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("pole.png", buffer.getvalue(), content_type="image/png")


def assert_error(
    response, status: int, fmt: str = "json", contains: str | Callable[[], str] = ""
) -> list[str]:
    """`contains` is a fragment, or a function giving a message of the code: it is then
    translated into the language the answer is given in."""
    assert response.status_code == status, response.content
    if callable(contains):
        with translation.override(response["Content-Language"]):
            contains = contains()
    if fmt == "json":
        body = response.json()
        assert isinstance(body, list) and body
        assert all(set(entry) == {"code", "description"} for entry in body)
        assert all(entry["code"] == status for entry in body)
        descriptions = [entry["description"] for entry in body]
    else:
        root = parse_xml(response)
        boston = fixture_xml("boston-err-submitrequest-base_is_duplicate.xml")
        assert root.tag == boston.tag == "errors"
        assert all(child_tags(error) == child_tags(boston[0]) for error in root)
        assert all(error.findtext("code") == str(status) for error in root)
        descriptions = [error.findtext("description") for error in root]
    assert all(descriptions)
    if contains:
        assert any(contains in description for description in descriptions), descriptions
    return descriptions


# --- The schemas themselves -------------------------------------------------------------------


def test_the_schemas_accept_real_responses_of_other_cities_and_refuse_broken_ones():
    chicago = json.loads((FIXTURES / "service_requests.json").read_text(encoding="utf-8"))
    validate(chicago, "requests.json")
    validate(json.loads((FIXTURES / "service_list.json").read_text()), "services.json")
    with pytest.raises(SchemaError):
        validate([{**chicago[0], "status": "acknowledged"}], "requests.json")
    with pytest.raises(SchemaError):
        validate([{**chicago[0], "requested_datetime": "12/07/2014"}], "requests.json")
    with pytest.raises(SchemaError):
        validate([{"service_code": "x", "service_name": "y", "type": "realtime"}], "services.json")


# --- Discovery ------------------------------------------------------------------------------


def test_discovery_describes_the_endpoint_in_json_like_boston(client, tetouan):
    response = client.get(f"{BASE}discovery.json", {"jurisdiction_id": "tetouan"})
    assert response.status_code == 200
    body = response.json()
    boston = json.loads((FIXTURES / "discovery-boston.json").read_text())
    assert set(body) == set(boston)
    assert set(body["endpoints"][0]) == set(boston["endpoints"][0])
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2/"
    assert set(body["endpoints"][0]["formats"]) == {"text/xml", "application/json"}
    unknown = client.get(f"{BASE}discovery.json", {"jurisdiction_id": "atlantis"})
    assert_error(unknown, 404, contains="atlantis")
    assert "tetouan" in body["contact"] or tetouan.council.name_ar in body["contact"]


def test_discovery_in_xml_has_the_elements_of_washington_dc(client, tetouan):
    root = parse_xml(client.get(f"{BASE}discovery.xml"))
    dc = fixture_xml("discovery-dc.xml")
    assert root.tag == dc.tag
    assert child_tags(root) == child_tags(dc)
    endpoint, dc_endpoint = root.find("endpoints/endpoint"), dc.find("endpoints/endpoint")
    assert child_tags(endpoint) == child_tags(dc_endpoint)
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]


# --- Services ---------------------------------------------------------------------------------


def test_services_lists_the_organisations_active_categories_in_arabic_by_default(
    client, tetouan, questions
):
    CategoryFactory(organisation=tetouan.council, code="retired", is_active=False)
    CategoryFactory(organisation=tetouan.company, code="not-ours")
    response = client.get(f"{BASE}services.json", {"jurisdiction_id": "tetouan"})
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    body = response.json()
    validate(body, "services.json")
    by_code = {service["service_code"]: service for service in body}
    assert set(by_code) == {"streetlight", "waste"}
    lighting = by_code["streetlight"]
    assert lighting["service_name"] == tetouan.lighting.name_ar
    assert lighting["metadata"] is True and by_code["waste"]["metadata"] is False
    assert lighting["type"] == "realtime"
    with translation.override("ar"):
        assert lighting["group"] == str(CategoryGroup.LIGHTING.label)
    assert tetouan.lighting.name_fr in lighting["keywords"]


@pytest.mark.parametrize(
    ("query", "headers"),
    [({"locale": "fr"}, {}), ({"locale": "fr_MA"}, {}), ({}, {"Accept-Language": "fr-FR,fr"})],
)
def test_services_speak_the_language_asked_by_locale_or_accept_language(
    client, tetouan, query, headers
):
    response = client.get(
        f"{BASE}services.json", {"jurisdiction_id": "tetouan", **query}, headers=headers
    )
    assert response["Content-Language"] == "fr"
    names = {service["service_code"]: service["service_name"] for service in response.json()}
    assert names["streetlight"] == tetouan.lighting.name_fr


def test_services_in_xml_have_the_elements_of_washington_dc_and_giessen(client, tetouan):
    root = parse_xml(client.get(f"{BASE}services.xml", {"jurisdiction_id": "tetouan"}))
    dc, giessen = fixture_xml("dc-services.xml"), fixture_xml("services_giessen.xml")
    assert root.tag == dc.tag == giessen.tag == "services"
    assert {child.tag for child in root} == {"service"}
    assert len(root) == 2
    for service in root:
        assert child_tags(service) == child_tags(dc[0])
        assert child_tags(giessen[0]) <= child_tags(service)
    lighting = next(s for s in root if s.findtext("service_code") == "streetlight")
    assert lighting.findtext("metadata") == "false"
    assert lighting.findtext("type") == "realtime"


def test_a_service_definition_lists_the_questions_as_attributes_in_json(client, tetouan, questions):
    response = client.get(
        f"{BASE}services/streetlight.json", {"jurisdiction_id": "tetouan", "locale": "fr"}
    )
    assert response.status_code == 200
    body = response.json()
    validate(body, "service-definition.json")
    assert body["service_code"] == "streetlight"
    attributes = body["attributes"]
    assert [a["code"] for a in attributes] == ["pole", "lamps", "since", "state", "danger"]
    assert [a["datatype"] for a in attributes] == [
        "string",
        "number",
        "datetime",
        "singlevaluelist",
        "multivaluelist",
    ]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4, 5]
    assert [a["required"] for a in attributes] == [False, False, False, True, False]
    assert all(a["variable"] is True and a["datatype_description"] for a in attributes)
    assert attributes[0]["description"] == "Numéro du poteau (Il est peint sur le poteau.)"
    assert attributes[3]["values"] == [
        {"key": "off", "name": "Éteint"},
        {"key": "blinking", "name": "Clignote"},
    ]
    assert attributes[0]["values"] == []


def test_a_service_definition_in_xml_has_the_elements_of_washington_dc(client, tetouan, questions):
    root = parse_xml(client.get(f"{BASE}services/streetlight.xml", {"jurisdiction_id": "tetouan"}))
    dc = fixture_xml("dc-services-S0301.xml")
    assert root.tag == dc.tag == "service_definition"
    assert child_tags(root) == child_tags(dc)
    dc_attribute = dc.find("attributes/attribute")
    attributes = root.findall("attributes/attribute")
    assert len(attributes) == 5
    assert all(child_tags(attribute) == child_tags(dc_attribute) for attribute in attributes)
    state = attributes[3]
    assert state.findtext("required") == "true"
    values = state.findall("values/value")
    assert child_tags(values[0]) == child_tags(dc.find("attributes/attribute/values/value"))
    assert [v.findtext("name") for v in values] == ["مطفأ", "يومض"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_code_is_a_404_in_the_spec_format(client, tetouan, fmt):
    response = client.get(f"{BASE}services/nothing.{fmt}", {"jurisdiction_id": "tetouan"})
    assert_error(response, 404, fmt, contains="nothing")


# --- Jurisdiction, format and method errors ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "path",
    [
        "services",
        "services/streetlight",
        "requests",
        "requests/K7QM-3XPA-9T",
        "tokens/K7QM-3XPA-9T",
    ],
)
def test_an_unknown_jurisdiction_is_a_404_and_a_missing_one_a_400(client, tetouan, fmt, path):
    assert_error(
        client.get(f"{BASE}{path}.{fmt}", {"jurisdiction_id": "atlantis"}), 404, fmt, "atlantis"
    )
    assert_error(client.get(f"{BASE}{path}.{fmt}"), 400, fmt, "jurisdiction_id")


def test_an_inactive_organisation_is_no_jurisdiction(client, tetouan):
    tetouan.council.is_active = False
    tetouan.council.save()
    assert_error(client.get(f"{BASE}services.json", {"jurisdiction_id": "tetouan"}), 404)


@pytest.mark.parametrize("path", ["services.csv", "requests.html", "services/streetlight.yaml"])
def test_an_unsupported_format_is_a_400(client, tetouan, path):
    response = client.get(f"{BASE}{path}", {"jurisdiction_id": "tetouan"})
    extension = path.rsplit(".", 1)[1]
    assert_error(
        response,
        400,
        "json",
        contains=lambda: (
            translation.gettext("The format %(format)s is not supported: use .json or .xml.")
            % {"format": extension}
        ),
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_wrong_method_is_a_405_with_the_allowed_ones(client, tetouan, fmt):
    response = client.post(f"{BASE}services.{fmt}", {"jurisdiction_id": "tetouan"})
    assert_error(response, 405, fmt)
    assert response["Allow"] == "GET, HEAD"
    response = client.delete(f"{BASE}requests.{fmt}?jurisdiction_id=tetouan")
    assert_error(response, 405, fmt)
    assert "POST" in response["Allow"]


def test_an_unknown_path_is_a_404_in_the_spec_format(client, tetouan):
    assert_error(client.get(f"{BASE}nothing/here.xml"), 404, "xml")
    assert_error(client.get(f"{BASE}nothing"), 404, "json")


# --- POST requests ----------------------------------------------------------------------------


def test_a_partner_posts_a_request_and_reads_it_back_by_id_in_json(client, tetouan, api_key):
    response = post(client, api_key=api_key, email="amina@example.ma")
    assert response.status_code == 200, response.content
    (created,) = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] is None
    reference = created["service_request_id"]
    assert reference in created["service_notice"]
    assert f"/requests/track/{reference}/" in created["service_notice"]

    service_request = ServiceRequest.objects.get(reference=reference)
    assert service_request.channel == Channel.OPEN311
    assert service_request.contact_email == "amina@example.ma"
    assert service_request.description == "الضو طافي فالزنقة 🙁 lampadaire en panne"
    event = service_request.events.get(kind=EventKind.CREATED)
    assert event.organisation == tetouan.council  # the partner's organisation, through its key

    for path in (f"requests/{reference}.json", f"request/{reference}.json"):
        response = client.get(f"{BASE}{path}", {"jurisdiction_id": "tetouan"})
        assert response.status_code == 200
        body = response.json()
        validate(body, "requests.json")
        validate(body[0], "request.json")
        (found,) = body
        assert found["service_request_id"] == reference
        assert found["status"] == "open"
        assert found["service_code"] == "streetlight"
        assert found["lat"] == pytest.approx(TETOUAN_POINT[0])
        assert found["long"] == pytest.approx(TETOUAN_POINT[1])
        assert found["agency_responsible"] == tetouan.council.name_ar
        assert found["address"] == tetouan.commune.name_ar  # no address given: the commune
        assert found["media_url"] is None


def test_a_partner_posts_a_request_and_reads_it_back_in_xml_like_toronto(client, tetouan, api_key):
    response = post(client, "xml", api_key=api_key, email="amina@example.ma")
    assert response.status_code == 200, response.content
    root = parse_xml(response)
    assert root.tag == "service_requests"
    created = root.find("request")
    assert child_tags(created) == {"service_request_id", "service_notice", "account_id"}
    assert created.findtext("account_id") == ""
    reference = created.findtext("service_request_id")

    for path in (f"requests/{reference}.xml", f"request/{reference}.xml"):
        root = parse_xml(client.get(f"{BASE}{path}", {"jurisdiction_id": "tetouan"}))
        toronto = fixture_xml("requests_single.xml")
        spec_example = fixture_xml("service-requests.xml")
        assert root.tag == toronto.tag == "service_requests"
        (request_element,) = root
        assert request_element.tag == "request"
        assert child_tags(request_element) == child_tags(toronto[0]) == child_tags(spec_example[0])
        assert request_element.findtext("service_request_id") == reference
        assert request_element.findtext("status") == "open"
        assert float(request_element.findtext("lat")) == pytest.approx(TETOUAN_POINT[0])


def test_a_request_is_placed_by_address_and_commune_code_without_a_point(client, tetouan, api_key):
    response = post(
        client,
        api_key=api_key,
        lat=None,
        long=None,
        address_string="شارع محمد الخامس، قرب المسجد",
        address_id="ignored-42",
        commune_code=TETOUAN_CODE,
    )
    assert response.status_code == 200, response.content
    service_request = ServiceRequest.objects.get(reference=response.json()[0]["service_request_id"])
    assert service_request.latitude is None
    assert service_request.commune == tetouan.commune
    assert service_request.address == "شارع محمد الخامس، قرب المسجد"


def test_attributes_are_posted_as_answers_in_open311_shapes(client, tetouan, api_key, questions):
    response = client.post(
        f"{BASE}requests.json",
        {
            "jurisdiction_id": "tetouan",
            "api_key": api_key,
            "service_code": "streetlight",
            "lat": TETOUAN_POINT[0],
            "long": TETOUAN_POINT[1],
            "description": "Poteau éteint",
            "attribute[pole]": "TT-1204",
            "attribute[lamps]": "3",
            "attribute[since]": "2026-05-01T21:00:00+01:00",
            "attribute[state]": "blinking",
            "attribute[danger][]": ["wires", "dark"],
            "attribute[unknown]": "ignored",
        },
    )
    assert response.status_code == 200, response.content
    service_request = ServiceRequest.objects.get(reference=response.json()[0]["service_request_id"])
    assert service_request.answers == {
        "pole": "TT-1204",
        "lamps": "3",
        "since": "2026-05-01",
        "state": "blinking",
        "danger": ["wires", "dark"],
    }


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_required_attribute_is_a_400_naming_it(client, tetouan, api_key, questions, fmt):
    response = post(client, fmt, api_key=api_key, **{"attribute[pole]": "TT-1"})
    assert_error(response, 400, fmt, contains="attribute[state]")
    response = post(client, fmt, api_key=api_key, **{"attribute[state]": "exploded"})
    assert_error(response, 400, fmt, contains="attribute[state]")
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_without_a_valid_key_of_this_organisation_is_a_403(
    client, tetouan, api_key, council_admin, fmt
):
    assert_error(post(client, fmt), 403, fmt, contains="api_key")
    assert_error(post(client, fmt, api_key="jmt_0123456789ab_" + "x" * 43), 403, fmt)
    assert_error(post(client, fmt, api_key="not-a-key"), 403, fmt)

    company_admin = MembershipFactory(
        user=StaffUserFactory(email="admin@proprete.ma"),
        organisation=tetouan.company,
        role=Role.ORG_ADMIN,
    ).user
    other_key = apikey_issue(
        actor=Actor(user=company_admin),
        organisation=tetouan.company,
        name="Company app",
        scopes=["open311"],
    ).raw_key
    assert_error(post(client, fmt, api_key=other_key), 403, fmt, contains=tetouan.council.name)

    read_only = apikey_issue(
        actor=Actor(user=council_admin), organisation=tetouan.council, name="Read", scopes=["read"]
    ).raw_key
    assert_error(post(client, fmt, api_key=read_only), 403, fmt, contains="open311")

    issued = ApiKey.objects.get(prefix=api_key.split("_")[1])
    apikey_revoke(actor=Actor(user=council_admin), api_key=issued)
    assert_error(post(client, fmt, api_key=api_key), 403, fmt)
    assert not ServiceRequest.objects.exists()


def test_a_partner_posts_without_a_csrf_token_and_a_head_gets_the_headers(tetouan, api_key):
    client = Client(enforce_csrf_checks=True)
    response = post(client, api_key=api_key)
    assert response.status_code == 200, response.content
    head = client.head(f"{BASE}services.json", {"jurisdiction_id": "tetouan"})
    assert head.status_code == 200
    assert head["Content-Type"] == "application/json; charset=utf-8"
    assert "Accept-Language" in head["Vary"]


def test_the_key_may_come_in_the_query_string_or_the_x_api_key_header(client, tetouan, api_key):
    response = client.post(
        f"{BASE}requests.json?jurisdiction_id=tetouan&api_key={api_key}",
        {
            "service_code": "streetlight",
            "lat": TETOUAN_POINT[0],
            "long": TETOUAN_POINT[1],
            "description": "x",
        },
    )
    assert response.status_code == 200, response.content
    response = client.post(
        f"{BASE}requests.json",
        {
            "jurisdiction_id": "tetouan",
            "service_code": "streetlight",
            "lat": TETOUAN_POINT[0],
            "long": TETOUAN_POINT[1],
            "description": "x",
        },
        headers={"X-Api-Key": api_key},
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("data", "contains"),
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "nothing"}, "nothing"),
        ({"lat": "north", "long": "-5.36"}, "lat"),
        ({"lat": "95", "long": "-5.36"}, "lat"),
        ({"lat": "35.5", "long": "-200"}, "long"),
        ({"lat": "nan", "long": "-5.36"}, "lat"),
        (
            {"lat": "35.57", "long": None},
            lambda: translation.gettext("Give both lat and long, or neither."),
        ),
        ({"lat": str(SEA_POINT[0]), "long": str(SEA_POINT[1])}, "lat/long"),
        ({"lat": str(RABAT_POINT[0]), "long": str(RABAT_POINT[1])}, "lat/long"),
        ({"lat": None, "long": None}, "commune_code"),
        ({"lat": None, "long": None, "address_string": "Bab Okla"}, "commune_code"),
        (
            {"lat": None, "long": None, "address_string": "Bab Okla", "commune_code": "99.999"},
            "99.999",
        ),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"email": "amina@"}, "email"),
        ({"phone": "12345"}, "phone"),
        ({"media_url": "ftp://example.org/a.jpg"}, "media_url"),
        ({"media_url": "file:///etc/passwd"}, "media_url"),
        (
            {"description": "nul\x00"},
            lambda: translation.gettext("The parameters may not contain a null character."),
        ),
    ],
)
def test_bad_post_input_is_a_400_with_a_clear_description(client, tetouan, api_key, data, contains):
    assert_error(post(client, api_key=api_key, **data), 400, contains=contains)
    assert not ServiceRequest.objects.exists()


def test_a_point_outside_morocco_is_refused_in_xml_too(client, tetouan, api_key):
    response = post(client, "xml", api_key=api_key, lat=str(SEA_POINT[0]), long=str(SEA_POINT[1]))
    assert_error(response, 400, "xml", contains="lat/long")


def test_a_category_without_anonymous_reports_needs_a_contact(client, tetouan, api_key):
    assert_error(post(client, api_key=api_key, service_code="waste"), 400, contains="email")
    response = post(client, api_key=api_key, service_code="waste", phone="06 12 34 56 78")
    assert response.status_code == 200, response.content
    service_request = ServiceRequest.objects.get()
    assert service_request.contact_phone == "+212612345678"
    assert service_request.organisation == tetouan.company  # routed by competence
    # Routed elsewhere, still readable in the jurisdiction whose service it was filed in.
    found = client.get(
        f"{BASE}requests/{service_request.reference}.json", {"jurisdiction_id": "tetouan"}
    )
    assert found.json()[0]["agency_responsible"] == tetouan.company.name_ar


def test_a_photo_arrives_by_multipart_and_is_public_only_once_approved(client, tetouan, api_key):
    response = client.post(
        f"{BASE}requests.json",
        {
            "jurisdiction_id": "tetouan",
            "api_key": api_key,
            "service_code": "streetlight",
            "lat": TETOUAN_POINT[0],
            "long": TETOUAN_POINT[1],
            "description": "Poteau tombé",
            "media": png(),
        },
    )
    assert response.status_code == 200, response.content
    reference = response.json()[0]["service_request_id"]
    photo = ServiceRequestPhoto.objects.get(service_request__reference=reference)
    url = f"{BASE}requests/{reference}.json"
    assert client.get(url, {"jurisdiction_id": "tetouan"}).json()[0]["media_url"] is None

    services.servicerequest_photo_approve(photo=photo, actor=as_staff(tetouan.agent))
    media_url = client.get(url, {"jurisdiction_id": "tetouan"}).json()[0]["media_url"]
    assert media_url.startswith("http://testserver/")
    assert media_url.endswith(photo.file.name)


def test_a_file_that_is_not_a_photo_is_refused(client, tetouan, api_key):
    fake = SimpleUploadedFile("pole.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = post(client, api_key=api_key, media=fake)
    assert_error(response, 400, contains="media")


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


def test_a_media_url_is_stored_as_given_and_never_fetched(client, tetouan, api_key):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        media_url = f"http://127.0.0.1:{server.server_port}/photos/pole.jpg?size=large"
        response = post(client, api_key=api_key, media_url=media_url)
        assert response.status_code == 200, response.content
        reference = response.json()[0]["service_request_id"]
        client.get(f"{BASE}requests/{reference}.json", {"jurisdiction_id": "tetouan"})
        client.get(f"{BASE}requests.xml", {"jurisdiction_id": "tetouan"})
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hits == []
    assert ServiceRequest.objects.get(reference=reference).media_url == media_url


# --- GET requests -----------------------------------------------------------------------------


def test_the_list_validates_and_carries_no_personal_data_in_json_or_xml(client, tetouan):
    report(tetouan)
    report(tetouan, anonymous=True, contact_email="", contact_name="", contact_phone="")
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}requests.{fmt}", {"jurisdiction_id": "tetouan"})
        assert response.status_code == 200
        text = response.content.decode()
        for personal in ("amina@example.ma", "Amina", "Berrada", "612345678"):
            assert personal not in text
    body = client.get(f"{BASE}requests.json", {"jurisdiction_id": "tetouan"}).json()
    validate(body, "requests.json")
    assert len(body) == 2
    chicago = json.loads((FIXTURES / "service_requests.json").read_text())
    assert set(chicago[1]) <= set(body[0])


def test_the_list_filters_by_ids_service_and_status(client, tetouan):
    first, second = report(tetouan), report(tetouan)
    waste = report(tetouan, category=tetouan.waste)
    services.servicerequest_transition(
        service_request=second,
        to_status=Status.REJECTED,
        reason="Ce poteau est privé.",
        actor=as_staff(tetouan.agent),
    )

    def ids(**query):
        response = client.get(f"{BASE}requests.json", {"jurisdiction_id": "tetouan", **query})
        assert response.status_code == 200, response.content
        return {entry["service_request_id"] for entry in response.json()}

    assert ids() == {first.reference, second.reference, waste.reference}
    assert ids(service_code="waste") == {waste.reference}
    assert ids(status="open") == {first.reference, waste.reference}
    assert ids(status="closed") == {second.reference}
    assert ids(status="open,closed") == {first.reference, second.reference, waste.reference}
    lowered = first.reference.lower().replace("-", "")
    assert ids(service_request_id=f"{lowered}, {second.reference}") == {
        first.reference,
        second.reference,
    }
    # The ids override every other filter.
    assert ids(service_request_id=first.reference, status="closed") == {first.reference}
    closed = client.get(
        f"{BASE}requests/{second.reference}.json", {"jurisdiction_id": "tetouan"}
    ).json()[0]
    assert closed["status"] == "closed"
    assert closed["status_notes"] == "Ce poteau est privé."


def test_a_request_routed_to_a_company_stays_in_its_categorys_jurisdiction(client, tetouan):
    """The jurisdiction is the category's organisation, whichever organisation handles it."""
    routed = report(tetouan, category=tetouan.waste)
    kept = report(tetouan)
    assert routed.organisation == tetouan.company  # waste is the concession's competence
    assert routed.jurisdiction == kept.jurisdiction == tetouan.council

    listed = client.get(
        f"{BASE}requests.json", {"jurisdiction_id": "tetouan", "status": "open"}
    ).json()
    assert {entry["service_request_id"] for entry in listed} == {routed.reference, kept.reference}
    entry = next(e for e in listed if e["service_request_id"] == routed.reference)
    assert entry["agency_responsible"] == tetouan.company.name
    one = client.get(f"{BASE}requests/{routed.reference}.json", {"jurisdiction_id": "tetouan"})
    assert one.status_code == 200
    # The company handles the request but does not publish it: it is no jurisdiction of it.
    company = {"jurisdiction_id": tetouan.company.slug}
    assert client.get(f"{BASE}requests/{routed.reference}.json", company).status_code == 404
    assert client.get(f"{BASE}requests.json", company).json() == []


def test_the_list_defaults_to_the_last_90_days_and_takes_a_range(client, tetouan):
    now = timezone.now()
    recent = report(tetouan)
    old = report(tetouan, created_at=now - timedelta(days=120))

    def ids(**query):
        response = client.get(f"{BASE}requests.json", {"jurisdiction_id": "tetouan", **query})
        assert response.status_code == 200, response.content
        return {entry["service_request_id"] for entry in response.json()}

    assert ids() == {recent.reference}
    start = (now - timedelta(days=150)).isoformat()
    end = (now - timedelta(days=100)).isoformat()
    assert ids(start_date=start, end_date=end) == {old.reference}
    assert ids(start_date=start) == {old.reference}
    assert ids(end_date=end) == {old.reference}
    assert ids(start_date=(now - timedelta(days=1)).date().isoformat()) == {recent.reference}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("query", "contains"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"}, "90"),
        ({"start_date": "2026-05-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "pending"),
        ({"service_code": "nothing"}, "nothing"),
        ({"page": "0"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
    ],
)
def test_bad_list_filters_are_a_400(client, tetouan, fmt, query, contains):
    response = client.get(f"{BASE}requests.{fmt}", {"jurisdiction_id": "tetouan", **query})
    assert_error(response, 400, fmt, contains=contains)


def test_the_list_is_paged_with_a_link_to_the_next_page_and_no_count(
    client, tetouan, django_assert_max_num_queries
):
    made = [report(tetouan) for _ in range(5)]
    newest_first = [sr.reference for sr in sorted(made, key=lambda sr: (sr.created_at, sr.id))][
        ::-1
    ]
    query = {"jurisdiction_id": "tetouan", "page_size": "2"}
    first = client.get(f"{BASE}requests.json", query)
    assert [e["service_request_id"] for e in first.json()] == newest_first[:2]
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    third = client.get(f"{BASE}requests.json", {**query, "page": "3"})
    assert [e["service_request_id"] for e in third.json()] == newest_first[4:]
    assert "Link" not in third


def test_the_list_costs_the_same_queries_for_few_or_many_requests(
    client, tetouan, django_assert_num_queries
):
    report(tetouan)
    # The first call loads the jurisdiction, its categories and questions, and the names of
    # the organisation and the commune into the process's catalogue.
    with django_assert_num_queries(6):
        client.get(f"{BASE}requests.json", {"jurisdiction_id": "tetouan"})
    with django_assert_num_queries(1) as context:
        assert len(client.get(f"{BASE}requests.json", {"jurisdiction_id": "tetouan"}).json()) == 1
    for _ in range(6):
        report(tetouan)
    photo_request = report(tetouan, photos=[png()])
    services.servicerequest_photo_approve(
        photo=photo_request.photos.get(), actor=as_staff(tetouan.agent)
    )
    with django_assert_num_queries(1):
        body = client.get(f"{BASE}requests.xml", {"jurisdiction_id": "tetouan"})
        assert len(parse_xml(body)) == 8
    assert not any("COUNT(" in query["sql"].upper() for query in context.captured_queries)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_or_foreign_request_id_is_a_404(client, tetouan, fmt):
    assert_error(
        client.get(f"{BASE}requests/K7QM-3XPA-9T.{fmt}", {"jurisdiction_id": "tetouan"}), 404, fmt
    )
    service_request = report(tetouan)
    CategoryFactory(organisation=tetouan.company, code="bins")
    response = client.get(
        f"{BASE}requests/{service_request.reference}.{fmt}",
        {"jurisdiction_id": "tetouan-proprete"},
    )
    assert_error(response, 404, fmt)


def test_a_description_with_control_characters_is_still_well_formed_xml(client, tetouan):
    report(tetouan, description="ligne\x0bcassée\x1f ✓")
    root = parse_xml(client.get(f"{BASE}requests.xml", {"jurisdiction_id": "tetouan"}))
    assert root.find("request").findtext("description") == "lignecassée ✓"


# --- Tokens -----------------------------------------------------------------------------------


def test_a_token_is_the_request_id_in_json_and_xml(client, tetouan):
    service_request = report(tetouan)
    response = client.get(
        f"{BASE}tokens/{service_request.reference}.json", {"jurisdiction_id": "tetouan"}
    )
    assert response.json() == [
        {"service_request_id": service_request.reference, "token": service_request.reference}
    ]
    root = parse_xml(
        client.get(f"{BASE}tokens/{service_request.reference}.xml", {"jurisdiction_id": "tetouan"})
    )
    spec = fixture_xml("token.xml")
    assert root.tag == spec.tag
    assert child_tags(root.find("request")) == child_tags(spec.find("request"))
    assert_error(
        client.get(f"{BASE}tokens/K7QM-3XPA-9T.xml", {"jurisdiction_id": "tetouan"}), 404, "xml"
    )


# --- The demo key -----------------------------------------------------------------------------


def test_the_demo_key_is_refused_outside_demo_mode(tetouan, platform_admin):
    with override_settings(DEMO_MODE=False), pytest.raises(ImproperlyConfigured):
        open311_demo_key_ensure(tetouan.council)
    assert not ApiKey.objects.exists()


def test_the_demo_key_is_a_hashed_audited_partner_key_that_works_only_in_demo_mode(
    client, tetouan, platform_admin
):
    with override_settings(DEMO_MODE=True):
        api_key = open311_demo_key_ensure(tetouan.council)
        assert open311_demo_key_ensure(tetouan.council) == api_key  # idempotent
        assert api_key.kind == ApiKey.Kind.PARTNER
        assert api_key.organisation == tetouan.council
        assert api_key.scopes == ["open311"]
        assert OPEN311_DEMO_KEY not in api_key.secret_hash
        assert (
            AuditEvent.objects.filter(
                action=AuditEvent.Action.ISSUE,
                target_id=str(api_key.pk),
                organisation=tetouan.council,
            ).count()
            == 1
        )
        assert open311_demo_key_authenticate("demo-open311-keyX") is None
        response = post(client, api_key=OPEN311_DEMO_KEY)
        assert response.status_code == 200, response.content
        reference = response.json()[0]["service_request_id"]
        found = client.get(f"{BASE}requests/{reference}.json", {"jurisdiction_id": "tetouan"})
        assert found.json()[0]["service_request_id"] == reference
    with override_settings(DEMO_MODE=False):
        assert_error(post(client, api_key=OPEN311_DEMO_KEY), 403)
