"""Who does something: the user, in which membership, from where.

Every service that changes state takes `actor: Actor` so the audit log can say
who did what, in which role and from which address, without the service ever
touching the HTTP request.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

    from jamaati.accounts.models import User
    from jamaati.apikeys.models import ApiKey
    from jamaati.organisations.models import Membership, Organisation

USER_AGENT_MAX_LENGTH = 300


@dataclass(frozen=True)
class Actor:
    """The author of an action.

    `user` is None for the system itself (scheduled jobs) and for a partner
    application, which acts through its `api_key` on behalf of its organisation.
    """

    user: User | None
    membership: Membership | None = None
    ip_address: str | None = None
    user_agent: str = ""
    api_key: ApiKey | None = None

    @classmethod
    def from_request(cls, request: HttpRequest, membership: Membership | None = None) -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(
            user=user,
            membership=membership,
            ip_address=client_ip_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        )

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None)

    @classmethod
    def from_api_request(cls, request: HttpRequest) -> Actor:
        """The actor behind a request authenticated by an API key (`request.auth`)."""
        api_key = request.auth
        return cls(
            user=api_key.user,
            membership=api_key.membership,
            ip_address=client_ip_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
            api_key=api_key,
        )

    @property
    def organisation(self) -> Organisation | None:
        if self.membership is not None:
            return self.membership.organisation
        if self.api_key is not None:
            return self.api_key.organisation
        return None

    @property
    def is_platform_admin(self) -> bool:
        return bool(self.user is not None and self.user.is_active and self.user.is_superuser)

    def __str__(self) -> str:
        if self.user is not None:
            return str(self.user)
        if self.api_key is not None:
            return str(self.api_key)
        return "system"


def client_ip_address(request: Any) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only behind our own proxy.

    Behind one trusted reverse proxy, the proxy appends the address it saw to
    X-Forwarded-For, so the right-most entry is the only one a client cannot
    forge. Without that setting the header is ignored entirely.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            candidate = forwarded[-1]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
