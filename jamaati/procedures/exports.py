"""CSV and XLSX exports of a procedure's applications, answers flattened one column per field.

Labels and values follow the requested language. Every form version the exported
applications used contributes its fields (the newest version's order first). An export holds
personal data: `applications_export` checks the staff scope and writes an audit row.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.organisations import permissions as org_permissions
from jamaati.procedures import selectors
from jamaati.procedures.forms_engine import schema as fs
from jamaati.procedures.forms_engine.display import value_text
from jamaati.procedures.models import (
    Application,
    ApplicationDocument,
    FormVersion,
    Procedure,
    Status,
)

FORMATS = ("csv", "xlsx")
# Spreadsheet programs run a cell that starts with these as a formula: defuse them.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    content: bytes


def _columns(versions: Iterable[FormVersion], language: str) -> list[tuple[str, dict[str, Any]]]:
    columns: dict[str, dict[str, Any]] = {}
    for version in sorted(versions, key=lambda v: -v.number):
        for field in fs.flat_fields(version.schema):
            columns.setdefault(field["key"], field)
    return list(columns.items())


def _safe(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def export_table(
    *, procedure: Procedure, applications: Iterable[Application], language: str
) -> list[list[Any]]:
    """The header row and one row per application, in `language`."""
    applications = list(applications)
    version_ids = {a.form_version_id for a in applications if a.form_version_id}
    versions = list(FormVersion.objects.filter(pk__in=version_ids))
    files = {
        document.pk: document.original_name or document.file.name
        for document in ApplicationDocument.objects.filter(application__in=applications)
    }
    with translation.override(language):
        columns = _columns(versions, language)
        header = [
            _("Reference"),
            _("Status"),
            _("Channel"),
            _("Applicant"),
            _("Submitted at"),
            _("Legal deadline"),
            _("Decided at"),
            _("Processing time (working days)"),
            *[fs.text_in(field.get("label"), language) for _key, field in columns],
        ]
        rows: list[list[Any]] = [header]
        for application in applications:
            local = timezone.localtime
            rows.append(
                [
                    application.reference,
                    str(Status(application.status).label),
                    str(application.get_channel_display()),
                    application.applicant.full_name if application.applicant else "",
                    local(application.submitted_at).strftime("%Y-%m-%d %H:%M")
                    if application.submitted_at
                    else "",
                    application.due_date.isoformat() if application.due_date else "",
                    local(application.decided_at).strftime("%Y-%m-%d %H:%M")
                    if application.decided_at
                    else "",
                    application.processing_working_days
                    if application.processing_working_days is not None
                    else "",
                    *[
                        value_text(
                            field, application.answers.get(key), language=language, files=files
                        )
                        for key, field in columns
                    ],
                ]
            )
    return [[_safe(cell) for cell in row] for row in rows]


def table_to_csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    # A byte order mark, so that spreadsheet programs read the Arabic as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_to_xlsx(rows: list[list[Any]], *, title: str, right_to_left: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "export"
    sheet.sheet_view.rightToLeft = right_to_left
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def applications_export(
    *, procedure: Procedure, user, fmt: str, language: str, actor: Actor
) -> Export:
    """Export the submitted applications of `procedure` that `user` may read, with an audit row."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    applications = (
        selectors.applications_for_staff(user=user, procedure=procedure)
        .select_related("applicant")
        .order_by("submitted_at", "pk")
    )
    rows = export_table(procedure=procedure, applications=applications, language=language)
    stamp = timezone.localdate().isoformat()
    name = f"{procedure.slug}-{stamp}.{fmt}"
    if fmt == "csv":
        export = Export(name, "text/csv; charset=utf-8", table_to_csv(rows))
    else:
        export = Export(
            name,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            table_to_xlsx(rows, title=procedure.slug, right_to_left=language == "ar"),
        )
    if actor.membership is None:
        membership = (
            org_permissions.active_memberships(user)
            .filter(organisation=procedure.organisation)
            .first()
        )
        actor = dataclasses.replace(actor, membership=membership)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            target=procedure,
            organisation=procedure.organisation,
            changes={"format": fmt, "rows": len(rows) - 1, "language": language},
        )
    return export
