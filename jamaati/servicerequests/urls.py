from django.urls import path

from jamaati.servicerequests import views

app_name = "servicerequests"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("map.json", views.map_json, name="map_json"),
    path("new/", views.report_new, name="new"),
    path("new/nearby/", views.report_nearby, name="nearby"),
    path("mine/", views.my_reports, name="mine"),
    path("stats/<str:code>/", views.commune_stats, name="stats"),
    path("track/", views.track_form, name="track_form"),
    path("track/<str:reference>/", views.track, name="track"),
    path("track/<str:reference>/receipt/", views.receipt, name="receipt"),
    path("track/<str:reference>/support/", views.support, name="support"),
    path("track/<str:reference>/follow/", views.follow, name="follow"),
    path("track/<str:reference>/reopen/", views.reopen, name="reopen"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
