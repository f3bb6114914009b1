"""Every write to e-services: the catalogue, applications, instruction, opinions, messages, documents.

Each service runs in one transaction, writes the application's history row (ApplicationEvent)
and, for staff, the audit row; notifications go out after the commit. Refusals are
`ValidationError` (bad input or a move the workflow forbids, with translated messages) or
`PermissionDenied` (the actor may not do this).

For the page and API engineers, the services to call:

Catalogue (organisation admins)
    procedure_create, procedure_update, procedure_set_documents, procedure_publish,
    procedure_unpublish, required_document_create
    The form builder's services are in `forms_engine` (form_draft_*, form_publish).

Applicant
    application_start(procedure, applicant, actor) → a draft
    application_save_draft(application, answers, actor) → AnswersResult (errors, nothing lost)
    application_upload(application, field_key, file, actor) → ApplicationDocument
    application_remove_upload(document, actor)
    application_submit(application, actor, answers=None) → submitted, receipt record issued
    application_complete(application, actor, answers=None, note="") → back in instruction
    application_withdraw(application, actor)
    message_send(application, body, actor, attachments=())

Counter mode (an agent for a citizen who came in person)
    application_file_at_counter(procedure, actor, consent_text, answers, files, full_name,
                                phone, email) → submitted application with its receipt record

Instruction (instructors of the responsible department)
    application_transition(application, to_status, actor, note="")   (in_instruction moves)
    application_request_completion(application, message, actor, fields=(), documents=())
    application_request_opinions(application, reviewers, actor, question="")
    application_decide(application, approved, reasons, actor)
    staff_note_add(application, body, actor)
    message_send(application, body, actor, attachments=())
    application_record_read(application, actor, reason)   (audit a staff read of the answers)

Reviewers (through the referral of an opinion request)
    opinion_give(opinion, verdict, comment, actor, file=None)

Documents (the PDF engineer)
    document_issue(application, kind, actor) → IssuedDocument (number, verification token)
    document_attach_rendering(document, content, filename) → stores the rendered PDF

Personal data (law 09-08)
    applications_erase_citizen(user) (called by accounts' erasure through personal_data.py)

Scheduled
    applications_approve_tacitly(on=None) → how many were approved by silence (tasks.py)
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaati.accounts.models import User
from jamaati.accounts.phone import normalise_moroccan_mobile
from jamaati.audit.models import AuditEvent
from jamaati.audit.services import audit_record
from jamaati.core.actors import Actor
from jamaati.core.notifications import notify
from jamaati.core.refcodes import refcode_new
from jamaati.core.text import search_key
from jamaati.core.uploads import validate_and_clean_upload
from jamaati.organisations import permissions as org_permissions
from jamaati.organisations.models import Department, Organisation
from jamaati.organisations.services import referral_create, referrals_close
from jamaati.procedures import deadlines, permissions
from jamaati.procedures.documents.tasks import document_render_after_commit
from jamaati.procedures.forms_engine import schema as fs
from jamaati.procedures.forms_engine.answers import AnswersResult, answers_validate
from jamaati.procedures.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Channel,
    DocumentCounter,
    EventKind,
    FilingChannel,
    Form,
    IssuedDocument,
    IssuedDocumentKind,
    Message,
    MessageAttachment,
    OpinionRequest,
    OpinionVerdict,
    Procedure,
    ProcedureDocument,
    RequiredDocument,
    StaffNote,
    Status,
)
from jamaati.procedures.workflow import (
    ALLOWED_TRANSITIONS,
    NEEDS_OWN_SERVICE,
    TACIT_APPROVAL_FROM,
    is_applicant_move,
)
from jamaati.territories.models import Territory

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "EP"
MAX_MESSAGE = 5000
MAX_ATTACHMENTS = 5
ATTACHMENT_KINDS = ("image", "document")
PROCEDURE_FIELDS = ("title", "summary", "eligibility", "legal_basis")
LANGUAGES = ("ar", "fr", "en", "zgh")


# --- Shared helpers ------------------------------------------------------------------------------


def _event(
    application: Application,
    kind: str,
    *,
    actor: Actor | None = None,
    is_public: bool = True,
    body: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        is_public=is_public,
        body=body,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
        created_at=at or timezone.now(),
        actor=actor.user if actor is not None else None,
        organisation=actor.organisation if actor is not None else None,
    )


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("procedure", "organisation", "territory", "form_version")
        .get(pk=application.pk)
    )


def _forbidden_move(from_status: str, to_status: str) -> ValidationError:
    return ValidationError(
        _("An application that is %(from)s cannot become %(to)s.")
        % {"from": Status(from_status).label, "to": Status(to_status).label},
        code="forbidden_transition",
    )


def _check_move(application: Application, to_status: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS.get(application.status, frozenset()):
        raise _forbidden_move(application.status, to_status)


def _instructor(actor: Actor, application: Application) -> Actor:
    """The actor with the membership through which they instruct `application`, or PermissionDenied.

    A membership named by the caller (a staff API token acts as one) must itself qualify.
    """
    if actor.user is None:
        raise PermissionDenied(_("You may not instruct this application."))
    if actor.membership is not None:
        if actor.membership.user_id == actor.user.pk and permissions.membership_reaches(
            actor.membership, application, write=True
        ):
            return actor
        raise PermissionDenied(_("You may not instruct this application."))
    membership = permissions.application_instructor(user=actor.user, application=application)
    if membership is None:
        raise PermissionDenied(_("You may not instruct this application."))
    return dataclasses.replace(actor, membership=membership)


def _require_applicant(actor: Actor, application: Application) -> None:
    if not permissions.application_is_applicant(user=actor.user, application=application):
        raise PermissionDenied(_("Only the applicant may do this."))


def _require_admin(actor: Actor, organisation: Organisation) -> Actor:
    if not org_permissions.organisation_can_administer(user=actor.user, organisation=organisation):
        raise PermissionDenied(
            _("Only the organisation's administrators may change its procedures.")
        )
    if actor.membership is None:
        membership = org_permissions.organisation_admin_membership(
            user=actor.user, organisation=organisation
        )
        actor = dataclasses.replace(actor, membership=membership)
    return actor


def _notify_applicant(application: Application, template: str, **context: Any) -> None:
    """Tell the applicant (after commit), in their language; quietly skip when they have no address."""
    applicant = application.applicant
    if applicant is None or not (applicant.email or applicant.phone):
        return
    try:
        notify(
            template=template,
            user=applicant,
            language=application.language,
            context={"application": application, **context},
        )
    except TemplateDoesNotExist:
        logger.warning("Notification %s has no templates yet: not sent.", template)


def _texts(values: Mapping[str, str] | None) -> dict[str, str]:
    return {
        code: (values or {}).get(code, "") or "" for code in LANGUAGES if (values or {}).get(code)
    }


# --- Catalogue -----------------------------------------------------------------------------------


def procedure_search_text(procedure: Procedure) -> str:
    """The normalised words a catalogue search matches, in every language."""
    parts = []
    for name in ("title", "summary", "eligibility"):
        for code in LANGUAGES:
            parts.append(getattr(procedure, f"{name}_{code}", "") or "")
    parts.append(procedure.slug.replace("-", " "))
    keys = [search_key(part) for part in parts if part]
    return " " + " | ".join(key for key in keys if key) + " "


@transaction.atomic
def required_document_create(
    *,
    code: str,
    names: Mapping[str, str],
    actor: Actor,
    descriptions: Mapping[str, str] | None = None,
) -> RequiredDocument:
    """Add a document to the national catalogue (platform admins only)."""
    if not actor.is_platform_admin:
        raise PermissionDenied(_("Only platform administrators may change the document catalogue."))
    document = RequiredDocument(code=code)
    for language, value in _texts(names).items():
        setattr(document, f"name_{language}", value)
    for language, value in _texts(descriptions).items():
        setattr(document, f"description_{language}", value)
    document.full_clean()
    document.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=document)
    return document


@transaction.atomic
def procedure_create(
    *,
    organisation: Organisation,
    slug: str,
    titles: Mapping[str, str],
    processing_days: int,
    actor: Actor,
    summaries: Mapping[str, str] | None = None,
    eligibility: Mapping[str, str] | None = None,
    legal_basis: Mapping[str, str] | None = None,
    department: Department | None = None,
    fee: Decimal | int | str = Decimal("0"),
    channel: str = Channel.BOTH,
    silence_means_approval: bool = False,
    decision_kind: str | None = None,
    documents: Iterable[tuple[RequiredDocument, bool]] = (),
) -> Procedure:
    """Add a procedure to an organisation's catalogue, unpublished, with an empty form."""
    actor = _require_admin(actor, organisation)
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError({"department": _("The department belongs to another organisation.")})
    procedure = Procedure(
        organisation=organisation,
        slug=slug,
        department=department,
        fee=Decimal(str(fee)),
        processing_days=processing_days,
        channel=channel,
        silence_means_approval=silence_means_approval,
    )
    if decision_kind:
        procedure.decision_kind = decision_kind
    for name, values in (
        ("title", titles),
        ("summary", summaries),
        ("eligibility", eligibility),
        ("legal_basis", legal_basis),
    ):
        for language, value in _texts(values).items():
            setattr(procedure, f"{name}_{language}", value)
    if not (procedure.title_ar and procedure.title_fr):
        raise ValidationError({"title": _("Give the title in Arabic and in French.")})
    procedure.search_text = procedure_search_text(procedure)
    procedure.full_clean()
    procedure.save()
    Form.objects.create(procedure=procedure, draft=fs.empty_schema())
    _set_documents(procedure, documents)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=procedure,
        organisation=organisation,
        changes={"slug": slug},
    )
    return procedure


