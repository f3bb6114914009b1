from django.urls import path

from jamaati.servicerequests import views

app_name = "servicerequests"
urlpatterns = [
    path("track/<str:reference>/", views.track, name="track"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
