"""Public pages of the programmes app, under /<lang>/programmes/."""

from django.urls import path

from jamaati.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.index, name="index"),
    path("commune/<str:code>/", views.commune, name="commune"),
    path("partners/<slug:slug>/", views.partner, name="partner"),
    path("<slug:slug>/", views.organisation, name="organisation"),
    path("<slug:organisation>/programmes/<slug:slug>/", views.programme, name="programme"),
    path("<slug:organisation>/projects/<str:code>/", views.project, name="project"),
    path("<slug:organisation>/conventions/<str:reference>/", views.convention, name="convention"),
    path("<slug:organisation>/committees/<slug:slug>/", views.committee, name="committee"),
]
