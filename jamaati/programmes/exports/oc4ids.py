"""The OC4IDS 0.9 project package of one organisation's published projects.

Mapping (docs/adr/0005-programmes.md):
- id: `<PROGRAMMES_OC4IDS_PREFIX>-<organisation>-<code>`; identifiers: the organisation's code;
- status: identification → identification; studies, tendering → preparation; works,
  provisional reception → implementation; completed → completion; cancelled → cancelled;
  suspended → the stage it left;
- sector: our OC4IDS code, with its parent (["transport", "transport.road"]);
- budget.amount: total cost in MAD; budget.budgetBreakdowns: one line per funding commitment,
  with its funder as sourceParty;
- parties: the organisation (publicAuthority, payer), each funder (funder, payer);
- transactions: disbursements (funder → organisation) and expenditures (organisation →);
- milestones: met / scheduled / notMet (planned date passed); stages' dates go to
  preparationPeriod / implementationPeriod / completionPeriod;
- locations: the point or outline, described by the territories' names and HCP codes;
- documents: the public documents, by URL.
Amounts are written as JSON numbers: our amounts have two decimals and at most 16 digits, which
a float's shortest representation gives back exactly.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from jamaati.organisations.models import Organisation
from jamaati.programmes.exports.common import (
    OC4IDS_STATUS,
    as_datetime,
    effective_status,
    export_projects,
    last_update,
    organisation_ref,
    partner_ref,
    project_identifier,
)
from jamaati.programmes.models import Project, Status, TransactionKind

VERSION = "0.9"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CURRENCY = "MAD"


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": float(amount), "currency": CURRENCY}


def _clean(data: Any) -> Any:
    """Drop empty values: the schema refuses null and empty strings where it wants content."""
    if isinstance(data, dict):
        cleaned = {k: _clean(v) for k, v in data.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(data, list):
        return [item for item in (_clean(v) for v in data) if item not in (None, "", [], {})]
    return data


def _period(start, end) -> dict[str, Any]:
    return {"startDate": as_datetime(start), "endDate": as_datetime(end)}


def _milestone_status(milestone, today) -> str:
    if milestone.actual_date:
        return "met"
    if milestone.planned_date < today:
        return "notMet"
    return "scheduled"


def project_oc4ids(project: Project, *, base_url: str, today=None) -> dict[str, Any]:
    today = today or timezone.localdate()
    organisation = project.organisation
    authority = {"id": organisation_ref(organisation), "name": organisation.name}
    parties: dict[str, dict[str, Any]] = {
        authority["id"]: {
            "id": authority["id"],
            "name": organisation.name,
            "roles": ["publicAuthority", "payer"],
            "address": {"countryName": "Morocco"},
        }
    }
    for commitment in project.commitments.all():
        ref = partner_ref(commitment.partner)
        party = parties.setdefault(ref, {"id": ref, "name": commitment.partner.name, "roles": []})
        for role in ("funder", "payer"):
            if role not in party["roles"]:
                party["roles"].append(role)
    for move in project.transactions.all():
        if move.partner_id:
            ref = partner_ref(move.partner)
            party = parties.setdefault(ref, {"id": ref, "name": move.partner.name, "roles": []})
            if "payer" not in party["roles"]:
                party["roles"].append("payer")
            if move.kind == TransactionKind.DISBURSEMENT and "funder" not in party["roles"]:
                party["roles"].append("funder")
    sector = [project.sector]
    if "." in project.sector:
        sector.insert(0, project.sector.split(".")[0])
    territories = list(project.territories.all())
    location: dict[str, Any] = {
        "id": "1",
        "description": ", ".join(f"{t.name} ({t.code})" for t in territories),
    }
    if project.geometry:
        location["geometry"] = json.loads(project.geometry)
    elif project.latitude is not None:
        location["geometry"] = {
            "type": "Point",
            "coordinates": [project.longitude, project.latitude],
        }
    stages = {stage.stage: stage for stage in project.stages.all()}

    def stage_period(*names):
        rows = [stages[name] for name in names if name in stages]
        starts = [
            r.actual_start or r.planned_start for r in rows if r.actual_start or r.planned_start
        ]
        ends = [r.actual_end or r.planned_end for r in rows if r.actual_end or r.planned_end]
        return _period(min(starts, default=None), max(ends, default=None))

    transactions = []
    for move in project.transactions.all():
        entry: dict[str, Any] = {
            "id": move.reference or f"{project.code}-T{move.pk}",
            "date": as_datetime(move.date),
            "value": _value(move.amount),
        }
        if move.kind == TransactionKind.DISBURSEMENT:
            entry["payer"] = {"id": partner_ref(move.partner), "name": move.partner.name}
            entry["payee"] = authority
        else:
            entry["payer"] = authority
        transactions.append(entry)
    data = {
        "id": project_identifier(project),
        "updated": as_datetime(project.updated_at),
        "language": translation.get_language() or "ar",
        "identifiers": [{"id": project.code, "scheme": organisation.slug}],
        "publicAuthority": authority,
        "title": project.title,
        "description": project.description,
        "status": OC4IDS_STATUS.get(effective_status(project), "identification"),
        "sector": sector,
        "budget": {
            "amount": _value(project.total_cost),
            "budgetBreakdowns": [
                {
                    "id": "funding-plan",
                    "description": "Funding plan by partner",
                    "budgetBreakdown": [
                        {
                            "id": str(commitment.pk),
                            "amount": _value(commitment.amount),
                            "sourceParty": {
                                "id": partner_ref(commitment.partner),
                                "name": commitment.partner.name,
                            },
                        }
                        for commitment in project.commitments.all()
                    ],
                }
            ]
            if project.commitments.all()
            else [],
        },
        "period": _period(project.planned_start, project.planned_end),
        "identificationPeriod": stage_period(Status.IDENTIFICATION),
        "preparationPeriod": stage_period(Status.STUDIES, Status.TENDERING),
        "implementationPeriod": stage_period(Status.WORKS, Status.PROVISIONAL_RECEPTION),
        "locations": [location],
        "parties": list(parties.values()),
        "milestones": [
            {
                "id": str(milestone.pk),
                "title": milestone.title,
                "type": milestone.type,
                "dueDate": as_datetime(milestone.planned_date),
                "dateMet": as_datetime(milestone.actual_date),
                "status": _milestone_status(milestone, today),
            }
            for milestone in project.milestones.all()
        ],
        "transactions": transactions,
        "documents": [
            {
                "id": str(document.pk),
                "documentType": document.type or None,
                "title": document.title,
                "url": base_url + document.file.url,
                "datePublished": as_datetime(document.created_at),
            }
            for document in project.public_documents
        ],
    }
    if project.status == Status.COMPLETED and project.actual_end:
        data["completion"] = {
            "endDate": as_datetime(project.actual_end),
            "finalValue": _value(project.total_cost),
        }
    return _clean(data)


def project_package(
    organisation: Organisation, *, base_url: str, uri: str, today=None
) -> dict[str, Any] | None:
    """The OC4IDS project package of `organisation`, or None when it publishes no project."""
    projects = list(export_projects(organisation))
    if not projects:
        return None
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": as_datetime(last_update(projects) or timezone.now()),
        "publisher": {"name": organisation.name, "uri": base_url + organisation.get_absolute_url()},
        "license": LICENSE,
        "projects": [project_oc4ids(p, base_url=base_url, today=today) for p in projects],
    }
