"""What Jamaati stores about a person, gathered from every module (law 09-08).

Each module that keeps rows about a person registers a provider:

    from jamaati.accounts import personal_data

    @personal_data.register
    class ServiceRequestData:
        key = "service_requests"
        title = _("Service requests")

        def collect(self, user) -> list[dict]:
            return [{"tracking code": r.code, ...} for r in ...]

        def erase(self, user) -> None:
            ...  # delete the rows, or detach them and blank the personal fields

`collect` returns rows of plain JSON-able values (keys are shown as column
headings; use translated labels). `erase` runs inside the account-deletion
transaction, before the account itself is blanked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from jamaati.accounts.models import User


class PersonalDataProvider(Protocol):
    key: str
    title: str | Promise

    def collect(self, user: User) -> list[dict[str, Any]]: ...

    def erase(self, user: User) -> None: ...


@dataclass(frozen=True)
class PersonalDataSection:
    key: str
    title: str
    rows: list[dict[str, Any]]


_providers: dict[str, PersonalDataProvider] = {}


def register(provider: PersonalDataProvider | type) -> Any:
    """Register a provider (an instance, or a class with no constructor arguments)."""
    instance = provider() if isinstance(provider, type) else provider
    for attribute in ("key", "title", "collect", "erase"):
        if not hasattr(instance, attribute):
            raise TypeError(f"A personal data provider needs a {attribute!r} attribute.")
    if instance.key in _providers and type(_providers[instance.key]) is not type(instance):
        raise ValueError(f"A personal data provider is already registered as {instance.key!r}.")
    _providers[instance.key] = instance
    return provider


def unregister(key: str) -> None:
    _providers.pop(key, None)


def providers() -> list[PersonalDataProvider]:
    return list(_providers.values())
