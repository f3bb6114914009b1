"""The Celery application: eager in process by default, a real broker when configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamaati.settings")

app = Celery("jamaati")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
