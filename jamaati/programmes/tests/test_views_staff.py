"""Staff pages of programmes: scope (outsiders refused), works forms, imports all or nothing with
a report and a progress bar, and the officials' dashboard."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from jamaati.audit.tests.logins import log_in_verified
from jamaati.programmes import tasks
from jamaati.programmes.models import (
    Milestone,
    ProgressUpdate,
    Project,
    ProjectPhoto,
    ProjectTransaction,
    Status,
)
from jamaati.programmes.tests.factories import (
    FundingCommitmentFactory,
    MilestoneFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def road(world, undp):
    project = ProjectFactory(
        organisation=world.organisation,
        code="ROAD",
        title_fr="Aménagement de la route",
        status=Status.WORKS,
        territories=[world.commune],
        total_cost=Decimal("1000000.00"),
    )
    FundingCommitmentFactory(project=project, partner=undp, amount=Decimal("1000000.00"))
    return project


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(f"staff_programmes:{name}", args=args)


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


def _every_page(project, milestone):
    return [
        ("get", url("projects")),
        ("get", url("dashboard")),
        ("get", url("import")),
        ("get", url("project", project.pk)),
        ("get", url("edit", project.pk)),
        ("post", url("progress", project.pk)),
        ("post", url("transaction", project.pk)),
        ("post", url("status", project.pk)),
        ("post", url("milestone_reach", project.pk, milestone.pk)),
    ]


# --- Who may come in ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_staff_login(client, road):
    milestone = MilestoneFactory(project=road)
    for method, path in _every_page(road, milestone):
        response = getattr(client, method)(path)
        assert response.status_code == 302, path
        assert reverse("accounts:login") in response["Location"]


def test_a_citizen_is_refused(client, road, citizen):
    milestone = MilestoneFactory(project=road)
    client.force_login(citizen)
    for method, path in _every_page(road, milestone):
        assert getattr(client, method)(path).status_code == 403, path


def test_an_agent_of_another_organisation_reaches_none_of_the_projects(
    client, road, other_org_agent
):
    milestone = MilestoneFactory(project=road)
    log_in_verified(client, other_org_agent)
    assert "Aménagement de la route" not in client.get(url("projects")).content.decode()
    for name, args in (
        ("project", (road.pk,)),
        ("edit", (road.pk,)),
        ("progress", (road.pk,)),
        ("transaction", (road.pk,)),
        ("status", (road.pk,)),
        ("milestone_reach", (road.pk, milestone.pk)),
    ):
        method = client.get if name in ("project", "edit") else client.post
        assert method(url(name, *args), {"progress-physical_progress": "90"}).status_code == 404
    assert client.get(url("dashboard") + "?organisation=north").status_code == 404
    assert client.get(url("import")).status_code == 403
    road.refresh_from_db()
    assert road.physical_progress == Decimal("0.00")
    assert not ProgressUpdate.objects.exists()


def test_an_agent_outside_the_projects_area_cannot_see_it(client, road, other_area_agent):
    log_in_verified(client, other_area_agent)
    # The project is in the whole commune; this agent only covers one district of it.
    assert client.get(url("project", road.pk)).status_code == 404


def test_an_agent_may_act_on_works_but_not_edit_the_plan_nor_import(client, road, agent):
    log_in_verified(client, agent)
    page = client.get(url("project", road.pk))
    assert page.status_code == 200
    assert url("progress", road.pk) in page.content.decode()
    assert url("edit", road.pk) not in page.content.decode()
    assert client.get(url("edit", road.pk)).status_code == 403
    assert client.get(url("import")).status_code == 403


def test_the_project_list_runs_a_bounded_number_of_queries(
    client, world, agent, undp, django_assert_max_num_queries
):
    for number in range(15):
        project = ProjectFactory(
            organisation=world.organisation, code=f"P{number}", territories=[world.commune]
        )
        FundingCommitmentFactory(project=project, partner=undp)
    log_in_verified(client, agent)
    with django_assert_max_num_queries(16):
        response = client.get(url("projects"))
    assert response.status_code == 200
    assert response.content.decode().count('role="progressbar"') == 30


# --- Works ----------------------------------------------------------------------------------------


def test_an_agent_records_progress_with_a_photo(client, road, agent):
    log_in_verified(client, agent)
    response = client.post(
        url("progress", road.pk),
        {
            "progress-physical_progress": "37.5",
            "progress-as_of": "2026-01-15",
            "progress-note": "Chaussée posée",
            "progress-photo": _jpeg(),
            "progress-caption": "Vue de la chaussée",
            "progress-photo_latitude": "35.57",
            "progress-photo_longitude": "-5.37",
        },
    )
    assert response.status_code == 302
    road.refresh_from_db()
    assert road.physical_progress == Decimal("37.50")
    photo = ProjectPhoto.objects.get()
    assert photo.taken_on == dt.date(2026, 1, 15) and photo.latitude == 35.57
    # The public page shows the dated photo.
    with translation.override("fr"):
        public = reverse("programmes:project", args=["north", "ROAD"])
    assert "Vue de la chaussée" in client.get(public).content.decode()


def test_a_progress_out_of_range_is_refused_and_nothing_is_written(client, road, agent):
    log_in_verified(client, agent)
    response = client.post(
        url("progress", road.pk),
        {"progress-physical_progress": "120", "progress-as_of": "2026-01-15"},
    )
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()


def test_an_agent_records_a_transaction_typed_the_french_way_exactly(client, road, agent, undp):
    log_in_verified(client, agent)
    response = client.post(
        url("transaction", road.pk),
        {
            "transaction-kind": "disbursement",
            "transaction-date": "2025-03-01",
            "transaction-amount": "1 250,55",
            "transaction-partner": undp.pk,
            "transaction-reference": "OV-1",
        },
    )
    assert response.status_code == 302
    assert ProjectTransaction.objects.get().amount == Decimal("1250.55")


def test_a_disbursement_without_funder_is_refused_with_the_services_message(client, road, agent):
    log_in_verified(client, agent)
    with translation.override("fr"):
        response = client.post(
            url("transaction", road.pk, language="fr"),
            {
                "transaction-kind": "disbursement",
                "transaction-date": "2025-03-01",
                "transaction-amount": "1000",
            },
        )
        expected = gettext("Say which partner the money came from.")
    assert response.status_code == 400
    assert escape(expected) in response.content.decode()
    assert not ProjectTransaction.objects.exists()


def test_only_the_allowed_status_moves_are_offered_and_a_forbidden_one_is_refused(
    client, road, agent
):
    log_in_verified(client, agent)
    form = client.get(url("project", road.pk)).context["transition_form"]
    offered = {value for value, _label in form.fields["to_status"].choices}
    assert offered == {Status.PROVISIONAL_RECEPTION, Status.SUSPENDED, Status.CANCELLED}
    response = client.post(url("status", road.pk), {"status-to_status": Status.COMPLETED})
    assert response.status_code == 400
    road.refresh_from_db()
    assert road.status == Status.WORKS
    response = client.post(
        url("status", road.pk), {"status-to_status": Status.PROVISIONAL_RECEPTION}
    )
    assert response.status_code == 302
    road.refresh_from_db()
    assert road.status == Status.PROVISIONAL_RECEPTION


def test_an_agent_marks_a_milestone_as_met(client, road, agent):
    milestone = MilestoneFactory(project=road, planned_date=dt.date(2025, 1, 1))
    log_in_verified(client, agent)
    response = client.post(
        url("milestone_reach", road.pk, milestone.pk), {"reach-actual_date": "2025-01-10"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.actual_date == dt.date(2025, 1, 10)


def test_a_milestone_of_another_project_is_not_found(client, road, world, agent):
    other = ProjectFactory(organisation=world.organisation, territories=[world.commune])
    milestone = MilestoneFactory(project=other)
    log_in_verified(client, agent)
    response = client.post(
        url("milestone_reach", road.pk, milestone.pk), {"reach-actual_date": "2025-01-10"}
    )
    assert response.status_code == 404
    assert Milestone.objects.get(pk=milestone.pk).actual_date is None


def test_an_organisation_admin_edits_the_basics(client, road, org_admin):
    log_in_verified(client, org_admin)
    assert client.get(url("edit", road.pk)).status_code == 200
    response = client.post(
        url("edit", road.pk),
        {
            "title_ar": "تهيئة الطريق",
            "title_fr": "Route refaite",
            "sector": "transport.road",
            "total_cost": "2 000 000,10",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    road.refresh_from_db()
    assert road.title_fr == "Route refaite"
    assert road.total_cost == Decimal("2000000.10")


# --- Import ---------------------------------------------------------------------------------------

HEADER = "code;title_ar;title_fr;sector;status;territories;total_cost;funding"


def _csv(world, *rows):
    text = "\n".join([HEADER, *rows]).replace("{commune}", world.commune.code)
    return SimpleUploadedFile("projects.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_bad_file_gives_a_report_and_writes_nothing(client, world, org_admin, undp):
    log_in_verified(client, org_admin)
    upload = _csv(
        world,
        "N-1;طريق;Route;transport.road;works;{commune};100000;undp=100000",
        "N-2;;Sans secteur;roads-and-more;;{commune};abc;",
    )
    with translation.override("fr"):
        response = client.post(
            url("import"), {"organisation": "north", "file": upload}, follow=True
        )
        nothing = gettext("Nothing was imported.")
    assert response.status_code == 200
    body = response.content.decode()
    assert nothing in body
    assert ">3<" in body  # the spreadsheet's row number of the bad line
    assert "sector" in body
    assert not Project.objects.filter(code__startswith="N-").exists()


def test_a_good_file_is_imported_whole_with_the_progress_bar_at_its_end(
    client, world, org_admin, undp
):
    log_in_verified(client, org_admin)
    upload = _csv(
        world,
        "N-1;طريق;Route;transport.road;works;{commune};100000;undp=100000",
        "N-2;مدرسة;École;education;;{commune};250000,50;",
    )
    response = client.post(url("import"), {"organisation": "north", "file": upload}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-valuenow="100"' in body
    assert Project.objects.get(code="N-2").total_cost == Decimal("250000.50")
    assert Project.objects.filter(code__startswith="N-").count() == 2
    # The polling fragment (htmx) gives the same finished state.
    job = response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
    fragment = client.get(url("import_job", job), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in fragment.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused(client, world, org_admin):
    log_in_verified(client, org_admin)
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = client.post(url("import"), {"organisation": "north", "file": upload})
    assert response.status_code == 400


def test_an_import_report_is_only_for_who_sent_the_file(client, world, org_admin, platform_admin):
    log_in_verified(client, org_admin)
    upload = _csv(world, "N-1;طريق;Route;transport.road;works;{commune};100000;")
    response = client.post(url("import"), {"organisation": "north", "file": upload})
    report = response["Location"]
    log_in_verified(client, platform_admin)
    assert client.get(report).status_code == 404


def test_an_admin_of_another_organisation_cannot_import_into_this_one(
    client, world, other_org_agent_membership
):
    other_org_agent_membership.role = "org_admin"
    other_org_agent_membership.save()
    log_in_verified(client, other_org_agent_membership.user)
    upload = _csv(world, "N-1;طريق;Route;transport.road;works;{commune};100000;")
    response = client.post(url("import"), {"organisation": "north", "file": upload})
    assert response.status_code == 400  # "north" is not a choice for them
    assert not Project.objects.filter(code="N-1").exists()


# --- Dashboard ------------------------------------------------------------------------------------


def test_the_dashboard_shows_execution_late_projects_and_status(client, road, org_admin, undp):
    late = ProjectFactory(
        organisation=road.organisation,
        code="LATE",
        title_fr="Projet en retard",
        territories=[road.territory],
    )
    MilestoneFactory(project=late, planned_date=dt.date(2024, 1, 1))
    log_in_verified(client, org_admin)
    response = client.get(url("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Province test" in body  # budget by province
    assert undp.name_fr in body  # by partner
    assert "Projet en retard" in body.split('id="late-title"')[1]
    assert 'id="dashboard-chart-data"' in body


def test_a_platform_admin_chooses_any_organisation_on_the_dashboard(client, road, platform_admin):
    log_in_verified(client, platform_admin)
    response = client.get(url("dashboard") + "?organisation=north")
    assert response.status_code == 200
    assert "Province test" in response.content.decode()
    assert client.get(url("dashboard") + "?organisation=nowhere").status_code == 404


def test_the_import_task_records_its_progress_and_deletes_the_file(world, org_admin, undp):
    rows = [f"T-{n};طريق;Route {n};transport.road;;{{commune}};1000;" for n in range(45)]
    text = "\n".join([HEADER, *rows]).replace("{commune}", world.commune.code)
    path = default_storage.save("programmes/imports/test.csv", ContentFile(text.encode()))
    tasks.import_state_set("job-1", state="queued", user=org_admin.pk)
    tasks.import_file(
        "job-1", organisation_id=world.organisation.pk, user_id=org_admin.pk, path=path
    )
    state = tasks.import_state("job-1")
    assert (state["state"], state["done"], state["total"], state["created"]) == (
        "done",
        45,
        45,
        45,
    )
    assert not default_storage.exists(path)
    assert Project.objects.filter(code__startswith="T-").count() == 45


def test_a_platform_admin_opens_any_project(client, road, platform_admin):
    log_in_verified(client, platform_admin)
    response = client.get(url("project", road.pk))
    assert response.status_code == 200
    assert response.context["can_act"] and response.context["can_plan"]
