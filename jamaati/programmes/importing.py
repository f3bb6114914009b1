"""Import projects, or transactions, from a CSV or XLSX file: all or nothing.

`projects_import(organisation=, file=, actor=, progress=None)` reads the file (CSV in UTF-8,
comma or semicolon separated, or the first sheet of an XLSX workbook), recognises what it
holds from its header, and checks every row with the same services a person uses, inside one
transaction. If any row is wrong, the transaction is rolled back and nothing at all is
written: the report lists every problem (row number as the spreadsheet shows it, column,
translated message) so the file can be corrected and sent again.

Project columns (* required):
    code*, title_ar, title_fr, title_en (one of title_ar / title_fr*), description_ar,
    description_fr, description_en, sector* (OC4IDS code, e.g. transport.road), status
    (identification … provisional_reception; default identification), programme (slug),
    axis (code), territories* (HCP codes, separated by ";"), latitude, longitude,
    total_cost (MAD), planned_start, planned_end (YYYY-MM-DD or DD/MM/YYYY),
    funding ("partner-slug=amount | other-partner=amount")
Transaction columns:
    project_code*, kind* (disbursement / expenditure), date*, amount*, partner (slug;
    required for a disbursement), reference, description
Imports are a planning task: department heads and organisation admins of the organisation.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jamaati.core.actors import Actor
from jamaati.organisations.models import Organisation
from jamaati.programmes import permissions, services
from jamaati.programmes.models import (
    STAGES,
    EventKind,
    Partner,
    Programme,
    Project,
    Sector,
    StrategicAxis,
    TransactionKind,
)
from jamaati.programmes.money import parse_amount
from jamaati.territories.models import Territory

PROJECTS = "projects"
TRANSACTIONS = "transactions"
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024

PROJECT_COLUMNS = (
    "code",
    "title_ar",
    "title_fr",
    "title_en",
    "description_ar",
    "description_fr",
    "description_en",
    "sector",
    "status",
    "programme",
    "axis",
    "territories",
    "latitude",
    "longitude",
    "total_cost",
    "planned_start",
    "planned_end",
    "funding",
)
TRANSACTION_COLUMNS = (
    "project_code",
    "kind",
    "date",
    "amount",
    "partner",
    "reference",
    "description",
)
REQUIRED = {
    PROJECTS: ("code", "sector", "territories"),
    TRANSACTIONS: ("project_code", "kind", "date", "amount"),
}

Progress = Callable[[int, int], None]


class ImportFileError(Exception):
    """The file as a whole cannot be read; its message is translated."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # "" when the error is about the whole row
    message: str


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading the file ----------------------------------------------------------------------------


def _read_bytes(file: Any) -> bytes:
    if isinstance(file, (str, Path)):
        return Path(file).read_bytes()[: MAX_BYTES + 1]
    if isinstance(file, bytes):
        return file
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(MAX_BYTES + 1)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # openpyxl reads numbers as floats: their shortest repr is what the person typed.
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value).strip()


def read_table(file: IO[bytes] | bytes | str | Path) -> tuple[list[str], list[list[str]]]:
    """The header (lower-cased) and the rows of a CSV or XLSX file, every cell as text."""
    data = _read_bytes(file)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is too large (10 MB at most)."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    rows = _read_xlsx(data) if data[:4] == b"PK\x03\x04" else _read_csv(data)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    return header, rows[1:]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("The workbook could not be read.")) from None
    sheet = workbook.worksheets[0]
    rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not in UTF-8: save it as “CSV UTF-8” and send it again.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def detect_kind(header: list[str]) -> str | None:
    if "project_code" in header:
        return TRANSACTIONS
    if "code" in header:
        return PROJECTS
    return None


# --- Cleaning cells ---------------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def _date(value: str, column: str) -> date | None:
    if not value:
        return None
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        pass
    raise CellError(column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value})


def _float(value: str, column: str) -> float | None:
    if not value:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise CellError(column, _("“%(value)s” is not a number.") % {"value": value}) from None


def _amount(value: str, column: str, *, allow_zero: bool) -> Decimal:
    try:
        return parse_amount(value, allow_zero=allow_zero)
    except ValidationError as error:
        raise CellError(column, error.messages[0]) from None


def _sector(value: str) -> str:
    choices = {code.lower(): code for code in Sector.values}
    choices |= {str(label).lower(): code for code, label in Sector.choices}
    if value.lower() not in choices:
        raise CellError(
            "sector",
            _("“%(value)s” is not a sector. Use an OC4IDS code such as %(example)s.")
            % {"value": value, "example": "transport.road"},
        )
    return choices[value.lower()]


def _territories(value: str, organisation: Organisation) -> list[Territory]:
    keys = [key.strip() for key in value.replace(",", ";").split(";") if key.strip()]
    if not keys:
        raise CellError("territories", _("Give at least one territory code."))
    found = {t.code: t for t in Territory.objects.filter(code__in=keys).defer("boundary_wkb")}
    missing = [key for key in keys if key not in found]
    if missing:
        raise CellError(
            "territories",
            _("Unknown territory code: %(codes)s.") % {"codes": ", ".join(missing)},
        )
    return [found[key] for key in keys]


def _partner(value: str, column: str = "partner") -> Partner | None:
    if not value:
        return None
    partner = Partner.objects.filter(slug=value).first()
    if partner is None:
        raise CellError(column, _("Unknown partner “%(value)s”.") % {"value": value})
    return partner


def _funding(value: str) -> list[tuple[Partner, Decimal]]:
    lines = []
    for part in [p.strip() for p in value.replace(";", "|").split("|") if p.strip()]:
        slug, sep, amount = part.partition("=")
        if not sep:
            raise CellError("funding", _("Write the funding as partner=amount | partner=amount."))
        lines.append(
            (_partner(slug.strip(), "funding"), _amount(amount, "funding", allow_zero=True))
        )
    return lines


