"""manage.py import_servicerequests: CSV and Open311 files, idempotence, bad rows, outside points."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from jamaati.core import sms
from jamaati.servicerequests.models import Channel, EventKind, ServiceRequest, Status

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
CSV_FILE = DATA / "requests.csv"
OPEN311_FILE = DATA / "requests.json"
CATEGORY_MAP = DATA / "category_map.csv"
# The MyLA311 sample is test data only (City of Los Angeles, via hackforla/311-data, GPL-3.0):
# read where the project keeps it, never copied into the repository.
LA_SAMPLE = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "servicerequests"
    / "la-myla311"
    / "myla311_requests_2020-01-01_to_03.csv"
)


def run(path: Path = CSV_FILE, *args: str, file_format: str = "csv", **options) -> str:
    # The report is read line by line below: run the command in English (it follows the
    # active language, Arabic by default; test_the_report_follows_the_active_language checks that).
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        _call(path, file_format, args, options, out, err)
    return out.getvalue() + err.getvalue()


def _call(path, file_format, args, options, out, err) -> None:
    call_command(
        "import_servicerequests",
        str(path),
        "--format",
        file_format,
        "--organisation",
        options.pop("organisation", "tetouan"),
        "--source",
        options.pop("source", "old-crm"),
        *args,
        stdout=out,
        stderr=err,
    )


def count(label: str, output: str) -> int:
    match = re.search(rf"^{re.escape(label)}: (\d+)$", output, re.MULTILINE)
    assert match, f"no '{label}' line in:\n{output}"
    return int(match.group(1))


def rejected_lines(output: str) -> dict[int, str]:
    return {
        int(line): reason
        for line, reason in re.findall(r"^  line (\d+) \(external id [^)]*\): (.*)$", output, re.M)
    }


def test_a_csv_file_is_imported_and_every_bad_row_reported_with_its_line(tetouan):
    output = run(CSV_FILE, "--category-map", str(CATEGORY_MAP), "--no-progress")

    assert count("Rows read", output) == 12
    assert count("Imported", output) == 5
    assert count("Skipped, already present", output) == 1  # TET-001 twice in the file
    assert count("Outside every territory, not imported", output) == 1
    assert count("Rejected", output) == 5
    problems = rejected_lines(output)
    assert set(problems) == {5, 6, 7, 8, 10, 11}
    assert "outside every territory" in problems[5]  # TET-004, at sea
    assert "unknown-category" in problems[6]
    assert "pas une date" in problems[7]
    assert "archived" in problems[8]
    assert "location" in problems[10]
    assert "external id" in problems[11]
    imported = {sr.external_id: sr for sr in ServiceRequest.objects.filter(source="old-crm")}
    # TET-008 has no contact in a category that needs one for new reports: history is imported all the same.
    assert set(imported) == {"TET-001", "TET-002", "TET-003", "TET-008", "TET-010"}
    assert imported["TET-008"].is_anonymous
    assert imported["TET-001"].description == "الضو طافي فالزنقة 🙁"
    assert imported["TET-003"].category == tetouan.lighting  # through the category map
    assert {sr.channel for sr in imported.values()} == {Channel.IMPORT}
    assert {sr.commune for sr in imported.values()} == {tetouan.commune}


def test_statuses_are_mapped_and_closed_requests_keep_their_dates(tetouan):
    run(CSV_FILE, "--category-map", str(CATEGORY_MAP), "--no-progress")
    imported = {sr.external_id: sr for sr in ServiceRequest.objects.filter(source="old-crm")}
    casablanca = dt.timezone(dt.timedelta(hours=1))
    local = timezone.get_default_timezone()  # dates written without an offset

    opened, closed, in_progress, cancelled = (
        imported["TET-001"],
        imported["TET-002"],
        imported["TET-003"],
        imported["TET-010"],
    )
    assert opened.status == Status.NEW
    assert opened.created_at == dt.datetime(2025, 3, 1, 8, 15, tzinfo=casablanca)
    assert closed.status == Status.CLOSED
    # Written without an offset: read in the site's zone (Morocco keeps GMT+0 during Ramadan).
    assert closed.created_at == timezone.make_aware(dt.datetime(2025, 3, 2, 9, 0), local)
    assert closed.resolved_at == closed.closed_at
    assert closed.closed_at == timezone.make_aware(dt.datetime(2025, 3, 5, 17, 30), local)
    assert in_progress.status == Status.IN_PROGRESS
    assert cancelled.status == Status.REJECTED
    assert cancelled.rejection_reason
    status_event = closed.events.get(kind=EventKind.STATUS_CHANGED)
    assert (status_event.to_status, status_event.created_at) == (Status.CLOSED, closed.closed_at)
    assert status_event.data == {"import": "old-crm", "source_status": "Closed"}


def test_importing_the_same_file_again_adds_no_row(tetouan):
    run(CSV_FILE, "--category-map", str(CATEGORY_MAP), "--no-progress")
    before = ServiceRequest.objects.count()

    output = run(CSV_FILE, "--category-map", str(CATEGORY_MAP), "--no-progress")

    assert ServiceRequest.objects.count() == before == 5
    assert count("Imported", output) == 0
    assert count("Skipped, already present", output) == 6
    # Another source may carry the same external ids: they are different requests.
    run(CSV_FILE, "--category-map", str(CATEGORY_MAP), "--no-progress", source="other-crm")
    assert ServiceRequest.objects.count() == 10


def test_an_import_sends_no_notification(tetouan):
    run(CSV_FILE, "--category-map", str(CATEGORY_MAP), "--no-progress")

    assert mail.outbox == []
    assert sms.outbox == []
    assert not ServiceRequest.objects.filter(followers__isnull=False).exists()


def test_points_outside_are_assigned_to_the_organisation_at_its_seat_when_asked(tetouan):
    output = run(
        CSV_FILE, "--category-map", str(CATEGORY_MAP), "--outside", "assign", "--no-progress"
    )

    assert count("Imported", output) == 6
    assert "assigned to tetouan: 1" in output
    assert count("Outside every territory, not imported", output) == 0
    at_sea = ServiceRequest.objects.get(external_id="TET-004")
    assert (at_sea.organisation, at_sea.territory) == (tetouan.council, tetouan.council.seat)
    assert at_sea.latitude is None
    assert "36.500000, -4.000000" in at_sea.address  # the source's point, kept as text
    assert at_sea.events.get(kind=EventKind.CREATED).data["route"] == "import_outside"


def test_a_dry_run_reports_the_same_and_writes_nothing(tetouan):
    dry = run(CSV_FILE, "--category-map", str(CATEGORY_MAP), "--dry-run", "--no-progress")

    assert "Dry run: nothing was written." in dry
    assert count("Would be imported", dry) == 5
    assert count("Rejected", dry) == 5
    assert ServiceRequest.objects.count() == 0
    real = run(CSV_FILE, "--category-map", str(CATEGORY_MAP), "--no-progress")
    assert rejected_lines(real) == rejected_lines(dry)
    assert count("Imported", real) == 5


def test_an_unknown_category_can_fall_back_to_a_default_one(tetouan):
    output = run(CSV_FILE, "--default-category", "streetlight", "--no-progress")

    assert count("Imported", output) == 6  # TET-003 (eclairage) and TET-005 take the default
    assert ServiceRequest.objects.get(external_id="TET-005").category == tetouan.lighting


def test_an_open311_export_is_imported_with_its_statuses(tetouan):
    output = run(
        OPEN311_FILE,
        "--category-map",
        str(CATEGORY_MAP),
        "--no-progress",
        file_format="open311",
        source="fixmystreet",
    )

    assert count("Imported", output) == 2
    assert count("Outside every territory, not imported", output) == 1
    assert count("Rejected", output) == 1
    assert "nord" in rejected_lines(output)[4]
    closed = ServiceRequest.objects.get(source="fixmystreet", external_id="o311-2")
    assert closed.status == Status.CLOSED
    assert closed.closed_at == dt.datetime(2025, 4, 4, 15, 45, tzinfo=dt.UTC)
    assert closed.description == "الضو مقطوع"
    assert (
        count(
            "Imported",
            run(
                OPEN311_FILE,
                "--category-map",
                str(CATEGORY_MAP),
                "--no-progress",
                file_format="open311",
                source="fixmystreet",
            ),
        )
        == 0
    )


def test_the_progress_bar_is_drawn_on_stderr(tetouan, capsys):
    run(CSV_FILE, "--category-map", str(CATEGORY_MAP))

    assert "12/12" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (["--default-category", "nope"], {}, "nope"),
        ([], {"organisation": "nowhere"}, "nowhere"),
        ([], {"source": "  "}, "source"),
    ],
)
def test_bad_options_stop_the_command_with_a_clear_error(tetouan, args, options, message):
    with pytest.raises(CommandError, match=message):
        run(CSV_FILE, *args, "--no-progress", **options)
    assert ServiceRequest.objects.count() == 0


def test_a_file_without_the_needed_columns_or_not_json_is_refused(tetouan, tmp_path):
    no_ids = tmp_path / "no-ids.csv"
    no_ids.write_text("description,lat,lon\nx,35.5,-5.3\n", encoding="utf-8")
    not_json = tmp_path / "requests.json"
    not_json.write_text("<service_requests/>", encoding="utf-8")

    with pytest.raises(CommandError, match="external_id, category_code"):
        run(no_ids, "--no-progress")
    with pytest.raises(CommandError, match="JSON"):
        run(not_json, "--no-progress", file_format="open311")


def test_assign_needs_an_organisation_with_a_seat_commune(tetouan):
    tetouan.council.seat = None
    tetouan.council.save(update_fields=["seat"])

    with pytest.raises(CommandError, match="seat"):
        run(CSV_FILE, "--outside", "assign", "--no-progress")


# --- The real Los Angeles sample (kept out of the repository) ----------------------------------------------

needs_la_sample = pytest.mark.skipif(
    not LA_SAMPLE.exists(),
    reason=f"the MyLA311 sample is not at {LA_SAMPLE} (test data kept outside the repository)",
)
LA_OPTIONS = (
    "--date-format",
    "%m/%d/%y %H:%M",
    "--timezone",
    "America/Los_Angeles",
    "--default-category",
    "streetlight",
    "--no-progress",
)


@needs_la_sample
def test_the_los_angeles_sample_is_all_reported_as_outside(tetouan):
    output = run(LA_SAMPLE, *LA_OPTIONS, "--outside", "report", source="myla311")

    assert count("Rows read", output) == 10_000
    assert count("Imported", output) == 0
    assert count("Outside every territory, not imported", output) == 9_989
    # The eleven rows without coordinates cannot be placed at all.
    assert count("Rejected", output) == 11
    assert ServiceRequest.objects.count() == 0


@needs_la_sample
def test_the_los_angeles_sample_is_assigned_to_the_organisation_and_imported_once(
    tetouan, tmp_path
):
    category_map = tmp_path / "la.csv"
    category_map.write_text(
        "source_code,category_code\nSingle Streetlight Issue,streetlight\n", encoding="utf-8"
    )
    options = (*LA_OPTIONS, "--outside", "assign", "--category-map", str(category_map))

    first = run(LA_SAMPLE, *options, "--limit", "400", source="myla311")
    again = run(LA_SAMPLE, *options, "--limit", "400", source="myla311")

    imported = count("Imported", first)
    assert imported + count("Rejected", first) == 400
    assert imported >= 399
    assert count("Imported", again) == 0
    assert count("Skipped, already present", again) == imported
    rows = ServiceRequest.objects.filter(source="myla311")
    assert rows.count() == imported
    assert set(rows.values_list("organisation__slug", flat=True)) == {"tetouan"}
    assert set(rows.values_list("commune", flat=True)) == {tetouan.council.seat_id}
    first_row = rows.get(external_id="1-1523590121")
    assert first_row.description == "Illegal Dumping Pickup"
    assert first_row.status == Status.CLOSED
    pacific = dt.timezone(dt.timedelta(hours=-8))
    assert first_row.created_at == dt.datetime(2020, 1, 1, 0, 5, tzinfo=pacific)
    assert first_row.closed_at == dt.datetime(2020, 1, 2, 8, 43, tzinfo=pacific)
    assert first_row.channel == Channel.IMPORT


def test_the_report_follows_the_active_language(tetouan):
    out = StringIO()
    with translation.override("ar"):
        _call(CSV_FILE, "csv", (), {}, out, StringIO())
        expected = translation.gettext("Rows read: %(count)d") % {"count": 12}
    assert expected in out.getvalue()
