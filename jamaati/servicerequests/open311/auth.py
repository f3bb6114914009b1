"""The `api_key` of POST requests: a partner key of the jurisdiction, with the open311 scope."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jamaati.apikeys.auth import API_KEY_HEADER, API_KEY_QUERY_PARAMETER
from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.scopes import OPEN311
from jamaati.apikeys.services import apikey_authenticate
from jamaati.organisations.models import Organisation
from jamaati.servicerequests.demo import open311_demo_key_authenticate
from jamaati.servicerequests.open311.errors import Open311Error
from jamaati.servicerequests.open311.params import param


def open311_partner_key(*, request: HttpRequest, organisation: Organisation) -> ApiKey:
    """The partner key sent with the request, or Open311Error 403 when it is missing or not valid here."""
    raw_key = param(request, API_KEY_QUERY_PARAMETER) or request.headers.get(API_KEY_HEADER, "")
    if not raw_key:
        raise Open311Error(
            403,
            _("api_key is required: ask %(organisation)s for a partner application key.")
            % {"organisation": organisation.name},
        )
    api_key = apikey_authenticate(raw_key) or open311_demo_key_authenticate(raw_key)
    if api_key is None:
        raise Open311Error(403, _("This api_key is not valid: it is wrong, expired or revoked."))
    if api_key.kind != ApiKey.Kind.PARTNER or api_key.organisation_id != organisation.pk:
        raise Open311Error(
            403,
            _("This api_key is not a partner application key of %(organisation)s.")
            % {"organisation": organisation.name},
        )
    if not api_key.has_scopes({OPEN311}):
        raise Open311Error(403, _("This api_key does not have the open311 scope."))
    return api_key
