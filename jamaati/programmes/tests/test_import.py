"""Imports of projects and transactions from CSV and XLSX: all or nothing, with a report."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from jamaati.audit.models import AuditEvent
from jamaati.programmes.importing import ImportFileError, projects_import
from jamaati.programmes.models import (
    EventKind,
    FundingCommitment,
    Project,
    ProjectEvent,
    ProjectTransaction,
    Status,
)

pytestmark = pytest.mark.django_db

HEADER = "code;title_ar;title_fr;sector;status;territories;latitude;longitude;total_cost;planned_start;planned_end;funding"


def _csv(world, *rows: str) -> bytes:
    lines = [HEADER, *rows]
    return "\n".join(lines).replace("{commune}", world.commune.code).encode("utf-8")


GOOD = [
    "P-1;تهيئة;Aménagement;transport.road;works;{commune};35.57;-5.37;1 200 000,50;2024-01-01;31/12/2025;undp=600000|north-council=600000.50",
    "P-2;مدرسة;École;education;;{commune};;;300000;;;",
]


def test_a_valid_csv_imports_every_project_with_its_funding_plan(
    world, planner, undp, commune_partner
):
    calls = []
    report = projects_import(
        organisation=world.organisation,
        file=_csv(world, *GOOD),
        actor=planner,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert report.ok, report.errors
    assert (report.kind, report.rows, report.created) == ("projects", 2, 2)
    first = Project.objects.get(code="P-1")
    assert first.total_cost == Decimal("1200000.50")
    assert first.status == Status.WORKS
    assert first.planned_end.isoformat() == "2025-12-31"
    assert sum(FundingCommitment.objects.values_list("amount", flat=True)) == Decimal("1200000.50")
    assert ProjectEvent.objects.filter(kind=EventKind.IMPORTED).count() == 2
    assert calls[-1] == (2, 2)


def test_one_bad_row_writes_nothing_and_the_report_names_it(world, planner, undp, commune_partner):
    bad = "P-3;;Sans secteur;roads-and-more;;{commune};;;abc;;;"
    with translation.override("fr"):
        report = projects_import(
            organisation=world.organisation, file=_csv(world, *GOOD, bad), actor=planner
        )
        expected = gettext(
            "“%(value)s” is not a sector. Use an OC4IDS code such as %(example)s."
        ) % {
            "value": "roads-and-more",
            "example": "transport.road",
        }
    assert not report.ok
    assert report.created == 0
    assert [(e.row, e.column) for e in report.errors] == [(4, "sector")]
    assert report.errors[0].message == expected
    assert not Project.objects.exists()
    assert not FundingCommitment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_bad_row_is_reported_at_once(world, planner, undp):
    rows = [
        "P-1;;X;economy;;99.999;;;10;;;",  # unknown territory
        "P-2;;X;economy;;{commune};95;10;10;;;",  # latitude out of range
        "P-3;;X;economy;;{commune};;;10;2025-13-01;;",  # bad date
        ";;X;economy;;{commune};;;10;;;",  # no code
        "P-5;;X;economy;;{commune};;;10;;;ghost=5",  # unknown partner
        "P-6;;X;economy;;{commune};;;10;;;",  # fine
        "P-6;;X;economy;;{commune};;;10;;;",  # the same code again
    ]
    report = projects_import(
        organisation=world.organisation, file=_csv(world, *rows), actor=planner
    )
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "territories"),
        (3, "latitude"),
        (4, "planned_start"),
        (5, "code"),
        (6, "funding"),
        (8, "code"),
    ]
    assert not Project.objects.exists()


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_transactions_import_from_xlsx_exactly(world, planner, project, undp):
    rows = [
        ["project_code", "kind", "date", "amount", "partner", "reference"],
        ["PAC-01", "disbursement", "2025-01-15", 250000.1, "undp", "V-1"],
        ["PAC-01", "expenditure", "10/02/2025", "0.20", "", "OP-1"],
        ["PAC-01", "expenditure", "2025-02-11", 0.1, "", "OP-2"],
    ]
    report = projects_import(organisation=world.organisation, file=_xlsx(rows), actor=planner)
    assert report.ok, report.errors
    assert report.created == 3
    spent = sum(
        ProjectTransaction.objects.filter(kind="expenditure").values_list("amount", flat=True)
    )
    assert spent == Decimal("0.30")
    assert ProjectTransaction.objects.get(reference="V-1").amount == Decimal("250000.10")


def test_a_bad_transaction_row_rolls_back_the_good_ones(world, planner, project, undp):
    rows = [
        ["project_code", "kind", "date", "amount", "partner"],
        ["PAC-01", "expenditure", "2025-01-15", "1000", ""],
        ["PAC-01", "disbursement", "2025-01-15", "1000", ""],  # no funder
        ["NOPE", "expenditure", "2025-01-15", "1000", ""],
    ]
    report = projects_import(organisation=world.organisation, file=_xlsx(rows), actor=planner)
    assert [(e.row, e.column) for e in report.errors] == [(3, "partner"), (4, "project_code")]
    assert not ProjectTransaction.objects.exists()


def test_a_file_without_the_required_columns_is_reported(world, planner):
    report = projects_import(
        organisation=world.organisation, file=b"code;sector\nP;economy\n", actor=planner
    )
    assert report.errors[0].row == 1
    with pytest.raises(ImportFileError):
        projects_import(organisation=world.organisation, file=b"a;b\n1;2\n", actor=planner)
    with pytest.raises(ImportFileError):
        projects_import(organisation=world.organisation, file="é".encode("latin-1"), actor=planner)


def test_an_outsider_or_an_agent_cannot_import(world, outsider, works_agent):
    for actor in (outsider, works_agent):
        with pytest.raises(PermissionDenied):
            projects_import(organisation=world.organisation, file=_csv(world, *GOOD), actor=actor)


def test_the_command_imports_and_fails_loudly_on_a_bad_file(
    world, org_admin, undp, commune_partner, tmp_path
):
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(world, *GOOD))
    out = io.StringIO()
    call_command(
        "import_programmes",
        str(good),
        "--organisation",
        world.organisation.slug,
        "--as",
        org_admin.username,
        "--no-progress",
        stdout=out,
    )
    assert Project.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(world, "P-9;;X;nope;;{commune};;;1;;;"))
    with pytest.raises(CommandError):
        call_command(
            "import_programmes",
            str(bad),
            "--organisation",
            world.organisation.slug,
            "--as",
            org_admin.username,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert Project.objects.count() == 2
