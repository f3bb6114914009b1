"""Open data files of the programmes app, under /open-data/ (no language prefix)."""

from django.urls import path

from jamaati.programmes import views_opendata

app_name = "opendata"
urlpatterns = [
    path("<slug:slug>/oc4ids.json", views_opendata.oc4ids_package, name="oc4ids"),
    path("<slug:slug>/iati.xml", views_opendata.iati_activities, name="iati"),
    path("<slug:slug>/projects.csv", views_opendata.projects_csv, name="projects_csv"),
    path("<slug:slug>/transactions.csv", views_opendata.transactions_csv, name="transactions_csv"),
]
