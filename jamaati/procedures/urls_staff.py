"""Staff pages of the procedures app, under /<lang>/staff/procedures/."""

from django.urls import path

from jamaati.procedures import views_staff

app_name = "staff_procedures"
urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("overdue/", views_staff.overdue, name="overdue"),
    path("opinions/", views_staff.opinions, name="opinions"),
    path("opinions/<int:pk>/", views_staff.opinion, name="opinion"),
    path("counter/", views_staff.counter, name="counter"),
    path("counter/<int:procedure_pk>/", views_staff.counter_file, name="counter_file"),
    path("statistics/", views_staff.statistics, name="statistics"),
    path(
        "procedures/<int:procedure_pk>/export.<str:fmt>",
        views_staff.export,
        name="export",
    ),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/start/", views_staff.start, name="start"),
    path("<int:pk>/completion/", views_staff.request_completion, name="completion"),
    path("<int:pk>/opinions/", views_staff.request_opinions, name="request_opinions"),
    path("<int:pk>/decide/", views_staff.decide, name="decide"),
    path("<int:pk>/note/", views_staff.note, name="note"),
    path("<int:pk>/message/", views_staff.message, name="message"),
    path("<int:pk>/receipt/", views_staff.receipt, name="receipt"),
    path(
        "<int:pk>/documents/<int:document_pk>/revoke/",
        views_staff.revoke_document,
        name="revoke_document",
    ),
    path("<int:pk>/files/<int:document_pk>/", views_staff.document_file, name="file"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views_staff.message_attachment,
        name="attachment",
    ),
]