_UPDATABLE = frozenset(
    {
        "department",
        "fee",
        "processing_days",
        "channel",
        "silence_means_approval",
        "decision_kind",
        "position",
    }
    | {f"{name}_{code}" for name in PROCEDURE_FIELDS for code in LANGUAGES}
)


@transaction.atomic
def procedure_update(
    *, procedure: Procedure, changes: Mapping[str, Any], actor: Actor
) -> Procedure:
    """Change a procedure's description, fee, delay or channel; applications already submitted
    keep the deadline they were given."""
    actor = _require_admin(actor, procedure.organisation)
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"Not updatable: {sorted(unknown)}")
    department = changes.get("department")
    if department is not None and department.organisation_id != procedure.organisation_id:
        raise ValidationError({"department": _("The department belongs to another organisation.")})
    before = {name: str(getattr(procedure, name)) for name in changes}
    for name, value in changes.items():
        setattr(procedure, name, Decimal(str(value)) if name == "fee" else value)
    procedure.search_text = procedure_search_text(procedure)
    procedure.full_clean()
    procedure.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=procedure,
        organisation=procedure.organisation,
        changes={name: [before[name], str(getattr(procedure, name))] for name in changes},
    )
    return procedure


def _set_documents(
    procedure: Procedure, documents: Iterable[tuple[RequiredDocument, bool]]
) -> None:
    documents = list(documents)
    inactive = [document.code for document, _mandatory in documents if not document.is_active]
    if inactive:
        raise ValidationError(
            {
                "documents": _("These documents are no longer in the catalogue: %(codes)s.")
                % {"codes": ", ".join(inactive)}
            }
        )
    ProcedureDocument.objects.filter(procedure=procedure).delete()
    for position, (document, mandatory) in enumerate(documents):
        ProcedureDocument.objects.create(
            procedure=procedure, document=document, is_mandatory=mandatory, position=position
        )


@transaction.atomic
def procedure_set_documents(
    *, procedure: Procedure, documents: Iterable[tuple[RequiredDocument, bool]], actor: Actor
) -> Procedure:
    """Replace the list of catalogue documents a procedure asks for (law 55-19: catalogue only)."""
    actor = _require_admin(actor, procedure.organisation)
    documents = list(documents)
    _set_documents(procedure, documents)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=procedure,
        organisation=procedure.organisation,
        changes={"documents": [document.code for document, _m in documents]},
    )
    return procedure


