"""The form builder's reads: which procedures an admin builds forms for, and a form's versions.

The scoping is the domain's: `selectors.procedure_get_for_admin` answers 404 to anybody who
does not administer the procedure's organisation (platform admins administer every one).
"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Organisation
from jamaati.procedures import selectors
from jamaati.procedures.models import Form, FormVersion, Procedure


def builder_organisations(*, user) -> QuerySet[Organisation]:
    """The organisations whose forms `user` builds: those they administer (platform admins: every
    organisation with a procedure)."""
    if org_permissions.is_platform_admin(user):
        queryset = Organisation.objects.filter(procedures__isnull=False)
    else:
        queryset = Organisation.objects.filter(
            memberships__in=org_permissions.active_memberships(user).filter(
                role__in=org_permissions.ADMIN_ROLES
            )
        )
    return queryset.distinct().order_by("slug")


def builder_procedures(*, user, organisations) -> list[Procedure]:
    """The procedures of these organisations that `user` administers, with their form, its
    current version, and how many versions and applications (drafts included) each has."""
    allowed = [
        organisation
        for organisation in organisations
        if org_permissions.organisation_can_administer(user=user, organisation=organisation)
    ]
    return list(
        Procedure.objects.filter(organisation__in=allowed)
        .select_related("organisation", "form", "form__current_version")
        .annotate(
            version_count=Count("form__versions", distinct=True),
            application_count=Count("applications", distinct=True),
        )
        .order_by("organisation__slug", "position", "slug")
    )


def builder_form_get(*, user, pk: int) -> tuple[Procedure, Form]:
    """The procedure `pk` and its form, for one of its organisation's admins; 404 otherwise."""
    procedure = selectors.procedure_get_for_admin(user=user, pk=pk)
    return procedure, selectors.procedure_form(procedure=procedure)


def form_versions(*, form: Form) -> QuerySet[FormVersion]:
    """Every published version of a form, newest first, with how many applications use each."""
    return (
        FormVersion.objects.filter(form=form)
        .select_related("published_by")
        .annotate(application_count=Count("applications"))
        .order_by("-number")
    )


def form_version_get(*, form: Form, number: int) -> FormVersion:
    return get_object_or_404(FormVersion, form=form, number=number)


def procedure_document_choices(*, procedure: Procedure) -> list[tuple[str, str]]:
    """The procedure's listed documents (law 55-19) as (code, name) pairs, for a file field."""
    return [
        (row.document.code, row.document.name)
        for row in selectors.procedure_documents(procedure=procedure)
    ]
