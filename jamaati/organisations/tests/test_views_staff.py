"""The staff area and the organisation admin's pages.

Behaviour tests use the English pages (/en/…), so they assert on English messages
whatever the catalogues translate; every page is also rendered in Arabic and French.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image

from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.services import apikey_issue
from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.logins import log_in_verified
from jamaati.core.actors import Actor
from jamaati.organisations.models import Department, Membership, Organisation, Role
from jamaati.organisations.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    StaffUserFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"staff:{name}", args=args)


@pytest.fixture
def other_org_admin(world):
    return MembershipFactory(
        user=StaffUserFactory(email="admin@clean-co.ma"),
        organisation=world.other_organisation,
        role=Role.ORG_ADMIN,
    ).user


@pytest.fixture
def other_department(world):
    return DepartmentFactory(
        organisation=world.other_organisation,
        slug="sweeping",
        name_ar="الكنس",
        name_fr="Balayage",
    )


@pytest.fixture
def partner_key(world, org_admin, org_admin_membership):
    return apikey_issue(
        actor=Actor(user=org_admin, membership=org_admin_membership),
        organisation=world.organisation,
        name="Lighting contractor",
        scopes=["read"],
    ).api_key


@pytest.fixture
def admin_client(client, org_admin):
    return log_in_verified(client, org_admin)


def _events(action: str | None = None, **filters) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(**filters)
    if action:
        events = events.filter(action=action)
    return list(events)


def _png(size=(300, 200), colour="navy", exif=True) -> bytes:
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[ExifTags.Base.Make] = "SecretCamera"
        extra["exif"] = tags
    image.save(buffer, "PNG", **extra)
    return buffer.getvalue()


# --- Mounting and the staff home -----------------------------------------------------


def test_the_staff_area_is_mounted_under_the_language_prefix():
    assert url("home", language="ar") == "/ar/staff/"
    assert url("organisation", "north", language="fr") == "/fr/staff/o/north/"


def test_the_staff_home_lists_an_admins_roles_with_a_link_to_manage(
    client, world, org_admin, org_admin_membership
):
    MembershipFactory(
        user=org_admin,
        organisation=world.other_organisation,
        role=Role.AGENT,
        territories=[world.commune],
    )
    log_in_verified(client, org_admin)

    response = client.get(url("home"))

    assert response.status_code == 200
    page = response.text
    assert "Commune de Nord" in page and "Société de propreté" in page
    assert "Nord" in page  # the agent role's area
    assert url("organisation", "north") in page
    # An agent's role elsewhere is listed, with its area, but gives no management link.
    assert url("organisation", "clean-co") not in page
    assert "Organisation admin" in page and "Agent" in page


def test_the_staff_home_shows_an_agents_area_limits_and_no_management_link(
    client, world, other_area_agent
):
    log_in_verified(client, other_area_agent)

    response = client.get(url("home"))

    assert response.status_code == 200
    # English pages fall back to the French names.
    assert "Nord-Ouest" in response.text
    assert "The whole territory" not in response.text
    assert "/staff/o/" not in response.text


def test_the_staff_home_lists_every_organisation_for_a_platform_admin(
    client, world, platform_admin
):
    log_in_verified(client, platform_admin)

    response = client.get(url("home"))

    assert response.status_code == 200
    assert url("organisation", "north") in response.text
    assert url("organisation", "clean-co") in response.text


def test_the_staff_home_refuses_a_citizen(client, citizen):
    log_in_verified(client, citizen)

    assert client.get(url("home")).status_code == 403


def test_the_staff_home_sends_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(url("home"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_staff_home_asks_for_the_second_factor(client, agent):
    client.force_login(agent)

    response = client.get(url("home"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_header_links_staff_to_the_staff_area_and_admins_to_the_audit_log(
    client, org_admin, agent
):
    log_in_verified(client, agent)
    page = client.get(url("home")).text
    assert 'href="/en/staff/"' in page
    assert 'href="/en/audit/"' not in page

    log_in_verified(client, org_admin)
    page = client.get(url("home")).text
    assert 'href="/en/staff/"' in page
    assert 'href="/en/audit/"' in page


def test_the_header_gives_a_citizen_no_staff_link(client, world, citizen):
    client.force_login(citizen)

    page = client.get(reverse("organisations:list")).text

    assert "/staff/" not in page


# --- Every page renders for the admin, in Arabic and French ---------------------------

PAGES = [
    ("organisation", ()),
    ("members", ()),
    ("member_add", ()),
    ("departments", ()),
    ("department_edit", ("department",)),
    ("profile", ()),
    ("api_keys", ()),
]


@pytest.mark.parametrize("language", ["ar", "fr"])
@pytest.mark.parametrize(("name", "extra"), PAGES)
def test_each_management_page_renders_for_the_admin(
    admin_client, world, department, agent, partner_key, language, name, extra
):
    args = ["north", *(department.pk for _ in extra)]

    response = admin_client.get(url(name, *args, language=language))

    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in response.text
    expected_name = "جماعة الشمال" if language == "ar" else "Commune de Nord"
    assert expected_name in response.text
    # Staff pages are never kept by a browser or a proxy.
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_staff_home_renders_in_arabic_and_french(admin_client, language):
    response = admin_client.get(url("home", language=language))

    assert response.status_code == 200
    assert f'lang="{language}"' in response.text


def test_a_platform_admin_may_manage_any_organisation(client, world, platform_admin):
    log_in_verified(client, platform_admin)

    assert client.get(url("organisation", "clean-co")).status_code == 200
    response = client.post(
        url("departments", "clean-co"),
        {"name_ar": "الكنس", "name_fr": "Balayage", "slug": "sweeping"},
    )

    assert response.status_code == 302
    department = Department.objects.get(organisation=world.other_organisation, slug="sweeping")
    (event,) = _events(AuditEvent.Action.CREATE, target_id=str(department.pk))
    assert event.actor == platform_admin
    assert event.membership is None


def test_an_unknown_organisation_is_a_404(admin_client, world):
    assert admin_client.get(url("organisation", "nowhere")).status_code == 404


# --- Refusals: every page and every POST ----------------------------------------------


@pytest.fixture
def targets(world, department, agent_membership, partner_key):
    """Every URL of the organisation's management, and a valid POST for each write."""
    slug = world.organisation.slug
    return {
        "get": [
            url("organisation", slug),
            url("members", slug),
            url("member_add", slug),
            url("departments", slug),
            url("department_edit", slug, department.pk),
            url("profile", slug),
            url("api_keys", slug),
        ],
        "post": [
            (
                url("member_add", slug),
                {"identifier": "intruder@example.ma", "create_account": "on", "role": "org_admin"},
            ),
            (url("member_deactivate", slug, agent_membership.pk), {}),
            (url("departments", slug), {"name_ar": "قسم", "name_fr": "Intrus", "slug": "intrus"}),
            (url("department_edit", slug, department.pk), {"name_ar": "x", "name_fr": "Piraté"}),
            (
                url("profile", slug),
                {"name_ar": "مخترق", "name_fr": "Piraté", "primary_color": "#ff0000"},
            ),
            (url("api_keys", slug), {"name": "Stolen", "scopes": ["read", "write"]}),
            (url("api_key_revoke", slug, partner_key.pk), {}),
        ],
    }


