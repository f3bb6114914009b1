from django.urls import path

from jamaati.organisations import views

app_name = "organisations"
urlpatterns = [
    path("<slug:slug>/", views.organisation_home, name="home"),
]
