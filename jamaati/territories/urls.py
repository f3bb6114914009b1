from django.urls import path

from jamaati.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.region_list, name="regions"),
]
