"""CSV exports: one row per project (with its money), one row per transaction.

The transactions file has the columns `importing.projects_import` reads: it can be imported back.
"""

from __future__ import annotations

import csv
import io

from jamaati.organisations.models import Organisation
from jamaati.programmes.exports.common import export_projects
from jamaati.programmes.models import TransactionKind
from jamaati.programmes.money import ZERO, percent, percent_display

PROJECT_HEADER = [
    "code",
    "title",
    "sector",
    "status",
    "programme",
    "territories",
    "latitude",
    "longitude",
    "total_cost_mad",
    "committed_mad",
    "disbursed_mad",
    "spent_mad",
    "financial_progress_percent",
    "physical_progress_percent",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "funders",
]
TRANSACTION_HEADER = [
    "project_code",
    "kind",
    "date",
    "amount",
    "partner",
    "reference",
    "description",
]


def _text(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _date(value) -> str:
    return value.isoformat() if value else ""


def projects_csv(organisation: Organisation) -> str:
    rows: list[list] = [PROJECT_HEADER]
    for project in export_projects(organisation):
        moves = list(project.transactions.all())
        disbursed = sum((m.amount for m in moves if m.kind == TransactionKind.DISBURSEMENT), ZERO)
        spent = sum((m.amount for m in moves if m.kind == TransactionKind.EXPENDITURE), ZERO)
        commitments = list(project.commitments.all())
        financial = percent_display(percent(spent, project.total_cost), places=2)
        rows.append(
            [
                project.code,
                project.title,
                project.sector,
                project.status,
                project.programme.slug if project.programme else "",
                ";".join(t.code for t in project.territories.all()),
                "" if project.latitude is None else project.latitude,
                "" if project.longitude is None else project.longitude,
                project.total_cost,
                sum((c.amount for c in commitments), ZERO),
                disbursed,
                spent,
                "" if financial is None else financial,
                project.physical_progress,
                _date(project.planned_start),
                _date(project.planned_end),
                _date(project.actual_start),
                _date(project.actual_end),
                "|".join(f"{c.partner.slug}={c.amount}" for c in commitments),
            ]
        )
    return _text(rows)


def transactions_csv(organisation: Organisation) -> str:
    rows: list[list] = [TRANSACTION_HEADER]
    for project in export_projects(organisation):
        for move in project.transactions.all():
            rows.append(
                [
                    project.code,
                    move.kind,
                    move.date.isoformat(),
                    move.amount,
                    move.partner.slug if move.partner_id else "",
                    move.reference,
                    move.description,
                ]
            )
    return _text(rows)
