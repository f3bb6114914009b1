"""Reference data kept in each process, invalidated across processes through Django's cache.

Hot paths (an Open311 POST, a page of requests) read the same few rows every time: an
organisation by its slug, its categories and their questions, who is competent where, a
partner's key. Building those queries costs more CPU than running them. A `RefCache` keeps
what a loader returned in this process for at most `ttl` seconds, under a namespace whose
**generation** number lives in Django's cache (`CACHES["default"]`):

- a write that changes the data calls `bump()`, which raises the generation after the commit;
- every `get()` reads the generation (one cache read) and reloads when it moved.

So invalidation is immediate in one process and across processes that share a Redis cache
(`CACHE_URL`); with the in-process cache and several workers, another worker sees the change
within `ttl` seconds at most. Values are shared by every request of the process: treat them
as read-only. See docs/adr/0007-hot-path-caches.md.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
_MISSING = object()
_registry: list[RefCache] = []


class RefCache:
    """A per-process memo of reference data, keyed, with a shared generation and a TTL."""

    def __init__(self, namespace: str, *, ttl: float = 60.0, max_entries: int = 50_000):
        self.namespace = namespace
        self.ttl = ttl
        self.max_entries = max_entries
        self._generation_key = f"refcache:{namespace}:generation"
        self._entries: dict[Hashable, tuple[Any, int, float]] = {}
        self._lock = threading.Lock()
        _registry.append(self)

    def _generation(self) -> int:
        return cache.get(self._generation_key, 0)

    def get(self, key: Hashable, loader: Callable[[], T]) -> T:
        """The value for `key`, from this process when still current, else from `loader()`."""
        return self.get_many([key], lambda keys: {key: loader()})[key]

    def get_many(
        self, keys: list[Hashable], loader: Callable[[list[Hashable]], dict[Hashable, Any]]
    ) -> dict[Hashable, Any]:
        """Values for `keys`: current ones from this process, the rest from one `loader(missing)`.

        A key the loader does not return is left out of the answer (and not remembered).
        """
        generation = self._generation()
        now = time.monotonic()
        found: dict[Hashable, Any] = {}
        missing = []
        for key in keys:
            entry = self._entries.get(key, _MISSING)
            if entry is not _MISSING and entry[1] == generation and now < entry[2]:
                found[key] = entry[0]
            else:
                missing.append(key)
        if missing:
            loaded = loader(missing)
            with self._lock:
                if len(self._entries) + len(loaded) > self.max_entries:
                    self._entries.clear()
                for key, value in loaded.items():
                    self._entries[key] = (value, generation, now + self.ttl)
            found.update(loaded)
        return found

    def bump(self) -> None:
        """Mark every value of the namespace stale: in this process now, in every process at commit."""
        self.clear_local()
        transaction.on_commit(self._bump_now)

    def _bump_now(self) -> None:
        try:
            cache.incr(self._generation_key)
        except ValueError:  # not set yet (or evicted): any new number will do
            cache.set(self._generation_key, int(time.time() * 1000) % 1_000_000_000 + 1, None)
        self._entries.clear()

    def clear_local(self) -> None:
        with self._lock:
            self._entries.clear()


def refcaches_clear_local() -> None:
    """Forget every process-local value (tests call this between tests)."""
    for refcache in _registry:
        refcache.clear_local()


def refcaches_bump_all() -> None:
    """Mark every cached value stale everywhere (at commit): for bulk writes that fire no signal.

    `bulk_create`, `bulk_update` and `update()` send no `post_save`, so the receivers that
    invalidate one namespace never hear of them; a loader that rewrites reference data in bulk
    calls this instead.
    """
    for refcache in _registry:
        refcache.bump()