def _state(world, agent_membership, partner_key, department):
    world.organisation.refresh_from_db()
    agent_membership.refresh_from_db()
    partner_key.refresh_from_db()
    department.refresh_from_db()
    return (
        AuditEvent.objects.count(),
        Membership.objects.count(),
        Department.objects.count(),
        ApiKey.objects.count(),
        world.organisation.name_fr,
        world.organisation.primary_color,
        agent_membership.is_active,
        partner_key.revoked_at,
        department.name_fr,
        len(mail.outbox),
    )


REFUSED = {
    # Staff who may not administer this organisation do not learn that it can be managed.
    "agent": {404},
    "other_org_admin": {404},
    "other_org_agent": {404},
    "citizen": {403},
    "anonymous": {302},
}


@pytest.mark.parametrize("persona", sorted(REFUSED))
def test_it_refuses_everybody_but_the_organisations_admins_on_every_page_and_post(
    request, client, world, targets, agent_membership, partner_key, department, persona
):
    if persona != "anonymous":
        log_in_verified(client, request.getfixturevalue(persona))
    before = _state(world, agent_membership, partner_key, department)

    for page in targets["get"]:
        response = client.get(page)
        assert response.status_code in REFUSED[persona], (persona, page)
        if persona == "anonymous":
            assert "/login/" in response["Location"]
    for page, data in targets["post"]:
        response = client.post(page, data)
        assert response.status_code in REFUSED[persona], (persona, page)

    assert _state(world, agent_membership, partner_key, department) == before


