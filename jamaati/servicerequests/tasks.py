from celery import shared_task

from jamaati.servicerequests.services import servicerequests_escalate_overdue


@shared_task(name="servicerequests.escalate_overdue")
def escalate_overdue_task() -> int:
    """Run by Celery beat: flag overdue requests and tell their department heads."""
    return servicerequests_escalate_overdue()