@transaction.atomic
def procedure_publish(*, procedure: Procedure, actor: Actor) -> Procedure:
    """Show a procedure in the public catalogue; online filing needs a published form."""
    actor = _require_admin(actor, procedure.organisation)
    form = Form.objects.filter(procedure=procedure).first()
    if procedure.accepts_online and (form is None or form.current_version_id is None):
        raise ValidationError(
            _("Publish the application form first: this procedure is filed online.")
        )
    procedure.is_published = True
    procedure.save(update_fields=["is_published", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=procedure,
        organisation=procedure.organisation,
        changes={"is_published": True},
    )
    return procedure


@transaction.atomic
def procedure_unpublish(*, procedure: Procedure, actor: Actor) -> Procedure:
    """Take a procedure out of the catalogue; applications under way go on."""
    actor = _require_admin(actor, procedure.organisation)
    procedure.is_published = False
    procedure.save(update_fields=["is_published", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=procedure,
        organisation=procedure.organisation,
        changes={"is_published": False},
    )
    return procedure


# --- Applicant: drafts, files, submission -------------------------------------------------------------


def _new_reference() -> str:
    return refcode_new(REFERENCE_PREFIX)


def _create_application(**fields: Any) -> Application:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Application.objects.create(reference=_new_reference(), **fields)
        except IntegrityError:
            continue  # a reference collision: draw again
    raise RuntimeError("Could not draw a free reference.")  # pragma: no cover


@transaction.atomic
def application_start(
    *, procedure: Procedure, applicant: User, actor: Actor, language: str = "ar"
) -> Application:
    """Open a draft application for the current version of the procedure's form."""
    if actor.user is None or actor.user.pk != applicant.pk:
        raise PermissionDenied(_("An application is started by the applicant."))
    if not procedure.is_published or not procedure.accepts_online:
        raise ValidationError(_("This procedure cannot be filed online."), code="not_online")
    form = Form.objects.select_related("current_version").filter(procedure=procedure).first()
    if form is None or form.current_version is None:
        raise ValidationError(_("This procedure cannot be filed online."), code="not_online")
    now = timezone.now()
    application = _create_application(
        procedure=procedure,
        form_version=form.current_version,
        organisation=procedure.organisation,
        department=procedure.department,
        applicant=applicant,
        language=language,
        channel=FilingChannel.ONLINE,
        created_at=now,
        updated_at=now,
    )
    _event(application, EventKind.CREATED, actor=actor, to_status=Status.DRAFT, at=now)
    return application


def _schema(application: Application) -> dict[str, Any]:
    return application.form_version.schema if application.form_version_id else fs.empty_schema()


def _documents_map(application: Application) -> dict[int, ApplicationDocument]:
    return {
        document.pk: document
        for document in ApplicationDocument.objects.filter(
            application=application, replaced_at__isnull=True
        )
    }


def _editable_by_applicant(application: Application) -> bool:
    return application.status in (Status.DRAFT, Status.COMPLETION_REQUESTED)


@transaction.atomic
def application_save_draft(
    *, application: Application, answers: Mapping[str, Any], actor: Actor
) -> AnswersResult:
    """Keep what the applicant typed so far; return the errors without refusing anything.

    Valid answers are stored normalised; an answer that is not valid yet is kept as typed so
    nothing is lost, and its error is returned for the page to show.
    """
    _require_applicant(actor, application)
    application = _locked(application)
    if not _editable_by_applicant(application):
        raise ValidationError(_("This application can no longer be changed."), code="not_editable")
    merged = {**application.answers, **answers}
    result = answers_validate(
        _schema(application), merged, partial=True, documents=_documents_map(application)
    )
    kept = {key: merged[key] for key in result.errors if key in merged}
    application.answers = {**kept, **result.cleaned}
    application.updated_at = timezone.now()
    application.save(update_fields=["answers", "updated_at"])
    return result


def _file_field(application: Application, field_key: str) -> dict[str, Any]:
    field = fs.field_index(_schema(application)).get(field_key)
    if field is None or field["type"] != fs.FILE:
        raise ValidationError({field_key: _("This form has no such file field.")}, code="no_field")
    return field


def _store_upload(
    application: Application, field: dict[str, Any], file: Any, *, actor: Actor
) -> ApplicationDocument:
    cleaned = validate_and_clean_upload(
        file, allowed_kinds=fs.file_kinds(field), max_bytes=fs.file_max_bytes(field)
    )
    current = ApplicationDocument.objects.filter(
        application=application, field_key=field["key"], replaced_at__isnull=True
    )
    if current.count() >= fs.file_max_files(field):
        if fs.file_max_files(field) == 1:
            # One file allowed: a new one replaces the old (kept on record).
            current.update(replaced_at=timezone.now())
        else:
            raise ValidationError(
                {
                    field["key"]: _("Attach at most %(count)d files.")
                    % {"count": fs.file_max_files(field)}
                },
                code="too_many_files",
            )
    required_document = None
    if field.get("document"):
        required_document = RequiredDocument.objects.filter(code=field["document"]).first()
    document = ApplicationDocument(
        application=application,
        field_key=field["key"],
        required_document=required_document,
        original_name=str(getattr(file, "name", "") or "")[:200],
        kind=cleaned.kind,
        size=cleaned.size,
        uploaded_by=actor.user,
        created_at=timezone.now(),
    )
    document.file.save(cleaned.name, cleaned, save=False)
    document.save()
    return document


def _applicant_or_counter_agent(actor: Actor, application: Application) -> None:
    if permissions.application_is_applicant(user=actor.user, application=application):
        return
    if application.channel == FilingChannel.COUNTER and actor.user is not None:
        _instructor(actor, application)
        return
    raise PermissionDenied(_("Only the applicant may do this."))


@transaction.atomic
def application_upload(
    *, application: Application, field_key: str, file: Any, actor: Actor
) -> ApplicationDocument:
    """Attach a file to a file field (checked by content, size and type); answers list it."""
    _applicant_or_counter_agent(actor, application)
    application = _locked(application)
    if not _editable_by_applicant(application):
        raise ValidationError(_("This application can no longer be changed."), code="not_editable")
    field = _file_field(application, field_key)
    try:
        document = _store_upload(application, field, file, actor=actor)
    except ValidationError as exc:
        raise ValidationError({field_key: exc.messages}, code="invalid_file") from exc
    current = list(
        ApplicationDocument.objects.filter(
            application=application, field_key=field_key, replaced_at__isnull=True
        ).values_list("pk", flat=True)
    )
    application.answers = {**application.answers, field_key: current}
    application.updated_at = timezone.now()
    application.save(update_fields=["answers", "updated_at"])
    return document


@transaction.atomic
def application_remove_upload(*, document: ApplicationDocument, actor: Actor) -> None:
    """Take back a file before submission (or during a completion); it stays on record."""
    application = document.application
    _applicant_or_counter_agent(actor, application)
    application = _locked(application)
    if not _editable_by_applicant(application):
        raise ValidationError(_("This application can no longer be changed."), code="not_editable")
    ApplicationDocument.objects.filter(pk=document.pk).update(replaced_at=timezone.now())
    remaining = [pk for pk in application.answers.get(document.field_key, []) if pk != document.pk]
    answers = dict(application.answers)
    if remaining:
        answers[document.field_key] = remaining
    else:
        answers.pop(document.field_key, None)
    application.answers = answers
    application.updated_at = timezone.now()
    application.save(update_fields=["answers", "updated_at"])


def _validated_answers(
    application: Application, answers: Mapping[str, Any] | None
) -> dict[str, Any]:
    merged = {**application.answers, **(answers or {})}
    result = answers_validate(_schema(application), merged, documents=_documents_map(application))
    if result.errors:
        raise ValidationError(
            {
                key: [ValidationError(m, code="invalid") for m in messages]
                for key, messages in result.errors.items()
            }
        )
    return result.cleaned


def _territory_from_answers(
    application: Application, cleaned: Mapping[str, Any]
) -> Territory | None:
    """The place of an application: the first commune field, or the point, or the organisation's seat."""
    for field in fs.flat_fields(_schema(application)):
        value = cleaned.get(field["key"])
        if value is None:
            continue
        if field["type"] == fs.COMMUNE:
            return Territory.objects.filter(code=value).first()
        if field["type"] in (fs.MAP_POINT, fs.PARCEL):
            territory = _territory_at(field, value)
            if territory is not None:
                return territory
    return application.organisation.seat


def _territory_at(field: dict[str, Any], value: Any) -> Territory | None:
    from jamaati.territories.selectors import territory_lookup

    if field["type"] == fs.MAP_POINT:
        lat, lon = value["lat"], value["lon"]
    else:
        from shapely.geometry import shape

        point = shape(value).representative_point()
        lat, lon = point.y, point.x
    lookup = territory_lookup(lat=lat, lon=lon)
    if lookup is None:
        return None
    found = lookup.arrondissement or lookup.commune
    return Territory.objects.filter(pk=found.pk).first() if found else None


def _mandatory_documents_missing(application: Application) -> list[str]:
    """Mandatory catalogue documents of the procedure with no file field answered for them."""
    mandatory = set(
        ProcedureDocument.objects.filter(
            procedure=application.procedure, is_mandatory=True
        ).values_list("document__code", flat=True)
    )
    in_form = {
        field.get("document")
        for field in fs.flat_fields(_schema(application))
        if field["type"] == fs.FILE
    }
    given = set(
        ApplicationDocument.objects.filter(
            application=application, replaced_at__isnull=True, required_document__isnull=False
        ).values_list("required_document__code", flat=True)
    )
    # Only documents the form asks for can be checked here; others are brought to the counter.
    return sorted((mandatory & in_form) - given)


def _submit(application: Application, *, cleaned: dict[str, Any], actor: Actor) -> Application:
    now = timezone.now()
    missing = _mandatory_documents_missing(application)
    if missing:
        names = RequiredDocument.objects.filter(code__in=missing).order_by("code")
        raise ValidationError(
            {
                "documents": _("Attach these documents: %(names)s.")
                % {"names": ", ".join(str(n) for n in names)}
            },
            code="documents_missing",
        )
    from_status = application.status
    application.answers = cleaned
    application.territory = _territory_from_answers(application, cleaned)
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    application.silence_means_approval = application.procedure.silence_means_approval
    deadlines.clock_start(application, on=deadlines.local_date(now))
    application.full_clean(exclude=["answers"])
    application.save()
    _event(
        application,
        EventKind.SUBMITTED,
        actor=actor,
        from_status=from_status,
        to_status=Status.SUBMITTED,
        at=now,
        data={"due_date": application.due_date.isoformat(), "channel": application.channel},
    )
    document_issue(application=application, kind=IssuedDocumentKind.RECEIPT, actor=actor)
    _notify_applicant(application, "procedures_application_submitted")
    return application


@transaction.atomic
def application_submit(
    *, application: Application, actor: Actor, answers: Mapping[str, Any] | None = None
) -> Application:
    """Submit a draft: check every answer, start the legal clock, issue the receipt record."""
    _applicant_or_counter_agent(actor, application)
    application = _locked(application)
    _check_move(application, Status.SUBMITTED)
    cleaned = _validated_answers(application, answers)
    return _submit(application, cleaned=cleaned, actor=actor)


@transaction.atomic
def application_complete(
    *,
    application: Application,
    actor: Actor,
    answers: Mapping[str, Any] | None = None,
    note: str = "",
) -> Application:
    """The applicant sends the completed file: answers checked again, the clock resumes."""
    _applicant_or_counter_agent(actor, application)
    application = _locked(application)
    _check_move(application, Status.IN_INSTRUCTION)
    if application.status != Status.COMPLETION_REQUESTED:
        raise _forbidden_move(application.status, Status.IN_INSTRUCTION)
    cleaned = _validated_answers(application, answers)
    now = timezone.now()
    paused = deadlines.clock_resume(application, on=deadlines.local_date(now))
    application.answers = cleaned
    application.status = Status.IN_INSTRUCTION
    application.updated_at = now
    application.save()
    _event(
        application,
        EventKind.COMPLETED,
        actor=actor,
        from_status=Status.COMPLETION_REQUESTED,
        to_status=Status.IN_INSTRUCTION,
        body=note.strip(),
        at=now,
        data={"paused_working_days": paused, "due_date": application.due_date.isoformat()},
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: Actor, note: str = "") -> Application:
    """The applicant withdraws a submitted application; nothing more happens to it."""
    _require_applicant(actor, application)
    application = _locked(application)
    if not is_applicant_move(application.status, Status.WITHDRAWN):
        raise _forbidden_move(application.status, Status.WITHDRAWN)
    from_status = application.status
    now = timezone.now()
    application.status = Status.WITHDRAWN
    application.paused_since = None
    application.updated_at = now
    application.save()
    _event(
        application,
        EventKind.WITHDRAWN,
        actor=actor,
        from_status=from_status,
        to_status=Status.WITHDRAWN,
        body=note.strip(),
        at=now,
    )
    referrals_close(target=application, actor=actor)
    return application


# --- Counter mode -----------------------------------------------------------------------------------


def _citizen_for_counter(*, full_name: str, phone: str, email: str) -> tuple[User, bool]:
    """Find the citizen's account by phone or e-mail, or create one (no password: they log in by code)."""
    phone = normalise_moroccan_mobile(phone) if phone else ""
    email = email.strip().lower()
    if not phone and not email:
        raise ValidationError(
            {"contact": _("Give the citizen's mobile number or e-mail address.")}, code="no_contact"
        )
    lookup = Q()
    if phone:
        lookup |= Q(phone=phone)
    if email:
        lookup |= Q(email=email)
    found = list(User.objects.filter(lookup)[:2])
    if len(found) > 1:
        raise ValidationError(
            {
                "contact": _(
                    "This phone number and this e-mail address belong to two different accounts."
                )
            },
            code="two_accounts",
        )
    if found:
        user = found[0]
        if user.is_staff:
            raise ValidationError(
                {"contact": _("This contact belongs to a staff account: use the citizen's own.")},
                code="staff_account",
            )
        return user, False
    user = User.objects.create_user(
        email=email or "", phone=phone or "", password=None, full_name=full_name.strip()
    )
    return user, True


@transaction.atomic
def application_file_at_counter(
    *,
    procedure: Procedure,
    actor: Actor,
    consent_text: str,
    answers: Mapping[str, Any],
    files: Mapping[str, Sequence[Any]] | None = None,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "ar",
) -> Application:
    """An agent files an application for a citizen who came in person, with their recorded consent.

    The citizen's account is found by phone or e-mail (or created); the consent text, the time
    and the agent are kept on the application; the receipt record is issued at once.
    """
    if not procedure.accepts_counter:
        raise ValidationError(_("This procedure is not filed at the counter."), code="not_counter")
    if not consent_text.strip():
        raise ValidationError(
            {"consent": _("Record the citizen's consent before filing for them.")},
            code="consent_required",
        )
    form = Form.objects.select_related("current_version").filter(procedure=procedure).first()
    now = timezone.now()
    probe = Application(
        procedure=procedure,
        organisation=procedure.organisation,
        department=procedure.department,
        channel=FilingChannel.COUNTER,
    )
    actor = _instructor(actor, probe)
    citizen, created = _citizen_for_counter(full_name=full_name, phone=phone, email=email)
    application = _create_application(
        procedure=procedure,
        form_version=form.current_version if form else None,
        organisation=procedure.organisation,
        department=procedure.department,
        applicant=citizen,
        language=language,
        channel=FilingChannel.COUNTER,
        filed_by=actor.user,
        consent_text=consent_text.strip(),
        consent_at=now,
        created_at=now,
        updated_at=now,
    )
    _event(
        application,
        EventKind.CREATED,
        actor=actor,
        to_status=Status.DRAFT,
        at=now,
        is_public=True,
        data={"channel": FilingChannel.COUNTER, "account_created": created},
    )
    errors: dict[str, list[str]] = {}
    for field_key, uploads in (files or {}).items():
        try:
            field = _file_field(application, field_key)
            ids = [_store_upload(application, field, upload, actor=actor).pk for upload in uploads]
        except ValidationError as exc:
            errors.setdefault(field_key, []).extend(exc.messages)
            continue
        answers = {**answers, field_key: ids}
    if errors:
        raise ValidationError(errors)
    application.answers = dict(answers)
    cleaned = _validated_answers(application, None)
    _submit(application, cleaned=cleaned, actor=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=application,
        changes={"channel": FilingChannel.COUNTER, "consent_at": now.isoformat()},
    )
    return application


# --- Instruction ------------------------------------------------------------------------------------


@transaction.atomic
def application_transition(
    *, application: Application, to_status: str, actor: Actor, note: str = ""
) -> Application:
    """Move an application along its workflow when the move carries nothing else (into instruction).

    Completion requests, opinion requests, decisions and withdrawals have their own services.
    """
    actor = _instructor(actor, application)
    application = _locked(application)
    if to_status in NEEDS_OWN_SERVICE:
        raise ValidationError(
            _("This move has its own action: use it instead."), code="use_own_service"
        )
    _check_move(application, to_status)
    if is_applicant_move(application.status, to_status):
        raise PermissionDenied(_("Only the applicant may do this."))
    from_status = application.status
    now = timezone.now()
    application.status = to_status
    application.updated_at = now
    application.save()
    _event(
        application,
        EventKind.STATUS_CHANGED,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        body=note.strip(),
        at=now,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        target=application,
        changes={"status": [from_status, to_status]},
    )
    return application


@transaction.atomic
def application_request_completion(
    *,
    application: Application,
    message: str,
    actor: Actor,
    fields: Iterable[str] = (),
    documents: Iterable[str] = (),
) -> Application:
    """Ask the applicant to complete the file; the legal clock pauses until they do.

    `documents` are catalogue codes and must be among the procedure's documents (law 55-19);
    `fields` are keys of the application's form.
    """
    actor = _instructor(actor, application)
    application = _locked(application)
    _check_move(application, Status.COMPLETION_REQUESTED)
    errors: dict[str, list[str]] = {}
    if not message.strip():
        errors["message"] = [_("Say what the applicant must complete.")]
    documents = list(dict.fromkeys(documents))
    listed = set(
        ProcedureDocument.objects.filter(procedure=application.procedure).values_list(
            "document__code", flat=True
        )
    )
    unlisted = [code for code in documents if code not in listed]
    if unlisted:
        errors["documents"] = [
            _("Only the documents listed for this procedure may be asked for: %(codes)s is not.")
            % {"codes": ", ".join(unlisted)}
        ]
    fields = list(dict.fromkeys(fields))
    known = set(fs.field_index(_schema(application)))
    unknown = [key for key in fields if key not in known]
    if unknown:
        errors["fields"] = [_("Unknown form fields: %(keys)s.") % {"keys": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    from_status = application.status
    now = timezone.now()
    deadlines.clock_pause(application, on=deadlines.local_date(now))
    application.status = Status.COMPLETION_REQUESTED
    application.updated_at = now
    application.save()
    _event(
        application,
        EventKind.COMPLETION_REQUESTED,
        actor=actor,
        from_status=from_status,
        to_status=Status.COMPLETION_REQUESTED,
        body=message.strip(),
        at=now,
        data={"fields": fields, "documents": documents},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        target=application,
        changes={"status": [from_status, Status.COMPLETION_REQUESTED], "documents": documents},
    )
    _notify_applicant(application, "procedures_completion_requested", message=message.strip())
    return application


@dataclass(frozen=True)
class Reviewer:
    """Who is asked for an opinion: an organisation, optionally one of its departments."""

    organisation: Organisation
    department: Department | None = None


@transaction.atomic
def application_request_opinions(
    *,
    application: Application,
    reviewers: Iterable[Reviewer],
    actor: Actor,
    question: str = "",
) -> list[OpinionRequest]:
    """Ask other departments or organisations for their opinion on this application.

    Another organisation gets access to this one application through a referral; a department
    of the instructing organisation reaches it already. The application waits in
    `opinions_requested` (the legal clock keeps running).
    """
    actor = _instructor(actor, application)
    application = _locked(application)
    reviewers = list(reviewers)
    if not reviewers:
        raise ValidationError({"reviewers": _("Choose who should give an opinion.")})
    if application.status != Status.OPINIONS_REQUESTED:
        _check_move(application, Status.OPINIONS_REQUESTED)
    now = timezone.now()
    created = []
    for reviewer in reviewers:
        if (
            reviewer.department is not None
            and reviewer.department.organisation_id != reviewer.organisation.pk
        ):
            raise ValidationError(
                {"reviewers": _("The department belongs to another organisation.")}
            )
        if reviewer.organisation.pk == application.organisation_id and reviewer.department is None:
            raise ValidationError(
                {
                    "reviewers": _(
                        "Choose the department of your organisation that should give an opinion."
                    )
                }
            )
        if OpinionRequest.objects.filter(
            application=application,
            organisation=reviewer.organisation,
            department=reviewer.department,
            verdict="",
        ).exists():
            continue  # already asked and not answered yet
        referral = None
        if reviewer.organisation.pk != application.organisation_id:
            referral = referral_create(
                actor=actor,
                target=application,
                from_organisation=application.organisation,
                to_organisation=reviewer.organisation,
                department=reviewer.department,
                reason=question.strip() or _("Opinion requested"),
            )
        created.append(
            OpinionRequest.objects.create(
                application=application,
                organisation=reviewer.organisation,
                department=reviewer.department,
                referral=referral,
                question=question.strip(),
                requested_by=actor.user,
                requested_at=now,
            )
        )
    from_status = application.status
    if from_status != Status.OPINIONS_REQUESTED:
        application.status = Status.OPINIONS_REQUESTED
        application.updated_at = now
        application.save()
    for opinion in created:
        _event(
            application,
            EventKind.OPINION_REQUESTED,
            actor=actor,
            from_status=from_status,
            to_status=Status.OPINIONS_REQUESTED,
            is_public=True,
            body=str(opinion.organisation),
            at=now,
            data={
                "opinion": opinion.pk,
                "organisation": opinion.organisation.slug,
                "department": opinion.department.slug if opinion.department else None,
            },
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        target=application,
        changes={
            "status": [from_status, Status.OPINIONS_REQUESTED],
            "reviewers": [o.organisation.slug for o in created],
        },
    )
    return created


@transaction.atomic
def opinion_give(
    *,
    opinion: OpinionRequest,
    verdict: str,
    comment: str,
    actor: Actor,
    file: Any = None,
) -> OpinionRequest:
    """A reviewer gives their opinion (favourable, unfavourable, or with reservations).

    When the last opinion asked for comes in, the application returns to instruction.
    """
    membership = permissions.opinion_giver(user=actor.user, opinion=opinion)
    if membership is None:
        raise PermissionDenied(_("You may not give this opinion."))
    actor = dataclasses.replace(actor, membership=membership)
    opinion = OpinionRequest.objects.select_for_update(of=("self",)).get(pk=opinion.pk)
    application = _locked(opinion.application)
    errors: dict[str, list[str]] = {}
    if opinion.is_given:
        raise ValidationError(_("This opinion was already given."), code="already_given")
    if application.status in (Status.APPROVED, Status.REFUSED, Status.WITHDRAWN):
        raise ValidationError(_("This application is closed."), code="closed")
    if verdict not in OpinionVerdict.values:
        errors["verdict"] = [_("Choose favourable, unfavourable or favourable with reservations.")]
    if verdict in (OpinionVerdict.UNFAVOURABLE, OpinionVerdict.RESERVED) and not comment.strip():
        errors["comment"] = [_("Explain the reservations or the unfavourable opinion.")]
    cleaned = None
    if file is not None:
        try:
            cleaned = validate_and_clean_upload(file, allowed_kinds=ATTACHMENT_KINDS)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    opinion.verdict = verdict
    opinion.comment = comment.strip()
    opinion.given_by = actor.user
    opinion.given_at = now
    if cleaned is not None:
        opinion.file.save(cleaned.name, cleaned, save=False)
    opinion.save()
    _event(
        application,
        EventKind.OPINION_GIVEN,
        actor=actor,
        is_public=False,
        body=opinion.comment,
        at=now,
        data={"opinion": opinion.pk, "verdict": verdict, "organisation": opinion.organisation.slug},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=opinion,
        organisation=membership.organisation,
        changes={"verdict": verdict, "application": application.reference},
    )
    pending = OpinionRequest.objects.filter(application=application, verdict="").exists()
    if not pending and application.status == Status.OPINIONS_REQUESTED:
        application.status = Status.IN_INSTRUCTION
        application.updated_at = now
        application.save()
        _event(
            application,
            EventKind.STATUS_CHANGED,
            actor=None,
            from_status=Status.OPINIONS_REQUESTED,
            to_status=Status.IN_INSTRUCTION,
            at=now,
            data={"reason": "all_opinions_given"},
        )
    return opinion


@transaction.atomic
def application_decide(
    *, application: Application, approved: bool, reasons: str, actor: Actor
) -> Application:
    """Approve or refuse (with reasons); the clock stops and the decision record is issued."""
    actor = _instructor(actor, application)
    application = _locked(application)
    to_status = Status.APPROVED if approved else Status.REFUSED
    _check_move(application, to_status)
    if not approved and not reasons.strip():
        raise ValidationError(
            {"reasons": _("Give the reasons for the refusal.")}, code="reasons_required"
        )
    from_status = application.status
    now = timezone.now()
    deadlines.clock_stop(application, on=deadlines.local_date(now))
    application.status = to_status
    application.decided_at = now
    application.decision_reasons = reasons.strip()
    application.updated_at = now
    application.save()
    _event(
        application,
        EventKind.DECIDED,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        body=reasons.strip(),
        at=now,
        data={"processing_working_days": application.processing_working_days},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        target=application,
        changes={"status": [from_status, to_status]},
    )
    referrals_close(target=application, actor=actor)
    document_issue(application=application, kind=IssuedDocumentKind.DECISION, actor=actor)
    _notify_applicant(application, "procedures_application_decided")
    return application


@transaction.atomic
def application_approve_tacitly(*, application: Application, on: date | None = None) -> bool:
    """Approve an application by silence once its deadline passed; False when no longer due."""
    application = _locked(application)
    today = on or deadlines.local_date()
    if (
        not application.silence_means_approval
        or application.status not in TACIT_APPROVAL_FROM
        or application.due_date is None
        or application.due_date >= today
    ):
        return False
    from_status = application.status
    now = timezone.now()
    deadlines.clock_stop(application, on=application.due_date)
    application.status = Status.APPROVED
    application.is_tacit = True
    application.decided_at = now
    application.updated_at = now
    application.save()
    system = Actor.system()
    _event(
        application,
        EventKind.TACITLY_APPROVED,
        actor=system,
        from_status=from_status,
        to_status=Status.APPROVED,
        at=now,
        data={"due_date": application.due_date.isoformat()},
    )
    referrals_close(target=application, actor=system)
    document_issue(application=application, kind=IssuedDocumentKind.DECISION, actor=system)
    _notify_applicant(application, "procedures_application_decided")
    return True


def applications_approve_tacitly(*, on: date | None = None) -> int:
    """Approve by silence every application whose procedure says so and whose deadline passed."""
    count = 0
    for pk in deadlines.tacit_approval_due(on=on).values_list("pk", flat=True):
        application = Application.objects.get(pk=pk)
        if application_approve_tacitly(application=application, on=on):
            count += 1
    return count


@transaction.atomic
def issued_document_revoke(
    *, document: IssuedDocument, reason: str, actor: Actor
) -> IssuedDocument:
    """Revoke a document issued in error: from now on its verification page says it no longer stands.

    The document and its number stay (a revoked number is never given again); the reason goes
    to the application's public history and to the audit log.
    """
    application = document.application
    actor = _instructor(actor, application)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the document is revoked.")}, code="reason_required"
        )
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.revoked_at is not None:
        raise ValidationError(
            {"reason": _("This document is already revoked.")}, code="already_revoked"
        )
    now = timezone.now()
    document.revoked_at = now
    document.save(update_fields=["revoked_at"])
    _event(
        application,
        EventKind.DOCUMENT_REVOKED,
        actor=actor,
        body=reason.strip(),
        at=now,
        data={"document": document.number, "kind": document.kind},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=document,
        changes={"revoked": True, "reason": reason.strip()},
    )
    return document


def application_record_read(*, application: Application, actor: Actor, reason: str) -> None:
    """Record that a staff member opened an application's answers (personal data, law 09-08).

    Call it from every staff page or endpoint that shows the answers, the files or the contact.
    """
    if not reason.strip():
        raise ValueError("A read of personal data must give its reason.")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.READ_PERSONAL_DATA,
        target=application,
        changes={"reason": reason.strip()},
    )


# --- Messages and notes -----------------------------------------------------------------------------


@transaction.atomic
def message_send(
    *,
    application: Application,
    body: str,
    actor: Actor,
    attachments: Iterable[Any] = (),
) -> Message:
    """A message between the applicant and the instructors, with attachments (checked by content)."""
    from_staff = not permissions.application_is_applicant(user=actor.user, application=application)
    if from_staff:
        actor = _instructor(actor, application)
    if application.status == Status.DRAFT:
        raise ValidationError(_("Submit the application before writing about it."), code="draft")
    errors: dict[str, list[str]] = {}
    if not body.strip():
        errors["body"] = [_("Write a message.")]
    elif len(body) > MAX_MESSAGE:
        errors["body"] = [_("Keep the message under %(max)d characters.") % {"max": MAX_MESSAGE}]
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS}]
    cleaned = []
    for attachment in attachments:
        try:
            cleaned.append(
                (attachment, validate_and_clean_upload(attachment, allowed_kinds=ATTACHMENT_KINDS))
            )
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    message = Message.objects.create(
        application=application,
        author=actor.user,
        from_staff=from_staff,
        body=body.strip(),
        created_at=now,
    )
    for original, clean in cleaned:
        row = MessageAttachment(
            message=message,
            original_name=str(getattr(original, "name", "") or "")[:200],
            kind=clean.kind,
            size=clean.size,
        )
        row.file.save(clean.name, clean, save=False)
        row.save()
    _event(
        application,
        EventKind.MESSAGE_SENT,
        actor=actor,
        at=now,
        data={"message": message.pk, "from_staff": from_staff},
    )
    if from_staff:
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=message)
        _notify_applicant(application, "procedures_message")
    return message


