"""The staff workspace and the organisation admin's pages.

Every view is three steps: authorise-and-fetch in one selector call
(`organisation_get_for_admin` answers 404 to anybody who does not administer
the organisation), one service call for a write, then render or redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jamaati.accounts.decorators import staff_member_verified_required
from jamaati.apikeys.services import apikey_issue, apikey_revoke
from jamaati.core.actors import Actor
from jamaati.organisations import permissions, selectors, services
from jamaati.organisations.branding import brand_palette
from jamaati.organisations.forms import (
    ApiKeyIssueForm,
    DepartmentForm,
    MemberAddForm,
    OrganisationProfileForm,
)
from jamaati.organisations.models import Organisation

ORGANISATIONS_PER_PAGE = 50


def _add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, next to the field it concerns when there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _crumbs(organisation: Organisation | None = None, *pages: tuple[str, str]) -> list[dict]:
    items = [
        {"url": reverse("home"), "label": _("Home")},
        {"url": reverse("staff:home"), "label": _("Staff area")},
    ]
    if organisation is not None:
        items.append(
            {
                "url": reverse("staff:organisation", args=[organisation.slug]),
                "label": organisation.name,
            }
        )
    items.extend({"url": url, "label": label} for url, label in pages)
    return items


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


# --- Staff home -------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    organisations = None
    if permissions.is_platform_admin(request.user):
        organisations = Paginator(
            selectors.organisations_for_platform_admin(), ORGANISATIONS_PER_PAGE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/staff/home.html",
        {
            "memberships": selectors.staff_home_memberships(user=request.user),
            "organisations": organisations,
            "breadcrumbs": [
                {"url": reverse("home"), "label": _("Home")},
                {"url": "", "label": _("Staff area")},
            ],
        },
    )


# --- One organisation ----------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_GET
def organisation_overview(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    return render(
        request,
        "organisations/staff/organisation.html",
        {
            "organisation": organisation,
            "summary": selectors.organisation_admin_summary(organisation=organisation),
            "section": "overview",
            "breadcrumbs": _crumbs(organisation),
        },
    )


@never_cache
@staff_member_verified_required
@require_GET
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    return render(
        request,
        "organisations/staff/members.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation=organisation),
            "section": "members",
            "breadcrumbs": _crumbs(organisation, ("", _("Members"))),
        },
    )


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    form = MemberAddForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.membership_add(
                actor=Actor.from_request(request, membership=membership),
                organisation=organisation,
                identifier=form.cleaned_data["identifier"],
                role=form.cleaned_data["role"],
                department=form.cleaned_data["department"],
                territories=form.cleaned_data["territories"],
                create_account=form.cleaned_data["create_account"],
                full_name=form.cleaned_data["full_name"],
                language=get_language(),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            user = added.membership.user
            messages.success(
                request,
                _("%(person)s is now %(role)s here.")
                % {"person": user, "role": added.membership.get_role_display()},
            )
            if added.password_link_sent:
                messages.info(
                    request,
                    _("A link to choose a password was sent to %(email)s.") % {"email": user.email},
                )
            return redirect("staff:members", slug=organisation.slug)
    return render(
        request,
        "organisations/staff/member_add.html",
        {
            "organisation": organisation,
            "form": form,
            "section": "members",
            "breadcrumbs": _crumbs(
                organisation,
                (reverse("staff:members", args=[organisation.slug]), _("Members")),
                ("", _("Add a member")),
            ),
        },
    )


@staff_member_verified_required
@require_POST
def member_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    member = selectors.organisation_membership_get(organisation=organisation, pk=pk)
    if member.is_active:
        services.membership_deactivate(
            actor=Actor.from_request(request, membership=membership), membership=member
        )
    messages.success(
        request,
        _("%(person)s no longer has the role %(role)s here.")
        % {"person": member.user, "role": member.get_role_display()},
    )
    return redirect("staff:members", slug=organisation.slug)


# --- Departments -------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def department_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The departments, and the form that adds one."""
    organisation, membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    form = DepartmentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(
                actor=Actor.from_request(request, membership=membership),
                organisation=organisation,
                slug=form.cleaned_data["slug"],
                names=form.translated_values("name"),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("The department %(name)s was added.") % {"name": department.name}
            )
            return redirect("staff:departments", slug=organisation.slug)
    return render(
        request,
        "organisations/staff/departments.html",
        {
            "organisation": organisation,
            "departments": selectors.organisation_departments(organisation=organisation),
            "form": form,
            "section": "departments",
            "breadcrumbs": _crumbs(organisation, ("", _("Departments"))),
        },
    )


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    department = selectors.organisation_department_get(organisation=organisation, pk=pk)
    form = DepartmentForm(
        request.POST or None,
        organisation=organisation,
        with_slug=False,
        initial=DepartmentForm.initial_for(department),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.department_rename(
                actor=Actor.from_request(request, membership=membership),
                department=department,
                names=form.translated_values("name"),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if changed:
                messages.success(
                    request, _("The department %(name)s was renamed.") % {"name": department.name}
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("staff:departments", slug=organisation.slug)
    return render(
        request,
        "organisations/staff/department_edit.html",
        {
            "organisation": organisation,
            "department": department,
            "form": form,
            "section": "departments",
            "breadcrumbs": _crumbs(
                organisation,
                (reverse("staff:departments", args=[organisation.slug]), _("Departments")),
                ("", department.name),
            ),
        },
    )


# --- Profile -----------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def organisation_profile(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    form = OrganisationProfileForm(
        request.POST or None,
        request.FILES or None,
        initial=OrganisationProfileForm.initial_for(organisation),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.organisation_update_profile(
                actor=Actor.from_request(request, membership=membership),
                organisation=organisation,
                names=form.translated_values("name"),
                descriptions=form.translated_values("description"),
                primary_color=data["primary_color"],
                website=data["website"],
                email=data["email"],
                phone=data["phone"],
                address=data["address"],
                logo=data["logo"],
                remove_logo=data["remove_logo"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The organisation's profile was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            palette = brand_palette(organisation.primary_color)
            if "primary_color" in changed and palette.brand_text != palette.brand:
                messages.info(
                    request,
                    _(
                        "This colour is too light to be read as text on white: pages use a darker "
                        "shade of it, %(colour)s, for text."
                    )
                    % {"colour": _hex(palette.brand_text)},
                )
            return redirect("staff:profile", slug=organisation.slug)
    palette = brand_palette(organisation.primary_color)
    return render(
        request,
        "organisations/staff/profile.html",
        {
            "organisation": organisation,
            "form": form,
            "palette": {
                "brand": _hex(palette.brand),
                "on_brand": _hex(palette.on_brand),
                "brand_text": _hex(palette.brand_text),
            },
            "section": "profile",
            "breadcrumbs": _crumbs(organisation, ("", _("Profile"))),
        },
    )


# --- API keys ----------------------------------------------------------------------


@never_cache
@staff_member_verified_required
@require_http_methods(["GET", "POST"])
def api_key_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The partner application keys, and the form that issues one.

    A new key is shown once, on the page that answers the form, and never
    again: only its hash is stored. That page is not cached (never_cache).
    """
    organisation, membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    form = ApiKeyIssueForm(request.POST or None)
    breadcrumbs = _crumbs(organisation, ("", _("API keys")))
    if request.method == "POST" and form.is_valid():
        try:
            issued = apikey_issue(
                actor=Actor.from_request(request, membership=membership),
                organisation=organisation,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("The key %(name)s was issued.") % {"name": issued.api_key.name}
            )
            return render(
                request,
                "organisations/staff/api_key_issued.html",
                {
                    "organisation": organisation,
                    "api_key": issued.api_key,
                    "raw_key": issued.raw_key,
                    "section": "api_keys",
                    "breadcrumbs": breadcrumbs,
                },
            )
    return render(
        request,
        "organisations/staff/api_keys.html",
        {
            "organisation": organisation,
            "api_keys": selectors.organisation_api_keys(organisation=organisation),
            "form": form,
            "section": "api_keys",
            "breadcrumbs": breadcrumbs,
        },
    )


@staff_member_verified_required
@require_POST
def api_key_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, membership = selectors.organisation_get_for_admin(user=request.user, slug=slug)
    api_key = selectors.organisation_api_key_get(organisation=organisation, pk=pk)
    apikey_revoke(actor=Actor.from_request(request, membership=membership), api_key=api_key)
    messages.success(request, _("The key %(name)s was revoked.") % {"name": api_key.name})
    return redirect("staff:api_keys", slug=organisation.slug)
