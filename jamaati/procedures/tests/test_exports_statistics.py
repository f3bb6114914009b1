"""Exports flatten the answers one column per field in the requested language; statistics count
volume, median processing time against the legal delay and the share within the deadline."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from jamaati.audit.models import AuditEvent
from jamaati.core.actors import Actor
from jamaati.core.models import Holiday
from jamaati.procedures import exports, services
from jamaati.procedures.models import Procedure
from jamaati.procedures.statistics import procedure_statistics
from jamaati.procedures.tests.conftest import actor_of
from jamaati.procedures.tests.helpers import in_instruction, submitted


def at(day: str):
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=dt.UTC), tick=False
    )


def _csv_rows(export):
    text = export.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_a_csv_export_has_one_column_per_field_in_french(procedures, citizen):
    submitted(procedures, citizen, full_name='=HYPERLINK("x")')
    user = procedures.instructor.user
    export = exports.applications_export(
        procedure=procedures.procedure, user=user, fmt="csv", language="fr", actor=Actor(user=user)
    )
    header, row = _csv_rows(export)
    with translation.override("fr"):
        assert header[:2] == [_("Reference"), _("Status")]
        assert row[1] == _("Submitted")
        assert row[header.index("Choix purpose".replace("Choix ", "Champ "))] == "Choix build"
        assert row[header.index("Champ has_parcel")] == _("No")
    assert row[header.index("Champ cin")] == "AB123456"
    assert row[header.index("Champ cin_copy")] == "cin.pdf"
    # A cell that a spreadsheet would run as a formula is defused.
    assert row[header.index("Champ full_name")].startswith("'=")
    assert (
        AuditEvent.objects.filter(action="export", target_type="procedures.procedure").count() == 1
    )


def test_an_xlsx_export_in_arabic_reads_right_to_left(procedures, citizen):
    submitted(procedures, citizen)
    user = procedures.instructor.user
    export = exports.applications_export(
        procedure=procedures.procedure, user=user, fmt="xlsx", language="ar", actor=Actor(user=user)
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.sheet_view.rightToLeft
    header = [cell.value for cell in sheet[1]]
    assert "حقل cin" in header
    assert sheet.max_row == 2
    with translation.override("ar"):
        assert header[0] == _("Reference")


def test_an_export_holds_only_what_the_staff_member_may_read(procedures, citizen, other_org_agent):
    submitted(procedures, citizen)
    export = exports.applications_export(
        procedure=procedures.procedure,
        user=other_org_agent,
        fmt="csv",
        language="en",
        actor=Actor(user=other_org_agent),
    )
    assert len(_csv_rows(export)) == 1  # the header only


def test_statistics_count_volume_median_and_share_within_the_deadline(procedures, citizen):
    procedure = procedures.procedure  # 10 working days
    assert Holiday.objects.filter(date=dt.date(2026, 6, 16)).exists()  # the seeded Islamic New Year
    instructor = actor_of(procedures.instructor)
    with at("2026-06-01"):
        fast = in_instruction(procedures, citizen)
        slow = in_instruction(procedures, citizen)
        paused = in_instruction(procedures, citizen)
        submitted(procedures, citizen)  # still open
    with at("2026-06-03"):  # 2 working days
        services.application_decide(application=fast, approved=True, reasons="", actor=instructor)
        services.application_request_completion(application=paused, message="X", actor=instructor)
    with at("2026-06-22"):  # 14 working days (16 June, Islamic New Year, is off): late
        services.application_decide(
            application=slow, approved=False, reasons="Non", actor=instructor
        )
        services.application_complete(application=paused, actor=actor_of(citizen))
    with at("2026-06-24"):  # 16 working days, 12 of them paused: 4 counted, in time
        services.application_decide(application=paused, approved=True, reasons="", actor=instructor)
    [figures] = procedure_statistics(procedures=Procedure.objects.filter(pk=procedure.pk))
    assert (figures.volume, figures.open, figures.decided) == (4, 1, 3)
    assert (figures.approved, figures.refused, figures.tacit) == (2, 1, 0)
    assert figures.median_working_days == 4  # of 2, 4 and 14
    assert figures.legal_working_days == 10
    assert figures.within_deadline == 2
    assert figures.share_within_deadline == pytest.approx(2 / 3)
    assert figures.median_against_legal == pytest.approx(0.4)


def test_statistics_of_a_procedure_without_applications_are_empty(procedures):
    [figures] = procedure_statistics(
        procedures=Procedure.objects.filter(pk=procedures.procedure.pk)
    )
    assert figures.volume == 0
    assert figures.share_within_deadline is None and figures.median_working_days is None
