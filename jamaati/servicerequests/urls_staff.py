from django.urls import path

from jamaati.servicerequests import views_staff

app_name = "staff_requests"
urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("map/", views_staff.queue_map, name="map"),
    path("map.geojson", views_staff.queue_map_data, name="map_data"),
    path("bulk/", views_staff.bulk_action, name="bulk"),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/status/", views_staff.change_status, name="status"),
    path("<int:pk>/assign/", views_staff.assign, name="assign"),
    path("<int:pk>/comment/", views_staff.comment, name="comment"),
    path("<int:pk>/transfer/", views_staff.transfer, name="transfer"),
    path("<int:pk>/merge/", views_staff.merge, name="merge"),
    path("<int:pk>/contact/", views_staff.reveal_contact, name="contact"),
    path("<int:pk>/photos/<int:photo_pk>/", views_staff.photo, name="photo"),
    path(
        "<int:pk>/photos/<int:photo_pk>/approve/",
        views_staff.photo_approve,
        name="photo_approve",
    ),
]