def test_an_admin_who_gave_only_a_password_is_asked_for_the_second_factor(
    client, world, org_admin, targets
):
    client.force_login(org_admin)

    for page in targets["get"]:
        response = client.get(page)
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    count = AuditEvent.objects.count()
    for page, data in targets["post"]:
        assert client.post(page, data).status_code == 302
    assert AuditEvent.objects.count() == count


# --- Members ------------------------------------------------------------------------


def test_the_member_list_shows_role_department_area_and_status(
    admin_client, world, agent, other_area_agent, department
):
    ended = MembershipFactory(
        user=StaffUserFactory(email="former@north.ma", full_name="Ancien Agent"),
        organisation=world.organisation,
        role=Role.MODERATOR,
        is_active=False,
    )

    response = admin_client.get(url("members", "north"))

    page = response.text
    assert "agent@north.ma" in page
    assert "west-agent@north.ma" in page
    assert department.name in page
    assert world.other_district.name in page
    assert "Ended" in page
    assert ended.user.full_name in page
    assert url("member_deactivate", "north", ended.pk) not in page
    # Another organisation's staff are not listed.
    assert "agent@clean-co.ma" not in page


@pytest.mark.parametrize("members", [2, 20])
def test_the_member_list_costs_the_same_queries_with_2_or_20_members(
    admin_client, world, department, members, django_assert_num_queries
):
    for index in range(members - 1):  # the admin is the first member
        MembershipFactory(
            user=StaffUserFactory(email=f"member{index}@north.ma"),
            organisation=world.organisation,
            department=department,
            role=Role.AGENT,
            territories=[world.district] if index % 2 else [],
        )
    assert Membership.objects.filter(organisation=world.organisation).count() == members

    # Session, user, organisation, admin membership, header menu, members, their territories.
    with django_assert_num_queries(7):
        response = admin_client.get(url("members", "north"))

    assert response.status_code == 200
    assert response.text.count("@north.ma") >= members


def test_an_admin_adds_an_existing_account_by_e_mail(
    admin_client, world, org_admin, department, org_admin_membership
):
    person = UserFactory(email="person@example.ma")

    response = admin_client.post(
        url("member_add", "north"),
        {
            "identifier": "  Person@Example.ma ",
            "role": Role.DEPARTMENT_HEAD,
            "department": department.pk,
            "territories": [world.district.pk],
        },
        follow=True,
    )

    membership = Membership.objects.get(user=person, organisation=world.organisation)
    assert membership.role == Role.DEPARTMENT_HEAD
    assert membership.department == department
    assert list(membership.territories.all()) == [world.district]
    person.refresh_from_db()
    assert person.is_staff
    (event,) = _events(AuditEvent.Action.CREATE, target_id=str(membership.pk))
    assert event.actor == org_admin
    assert event.membership == org_admin_membership
    assert event.organisation == world.organisation
    assert "is now Department head here" in response.text
    # The account had a password: no e-mail is sent.
    assert mail.outbox == []


def test_an_admin_adds_an_existing_staff_account_by_mobile_number(admin_client, world):
    person = StaffUserFactory(email=None, phone="+212612345678", username="+212612345678")

    response = admin_client.post(
        url("member_add", "north"), {"identifier": "06 12 34 56 78", "role": Role.REVIEWER}
    )

    assert response.status_code == 302
    assert Membership.objects.filter(
        user=person, organisation=world.organisation, role=Role.REVIEWER, is_active=True
    ).exists()


