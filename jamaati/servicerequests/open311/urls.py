"""GeoReport v2 routes: each endpoint with a `.json` or `.xml` suffix (others get a 400)."""

from django.urls import re_path

from jamaati.servicerequests.open311 import views

app_name = "open311"
_FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
urlpatterns = [
    re_path(r"^discovery" + _FMT, views.discovery, name="discovery"),
    re_path(r"^services" + _FMT, views.services, name="services"),
    re_path(
        r"^services/(?P<service_code>[^/]+?)" + _FMT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^requests" + _FMT, views.service_requests, name="requests"),
    # The spec's path, and the singular one of its Swagger file, which clients also use.
    re_path(
        r"^requests/(?P<service_request_id>[^/]+?)" + _FMT,
        views.service_request,
        name="request",
    ),
    re_path(
        r"^request/(?P<service_request_id>[^/]+?)" + _FMT,
        views.service_request,
        name="request_singular",
    ),
    re_path(r"^tokens/(?P<token>[^/]+?)" + _FMT, views.token, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
