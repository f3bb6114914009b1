"""Load the demo's e-services (run after seed_demo): the document catalogue, four procedures of
Tétouan with their published forms, the demo urban plan's zoning layer, and a few applications
moved through the real services to different states.

Idempotent: a second run finds everything in place and writes nothing. Demo only.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jamaati.accounts.models import User
from jamaati.core.actors import Actor
from jamaati.organisations import demo as organisations_demo
from jamaati.organisations import services as organisation_services
from jamaati.organisations.models import Department, Membership, Organisation, OrganisationKind
from jamaati.procedures import demo_data, services
from jamaati.procedures.forms_engine import builder
from jamaati.procedures.models import (
    Application,
    Form,
    OpinionRequest,
    Procedure,
    RequiredDocument,
    Zone,
    ZoningPlan,
)
from jamaati.territories.models import Territory

LANGUAGES = ("ar", "fr", "en")
# A tiny valid PDF, for the demo applications' files.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _texts(values) -> dict[str, str]:
    return dict(zip(LANGUAGES, values, strict=False))


class Command(BaseCommand):
    help = "Load the demo e-services of Tétouan (demo mode only; idempotent; run after seed_demo)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_procedures only runs in demo mode (JAMAATI_DEMO=1 with DEBUG=1)."
            )
        admin = User.objects.filter(username=organisations_demo.PLATFORM_ADMIN[0]).first()
        council = Organisation.objects.filter(slug=demo_data.COUNCIL).first()
        if admin is None or council is None:
            raise CommandError("Load the demo organisations first: manage.py seed_demo")
        actor = Actor(user=admin)
        with transaction.atomic():
            organisations = self._organisations(actor)
            self._staff(actor, organisations)
            documents = self._documents(actor)
            procedures = self._procedures(actor, organisations, documents)
            self._zoning(organisations)
            created = self._applications(procedures)
        self.stdout.write(
            self.style.SUCCESS(
                f"E-services: {len(procedures)} procedures, {ZoningPlan.objects.count()} urban plan(s), "
                f"{created} new demo application(s)."
            )
        )
        self.stdout.write("E-services staff (the demo staff password):")
        for spec in demo_data.STAFF:
            where = spec.organisation + (f" / {spec.department}" if spec.department else "")
            self.stdout.write(f"  {spec.email}  {spec.role}  {where}")

    # --- Organisations, departments and staff the procedures need -------------------------------

    def _organisations(self, actor: Actor) -> dict[str, Organisation]:
        province = Territory.objects.get(code="01.571")
        found = {demo_data.COUNCIL: Organisation.objects.get(slug=demo_data.COUNCIL)}
        for slug, kind_slug, names, departments in demo_data.EXTRA_ORGANISATIONS:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                organisation = organisation_services.organisation_create(
                    actor=actor,
                    kind=OrganisationKind.objects.get(slug=kind_slug),
                    slug=slug,
                    names=_texts(names),
                    territories=[province],
                )
            found[slug] = organisation
            self._departments(actor, organisation, departments)
        for slug, departments in demo_data.EXTRA_DEPARTMENTS.items():
            self._departments(actor, found[slug], departments)
        return found

    def _departments(self, actor: Actor, organisation: Organisation, slugs) -> None:
        for slug in slugs:
            if not Department.objects.filter(organisation=organisation, slug=slug).exists():
                organisation_services.department_create(
                    actor=actor,
                    organisation=organisation,
                    slug=slug,
                    names=_texts(organisations_demo.DEPARTMENTS[slug]),
                )

    def _demo_password(self) -> str | None:
        path = Path(settings.VAR_DIR) / "demo-password.txt"
        return path.read_text(encoding="utf-8").strip() if path.exists() else None

    def _staff(self, actor: Actor, organisations) -> None:
        password = self._demo_password()
        for spec in demo_data.STAFF:
            user = User.objects.filter(username=spec.email).first()
            if user is None:
                user = User.objects.create_user(
                    email=spec.email, password=password, full_name=spec.full_name, is_staff=True
                )
            organisation = organisations[spec.organisation]
            department = (
                Department.objects.get(organisation=organisation, slug=spec.department)
                if spec.department
                else None
            )
            if not Membership.objects.filter(
                user=user, organisation=organisation, role=spec.role, department=department
            ).exists():
                organisation_services.membership_create(
                    actor=actor,
                    organisation=organisation,
                    user=user,
                    role=spec.role,
                    department=department,
                )

    # --- Catalogue ---------------------------------------------------------------------------------

    def _documents(self, actor: Actor) -> dict[str, RequiredDocument]:
        documents = {}
        for code, names in demo_data.DOCUMENTS.items():
            document = RequiredDocument.objects.filter(code=code).first()
            if document is None:
                document = services.required_document_create(
                    code=code, names=_texts(names), actor=actor
                )
            documents[code] = document
        return documents

    def _procedures(self, actor: Actor, organisations, documents) -> dict[str, Procedure]:
        procedures = {}
        for spec in demo_data.PROCEDURES:
            organisation = organisations[spec.organisation]
            procedure = Procedure.objects.filter(organisation=organisation, slug=spec.slug).first()
            if procedure is None:
                procedure = services.procedure_create(
                    organisation=organisation,
                    slug=spec.slug,
                    titles=_texts(spec.titles),
                    summaries=_texts(spec.summaries),
                    eligibility=_texts(spec.eligibility),
                    legal_basis=_texts(spec.legal_basis),
                    department=Department.objects.get(
                        organisation=organisation, slug=spec.department
                    ),
                    fee=Decimal(spec.fee),
                    processing_days=spec.processing_days,
                    channel=spec.channel,
                    silence_means_approval=spec.silence_means_approval,
                    decision_kind=spec.decision_kind,
                    documents=[(documents[code], mandatory) for code, mandatory in spec.documents],
                    actor=actor,
                )
                services.procedure_update(
                    procedure=procedure, changes={"position": spec.position}, actor=actor
                )
            form = Form.objects.get(procedure=procedure)
            if form.current_version_id is None:
                builder.form_draft_replace(form=form, draft=spec.form, actor=actor)
                builder.form_publish(form=form, actor=actor)
            if not procedure.is_published:
                services.procedure_publish(procedure=procedure, actor=actor)
            procedures[spec.slug] = procedure
        return procedures

    def _zoning(self, organisations) -> None:
        spec = demo_data.ZONING_PLAN
        plan = ZoningPlan.objects.filter(slug=spec["slug"]).first()
        if plan is not None:
            return
        names = spec["names"]
        plan = ZoningPlan(
            slug=spec["slug"],
            organisation=organisations[spec["organisation"]],
            source=spec["source"],
            **{f"name_{code}": value for code, value in names.items()},
        )
        plan.full_clean()
        plan.save()
        for zone_spec in demo_data.ZONES:
            zone = Zone(
                plan=plan,
                code=zone_spec.code,
                allowed_uses=zone_spec.allowed_uses,
                max_height_m=Decimal(zone_spec.max_height_m) if zone_spec.max_height_m else None,
                max_floors=zone_spec.max_floors,
                plot_ratio=Decimal(zone_spec.plot_ratio) if zone_spec.plot_ratio else None,
                land_coverage=Decimal(zone_spec.land_coverage) if zone_spec.land_coverage else None,
                geometry=zone_spec.geometry,
                **{f"name_{code}": value for code, value in _texts(zone_spec.names).items()},
                **{f"rules_{code}": value for code, value in _texts(zone_spec.rules).items()},
            )
            zone.full_clean()
            zone.save()

    # --- Demo applications ---------------------------------------------------------------------------

    def _applications(self, procedures) -> int:
        citizen = User.objects.filter(username=organisations_demo.CITIZEN[0]).first()
        if citizen is None:
            raise CommandError("The demo citizen is missing: run manage.py seed_demo")
        if Application.objects.filter(procedure__in=procedures.values()).exists():
            return 0  # already seeded: the demo applications are made once
        created = 0
        for spec in demo_data.APPLICATIONS:
            procedure = procedures[spec.procedure]
            if spec.counter:
                self._counter(procedure, spec)
            else:
                self._online(procedure, spec, citizen)
            created += 1
        return created

    def _files(self, procedure: Procedure) -> dict[str, list[SimpleUploadedFile]]:
        form = Form.objects.select_related("current_version").get(procedure=procedure)
        files = {}
        for section in form.current_version.schema["sections"]:
            for field in section["fields"]:
                if field["type"] == "file" and field.get("required"):
                    files[field["key"]] = [
                        SimpleUploadedFile(
                            f"{field['key']}.pdf", DEMO_PDF, content_type="application/pdf"
                        )
                    ]
        return files

    def _instructor(self, procedure: Procedure) -> Actor:
        membership = (
            Membership.objects.active()
            .filter(
                organisation=procedure.organisation, department=procedure.department, role="agent"
            )
            .select_related("user", "organisation")
            .first()
        )
        if membership is None:
            raise CommandError(f"No demo agent instructs {procedure.slug}.")
        return Actor(user=membership.user, membership=membership)

    def _online(self, procedure: Procedure, spec, citizen: User) -> None:
        applicant = Actor(user=citizen)
        application = services.application_start(
            procedure=procedure, applicant=citizen, actor=applicant
        )
        for field_key, uploads in self._files(procedure).items():
            for upload in uploads:
                services.application_upload(
                    application=application, field_key=field_key, file=upload, actor=applicant
                )
        services.application_submit(application=application, actor=applicant, answers=spec.answers)
        self._steps(application, spec.steps)

    def _counter(self, procedure: Procedure, spec) -> None:
        application = services.application_file_at_counter(
            procedure=procedure,
            actor=self._instructor(procedure),
            consent_text=demo_data.COUNTER_CONSENT[0],
            answers=spec.answers,
            files=self._files(procedure),
            full_name=spec.answers["full_name"],
            phone=spec.answers["phone"],
        )
        self._steps(application, spec.steps)

    def _steps(self, application: Application, steps) -> None:
        instructor = self._instructor(application.procedure)
        for step in steps:
            application.refresh_from_db()
            kind = step[0]
            if kind == "in_instruction":
                services.application_transition(
                    application=application, to_status="in_instruction", actor=instructor
                )
            elif kind == "completion":
                services.application_request_completion(
                    application=application, message=step[1], actor=instructor
                )
            elif kind == "opinions":
                reviewers = [
                    services.Reviewer(Organisation.objects.get(slug=slug)) for slug in step[1]
                ]
                services.application_request_opinions(
                    application=application, reviewers=reviewers, actor=instructor
                )
            elif kind == "opinion":
                opinion = OpinionRequest.objects.get(
                    application=application, organisation__slug=step[1]
                )
                reviewer = (
                    Membership.objects.active()
                    .filter(organisation__slug=step[1])
                    .select_related("user", "organisation")
                    .first()
                )
                services.opinion_give(
                    opinion=opinion,
                    verdict=step[2],
                    comment=step[3],
                    actor=Actor(user=reviewer.user, membership=reviewer),
                )
            elif kind == "decide":
                services.application_decide(
                    application=application, approved=step[1], reasons=step[2], actor=instructor
                )
            else:  # pragma: no cover - a typo in demo_data
                raise CommandError(f"Unknown demo step {kind!r}")
