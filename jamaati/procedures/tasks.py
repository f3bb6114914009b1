from celery import shared_task

from jamaati.procedures.services import applications_approve_tacitly


@shared_task(name="procedures.approve_tacitly")
def approve_tacitly_task() -> int:
    """Run by Celery beat: approve by silence the applications whose legal deadline passed."""
    return applications_approve_tacitly()
