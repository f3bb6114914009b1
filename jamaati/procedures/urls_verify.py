"""Issued documents: the public verification page reached by their QR code, under /<lang>/verify/,
and the pages and PDF downloads of a document for its applicant and for staff."""

from django.urls import path

from jamaati.procedures import views_documents, views_verify

app_name = "verify"
urlpatterns = [
    path("documents/<int:pk>/", views_documents.citizen_document, name="citizen_document"),
    path("documents/<int:pk>/pdf/", views_documents.citizen_download, name="download"),
    path("staff/<int:pk>/", views_documents.staff_document, name="staff_document"),
    path("staff/<int:pk>/pdf/", views_documents.staff_download, name="staff_download"),
    path("<str:token>/", views_verify.verify_document, name="document"),
]