@transaction.atomic
def staff_note_add(*, application: Application, body: str, actor: Actor) -> StaffNote:
    """A private note of the instructing organisation: never shown to the applicant or reviewers."""
    actor = _instructor(actor, application)
    if not body.strip():
        raise ValidationError({"body": _("Write the note.")})
    note = StaffNote.objects.create(
        application=application, author=actor.user, body=body.strip(), created_at=timezone.now()
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=note)
    return note


# --- Personal data ---------------------------------------------------------------------------------


@transaction.atomic
def applications_erase_citizen(*, user) -> int:
    """Erase a citizen's applications as far as the law allows (law 09-08); return how many remain.

    Drafts (never filed) are deleted with their files. Submitted applications are
    administrative records the organisation must keep: they stay, detached from the account,
    and the citizen's messages lose their author.
    """
    drafts = Application.objects.filter(applicant=user, status=Status.DRAFT)
    for document in ApplicationDocument.objects.filter(application__in=drafts):
        document.file.delete(save=False)
    drafts.delete()
    Message.objects.filter(author=user, from_staff=False).update(author=None)
    return Application.objects.filter(applicant=user).update(applicant=None)


# --- Issued documents ---------------------------------------------------------------------------------

_NUMBER_PREFIX = {IssuedDocumentKind.RECEIPT: "R", IssuedDocumentKind.DECISION: "D"}


