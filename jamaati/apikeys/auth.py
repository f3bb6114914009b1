"""django-ninja authentication by API key.

- `ApiKeyAuth`: `Authorization: Bearer <key>`, or the `X-Api-Key` header;
- `ApiKeyHeaderAuth`: the `X-Api-Key` header alone (documents it in OpenAPI);
- `ApiKeyQueryAuth`: the `api_key` query parameter, as Open311 clients send it.

Each takes the scopes an endpoint needs: a valid key without them gets a 403,
a missing or wrong key a 401. On success `request.auth` is the `ApiKey`, and
for a staff token `request.user` is its staff member.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, APIKeyQuery, HttpBearer

from jamaati.apikeys.models import ApiKey
from jamaati.apikeys.services import apikey_authenticate

API_KEY_HEADER = "X-Api-Key"
API_KEY_QUERY_PARAMETER = "api_key"


class _ScopedKeyMixin:
    def __init__(self, scopes: Iterable[str] = ()) -> None:
        self.required_scopes = frozenset(scopes)
        super().__init__()

    def _check(self, request: HttpRequest, raw_key: str | None) -> ApiKey | None:
        if not raw_key:
            return None
        api_key = apikey_authenticate(raw_key)
        if api_key is None:
            return None
        if not api_key.has_scopes(self.required_scopes):
            raise HttpError(403, _("This key does not have the scope this needs."))
        if api_key.user is not None:
            request.user = api_key.user
        return api_key


class ApiKeyAuth(_ScopedKeyMixin, HttpBearer):
    """`Authorization: Bearer <key>`; the `X-Api-Key` header is accepted too."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return super().__call__(request)
        return self._check(request, request.headers.get(API_KEY_HEADER))

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return self._check(request, token)


class ApiKeyHeaderAuth(_ScopedKeyMixin, APIKeyHeader):
    param_name = API_KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        return self._check(request, key)


class ApiKeyQueryAuth(_ScopedKeyMixin, APIKeyQuery):
    param_name = API_KEY_QUERY_PARAMETER

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        return self._check(request, key)


def api_key_auth(scopes: Iterable[str] = ()) -> list:
    """The `auth=` value of an endpoint taking a key by bearer or header, both shown in OpenAPI."""
    return [ApiKeyAuth(scopes), ApiKeyHeaderAuth(scopes)]
