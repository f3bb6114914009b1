"""The GeoReport v2 endpoints. Each view: find the jurisdiction, read or write, answer."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from jamaati.core.actors import USER_AGENT_MAX_LENGTH, Actor, client_ip_address
from jamaati.core.refcodes import refcode_normalise
from jamaati.organisations.models import Organisation
from jamaati.servicerequests.open311 import params, selectors, serialise
from jamaati.servicerequests.open311.auth import open311_partner_key
from jamaati.servicerequests.open311.errors import Open311Error
from jamaati.servicerequests.open311.render import FORMATS, JSON, respond, respond_error
from jamaati.servicerequests.open311.services import open311_request_create

GET = ("GET", "HEAD")

# Where each field of the intake service's errors comes from in an Open311 post.
_PARAMETERS = {
    "category": "service_code",
    "description": "description",
    "location": "lat/long",
    "commune": "commune_code",
    "contact": "email",
    "anonymous": "email",
    "photos": "media",
}


def _language(request: HttpRequest) -> str:
    """The `locale` parameter when we speak it, else Accept-Language (LocaleMiddleware), else Arabic."""
    locale = request.GET.get("locale", "").strip()
    if locale:
        try:
            return translation.get_supported_language_variant(translation.to_language(locale))
        except LookupError:
            pass
    return translation.get_language()


def open311_view(*methods: str) -> Callable:
    """Answer in the asked format and language; turn every refusal into the spec's error body."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs) -> HttpResponse:
            fmt = fmt.lower()
            language = _language(request)
            with translation.override(language):
                if fmt not in FORMATS:
                    response = respond_error(
                        Open311Error(
                            400,
                            _("The format %(format)s is not supported: use .json or .xml.")
                            % {"format": fmt},
                        ),
                        fmt=JSON,
                    )
                elif request.method not in methods:
                    response = respond_error(
                        Open311Error(
                            405,
                            _("The method %(method)s is not allowed here: use %(allowed)s.")
                            % {"method": request.method, "allowed": " or ".join(methods)},
                        ),
                        fmt=fmt,
                    )
                    response["Allow"] = ", ".join(methods)
                else:
                    try:
                        response = view(request, fmt=fmt, **kwargs)
                    except Open311Error as error:
                        response = respond_error(error, fmt=fmt)
            response["Content-Language"] = language
            patch_vary_headers(response, ("Accept-Language",))
            return response

        return wrapper

    return decorator


def _jurisdiction(request: HttpRequest) -> Organisation:
    slug = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    slug = slug.strip()
    if not slug:
        raise Open311Error(
            400,
            _("jurisdiction_id is required: the identifier of the organisation, such as tetouan."),
        )
    organisation = selectors.jurisdiction_get(slug=slug)
    if organisation is None:
        raise Open311Error(
            404, _("No organisation has the jurisdiction_id %(slug)s.") % {"slug": slug}
        )
    return organisation


def _base_url(request: HttpRequest) -> str:
    path = reverse("open311:discovery", kwargs={"fmt": JSON})
    return request.build_absolute_uri(path.rsplit("/", 1)[0] + "/")


@open311_view(*GET)
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    organisation = None
    if request.GET.get("jurisdiction_id", "").strip():
        organisation = _jurisdiction(request)
    if organisation is not None:
        reachable = " · ".join(
            part for part in (organisation.email, organisation.phone, organisation.website) if part
        )
        contact = _("%(organisation)s: %(contact)s") % {
            "organisation": organisation.name,
            "contact": reachable or request.build_absolute_uri(organisation.get_absolute_url()),
        }
    else:
        contact = _("Each organisation's contact details are on its page on this site.")
    data = serialise.discovery(
        base_url=_base_url(request),
        contact=contact,
        key_service=_(
            "An organisation's administrators issue partner application keys "
            "(with the open311 scope) in its staff area."
        ),
    )
    return respond(data, fmt=fmt, root="discovery")


@open311_view(*GET)
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    organisation = _jurisdiction(request)
    data = [
        serialise.service(category) for category in selectors.services_of(organisation=organisation)
    ]
    return respond(data, fmt=fmt, root="services", item="service")


@open311_view(*GET)
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    organisation = _jurisdiction(request)
    category = selectors.service_get(organisation=organisation, code=service_code)
    if category is None:
        raise Open311Error(
            404,
            _("%(organisation)s has no service_code %(code)s.")
            % {"organisation": organisation.name, "code": service_code},
        )
    return respond(serialise.service_definition(category), fmt=fmt, root="service_definition")


