"""Load the demo programmes, projects, conventions and the smart-city committee (demo only).

Idempotent: every object is looked up by its natural key first (partner slug, programme slug,
project code, convention reference, committee slug); a second run writes nothing.
Everything goes through the services, acting as each organisation's demo administrator.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jamaati.accounts.models import User
from jamaati.core.actors import Actor
from jamaati.organisations.models import Organisation
from jamaati.programmes import demo_data, services
from jamaati.programmes.models import (
    Convention,
    Partner,
    Programme,
    Project,
    SteeringCommittee,
    TrancheStatus,
)
from jamaati.territories.models import Territory


def _texts(values: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip(("ar", "fr", "en"), values, strict=True))


class Command(BaseCommand):
    help = "Load the demo programmes and projects of Drâa-Tafilalet and Tétouan (demo mode only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_programmes only runs in demo mode (JAMAATI_DEMO=1 with DEBUG=1)."
            )
        organisations = {
            o.slug: o
            for o in Organisation.objects.filter(slug__in=[demo_data.REGION, demo_data.TETOUAN])
        }
        admins = {
            demo_data.REGION: User.objects.filter(username=demo_data.REGION_ADMIN).first(),
            demo_data.TETOUAN: User.objects.filter(username=demo_data.TETOUAN_ADMIN).first(),
        }
        if len(organisations) < 2 or not all(admins.values()):
            raise CommandError("Load the demo organisations first: manage.py seed_demo")
        actors = {slug: Actor(user=user) for slug, user in admins.items()}
        created = {"partners": 0, "programmes": 0, "projects": 0, "conventions": 0, "committees": 0}
        with transaction.atomic():
            partners = self._partners(actors[demo_data.REGION], organisations, created)
            programmes = self._programmes(actors, organisations, created)
            projects = self._projects(actors, organisations, programmes, partners, admins, created)
            self._conventions(actors, organisations, projects, partners, created)
            self._committee(actors, organisations, programmes, projects, partners, created)
        self.stdout.write(
            "Programmes demo: "
            + ", ".join(f"{count} {name} created" for name, count in created.items())
        )

    def _partners(self, actor, organisations, created) -> dict[str, Partner]:
        partners = {}
        for slug, (kind, ar, fr, en, acronym, org_slug, iati_ref) in demo_data.PARTNERS.items():
            partner = Partner.objects.filter(slug=slug).first()
            if partner is None:
                linked = Organisation.objects.filter(slug=org_slug).first() if org_slug else None
                partner = services.partner_create(
                    organisation=organisations[demo_data.REGION],
                    slug=slug,
                    name={"ar": ar, "fr": fr, "en": en},
                    kind=kind,
                    acronym=acronym,
                    partner_organisation=linked,
                    iati_ref=iati_ref,
                    actor=actor,
                )
                created["partners"] += 1
            partners[slug] = partner
        return partners

    def _programmes(self, actors, organisations, created) -> dict[str, Programme]:
        programmes = {}
        for spec in demo_data.PROGRAMMES:
            organisation = organisations[spec.organisation]
            programme = Programme.objects.filter(organisation=organisation, slug=spec.slug).first()
            if programme is None:
                actor = actors[spec.organisation]
                programme = services.programme_create(
                    organisation=organisation,
                    slug=spec.slug,
                    kind=spec.kind,
                    title=_texts(spec.title),
                    description=_texts(spec.description),
                    start_date=spec.start,
                    end_date=spec.end,
                    actor=actor,
                )
                for position, (code, title) in enumerate(spec.axes):
                    services.axis_create(
                        programme=programme,
                        code=code,
                        title=_texts(title),
                        position=position,
                        actor=actor,
                    )
                created["programmes"] += 1
            programmes[spec.slug] = programme
        return programmes

    def _territories(self, codes: list[str]) -> list[Territory]:
        found = list(Territory.objects.filter(code__in=codes).defer("boundary_wkb"))
        # The small territory fixture lacks four provinces of the region: fall back on it.
        return found or [Territory.objects.get(code="08")]

    def _projects(self, actors, organisations, programmes, partners, admins, created):
        projects = {}
        for spec in demo_data.PROJECTS:
            organisation = organisations[spec.organisation]
            project = Project.objects.filter(organisation=organisation, code=spec.code).first()
            if project is None:
                project = self._project(
                    spec, actors[spec.organisation], organisation, programmes, partners, admins
                )
                created["projects"] += 1
            projects[spec.code] = project
        return projects

    def _project(self, spec, actor, organisation, programmes, partners, admins) -> Project:
        programme = programmes[spec.programme]
        project = services.project_create(
            organisation=organisation,
            code=spec.code,
            title=_texts(spec.title),
            description=_texts(spec.description),
            sector=spec.sector,
            territories=self._territories(spec.territories),
            programme=programme,
            axis=programme.axes.get(code=spec.axis),
            latitude=spec.point[0],
            longitude=spec.point[1],
            total_cost=spec.total_cost,
            planned_start=spec.planned_start,
            planned_end=spec.planned_end,
            manager=admins[spec.organisation],
            status=spec.status,
            actor=actor,
        )
        for stage, planned_start, planned_end, actual_start, actual_end in spec.stages:
            services.project_stage_plan(
                project=project,
                stage=stage,
                planned_start=planned_start,
                planned_end=planned_end,
                actual_start=actual_start,
                actual_end=actual_end,
                actor=actor,
            )
        for position, (title, kind, planned, actual) in enumerate(spec.milestones):
            services.milestone_create(
                project=project,
                title=_texts(title),
                type=kind,
                planned_date=planned,
                actual_date=actual,
                position=position,
                actor=actor,
            )
        for partner_slug, amount in spec.funding:
            services.funding_commit(
                project=project, partner=partners[partner_slug], amount=amount, actor=actor
            )
        for kind, on, amount, partner_slug, reference in spec.transactions:
            services.transaction_record(
                project=project,
                kind=kind,
                date=on,
                amount=Decimal(amount).quantize(Decimal("0.01")),
                partner=partners[partner_slug] if partner_slug else None,
                reference=reference,
                actor=actor,
            )
        for as_of, value in spec.progress:
            services.project_progress_record(
                project=project, physical_progress=value, as_of=as_of, actor=actor
            )
        return project

    def _conventions(self, actors, organisations, projects, partners, created) -> None:
        for spec in demo_data.CONVENTIONS:
            organisation = organisations[spec.organisation]
            if Convention.objects.filter(
                organisation=organisation, reference=spec.reference
            ).exists():
                continue
            actor = actors[spec.organisation]
            convention = services.convention_create(
                organisation=organisation,
                reference=spec.reference,
                kind=spec.kind,
                title=_texts(spec.title),
                signed_on=spec.signed_on,
                duration_months=spec.duration_months,
                projects=[projects[code] for code in spec.projects],
                actor=actor,
            )
            for partner_slug, role, commitments in spec.parties:
                party = services.convention_party_add(
                    convention=convention, partner=partners[partner_slug], role=role, actor=actor
                )
                for kind, amount, description, tranches in commitments:
                    commitment = services.party_commitment_add(
                        party=party,
                        kind=kind,
                        amount=amount,
                        description=description,
                        tranches=[(due, part) for due, part, _paid in tranches],
                        actor=actor,
                    )
                    paid = {due: paid_on for due, _part, paid_on in tranches if paid_on}
                    for tranche in commitment.tranches.all():
                        if tranche.due_on in paid:
                            services.tranche_set_status(
                                tranche=tranche,
                                status=TrancheStatus.PAID,
                                paid_on=paid[tranche.due_on],
                                actor=actor,
                            )
                    if kind != "money":
                        services.party_commitment_deliver(
                            commitment=commitment, delivered_on=spec.signed_on, actor=actor
                        )
            created["conventions"] += 1

    def _committee(self, actors, organisations, programmes, projects, partners, created) -> None:
        spec = demo_data.COMMITTEE
        organisation = organisations[spec["organisation"]]
        if SteeringCommittee.objects.filter(organisation=organisation, slug=spec["slug"]).exists():
            return
        actor = actors[spec["organisation"]]
        committee = services.committee_create(
            organisation=organisation,
            slug=spec["slug"],
            name=_texts(spec["name"]),
            programme=programmes["pac-2023-2028"],
            actor=actor,
        )
        members = [
            services.committee_member_add(
                committee=committee, name=name, partner=partners[partner], actor=actor
            )
            for name, partner in spec["members"]
        ]
        criteria = [
            services.criterion_add(
                committee=committee, title=_texts(title), weight=weight, position=index, actor=actor
            )
            for index, (title, weight) in enumerate(spec["criteria"])
        ]
        for code, rows in spec["scores"].items():
            candidate = services.candidate_add(
                committee=committee, project=projects[code], actor=actor
            )
            for member, values in zip(members, rows, strict=True):
                for criterion, value in zip(criteria, values, strict=True):
                    services.score_record(
                        member=member,
                        criterion=criterion,
                        candidate=candidate,
                        value=value,
                        actor=actor,
                    )
        services.committee_publish(
            committee=committee, rationale=_texts(spec["rationale"]), actor=actor
        )
        created["committees"] += 1
