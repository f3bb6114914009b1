"""Open data: the OC4IDS package and the IATI file validate against the official schemas.

The schemas are read from the project's shared/ folder, beside the repository (tests only;
nothing reads them at run time).
"""

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from jamaati.programmes.exports import iati, oc4ids
from jamaati.programmes.models import (
    Project,
    ProjectDocument,
    ProjectStage,
    Sector,
    Status,
)
from jamaati.programmes.tests.factories import (
    FundingCommitmentFactory,
    MilestoneFactory,
    ProjectFactory,
    TransactionFactory,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "schemas"
OC4IDS = SCHEMAS / "oc4ids"
IATI = SCHEMAS / "iati-2.03"
TODAY = dt.date(2025, 6, 1)
SQUARE = (
    '{"type":"Polygon","coordinates":[[[-5.38,35.56],[-5.36,35.56],[-5.36,35.58],'
    "[-5.38,35.58],[-5.38,35.56]]]}"
)


def _codes(name: str) -> set[str]:
    with (OC4IDS / "codelists" / name).open(encoding="utf-8") as file:
        return {row["Code"] for row in csv.DictReader(file)}


def _iati_codes(name: str) -> set[str]:
    return set(
        etree.parse(str(IATI / "codelists" / f"{name}.xml")).xpath("//codelist-item/code/text()")
    )


@pytest.fixture
def published(world, undp, commune_partner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    works = ProjectFactory(
        organisation=world.organisation,
        code="PAC-01",
        sector=Sector.ROADS,
        status=Status.WORKS,
        total_cost=Decimal("1200000.50"),
        physical_progress=Decimal("40"),
        territories=[world.commune],
        geometry=SQUARE,
        actual_start=dt.date(2024, 3, 1),
    )
    ProjectStage.objects.create(
        project=works,
        stage=Status.WORKS,
        planned_start=dt.date(2024, 2, 1),
        actual_start=dt.date(2024, 3, 1),
    )
    FundingCommitmentFactory(project=works, partner=undp, amount=Decimal("600000.00"))
    FundingCommitmentFactory(project=works, partner=commune_partner, amount=Decimal("600000.50"))
    TransactionFactory(
        project=works,
        kind="disbursement",
        partner=undp,
        amount=Decimal("250000.10"),
        reference="V-1",
    )
    TransactionFactory(project=works, amount=Decimal("0.30"), description="Décompte n° 1")
    MilestoneFactory(
        project=works, planned_date=dt.date(2024, 1, 1), actual_date=dt.date(2024, 1, 5)
    )
    MilestoneFactory(project=works, planned_date=dt.date(2025, 1, 1), type="financing")
    MilestoneFactory(project=works, planned_date=dt.date(2026, 1, 1))
    document = ProjectDocument(
        project=works, title="Étude", type="feasibilityStudy", created_at=timezone.now()
    )
    document.file.save("study.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
    document.save()
    ProjectFactory(
        organisation=world.organisation,
        code="PAC-02",
        sector=Sector.COMMUNICATIONS,
        status=Status.SUSPENDED,
        suspended_from=Status.TENDERING,
        territories=[world.district],
        latitude=None,
        longitude=None,
        planned_start=None,
        planned_end=None,
        description_ar="",
        description_fr="",
        description_en="",
    )
    ProjectFactory(
        organisation=world.organisation,
        code="PAC-03",
        status=Status.COMPLETED,
        actual_end=dt.date(2025, 1, 1),
        territories=[world.commune],
    )
    ProjectFactory(organisation=world.organisation, code="PAC-04", status=Status.CANCELLED)
    ProjectFactory(organisation=world.organisation, code="HIDDEN", is_published=False)
    return world.organisation


def _oc4ids_validator():
    package = json.loads((OC4IDS / "project-package-schema.json").read_text(encoding="utf-8"))
    project = json.loads((OC4IDS / "project-schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(
        project["id"], Resource.from_contents(project, default_specification=DRAFT4)
    )
    return jsonschema.Draft4Validator(
        package, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def test_the_oc4ids_package_validates_with_zero_errors(client, published):
    response = client.get(reverse("opendata:oc4ids", kwargs={"slug": published.slug}))
    assert response.status_code == 200
    package = response.json()
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in _oc4ids_validator().iter_errors(package)
    ]
    assert errors == []
    assert [p["id"].rsplit("-", 2)[-2:] for p in package["projects"]] == [
        ["PAC", "01"],
        ["PAC", "02"],
        ["PAC", "03"],
        ["PAC", "04"],
    ]


def test_the_oc4ids_package_uses_the_codelists_and_exact_amounts(published):
    package = oc4ids.project_package(
        published, base_url="https://jamaati.example", uri="https://jamaati.example/p", today=TODAY
    )
    projects = {p["identifiers"][0]["id"]: p for p in package["projects"]}
    sectors, statuses = _codes("projectSector.csv"), _codes("projectStatus.csv")
    roles, milestone_types = _codes("partyRole.csv"), _codes("milestoneType.csv")
    documents, milestone_statuses = _codes("documentType.csv"), _codes("milestoneStatus.csv")
    for project in package["projects"]:
        assert set(project["sector"]) <= sectors
        assert project["status"] in statuses
        for party in project.get("parties", []):
            assert set(party["roles"]) <= roles
        for milestone in project.get("milestones", []):
            assert milestone["type"] in milestone_types
            assert milestone["status"] in milestone_statuses
        for document in project.get("documents", []):
            assert document["documentType"] in documents
    works = projects["PAC-01"]
    assert works["sector"] == ["transport", "transport.road"]
    assert works["status"] == "implementation"
    assert projects["PAC-02"]["status"] == "preparation"  # suspended during tendering
    assert projects["PAC-03"]["status"] == "completion"
    assert works["budget"]["amount"] == {"amount": 1200000.5, "currency": "MAD"}
    assert Decimal(str(works["transactions"][0]["value"]["amount"])) == Decimal("250000.10")
    assert [m["status"] for m in works["milestones"]] == ["met", "notMet", "scheduled"]
    assert works["locations"][0]["geometry"]["type"] == "Polygon"
    assert works["documents"][0]["url"].startswith("https://jamaati.example/")


def test_an_organisation_without_published_projects_has_no_package(client, world):
    response = client.get(reverse("opendata:oc4ids", kwargs={"slug": world.organisation.slug}))
    assert response.status_code == 404


def _iati_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI / "schemas" / "iati-activities-schema.xsd")))


def test_the_iati_file_validates_against_the_xsd(client, published):
    response = client.get(reverse("opendata:iati", kwargs={"slug": published.slug}) + "?lang=fr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    schema = _iati_schema()
    assert schema.validate(document), [str(e) for e in schema.error_log]
    assert len(document.findall("iati-activity")) == 4
    titles = document.xpath("//iati-activity/title/narrative/text()")
    assert titles[0] == Project.objects.get(code="PAC-01").title_fr


def test_the_iati_file_uses_the_codelists(published):
    document = etree.fromstring(iati.activities_document(published, base_url="https://x.ma"))
    assert set(document.xpath("//transaction-type/@code")) <= _iati_codes("TransactionType")
    assert set(document.xpath("//transaction-type/@code")) == {"1", "4", "11"}
    assert set(document.xpath("//sector/@code")) <= _iati_codes("Sector")
    assert set(document.xpath("//activity-status/@code")) <= _iati_codes("ActivityStatus")
    assert set(document.xpath("//activity-status/@code")) == {"2", "6", "3", "5"}
    assert set(document.xpath("//@type[parent::participating-org]")) <= _iati_codes(
        "OrganisationType"
    )
    assert set(document.xpath("//participating-org/@role")) <= _iati_codes("OrganisationRole")
    values = document.xpath("//iati-activity[1]/transaction/value/text()")
    assert sum(Decimal(v) for v in values) == Decimal("1450000.90")


def test_an_organisation_without_published_projects_has_no_iati_file(client, world):
    assert iati.activities_document(world.organisation, base_url="https://x.ma") is None
    response = client.get(reverse("opendata:iati", kwargs={"slug": world.organisation.slug}))
    assert response.status_code == 404


def test_the_csv_exports_hold_the_published_projects_with_the_import_columns(client, published):
    response = client.get(reverse("opendata:projects_csv", kwargs={"slug": published.slug}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["code"] for row in rows] == ["PAC-01", "PAC-02", "PAC-03", "PAC-04"]
    assert rows[0]["spent_mad"] == "0.30"
    assert rows[0]["committed_mad"] == "1200000.50"
    assert rows[0]["financial_progress_percent"] == "0.00"
    response = client.get(reverse("opendata:transactions_csv", kwargs={"slug": published.slug}))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "project_code,kind,date,amount,partner,reference,description"
    assert "PAC-01,disbursement,2024-03-01,250000.10,undp,V-1," in text


def test_open_data_of_an_unknown_organisation_is_a_404(client, db):
    for name in ("opendata:oc4ids", "opendata:iati", "opendata:projects_csv"):
        assert client.get(reverse(name, kwargs={"slug": "nowhere"})).status_code == 404


def test_the_exports_take_a_fixed_number_of_queries(published, django_assert_num_queries):
    with django_assert_num_queries(7):
        oc4ids.project_package(published, base_url="https://x.ma", uri="https://x.ma/p")
    ProjectFactory(organisation=published, code="PAC-05")
    with django_assert_num_queries(7):
        iati.activities_document(published, base_url="https://x.ma")
