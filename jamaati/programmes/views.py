"""Public accountability pages: what each collectivity builds, where the money comes from, how far.

Every page reads through `selectors` (published projects of active organisations only) and
shows no personal data: no manager, no author of a photo or of a history line.
The maps are drawn by static JavaScript from GeoJSON embedded in the page (json_script), on a
plain background (no tile server): the list beside the map has the same projects, and the
charts have a table with the same numbers.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jamaati.programmes import selectors, selectors_pages
from jamaati.programmes.alerts import project_alerts
from jamaati.programmes.forms import ProjectFilterForm
from jamaati.programmes.models import STAGES, Project, Status
from jamaati.programmes.money import ZERO, money, percent
from jamaati.programmes.scoring import committee_ranking
from jamaati.territories.models import Level

PROJECTS_PER_PAGE = 30
STATUS_BADGES = {
    Status.IDENTIFICATION: "text-bg-light border",
    Status.STUDIES: "text-bg-info",
    Status.TENDERING: "text-bg-info",
    Status.WORKS: "text-bg-warning",
    Status.PROVISIONAL_RECEPTION: "text-bg-primary",
    Status.COMPLETED: "text-bg-success",
    Status.SUSPENDED: "text-bg-secondary",
    Status.CANCELLED: "text-bg-dark",
}


def _crumbs(current: str, *pages: tuple[str, str]) -> list[dict[str, str]]:
    """Home › Programmes and projects › pages… › the current page."""
    items = [
        {"url": reverse("home"), "label": _("Home")},
        {"url": reverse("programmes:index"), "label": _("Programmes and projects")},
    ]
    items.extend({"url": url, "label": label} for url, label in pages)
    items.append({"url": "", "label": current})
    return items


def _under(owner, current: str) -> list[dict[str, str]]:
    """Breadcrumbs of a page of one organisation."""
    return _crumbs(current, (reverse("programmes:organisation", args=[owner.slug]), owner.name))


def project_rows(projects) -> list[Project]:
    """Projects of a list, each with its badge and exact financial progress."""
    rows = list(projects)
    for project in rows:
        project.badge = STATUS_BADGES.get(project.status, "text-bg-light")
        project.financial_progress = percent(project.spent, project.total_cost)
    return rows


def _map(projects, boundaries: list[str]) -> dict:
    return {
        "projects": selectors.projects_geojson(projects),
        "boundaries": boundaries,
        "labels": {
            "progress": _("Physical progress"),
            "open": _("Open the project page"),
        },
    }


def _project_url(properties: dict) -> str:
    return reverse("programmes:project", args=[properties["organisation"], properties["code"]])


def _with_urls(geojson: dict) -> dict:
    for feature in geojson["features"]:
        properties = feature["properties"]
        properties["url"] = _project_url(properties)
        properties["status_label"] = str(Status(properties["status"]).label)
        properties.pop("total_cost", None)
    return geojson


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Programmes and projects, filtered by province, sector, status and partner, on a map and in a list."""
    provinces = list(selectors_pages.provinces_with_projects())
    partners = list(selectors.partners_public())
    form = ProjectFilterForm(request.GET or None, provinces=provinces, partners=partners)
    filters = form.filters()
    projects = selectors.projects_public(**filters)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    province = filters.get("province")
    if province is not None:
        boundaries = [reverse("territories:map", args=[province.code])]
    else:
        boundaries = [
            reverse("territories:map", args=[code])
            for code in selectors_pages.region_codes(provinces=provinces)
        ]
    map_data = _map(projects, boundaries)
    _with_urls(map_data["projects"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programmes/index.html",
        {
            "form": form,
            "page": page,
            "projects": project_rows(page.object_list),
            "programmes": selectors.programmes_public(),
            "map_data": map_data,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "breadcrumbs": [
                {"url": reverse("home"), "label": _("Home")},
                {"url": "", "label": _("Programmes and projects")},
            ],
        },
    )


@require_GET
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """One organisation's programmes, conventions, committees and partners (promised vs delivered)."""
    owner = selectors_pages.organisation_get_public(slug=slug)
    projects = selectors.projects_public(organisation=owner)
    return render(
        request,
        "programmes/organisation.html",
        {
            "organisation": owner,
            "programmes": selectors.programmes_public(organisation=owner),
            "conventions": selectors.conventions_public(organisation=owner),
            "committees": selectors.committees_public(organisation=owner),
            "partners": selectors.partner_summary(organisation=owner),
            "projects": project_rows(projects),
            "totals": selectors.projects_totals(projects),
            "breadcrumbs": _crumbs(owner.name),
        },
    )


@require_GET
def programme(request: HttpRequest, organisation: str, slug: str) -> HttpResponse:
    """A programme: its period, strategic axes, projects and totals."""
    item = selectors.programme_get_public(organisation_slug=organisation, slug=slug)
    summary = selectors.programme_summary(programme=item)
    projects = selectors.projects_public(programme=item)
    axes = {axis.pk: axis for axis in item.axes.all()}
    by_axis = [
        {**row, "axis": axes.get(row["axis_id"]), "total_cost": money(row["total_cost"] or 0)}
        for row in summary.by_axis
    ]
    by_status = [
        (Status(status).label, summary.by_status[status])
        for status in Status.values
        if summary.by_status.get(status)
    ]
    map_data = _map(projects, [])
    _with_urls(map_data["projects"])
    return render(
        request,
        "programmes/programme.html",
        {
            "programme": item,
            "summary": summary,
            "by_axis": by_axis,
            "by_status": by_status,
            "projects": project_rows(projects),
            "map_data": map_data,
            "breadcrumbs": _under(item.organisation, item.title),
        },
    )


def stage_rows(project: Project, stages) -> list[dict]:
    """Every stage of the workflow in order, with its planned and actual dates (if any)."""
    by_stage = {row.stage: row for row in stages}
    current = project.suspended_from or project.status
    position = STAGES.index(current) if current in STAGES else -1
    rows = []
    for index, stage in enumerate(STAGES):
        row = by_stage.get(stage)
        rows.append(
            {
                "label": Status(stage).label,
                "row": row,
                "done": index < position or project.status == Status.COMPLETED,
                "current": index == position and project.status != Status.COMPLETED,
            }
        )
    return rows


@require_GET
def project(request: HttpRequest, organisation: str, code: str) -> HttpResponse:
    """A project: what, where, how far (physical and financial), the money by partner, the stages."""
    item = selectors.project_get_public(organisation_slug=organisation, code=code)
    budget = selectors.project_budget(project=item)
    timeline = selectors.project_timeline(project=item, public=True)
    territories = list(item.territories.all())
    boundaries = [
        reverse("territories:map", args=[t.code])
        for t in territories
        if t.level in (Level.COMMUNE, Level.ARRONDISSEMENT, Level.PROVINCE)
    ][:5]
    map_data = _map(Project.objects.filter(pk=item.pk), boundaries)
    _with_urls(map_data["projects"])
    chart = {
        "money": {
            "title": _("Budget (MAD)"),
            "labels": [_("Total cost"), _("Committed"), _("Disbursed"), _("Spent")],
            "values": [
                str(budget.total_cost),
                str(budget.committed),
                str(budget.disbursed),
                str(budget.spent),
            ],
        },
        "partners": {
            "labels": [line.partner.name for line in budget.partners],
            "series": [
                {
                    "title": _("Committed"),
                    "values": [str(line.committed) for line in budget.partners],
                },
                {
                    "title": _("Disbursed"),
                    "values": [str(line.disbursed) for line in budget.partners],
                },
            ],
        },
    }
    return render(
        request,
        "programmes/project.html",
        {
            "project": item,
            "badge": STATUS_BADGES.get(item.status),
            "budget": budget,
            "stages": stage_rows(item, timeline.stages),
            "milestones": timeline.milestones,
            "alerts": project_alerts(item),
            "today": timezone.localdate(),
            "territories": territories,
            "photos": selectors.project_photos_public(project=item),
            "documents": selectors.project_documents_public(project=item),
            "conventions": selectors_pages.project_conventions(project=item),
            "map_data": map_data,
            "chart": chart,
            "breadcrumbs": _under(item.organisation, item.code),
        },
    )


@require_GET
def convention(request: HttpRequest, organisation: str, reference: str) -> HttpResponse:
    """A convention or MoU: its parties, what each promised (MAD, in kind), tranches, delivered."""
    item = selectors.convention_get_public(organisation_slug=organisation, reference=reference)
    lines = selectors.convention_summary(convention=item)
    money_commitments = selectors_pages.convention_money_commitments(convention=item)
    parties = [{"line": line, "money": money_commitments.get(line.party.pk, [])} for line in lines]
    chart = {
        "labels": [line.party.partner.name for line in lines],
        "series": [
            {"title": _("Promised"), "values": [str(line.promised) for line in lines]},
            {"title": _("Paid"), "values": [str(line.paid) for line in lines]},
        ],
    }
    return render(
        request,
        "programmes/convention.html",
        {
            "convention": item,
            "parties": parties,
            "promised": sum((line.promised for line in lines), ZERO),
            "paid": sum((line.paid for line in lines), ZERO),
            "chart": chart,
            "breadcrumbs": _under(item.organisation, item.reference),
        },
    )


@require_GET
def partner(request: HttpRequest, slug: str) -> HttpResponse:
    """A partner: what it promised and what it delivered, project by project and convention by convention."""
    item = selectors_pages.partner_get_public(slug=slug)
    record = selectors_pages.partner_record(partner=item)
    return render(
        request,
        "programmes/partner.html",
        {
            "partner": item,
            "record": record,
            "breadcrumbs": _crumbs(item.name),
        },
    )


@require_GET
def committee(request: HttpRequest, organisation: str, slug: str) -> HttpResponse:
    """A steering committee's published ranking: scores, criteria and weights, and its rationale."""
    item = selectors.committee_get_public(organisation_slug=organisation, slug=slug)
    ranking = committee_ranking(item)
    criteria = selectors_pages.committee_criteria(committee=item)
    rows = [
        {
            "ranked": ranked,
            "criteria": [c.averages.get(ranked.candidate.pk) for c in criteria],
        }
        for ranked in ranking
    ]
    return render(
        request,
        "programmes/committee.html",
        {
            "committee": item,
            "rows": rows,
            "criteria": criteria,
            "members": item.members.count(),
            "breadcrumbs": _under(item.organisation, item.name),
        },
    )


@require_GET
def commune(request: HttpRequest, code: str) -> HttpResponse:
    """What is being done in my commune: projects in it, and the wider ones that cover it."""
    place = selectors_pages.territory_get_by_code(
        code=code, levels=(Level.COMMUNE, Level.ARRONDISSEMENT)
    )
    projects = selectors.projects_public(commune=place)
    # A project both in the commune and province-wide is listed once, with the commune's.
    wider = selectors.projects_covering_commune(commune=place).exclude(pk__in=projects.values("pk"))
    map_data = _map(projects, [reverse("territories:map", args=[place.code])])
    _with_urls(map_data["projects"])
    return render(
        request,
        "programmes/commune.html",
        {
            "commune": place,
            "projects": project_rows(projects),
            "wider": project_rows(wider),
            "totals": selectors.projects_totals(projects),
            "map_data": map_data,
            "breadcrumbs": _crumbs(place.name),
        },
    )