def _service_requests(request: HttpRequest, fmt: str, rows: list, categories: dict) -> HttpResponse:
    data = serialise.service_requests(
        rows, categories=categories, absolute=request.build_absolute_uri
    )
    return respond(data, fmt=fmt, root="service_requests", item="request")


@open311_view("GET", "HEAD", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    organisation = _jurisdiction(request)
    filters = params.parse_request_filters(request)
    categories = selectors.jurisdiction_categories(organisation=organisation)
    category_id = None
    if filters.service_code:
        category_id = next(
            (pk for pk, c in categories.items() if c.code == filters.service_code), None
        )
        if category_id is None:
            raise Open311Error(
                400,
                _("%(organisation)s has no service_code %(code)s.")
                % {"organisation": organisation.name, "code": filters.service_code},
            )
    page = selectors.requests_page(
        organisation_id=organisation.pk,
        references=filters.references,
        category_id=category_id,
        since=filters.since,
        until=filters.until,
        statuses=filters.statuses,
        page=filters.page,
        page_size=filters.page_size,
    )
    response = _service_requests(request, fmt, page.requests, categories)
    if page.has_next:
        query = request.GET.copy()
        query["page"] = str(filters.page + 1)
        response["Link"] = (
            f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        )
    return response


def _describe(error: ValidationError) -> list[str]:
    described = []
    by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for field, messages in by_field.items():
        if not field:
            described.extend(messages)
            continue
        if field.startswith("answer_"):
            name = f"attribute[{field.removeprefix('answer_')}]"
        else:
            name = _PARAMETERS.get(field, field)
        described.extend(f"{name}: {message}" for message in messages)
    return described


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    organisation = _jurisdiction(request)
    api_key = open311_partner_key(request=request, organisation=organisation)
    new = params.parse_new_request(request)
    category = selectors.service_get(organisation=organisation, code=new.service_code)
    if category is None:
        raise Open311Error(
            400,
            _("%(organisation)s has no service_code %(code)s.")
            % {"organisation": organisation.name, "code": new.service_code},
        )
    commune = None
    if new.latitude is None and new.commune_code:
        commune = selectors.commune_by_code(code=new.commune_code)
        if commune is None:
            raise Open311Error(
                400,
                _("commune_code %(code)s is not the HCP code of a commune or arrondissement.")
                % {"code": new.commune_code},
            )
    actor = Actor(
        user=None,
        ip_address=client_ip_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        api_key=api_key,
    )
    try:
        service_request = open311_request_create(
            category=category,
            description=new.description,
            latitude=new.latitude,
            longitude=new.longitude,
            commune=commune,
            address=new.address,
            answers=new.answers,
            photos=new.photos,
            contact_name=new.name,
            contact_email=new.email,
            contact_phone=new.phone,
            media_url=new.media_url,
            language=translation.get_language(),
            actor=actor,
        )
    except ValidationError as error:
        raise Open311Error(400, *_describe(error)) from None
    track_url = request.build_absolute_uri(service_request.get_absolute_url())
    notice = _("Tracking code %(code)s: follow this report at %(url)s.") % {
        "code": service_request.reference,
        "url": track_url,
    }
    data = [
        {
            "service_request_id": service_request.reference,
            "service_notice": f"{notice} {serialise.service_notice(category)}",
            "account_id": None,
        }
    ]
    return respond(data, fmt=fmt, root="service_requests", item="request")


@open311_view(*GET)
def service_request(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    organisation = _jurisdiction(request)
    categories = selectors.jurisdiction_categories(organisation=organisation)
    found = selectors.request_get(
        organisation_id=organisation.pk, reference=refcode_normalise(service_request_id)
    )
    if found is None:
        raise Open311Error(
            404,
            _("%(organisation)s has no service request %(id)s.")
            % {"organisation": organisation.name, "id": service_request_id},
        )
    return _service_requests(request, fmt, [found], categories)


@open311_view(*GET)
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """Requests are created at once, so a token is the request's own id (its tracking code)."""
    organisation = _jurisdiction(request)
    reference = refcode_normalise(token)
    if not selectors.request_reference_exists(organisation_id=organisation.pk, reference=reference):
        raise Open311Error(
            404,
            _("%(organisation)s has no service request for the token %(token)s.")
            % {"organisation": organisation.name, "token": token},
        )
    data = [{"service_request_id": reference, "token": token}]
    return respond(data, fmt=fmt, root="service_requests", item="request")


@csrf_exempt
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    fmt = path.rsplit(".", 1)[-1].lower() if "." in path else JSON
    with translation.override(_language(request)):
        return respond_error(
            Open311Error(
                404, _("There is no Open311 endpoint at %(path)s.") % {"path": request.path}
            ),
            fmt=fmt,
        )
