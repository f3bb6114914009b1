from django.urls import path

from jamaati.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<slug:slug>/", views.organisation_home, name="home"),
    path("<slug:slug>/brand.css", views.organisation_brand_css, name="brand_css"),
]
