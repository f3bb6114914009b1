"""Who is calling: GET /api/v1/me."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from jamaati.apikeys.auth import api_key_auth

router = Router(tags=["api keys"])


class OrganisationRef(Schema):
    slug: str
    name: str


class UserRef(Schema):
    id: int
    full_name: str


class MeOut(Schema):
    kind: str
    name: str
    prefix: str
    scopes: list[str]
    expires_at: dt.datetime | None
    user: UserRef | None
    role: str | None
    organisation: OrganisationRef | None


@router.get("/me", response=MeOut, auth=api_key_auth())
def me(request: HttpRequest) -> MeOut:
    """The key the request was made with, and who it acts as."""
    api_key = request.auth
    user = api_key.user
    return MeOut(
        kind=api_key.kind,
        name=api_key.name,
        prefix=api_key.prefix,
        scopes=api_key.scopes,
        expires_at=api_key.expires_at,
        user=UserRef(id=user.pk, full_name=user.get_full_name()) if user else None,
        role=api_key.membership.role if api_key.membership else None,
        organisation=(
            OrganisationRef(slug=api_key.organisation.slug, name=api_key.organisation.name)
            if api_key.organisation
            else None
        ),
    )