def _errors_from(error: ValidationError, row: int, columns: dict[str, str]) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(row, columns.get(name, name if name != "__all__" else ""), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(row, "", message) for message in error.messages]


# --- Importing ---------------------------------------------------------------------------------------


def _import_project(
    values: dict[str, str], organisation: Organisation, actor: Actor, cache: dict
) -> None:
    programme = axis = None
    if values.get("programme"):
        programme = cache.setdefault(
            ("programme", values["programme"]),
            Programme.objects.filter(organisation=organisation, slug=values["programme"]).first(),
        )
        if programme is None:
            raise CellError(
                "programme", _("Unknown programme “%(value)s”.") % {"value": values["programme"]}
            )
    if values.get("axis"):
        axis = StrategicAxis.objects.filter(programme=programme, code=values["axis"]).first()
        if axis is None:
            raise CellError(
                "axis", _("Unknown axis “%(value)s” in this programme.") % {"value": values["axis"]}
            )
    status = values.get("status") or "identification"
    if status not in STAGES[:-1]:
        raise CellError("status", _("“%(value)s” is not a stage.") % {"value": status})
    funding = _funding(values.get("funding", ""))
    project = services.project_create(
        organisation=organisation,
        code=values["code"],
        title={lang: values.get(f"title_{lang}", "") for lang in ("ar", "fr", "en")},
        description={lang: values.get(f"description_{lang}", "") for lang in ("ar", "fr", "en")},
        sector=_sector(values["sector"]),
        territories=_territories(values["territories"], organisation),
        programme=programme,
        axis=axis,
        latitude=_float(values.get("latitude", ""), "latitude"),
        longitude=_float(values.get("longitude", ""), "longitude"),
        total_cost=_amount(values.get("total_cost") or "0", "total_cost", allow_zero=True),
        planned_start=_date(values.get("planned_start", ""), "planned_start"),
        planned_end=_date(values.get("planned_end", ""), "planned_end"),
        status=status,
        event_kind=EventKind.IMPORTED,
        actor=actor,
    )
    for partner, amount in funding:
        services.funding_commit(project=project, partner=partner, amount=amount, actor=actor)


def _import_transaction(
    values: dict[str, str], organisation: Organisation, actor: Actor, cache: dict
) -> None:
    code = values["project_code"]
    project = cache.get(("project", code))
    if project is None:
        project = Project.objects.filter(organisation=organisation, code=code).first()
        if project is None:
            raise CellError(
                "project_code",
                _("No project of this organisation has the code “%(value)s”.") % {"value": code},
            )
        cache[("project", code)] = project
    kind = values["kind"].lower()
    if kind not in TransactionKind.values:
        raise CellError("kind", _("Write disbursement or expenditure."))
    transaction_date = _date(values["date"], "date")
    services.transaction_record(
        project=project,
        kind=kind,
        date=transaction_date,
        amount=_amount(values["amount"], "amount", allow_zero=False),
        partner=_partner(values.get("partner", "")),
        reference=values.get("reference", ""),
        description=values.get("description", ""),
        actor=actor,
    )


class _Rollback(Exception):
    pass


def projects_import(
    *,
    organisation: Organisation,
    file: IO[bytes] | bytes | str | Path,
    actor: Actor,
    progress: Progress | None = None,
    kind: str | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file of projects or of transactions: every row, or none.

    Raise PermissionDenied for anyone but the organisation's department heads and admins,
    ImportFileError when the file itself cannot be read. Otherwise return the report: when
    it has errors, nothing was written.
    """
    actor = permissions.require_planning(actor, organisation)
    header, rows = read_table(file)
    kind = kind or detect_kind(header)
    if kind not in (PROJECTS, TRANSACTIONS):
        raise ImportFileError(
            _(
                "The first row must name the columns: “code” for projects, “project_code” for transactions."
            )
        )
    report = ImportReport(kind=kind, rows=len(rows))
    missing = [column for column in REQUIRED[kind] if column not in header]
    if kind == PROJECTS and "title_ar" not in header and "title_fr" not in header:
        missing.append("title_ar / title_fr")
    if missing:
        report.errors.append(
            RowError(1, ", ".join(missing), _("These columns are missing from the first row."))
        )
        return report
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(rows)d rows; import at most %(max)d at a time.")
            % {"rows": len(rows), "max": MAX_ROWS}
        )
    known = PROJECT_COLUMNS if kind == PROJECTS else TRANSACTION_COLUMNS
    # Service field names onto the file's columns, for the report.
    columns = {name: name for name in known} | (
        {"title": "title_ar", "location": "latitude", "to_status": "status"}
        if kind == PROJECTS
        else {"project": "project_code"}
    )
    importer = _import_project if kind == PROJECTS else _import_transaction
    cache: dict = {}
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                number = index + 2
                values = {
                    name: (row[position] if position < len(row) else "").strip()
                    for position, name in enumerate(header)
                    if name in columns
                }
                for column in REQUIRED[kind]:
                    if not values.get(column):
                        report.errors.append(RowError(number, column, _("This cell is required.")))
                if not any(e.row == number for e in report.errors):
                    try:
                        with transaction.atomic():
                            importer(values, organisation, actor, cache)
                        report.created += 1
                    except CellError as error:
                        report.errors.append(RowError(number, error.column, error.message))
                    except ValidationError as error:
                        report.errors.extend(_errors_from(error, number, columns))
                if progress is not None:
                    progress(index + 1, len(rows))
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.created = 0
    return report