def test_an_admin_creates_a_staff_account_that_sets_its_password_through_the_e_mailed_link(
    admin_client, client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("member_add", "north"),
            {
                "identifier": "new.agent@north.ma",
                "create_account": "on",
                "full_name": "Salma Idrissi",
                "role": Role.AGENT,
            },
            follow=True,
        )

    user = Membership.objects.get(organisation=world.organisation, role=Role.AGENT).user
    assert user.username == "new.agent@north.ma"
    assert user.full_name == "Salma Idrissi"
    assert user.is_staff
    assert not user.has_usable_password()
    assert _events(AuditEvent.Action.CREATE, target_type="accounts.user", target_id=str(user.pk))
    assert "A link to choose a password was sent to new.agent@north.ma" in response.text

    (message,) = mail.outbox
    assert message.to == ["new.agent@north.ma"]
    link = re.search(r"https?://\S+(/en/accounts/password-reset/\S+/\S+/)", message.body)
    assert link, message.body
    # Django's own password reset view accepts the token and lets the person choose a password.
    set_password_page = client.get(link.group(1), follow=True)
    assert set_password_page.status_code == 200
    new_password = "a long new password 2026"
    client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_it_does_not_create_an_account_unless_asked(admin_client, world):
    response = admin_client.post(
        url("member_add", "north"), {"identifier": "typo@nort.ma", "role": Role.AGENT}
    )

    assert response.status_code == 200
    assert "No account has this e-mail address or mobile number" in response.text
    # What was typed is kept.
    assert 'value="typo@nort.ma"' in response.text
    assert not Membership.objects.filter(user__username="typo@nort.ma").exists()


def test_a_new_account_needs_an_e_mail_address(admin_client, world):
    response = admin_client.post(
        url("member_add", "north"),
        {"identifier": "0612345678", "create_account": "on", "role": Role.AGENT},
    )

    assert response.status_code == 200
    assert "A new staff account needs an e-mail address" in response.text
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("person@", "Enter an e-mail address (name@example.ma) or a Moroccan mobile number"),
        ("05 39 12 34 56", "Enter a Moroccan mobile number"),
    ],
)
def test_it_explains_a_malformed_address(admin_client, world, identifier, message):
    response = admin_client.post(
        url("member_add", "north"), {"identifier": identifier, "role": Role.AGENT}
    )

    assert response.status_code == 200
    assert message in response.text
    assert 'aria-invalid="true"' in response.text and "is-invalid" in response.text


