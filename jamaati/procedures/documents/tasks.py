"""Render issued documents in the background, after the transaction that issued them commits.

Eager (in process) by default, on a worker when a broker is configured (settings.CELERY_*).
The download views and the verification page also render a document not rendered yet, so a
lost task costs a delay, never a missing document.
"""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.db import transaction

from jamaati.procedures.models import IssuedDocument

TASK_NAME = "procedures.render_document"


@shared_task(name=TASK_NAME, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_document_task(document_pk: int) -> str:
    """Render and store the PDF of one issued document; return its file name."""
    from jamaati.procedures.documents.render import document_render

    return document_render(document=document_pk).rendered_file.name


def document_render_after_commit(document: IssuedDocument) -> None:
    """Schedule the PDF of `document` once the current transaction commits (the domain's hook)."""
    transaction.on_commit(partial(render_document_task.delay, document.pk))
