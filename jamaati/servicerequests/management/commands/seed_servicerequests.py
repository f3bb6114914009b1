"""Load the demo's service request catalogue and reports (run after seed_demo).

Categories for the demo organisations, their response templates, and about sixty reports
spread over the real communes' polygons, in Arabic, French, Darija and Arabizi, moved
through the real services to their demo status. Idempotent: a second run creates nothing.
Demo only.
"""

from __future__ import annotations

import random
from datetime import timedelta

import shapely
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from jamaati.accounts.models import User
from jamaati.core.actors import Actor
from jamaati.organisations import demo as organisations_demo
from jamaati.organisations.models import Department, Domain, Membership, Organisation
from jamaati.organisations.permissions import ACTING_ROLES, staff_access
from jamaati.servicerequests import demo_data, services
from jamaati.servicerequests.models import (
    Category,
    ResponseTemplate,
    ServiceRequest,
    Status,
)
from jamaati.territories.models import Territory
from jamaati.territories.selectors import territory_lookup

LANGUAGES = ("ar", "fr", "en")

# The staff moves that take a new report to each demo status.
PATHS = {
    Status.NEW: (),
    Status.ACKNOWLEDGED: (Status.ACKNOWLEDGED,),
    Status.IN_PROGRESS: (Status.ACKNOWLEDGED, Status.IN_PROGRESS),
    Status.RESOLVED: (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED),
    Status.REJECTED: (Status.REJECTED,),
}


def _texts(values: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip(LANGUAGES, values, strict=True))


def random_point_in(territory: Territory, rng: random.Random) -> tuple[float, float]:
    """A point drawn uniformly inside the territory's polygon that the lookup places in it."""
    if not territory.boundary_wkb:
        raise CommandError(
            f"The territory {territory.code} has no boundary: reload the territories."
        )
    polygon = shapely.from_wkb(bytes(territory.boundary_wkb))
    shapely.prepare(polygon)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    for _attempt in range(10_000):
        lat = round(rng.uniform(min_lat, max_lat), 6)
        lon = round(rng.uniform(min_lon, max_lon), 6)
        if not shapely.contains_xy(polygon, lon, lat):
            continue
        found = territory_lookup(lat=lat, lon=lon)
        if found is not None and found.commune.pk == territory.pk:
            return lat, lon
    raise CommandError(f"Could not draw a point inside {territory.code}.")


