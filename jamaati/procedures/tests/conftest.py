"""E-services personas on top of the shared world: an urbanism department that instructs,
an urban agency and a civil protection service that review, and a small published procedure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from jamaati.core.actors import Actor
from jamaati.core.models import Holiday
from jamaati.organisations.models import Department, Membership, Organisation, Role
from jamaati.organisations.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationKindFactory,
    StaffUserFactory,
)
from jamaati.procedures.models import Procedure, RequiredDocument
from jamaati.procedures.tests.factories import (
    ProcedureFactory,
    RequiredDocumentFactory,
    choice,
    field,
    label,
    publish_schema,
)

SCHEMA = {
    "sections": [
        {
            "key": "applicant",
            "title": label("مقدم الطلب", "Demandeur"),
            "fields": [
                field("full_name", "text", required=True),
                field("cin", "cin", required=True),
                field("phone", "phone"),
            ],
        },
        {
            "key": "request",
            "title": label("الطلب", "Demande"),
            "fields": [
                field(
                    "purpose",
                    "single_choice",
                    required=True,
                    choices=[choice("build"), choice("sell")],
                ),
                field("has_parcel", "yes_no"),
                field(
                    "parcel",
                    "parcel",
                    required=True,
                    condition={"field": "has_parcel", "op": "equals", "value": True},
                ),
            ],
        },
        {
            "key": "files",
            "title": label("الوثائق", "Pièces"),
            "fields": [
                field(
                    "cin_copy",
                    "file",
                    required=True,
                    document="cin-copy",
                    allowed_types=["document", "image"],
                ),
            ],
        },
    ]
}

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Procedures:
    urbanism: Department
    instructor: Membership
    reviewer_org: Organisation
    reviewer: Membership
    civil_protection: Organisation
    civil_reviewer: Membership
    cin_copy: RequiredDocument
    plan: RequiredDocument
    procedure: Procedure


@pytest.fixture
def calendar_2026(db):
    """The 2026 calendar as seeded, so no year falls back to the package's estimates."""
    from jamaati.core.workdays import holiday_seed

    holiday_seed(years=[2026, 2027])
    return Holiday.objects.all()


@pytest.fixture
def procedures(world, calendar_2026) -> Procedures:
    urbanism = DepartmentFactory(
        organisation=world.organisation, slug="urbanism", name_ar="قسم التعمير", name_fr="Urbanisme"
    )
    instructor = MembershipFactory(
        user=StaffUserFactory(email="instructor@north.ma", full_name="Instructeur"),
        organisation=world.organisation,
        department=urbanism,
        role=Role.AGENT,
    )
    reviewer_org = OrganisationFactory(
        slug="urban-agency",
        name_ar="الوكالة الحضرية",
        name_fr="Agence urbaine",
        kind=OrganisationKindFactory(slug="urban-agency", is_collectivity=False),
        territories=[world.commune],
    )
    reviewer = MembershipFactory(
        user=StaffUserFactory(email="reviewer@agency.ma"),
        organisation=reviewer_org,
        role=Role.REVIEWER,
    )
    civil_protection = OrganisationFactory(
        slug="civil-protection",
        name_ar="الوقاية المدنية",
        name_fr="Protection civile",
        kind=OrganisationKindFactory(slug="civil-protection", is_collectivity=False),
        territories=[world.commune],
    )
    civil_reviewer = MembershipFactory(
        user=StaffUserFactory(email="reviewer@civil.ma"),
        organisation=civil_protection,
        role=Role.REVIEWER,
    )
    cin_copy = RequiredDocumentFactory(
        code="cin-copy", name_ar="نسخة من البطاقة", name_fr="Copie de la CIN"
    )
    plan = RequiredDocumentFactory(
        code="site-plan", name_ar="تصميم الموقع", name_fr="Plan de situation"
    )
    procedure = ProcedureFactory(
        organisation=world.organisation, department=urbanism, slug="note", processing_days=10
    )
    publish_schema(procedure, SCHEMA, documents=[cin_copy, plan])
    return Procedures(
        urbanism,
        instructor,
        reviewer_org,
        reviewer,
        civil_protection,
        civil_reviewer,
        cin_copy,
        plan,
        procedure,
    )


def actor_of(membership_or_user) -> Actor:
    if isinstance(membership_or_user, Membership):
        return Actor(user=membership_or_user.user, membership=membership_or_user)
    return Actor(user=membership_or_user)


VALID_ANSWERS = {
    "full_name": "Amina El Fassi",
    "cin": "ab 123456",
    "phone": "06 12 34 56 78",
    "purpose": "build",
    "has_parcel": "no",
}
MONDAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