def _next_number(application: Application, kind: str, year: int) -> str:
    counter, _created = DocumentCounter.objects.get_or_create(
        organisation=application.organisation, kind=kind, year=year
    )
    counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{_NUMBER_PREFIX[kind]}-{year}-{application.organisation.pk:03d}-{counter.last:06d}"


def holder_initials(name: str) -> str:
    """A name cut to its initials (law 09-08: the verification page shows no more than needed)."""
    words = [word for word in (name or "").split() if word]
    return " ".join(f"{word[0]}." for word in words[:3])


def _verification_data(application: Application, kind: str) -> dict[str, Any]:
    procedure = application.procedure
    organisation = application.organisation
    applicant = application.applicant
    data: dict[str, Any] = {
        "reference": application.reference,
        "kind": kind,
        "procedure": {
            code: getattr(procedure, f"title_{code}", "") or "" for code in ("ar", "fr", "en")
        },
        "organisation": {
            code: getattr(organisation, f"name_{code}", "") or "" for code in ("ar", "fr", "en")
        },
        "holder_initials": holder_initials(applicant.full_name if applicant else ""),
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "due_date": application.due_date.isoformat() if application.due_date else None,
    }
    if kind == IssuedDocumentKind.DECISION:
        data["decision"] = application.status
        data["decided_at"] = application.decided_at.isoformat() if application.decided_at else None
        data["tacit"] = application.is_tacit
    else:
        data["documents_received"] = [
            {
                "name": str(document),
                "catalogue": document.required_document.code
                if document.required_document
                else None,
            }
            for document in ApplicationDocument.objects.filter(
                application=application, replaced_at__isnull=True
            ).select_related("required_document")
        ]
    return data