class Command(BaseCommand):
    help = "Load the demo service request categories and reports (demo mode only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_servicerequests only runs in demo mode (JAMAATI_DEMO=1 with DEBUG=1)."
            )
        slugs = set(demo_data.CATEGORIES) | set(demo_data.TEMPLATE_ORGANISATIONS)
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        if missing := slugs - set(organisations):
            raise CommandError(
                "Load the demo organisations first (manage.py seed_demo); missing: "
                + ", ".join(sorted(missing))
            )
        admin = User.objects.filter(username=organisations_demo.PLATFORM_ADMIN[0]).first()
        if admin is None:
            raise CommandError("Load the demo organisations first: manage.py seed_demo")
        actor = Actor(user=admin)
        # The invented reporters are told nothing: their receipts and updates would only
        # flood the demo's console. The real services still schedule every notification.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                SMS_BACKEND="jamaati.core.sms.backends.locmem.SmsBackend",
            ),
            transaction.atomic(),
        ):
            categories = self._categories(actor, organisations)
            templates = self._templates(actor, organisations)
            reports = self._requests()
        self.stdout.write(
            self.style.SUCCESS(
                f"Service requests: {categories} categories, {templates} response templates "
                f"and {reports} reports added."
            )
        )
        self._partner_key(organisations["tetouan"])

    def _categories(self, actor: Actor, organisations: dict[str, Organisation]) -> int:
        domains = {d.slug: d for d in Domain.objects.all()}
        created = 0
        for slug, specs in demo_data.CATEGORIES.items():
            organisation = organisations[slug]
            existing = set(
                Category.objects.filter(organisation=organisation).values_list("code", flat=True)
            )
            departments = {d.slug: d for d in Department.objects.filter(organisation=organisation)}
            for position, spec in enumerate(specs):
                if spec.code in existing:
                    continue
                if spec.domain and spec.domain not in domains:
                    raise CommandError(f"Unknown competence domain {spec.domain!r}: run seed_demo.")
                services.category_create(
                    actor=actor,
                    organisation=organisation,
                    code=spec.code,
                    group=spec.group,
                    names=_texts(spec.names),
                    help_texts=_texts(spec.help_texts),
                    domain=domains[spec.domain] if spec.domain else None,
                    department=departments.get(spec.department) if spec.department else None,
                    target_acknowledge=timedelta(days=spec.acknowledge_days),
                    target_resolve=timedelta(days=spec.resolve_days),
                    allow_anonymous=spec.allow_anonymous,
                    position=position,
                    questions=[
                        services.QuestionInput(
                            code=q.code,
                            kind=q.kind,
                            labels=_texts(q.labels),
                            required=q.required,
                            choices=tuple(
                                {"key": key, "label_ar": ar, "label_fr": fr, "label_en": en}
                                for key, ar, fr, en in q.choices
                            ),
                        )
                        for q in spec.questions
                    ],
                )
                created += 1
        return created

    def _templates(self, actor: Actor, organisations: dict[str, Organisation]) -> int:
        created = 0
        for slug in demo_data.TEMPLATE_ORGANISATIONS:
            organisation = organisations[slug]
            for titles, bodies in demo_data.RESPONSE_TEMPLATES:
                if ResponseTemplate.objects.filter(
                    organisation=organisation, title_en=titles[2]
                ).exists():
                    continue
                services.responsetemplate_create(
                    actor=actor,
                    organisation=organisation,
                    titles=_texts(titles),
                    bodies=_texts(bodies),
                )
                created += 1
        return created

    def _requests(self) -> int:
        done = set(
            ServiceRequest.objects.filter(source=demo_data.SOURCE).values_list(
                "external_id", flat=True
            )
        )
        citizen = User.objects.filter(username=organisations_demo.CITIZEN[0]).first()
        now = timezone.now()
        created = 0
        for index, spec in enumerate(demo_data.REQUESTS, start=1):
            external_id = f"demo-{index:03d}"
            if external_id in done:
                continue
            rng = random.Random(demo_data.SEED + index)
            category = Category.objects.get(
                organisation__slug=spec.organisation, code=spec.category
            )
            latitude, longitude = random_point_in(Territory.objects.get(code=spec.commune), rng)
            contact: dict = {}
            if not spec.anonymous:
                if citizen is not None and index % 5 == 0:
                    contact = {"reporter": citizen}
                else:
                    name, email = demo_data.REPORTERS[index % len(demo_data.REPORTERS)]
                    contact = {"contact_name": name, "contact_email": email}
            service_request = services.servicerequest_create(
                category=category,
                description=spec.description,
                latitude=latitude,
                longitude=longitude,
                answers=spec.answers,
                anonymous=spec.anonymous,
                language=spec.language,
                source=demo_data.SOURCE,
                external_id=external_id,
                created_at=now - timedelta(days=spec.days_ago, hours=rng.randint(1, 20)),
                notify_reporter=False,
                **contact,
            )
            self._move(service_request, spec)
            created += 1
        return created

    def _move(self, service_request: ServiceRequest, spec: demo_data.DemoRequest) -> None:
        path = PATHS[Status(spec.status)]
        if not path:
            return
        staff = self._staff_for(service_request)
        for to_status in path:
            if to_status == Status.IN_PROGRESS:
                services.servicerequest_assign(
                    service_request=service_request, assignee=staff.user, actor=staff
                )
            service_request = services.servicerequest_transition(
                service_request=service_request,
                to_status=to_status,
                actor=staff,
                reason=spec.note if to_status == Status.REJECTED else "",
            )
            if to_status == Status.IN_PROGRESS and spec.note:
                services.servicerequest_comment(
                    service_request=service_request, body=spec.note, public=True, actor=staff
                )

    def _staff_for(self, service_request: ServiceRequest) -> Actor:
        """A member of the handling organisation who may act: the department's agent first."""
        memberships = (
            Membership.objects.active()
            .filter(organisation_id=service_request.organisation_id, role__in=ACTING_ROLES)
            .select_related("user")
            .order_by("role", "pk")
        )
        ranked = sorted(
            memberships,
            key=lambda m: (
                m.department_id != service_request.department_id,
                m.role != "agent",
                m.pk,
            ),
        )
        for membership in ranked:
            granted = staff_access(
                user=membership.user,
                organisation=service_request.organisation,
                territory=service_request.territory,
                target=service_request,
                write=True,
            )
            if granted is not None:
                return Actor(user=membership.user, membership=granted)
        raise CommandError(
            f"No demo staff member of {service_request.organisation} may act on "
            f"{service_request.reference}: run seed_demo."
        )

    def _partner_key(self, tetouan: Organisation) -> None:
        try:
            from jamaati.servicerequests.demo import open311_demo_key_ensure
        except ImportError:
            self.stdout.write(
                self.style.WARNING(
                    "Open311 is not installed yet (jamaati.servicerequests.demo is missing): "
                    "no partner key demo-open311-key for Tétouan."
                )
            )
            return
        open311_demo_key_ensure(tetouan)
        self.stdout.write("  Open311 partner key for Tétouan: demo-open311-key")
