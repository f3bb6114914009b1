"""Every read of e-services, and the scoping of staff reads (permissions.py holds the rules).

For the page and API engineers, the selectors to call:

Public catalogue
    procedures_public(query="", organisation=None) → published procedures, searched in ar/fr
    procedure_get_public(organisation_slug, slug) → Procedure (404 when unpublished)
    procedure_documents(procedure) → its ProcedureDocument rows (catalogue documents)
    procedure_form_version(procedure) → the published FormVersion new applications use, or None

Applicant
    applications_of_citizen(user) → their applications, newest first
    application_get_for_citizen(user, reference) → Application (404 for anybody else)
    public_timeline(application) → the history lines the applicant sees
    application_messages(application) → messages with attachments
    application_current_documents(application) → files given (not replaced)
    application_issued_documents(application) → receipts and decisions

Staff
    applications_for_staff(user, status=None, procedure=None, overdue=None, query="")
    application_get_for_staff(user, pk, write=False) → (Application, Membership | None)
    staff_timeline(application) → every history line
    staff_notes(application, membership) → private notes (owning organisation only; else empty)
    application_opinions(application) → opinion requests
    opinions_for_reviewer(user) → open opinion requests the user may answer
    opinion_get_for_reviewer(user, pk) → (OpinionRequest, Membership)
    overdue_for_staff(user) → overdue applications in scope (the dashboard)
    procedures_for_admin(user, organisation) / procedure_get_for_admin(user, pk)
    reviewer_choices(application) → organisations and departments that may be asked

Documents
    issued_document_verify(token) → IssuedDocument for the public verification page (404 otherwise)
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from jamaati.core.text import search_key
from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Department, Membership, Organisation
from jamaati.procedures import deadlines, permissions
from jamaati.procedures.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Form,
    FormVersion,
    IssuedDocument,
    Message,
    MessageAttachment,
    OpinionRequest,
    Procedure,
    ProcedureDocument,
    StaffNote,
    Status,
)

_TERRITORY_HEAVY = ("territory__boundary_wkb", "territory__search_text")


# --- Public catalogue -------------------------------------------------------------------------------


def procedures_public(
    *, query: str = "", organisation: Organisation | None = None
) -> QuerySet[Procedure]:
    """Published procedures, optionally of one organisation, matching every word of `query`.

    Arabic and French are matched on the same normalised spelling (core.text.search_key):
    harakat, hamza forms and accents do not matter.
    """
    queryset = (
        Procedure.objects.published()
        .select_related("organisation", "department")
        .defer("organisation__description")
        .order_by("organisation__slug", "position", "slug")
    )
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    for token in search_key(query).split():
        queryset = queryset.filter(search_text__contains=token)
    return queryset


def procedure_get_public(*, organisation_slug: str, slug: str) -> Procedure:
    return get_object_or_404(procedures_public(), organisation__slug=organisation_slug, slug=slug)


def procedure_documents(*, procedure: Procedure) -> QuerySet[ProcedureDocument]:
    return ProcedureDocument.objects.filter(procedure=procedure).select_related("document")


def procedure_form_version(*, procedure: Procedure) -> FormVersion | None:
    form = Form.objects.select_related("current_version").filter(procedure=procedure).first()
    return form.current_version if form else None


def procedure_form(*, procedure: Procedure) -> Form:
    return get_object_or_404(
        Form.objects.select_related("procedure", "current_version"), procedure=procedure
    )


# --- Applicant -------------------------------------------------------------------------------------


def applications_of_citizen(*, user) -> QuerySet[Application]:
    if not (user and user.is_authenticated):
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=user)
        .select_related("procedure", "organisation")
        .order_by("-created_at", "-pk")
    )


def application_get_for_citizen(*, user, reference: str) -> Application:
    """One of the user's own applications by its reference; 404 for anybody else's."""
    return get_object_or_404(
        applications_of_citizen(user=user)
        .select_related("form_version", "territory")
        .defer(*_TERRITORY_HEAVY),
        reference=reference,
    )


def public_timeline(*, application: Application) -> QuerySet[ApplicationEvent]:
    return ApplicationEvent.objects.filter(application=application, is_public=True).select_related(
        "organisation"
    )


def application_messages(*, application: Application) -> QuerySet[Message]:
    return (
        Message.objects.filter(application=application)
        .select_related("author")
        .prefetch_related(
            Prefetch("attachments", queryset=MessageAttachment.objects.order_by("pk"))
        )
    )


def application_current_documents(*, application: Application) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(
        application=application, replaced_at__isnull=True
    ).select_related("required_document")


def application_issued_documents(*, application: Application) -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.filter(application=application, revoked_at__isnull=True)


# --- Staff -------------------------------------------------------------------------------------------


def applications_for_staff(
    *,
    user,
    status: str | None = None,
    procedure: Procedure | None = None,
    overdue: bool | None = None,
    query: str = "",
) -> QuerySet[Application]:
    """Submitted applications the user may read as staff (drafts are the applicant's own)."""
    queryset = (
        Application.objects.submitted()
        .filter(permissions.staff_applications_scope(user=user))
        .select_related("procedure", "organisation", "department", "territory")
        .defer(*_TERRITORY_HEAVY)
        .order_by("due_date", "pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    if procedure is not None:
        queryset = queryset.filter(procedure=procedure)
    if overdue:
        queryset = deadlines.overdue_applications(queryset)
    if query.strip():
        queryset = queryset.filter(reference__icontains=query.strip())
    return queryset


def overdue_for_staff(*, user) -> QuerySet[Application]:
    """The overdue applications in the user's scope, most overdue first (the dashboard)."""
    return deadlines.overdue_applications(applications_for_staff(user=user))


def application_get_for_staff(
    *, user, pk: int, write: bool = False
) -> tuple[Application, Membership | None]:
    """One application for staff, and the membership granting access; 404 outside their scope.

    `write` asks for an instructor's reach (acting roles of the responsible department).
    A platform admin reads everything (membership None) but instructs nothing.
    """
    application = get_object_or_404(
        Application.objects.submitted()
        .select_related(
            "procedure", "organisation", "department", "territory", "form_version", "applicant"
        )
        .defer(*_TERRITORY_HEAVY),
        pk=pk,
    )
    if write:
        membership = permissions.application_instructor(user=user, application=application)
    else:
        membership = permissions.application_staff_reader(user=user, application=application)
    if membership is None:
        if not write and org_permissions.is_platform_admin(user):
            return application, None
        raise Http404
    return application, membership


def application_get_for_staff_as(
    *, user, membership: Membership | None, pk: int, write: bool = False
) -> tuple[Application, Membership | None]:
    """`application_get_for_staff` through one named membership (a staff API token); 404 otherwise."""
    application, granting = application_get_for_staff(user=user, pk=pk, write=write)
    if membership is None or granting is None or granting.pk == membership.pk:
        return application, granting
    if permissions.membership_reaches(membership, application, write=write):
        return application, membership
    if not write and membership.organisation_id != application.organisation_id:
        reviewer = permissions.application_reviewer(user=user, application=application)
        if reviewer is not None and reviewer.pk == membership.pk:
            return application, membership
    raise Http404


def staff_timeline(*, application: Application) -> QuerySet[ApplicationEvent]:
    return ApplicationEvent.objects.filter(application=application).select_related(
        "actor", "organisation"
    )


def staff_notes(*, application: Application, membership: Membership | None) -> QuerySet[StaffNote]:
    """Private notes, for the instructing organisation's staff only (reviewers get none)."""
    if not permissions.is_owner_staff(membership, application):
        return StaffNote.objects.none()
    return StaffNote.objects.filter(application=application).select_related("author")


def application_opinions(*, application: Application) -> QuerySet[OpinionRequest]:
    return OpinionRequest.objects.filter(application=application).select_related(
        "organisation", "department", "requested_by", "given_by"
    )


def opinions_for_reviewer(*, user, pending_only: bool = True) -> QuerySet[OpinionRequest]:
    """Opinion requests addressed to the user's organisations (and departments)."""
    memberships = [
        m for m in org_permissions.active_memberships(user) if m.role in permissions.OPINION_ROLES
    ]
    condition = Q(pk__in=[])
    for membership in memberships:
        part = Q(organisation=membership.organisation_id)
        if membership.department_id is not None:
            part &= Q(department__isnull=True) | Q(department=membership.department_id)
        condition |= part
    queryset = (
        OpinionRequest.objects.filter(condition)
        .exclude(referral__revoked_at__isnull=False)
        .select_related("application", "application__procedure", "organisation", "department")
        .order_by("requested_at", "pk")
    )
    if pending_only:
        queryset = queryset.filter(verdict="")
    return queryset


def opinion_get_for_reviewer(*, user, pk: int) -> tuple[OpinionRequest, Membership]:
    opinion = get_object_or_404(
        OpinionRequest.objects.select_related(
            "application", "organisation", "department", "referral"
        ),
        pk=pk,
    )
    membership = permissions.opinion_giver(user=user, opinion=opinion)
    if membership is None:
        raise Http404
    return opinion, membership


def reviewer_choices(*, application: Application) -> dict[str, QuerySet]:
    """Who may be asked for an opinion: other active organisations, and the owner's other departments."""
    return {
        "organisations": Organisation.objects.filter(is_active=True)
        .exclude(pk=application.organisation_id)
        .select_related("kind")
        .order_by("kind__slug", "slug"),
        "departments": Department.objects.filter(organisation=application.organisation_id)
        .exclude(pk=application.department_id or 0)
        .order_by("slug"),
    }


# --- Catalogue administration -------------------------------------------------------------------------


def procedures_for_admin(*, user, organisation: Organisation) -> QuerySet[Procedure]:
    """Every procedure (published or not) of an organisation its admin manages; none otherwise."""
    if not org_permissions.organisation_can_administer(user=user, organisation=organisation):
        return Procedure.objects.none()
    return Procedure.objects.filter(organisation=organisation).select_related("department")


def procedure_get_for_admin(*, user, pk: int) -> Procedure:
    procedure = get_object_or_404(
        Procedure.objects.select_related("organisation", "department"), pk=pk
    )
    if not permissions.procedure_can_edit(user=user, procedure=procedure):
        raise Http404
    return procedure


# --- Verification --------------------------------------------------------------------------------------


def issued_document_verify(*, token: str) -> IssuedDocument:
    """The issued document a QR code points at; 404 for an unknown or revoked token.

    Show only `verification_data` (and the number, kind, date): it carries no more personal
    data than needed.
    """
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(
        IssuedDocument.objects.only(
            "pk",
            "number",
            "kind",
            "issued_at",
            "verification_data",
            "revoked_at",
            "verification_token",
        ),
        verification_token=token,
        revoked_at__isnull=True,
    )


def status_counts_for_staff(*, user) -> dict[str, int]:
    """How many applications in scope are in each status (the staff dashboard's tiles)."""
    from django.db.models import Count

    rows = applications_for_staff(user=user).order_by().values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in Status.values if status != Status.DRAFT}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