@transaction.atomic
def document_issue(*, application: Application, kind: str, actor: Actor) -> IssuedDocument:
    """Record a receipt or decision document: its number, time and unguessable verification token.

    The PDF is rendered afterwards by the documents module and stored with
    `document_attach_rendering`; the QR code points at the verification page for the token.
    """
    if kind not in IssuedDocumentKind.values:
        raise ValueError(f"Unknown document kind {kind!r}")
    if kind == IssuedDocumentKind.RECEIPT and application.status == Status.DRAFT:
        raise ValidationError(_("A receipt is issued on submission."), code="not_submitted")
    if kind == IssuedDocumentKind.DECISION and application.status not in (
        Status.APPROVED,
        Status.REFUSED,
    ):
        raise ValidationError(_("A decision document needs a decision."), code="not_decided")
    now = timezone.now()
    document = IssuedDocument.objects.create(
        application=application,
        kind=kind,
        number=_next_number(application, kind, deadlines.local_date(now).year),
        issued_at=now,
        issued_by=actor.user,
        verification_token=secrets.token_urlsafe(32),
        verification_data=_verification_data(application, kind),
    )
    _event(
        application,
        EventKind.DOCUMENT_ISSUED,
        actor=actor if actor.user is not None else None,
        at=now,
        data={"document": document.pk, "kind": kind, "number": document.number},
    )
    if actor.user is not None and actor.membership is not None:
        audit_record(actor=actor, action=AuditEvent.Action.ISSUE, target=document)
    document_render_after_commit(document)
    return document


@transaction.atomic
def document_attach_rendering(
    *, document: IssuedDocument, content: bytes, filename: str = ""
) -> IssuedDocument:
    """Store the rendered PDF of an issued document (once; a document is never re-rendered)."""
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.rendered_file:
        raise ValidationError(_("This document was already rendered."), code="already_rendered")
    name = filename or f"{document.number}.pdf"
    document.rendered_file.save(name, ContentFile(content), save=False)
    document.save(update_fields=["rendered_file"])
    return document
