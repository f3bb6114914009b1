from django.urls import path

from jamaati.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.region_list, name="regions"),
    path("search/", views.territory_search, name="search"),
    path("<str:code>/", views.territory_detail, name="detail"),
    path("<str:code>/map.geojson", views.territory_map, name="map"),
]