def test_a_department_of_another_organisation_cannot_be_attached(
    admin_client, world, other_department, agent
):
    person = UserFactory(email="person@example.ma")
    count = AuditEvent.objects.count()

    response = admin_client.post(
        url("member_add", "north"),
        {"identifier": person.email, "role": Role.AGENT, "department": other_department.pk},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Membership.objects.filter(user=person).exists()
    assert AuditEvent.objects.count() == count


def test_the_add_form_offers_only_this_organisations_departments_and_areas(
    admin_client, world, department, other_department
):
    response = admin_client.get(url("member_add", "north"))

    page = response.text
    assert f'value="{department.pk}"' in page
    assert f'value="{other_department.pk}"' not in page
    assert f'value="{world.district.pk}"' in page
    # The other commune is outside the organisation's territory.
    assert f'value="{world.other_commune.pk}"' not in page


def test_a_territory_outside_the_organisation_cannot_be_chosen(admin_client, world):
    person = UserFactory(email="person@example.ma")

    response = admin_client.post(
        url("member_add", "north"),
        {"identifier": person.email, "role": Role.AGENT, "territories": [world.other_commune.pk]},
    )

    assert response.status_code == 200
    assert not Membership.objects.filter(user=person).exists()


def test_it_refuses_a_role_the_person_already_has(admin_client, world, agent, department):
    response = admin_client.post(
        url("member_add", "north"),
        {"identifier": agent.email, "role": Role.AGENT, "department": department.pk},
    )

    assert response.status_code == 200
    assert "already has this role here" in response.text
    assert Membership.objects.filter(user=agent).count() == 1


def test_an_admin_ends_a_role_and_may_give_it_back(
    admin_client, world, agent, agent_membership, department
):
    response = admin_client.post(
        url("member_deactivate", "north", agent_membership.pk), follow=True
    )

    agent_membership.refresh_from_db()
    assert not agent_membership.is_active
    assert _events(AuditEvent.Action.UPDATE, target_id=str(agent_membership.pk))
    assert "no longer has the role Agent here" in response.text

    admin_client.post(
        url("member_add", "north"),
        {"identifier": agent.email, "role": Role.AGENT, "department": department.pk},
    )
    agent_membership.refresh_from_db()
    assert agent_membership.is_active
    assert Membership.objects.filter(user=agent).count() == 1


def test_an_admin_cannot_end_a_role_in_another_organisation(
    admin_client, world, other_org_agent_membership
):
    response = admin_client.post(url("member_deactivate", "north", other_org_agent_membership.pk))

    assert response.status_code == 404
    other_org_agent_membership.refresh_from_db()
    assert other_org_agent_membership.is_active


def test_ending_a_role_is_a_post(admin_client, agent_membership):
    assert (
        admin_client.get(url("member_deactivate", "north", agent_membership.pk)).status_code == 405
    )


# --- Departments --------------------------------------------------------------------


def test_an_admin_adds_a_department_in_four_languages(admin_client, world, org_admin):
    response = admin_client.post(
        url("departments", "north"),
        {
            "name_ar": "المساحات الخضراء",
            "name_fr": "Espaces verts",
            "name_en": "Green spaces",
            "name_zgh": "ⵉⵙⵓⵔⴰⴼ ⵉⴷⴰⵍⵏ",
            "slug": "",
        },
        follow=True,
    )

    department = Department.objects.get(organisation=world.organisation)
    assert department.slug == "espaces-verts"
    assert (department.name_ar, department.name_en, department.name_zgh) == (
        "المساحات الخضراء",
        "Green spaces",
        "ⵉⵙⵓⵔⴰⴼ ⵉⴷⴰⵍⵏ",
    )
    (event,) = _events(AuditEvent.Action.CREATE, target_id=str(department.pk))
    assert event.actor == org_admin
    assert "was added" in response.text


def test_a_department_needs_arabic_and_french_names_and_keeps_what_was_typed(admin_client, world):
    response = admin_client.post(
        url("departments", "north"), {"name_fr": "Voirie", "name_en": "Roads"}
    )

    assert response.status_code == 200
    assert "This field is required" in response.text
    assert 'value="Voirie"' in response.text and 'value="Roads"' in response.text
    assert not Department.objects.filter(organisation=world.organisation).exists()


def test_two_departments_cannot_share_an_identifier(admin_client, world, department):
    response = admin_client.post(
        url("departments", "north"),
        {"name_ar": "إنارة", "name_fr": "Éclairage", "slug": department.slug},
    )

    assert response.status_code == 200
    assert "already uses" in response.text
    assert Department.objects.filter(organisation=world.organisation).count() == 1


def test_the_same_identifier_may_be_used_by_another_organisation(
    admin_client, world, other_department
):
    response = admin_client.post(
        url("departments", "north"),
        {"name_ar": "الكنس", "name_fr": "Balayage", "slug": other_department.slug},
    )

    assert response.status_code == 302
    assert Department.objects.filter(slug=other_department.slug).count() == 2


def test_an_admin_renames_a_department(admin_client, world, department):
    response = admin_client.post(
        url("department_edit", "north", department.pk),
        {"name_ar": "الإنارة", "name_fr": "Éclairage", "name_en": "Lighting", "name_zgh": ""},
        follow=True,
    )

    department.refresh_from_db()
    assert (department.name_ar, department.name_fr, department.name_en) == (
        "الإنارة",
        "Éclairage",
        "Lighting",
    )
    (event,) = _events(AuditEvent.Action.UPDATE, target_id=str(department.pk))
    assert sorted(event.changes["fields"]) == ["name_ar", "name_en", "name_fr"]
    assert "was renamed" in response.text


def test_renaming_to_the_same_names_writes_nothing(admin_client, department):
    count = AuditEvent.objects.count()

    response = admin_client.post(
        url("department_edit", "north", department.pk),
        {"name_ar": department.name_ar, "name_fr": department.name_fr},
        follow=True,
    )

    assert "Nothing was changed" in response.text
    assert AuditEvent.objects.count() == count


def test_an_admin_cannot_rename_another_organisations_department(admin_client, other_department):
    response = admin_client.post(
        url("department_edit", "north", other_department.pk),
        {"name_ar": "x", "name_fr": "Piraté"},
    )

    assert response.status_code == 404
    other_department.refresh_from_db()
    assert other_department.name_fr == "Balayage"


# --- Profile ------------------------------------------------------------------------


def _profile(**overrides) -> dict:
    data = {
        "name_ar": "جماعة الشمال",
        "name_fr": "Commune de Nord",
        "name_en": "North commune",
        "name_zgh": "",
        "description_ar": "جماعة حضرية.",
        "description_fr": "Une commune urbaine.",
        "description_en": "",
        "description_zgh": "",
        "primary_color": "#0b6e4f",
        "website": "https://north.ma",
        "email": "contact@north.ma",
        "phone": "05 39 12 34 56",
        "address": "Avenue Mohammed V",
    }
    data.update(overrides)
    return data


def test_an_admin_updates_the_profile_and_the_audit_row_lists_the_changed_fields(
    admin_client, world, org_admin
):
    response = admin_client.post(
        url("profile", "north"), _profile(primary_color="#8A1538"), follow=True
    )

    organisation = Organisation.objects.get(pk=world.organisation.pk)
    assert organisation.name_en == "North commune"
    assert organisation.description_fr == "Une commune urbaine."
    assert organisation.primary_color == "#8a1538"
    assert organisation.website == "https://north.ma"
    assert organisation.phone == "05 39 12 34 56"
    (event,) = _events(AuditEvent.Action.UPDATE, target_type="organisations.organisation")
    assert event.actor == org_admin
    assert set(event.changes["fields"]) == {
        "name_en",
        "description_ar",
        "description_fr",
        "primary_color",
        "website",
        "email",
        "phone",
        "address",
    }
    assert "profile was saved" in response.text


def test_the_profile_refuses_a_bad_colour_and_keeps_what_was_typed(admin_client, world):
    response = admin_client.post(
        url("profile", "north"), _profile(primary_color="green", address="Rue des Fleurs")
    )

    assert response.status_code == 200
    assert "six hexadecimal digits" in response.text
    assert 'value="Rue des Fleurs"' in response.text
    world.organisation.refresh_from_db()
    assert world.organisation.address == ""
    assert not _events(target_type="organisations.organisation")


def test_the_profile_refuses_a_bad_phone_and_a_bad_e_mail(admin_client, world):
    response = admin_client.post(
        url("profile", "north"), _profile(phone="call us", email="contact at north")
    )

    assert response.status_code == 200
    assert "Enter a phone number" in response.text
    assert "Enter a valid email address" in response.text


def test_the_profile_needs_arabic_and_french_names(admin_client, world):
    response = admin_client.post(url("profile", "north"), _profile(name_ar=""))

    assert response.status_code == 200
    world.organisation.refresh_from_db()
    assert world.organisation.name_ar == "جماعة الشمال"


def test_a_colour_too_light_for_text_is_kept_and_its_darker_text_shade_is_explained(
    admin_client, world
):
    response = admin_client.post(
        url("profile", "north"), _profile(primary_color="#ffd700"), follow=True
    )

    world.organisation.refresh_from_db()
    assert world.organisation.primary_color == "#ffd700"
    assert "too light to be read as text on white" in response.text


def test_an_unchanged_profile_writes_nothing(admin_client, world):
    admin_client.post(url("profile", "north"), _profile())
    count = AuditEvent.objects.count()

    response = admin_client.post(url("profile", "north"), _profile(), follow=True)

    assert "Nothing was changed" in response.text
    assert AuditEvent.objects.count() == count


def test_a_logo_is_checked_and_re_encoded_without_its_metadata(
    admin_client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../logo.png", _png(size=(1200, 800)), content_type="image/png")

    response = admin_client.post(url("profile", "north"), {**_profile(), "logo": upload})

    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=world.organisation.pk)
    assert organisation.logo.name.startswith("organisations/logos/")
    assert "logo.png" not in organisation.logo.name
    with Image.open(organisation.logo.path) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) == 512
        assert not stored.getexif()
    (event,) = _events(AuditEvent.Action.UPDATE, target_type="organisations.organisation")
    assert "logo" in event.changes["fields"]

    # Replacing it deletes the old file once the change is committed.
    old_path = organisation.logo.path
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url("profile", "north"),
            {**_profile(), "logo": SimpleUploadedFile("new.png", _png(colour="red"))},
        )
    organisation.refresh_from_db()
    assert organisation.logo.path != old_path
    assert not (tmp_path / old_path).exists()


