"""Load the demo world: organisations of the seed articles, departments, competences, staff.

Idempotent: a second run finds everything in place and creates nothing. Demo only.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jamaati.accounts.models import User
from jamaati.core.actors import Actor
from jamaati.organisations import demo, services
from jamaati.organisations.models import (
    Department,
    Domain,
    Membership,
    Organisation,
    OrganisationKind,
)
from jamaati.territories.models import Territory


class Command(BaseCommand):
    help = "Load the demo organisations, staff and competences (demo mode only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo only runs in demo mode (JAMAATI_DEMO=1 with DEBUG=1).")
        if not Territory.objects.filter(code="01.571.01.11").exists():
            raise CommandError("Load the territories first: manage.py load_territories")
        password = self._demo_password()
        with transaction.atomic():
            admin = self._user(*demo.PLATFORM_ADMIN, password=password, staff=True, superuser=True)
            actor = Actor(user=admin)
            kinds = self._kinds()
            domains = self._domains()
            organisations = self._organisations(actor, kinds)
            self._competences(actor, organisations, domains)
            rows = self._staff(actor, organisations, password)
            self._user(*demo.CITIZEN, password=None, staff=False, superuser=False)
        self._print(rows, password)

    def _demo_password(self) -> str:
        path = Path(settings.VAR_DIR) / "demo-password.txt"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        password = "demo-" + secrets.token_urlsafe(9)
        path.write_text(password + "\n", encoding="utf-8")
        path.chmod(0o600)
        return password

    def _user(
        self, email: str, full_name: str, *, password: str | None, staff: bool, superuser: bool
    ) -> User:
        user = User.objects.filter(username=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                is_staff=staff,
                is_superuser=superuser,
            )
        return user

    def _kinds(self) -> dict[str, OrganisationKind]:
        kinds = {}
        for slug, (collectivity, ar, fr, en) in demo.KINDS.items():
            kinds[slug], _ = OrganisationKind.objects.get_or_create(
                slug=slug,
                defaults={
                    "is_collectivity": collectivity,
                    "name": ar,
                    "name_ar": ar,
                    "name_fr": fr,
                    "name_en": en,
                },
            )
        return kinds

    def _domains(self) -> dict[str, Domain]:
        domains = {}
        for slug, (ar, fr, en) in demo.DOMAINS.items():
            domains[slug], _ = Domain.objects.get_or_create(
                slug=slug, defaults={"name": ar, "name_ar": ar, "name_fr": fr, "name_en": en}
            )
        return domains

    def _organisations(self, actor: Actor, kinds) -> dict[str, Organisation]:
        by_key: dict[str, Organisation] = {}
        for spec in demo.ORGANISATIONS:
            seat = Territory.objects.get(code=spec.seat) if spec.seat else None
            slug = spec.slug or services.council_slug(seat)
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                organisation = services.organisation_create(
                    actor=actor,
                    kind=kinds[spec.kind],
                    seat=seat,
                    slug=slug,
                    names=dict(zip(("ar", "fr", "en"), spec.names, strict=True)),
                    descriptions=dict(zip(("ar", "fr", "en"), spec.description, strict=True)),
                    territories=Territory.objects.filter(code__in=spec.territories),
                    primary_color=spec.colour,
                )
            for department_slug in spec.departments:
                if not Department.objects.filter(
                    organisation=organisation, slug=department_slug
                ).exists():
                    ar, fr, en = demo.DEPARTMENTS[department_slug]
                    services.department_create(
                        actor=actor,
                        organisation=organisation,
                        slug=department_slug,
                        names={"ar": ar, "fr": fr, "en": en},
                    )
            by_key[spec.seat or slug] = organisation
            by_key[slug] = organisation
        return by_key

    def _competences(self, actor: Actor, organisations, domains) -> None:
        for key, domain_slug, territory_code, department_slug in demo.COMPETENCES:
            organisation = organisations[key]
            territory = Territory.objects.get(code=territory_code)
            department = Department.objects.get(organisation=organisation, slug=department_slug)
            if not organisation.competences.filter(
                domain=domains[domain_slug], territory=territory
            ).exists():
                services.competence_set(
                    actor=actor,
                    organisation=organisation,
                    domain=domains[domain_slug],
                    territory=territory,
                    department=department,
                )

    def _staff(self, actor: Actor, organisations, password: str) -> list[tuple[str, str, str]]:
        rows = [(demo.PLATFORM_ADMIN[0], "platform admin", "—")]
        for spec in demo.STAFF:
            organisation = organisations[spec.organisation]
            user = self._user(
                spec.email, spec.full_name, password=password, staff=True, superuser=False
            )
            department = (
                Department.objects.get(organisation=organisation, slug=spec.department)
                if spec.department
                else None
            )
            exists = Membership.objects.filter(
                user=user, organisation=organisation, role=spec.role, department=department
            ).exists()
            if not exists:
                services.membership_create(
                    actor=actor,
                    organisation=organisation,
                    user=user,
                    role=spec.role,
                    department=department,
                    territories=Territory.objects.filter(code__in=spec.limited_to),
                )
            where = organisation.slug + (f" / {spec.department}" if spec.department else "")
            if spec.limited_to:
                where += " (limited to " + ", ".join(spec.limited_to) + ")"
            rows.append((spec.email, spec.role, where))
        rows.append((demo.CITIZEN[0], "citizen (signs in with a one-time code)", "—"))
        return rows

    def _print(self, rows, password: str) -> None:
        width = max(len(r[0]) for r in rows)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo accounts (staff password below; second factor skipped in demo mode):"
            )
        )
        for email, role, where in rows:
            self.stdout.write(f"  {email.ljust(width)}  {role:<18} {where}")
        self.stdout.write(
            f"  staff password: {password}   (kept in {Path(settings.VAR_DIR) / 'demo-password.txt'})"
        )
        self.stdout.write(
            "  the citizen signs in with a one-time code, printed on this console by the demo's e-mail backend"
        )
