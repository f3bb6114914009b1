"""Background work of the programmes app: a staff import, run as a Celery task.

Without a broker (CELERY_BROKER_URL empty) the task runs eagerly inside the request that sent
the file, and the page it redirects to finds it finished; with a broker a worker runs it and
the page polls its progress. Progress and the report live in the cache (`import_state`), so
with a broker the cache must be shared with the worker (Redis: CACHE_URL).
The file waits in the default storage and is deleted once read. The import itself is
`importing.projects_import`: every row in one transaction, nothing written if any row fails.
"""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.utils import translation

from jamaati.core.actors import Actor
from jamaati.organisations.models import Organisation
from jamaati.programmes import importing

STATE_TTL = 24 * 60 * 60


def import_key(job: str) -> str:
    return f"programmes:import:{job}"


def import_state(job: str) -> dict | None:
    return cache.get(import_key(job))


def import_state_set(job: str, **changes) -> dict:
    state = {**(cache.get(import_key(job)) or {}), **changes}
    cache.set(import_key(job), state, STATE_TTL)
    return state


@shared_task(name="programmes.import_file")
def import_file(
    job: str,
    *,
    organisation_id: int,
    user_id: int,
    path: str,
    ip_address: str | None = None,
    user_agent: str = "",
    language: str = "ar",
) -> None:
    """Run one staff import, writing its progress and report into the cache as it goes."""
    user = get_user_model().objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    actor = Actor(user=user, ip_address=ip_address, user_agent=user_agent)
    import_state_set(job, state="running", done=0)

    def progress(done: int, total: int) -> None:
        # Every 20 rows (and the last): a cache write per row would slow a big import.
        if done == total or done % 20 == 0:
            import_state_set(job, done=done, total=total)

    try:
        with default_storage.open(path, "rb") as file, translation.override(language):
            data = file.read()
            report = importing.projects_import(
                organisation=organisation, file=data, actor=actor, progress=progress
            )
    except importing.ImportFileError as error:
        import_state_set(job, state="failed", error=str(error))
    except PermissionDenied as error:
        import_state_set(job, state="failed", error=str(error))
    else:
        import_state_set(
            job,
            state="done",
            kind=report.kind,
            rows=report.rows,
            created=report.created,
            errors=[(e.row, e.column, e.message) for e in report.errors],
        )
    finally:
        default_storage.delete(path)
