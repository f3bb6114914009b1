"""Public pages of the procedures app: the catalogue, applying and following an application."""

from django.urls import path

from jamaati.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my/", views.my_applications, name="my_applications"),
    path("my/<str:reference>/", views.application_detail, name="application"),
    path("my/<str:reference>/form/", views.application_form, name="form"),
    path("my/<str:reference>/autosave/", views.autosave, name="autosave"),
    path("my/<str:reference>/review/", views.review, name="review"),
    path("my/<str:reference>/submit/", views.submit, name="submit"),
    path("my/<str:reference>/receipt/", views.receipt, name="receipt"),
    path("my/<str:reference>/message/", views.message, name="message"),
    path("my/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("my/<str:reference>/files/<int:pk>/", views.document_file, name="file"),
    path("my/<str:reference>/files/<int:pk>/remove/", views.remove_file, name="remove_file"),
    path(
        "my/<str:reference>/attachments/<int:pk>/",
        views.message_attachment,
        name="attachment",
    ),
    path("<slug:organisation>/<slug:slug>/", views.procedure_detail, name="procedure"),
    path("<slug:organisation>/<slug:slug>/apply/", views.apply, name="apply"),
]