def test_a_file_that_is_not_an_image_is_refused_as_a_logo(admin_client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")

    response = admin_client.post(url("profile", "north"), {**_profile(), "logo": fake})

    assert response.status_code == 200
    assert "This type of file is not accepted" in response.text
    world.organisation.refresh_from_db()
    assert not world.organisation.logo
    assert list(tmp_path.iterdir()) == []


def test_an_admin_removes_the_logo(admin_client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin_client.post(
        url("profile", "north"), {**_profile(), "logo": SimpleUploadedFile("l.png", _png())}
    )

    admin_client.post(url("profile", "north"), {**_profile(), "remove_logo": "on"})

    world.organisation.refresh_from_db()
    assert not world.organisation.logo


# --- API keys -----------------------------------------------------------------------


def test_an_issued_key_is_shown_once_and_only_its_hash_is_stored(admin_client, world, org_admin):
    response = admin_client.post(
        url("api_keys", "north"),
        {"name": "Lighting contractor", "scopes": ["read", "open311"]},
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw_key = re.search(r'value="(jmt_[0-9a-f]{12}_[A-Za-z0-9_-]+)"', response.text).group(1)
    api_key = ApiKey.objects.get(organisation=world.organisation)
    assert api_key.kind == ApiKey.Kind.PARTNER
    assert api_key.scopes == ["open311", "read"]
    assert raw_key.startswith(f"jmt_{api_key.prefix}_")
    assert raw_key not in api_key.secret_hash
    (event,) = _events(AuditEvent.Action.ISSUE, target_id=str(api_key.pk))
    assert event.actor == org_admin

    # Never again: not on the list, not on the next page.
    listing = admin_client.get(url("api_keys", "north"))
    assert raw_key not in listing.text
    assert api_key.prefix in listing.text
    assert "Lighting contractor" in listing.text
    assert "Never" in listing.text


def test_issuing_a_key_needs_a_name_and_a_scope(admin_client, world):
    response = admin_client.post(url("api_keys", "north"), {"name": "", "scopes": []})

    assert response.status_code == 200
    assert response.text.count("This field is required") == 2
    assert not ApiKey.objects.exists()


def test_a_key_cannot_expire_in_the_past(admin_client, world):
    response = admin_client.post(
        url("api_keys", "north"),
        {"name": "Old app", "scopes": ["read"], "expires_on": "2000-01-01"},
    )

    assert response.status_code == 200
    assert "must be in the future" in response.text
    assert 'value="Old app"' in response.text
    assert not ApiKey.objects.exists()


def test_an_admin_revokes_a_key(admin_client, partner_key, org_admin):
    response = admin_client.post(url("api_key_revoke", "north", partner_key.pk), follow=True)

    partner_key.refresh_from_db()
    assert partner_key.revoked_at is not None
    assert partner_key.revoked_by == org_admin
    assert _events(AuditEvent.Action.REVOKE, target_id=str(partner_key.pk))
    assert "was revoked" in response.text
    assert "Revoked on" in response.text


def test_an_admin_cannot_revoke_another_organisations_key_or_a_staff_token(
    admin_client, world, other_org_admin, agent, agent_membership
):
    theirs = apikey_issue(
        actor=Actor(user=other_org_admin),
        organisation=world.other_organisation,
        name="Their app",
        scopes=["read"],
    ).api_key
    staff_token = apikey_issue(
        actor=Actor(user=agent), user=agent, name="My script", scopes=["read"]
    ).api_key

    for api_key in (theirs, staff_token):
        response = admin_client.post(url("api_key_revoke", "north", api_key.pk))
        assert response.status_code == 404
        api_key.refresh_from_db()
        assert api_key.revoked_at is None


def test_the_key_list_shows_only_this_organisations_partner_keys(
    admin_client, world, other_org_admin, partner_key
):
    apikey_issue(
        actor=Actor(user=other_org_admin),
        organisation=world.other_organisation,
        name="Their app",
        scopes=["read"],
    )

    page = admin_client.get(url("api_keys", "north")).text

    assert "Lighting contractor" in page
    assert "Their app" not in page
