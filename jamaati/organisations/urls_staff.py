from django.urls import path

from jamaati.organisations import views_staff

app_name = "staff"
urlpatterns = [
    path("", views_staff.staff_home, name="home"),
    path("o/<slug:slug>/", views_staff.organisation_overview, name="organisation"),
    path("o/<slug:slug>/members/", views_staff.member_list, name="members"),
    path("o/<slug:slug>/members/add/", views_staff.member_add, name="member_add"),
    path(
        "o/<slug:slug>/members/<int:pk>/deactivate/",
        views_staff.member_deactivate,
        name="member_deactivate",
    ),
    path("o/<slug:slug>/departments/", views_staff.department_list, name="departments"),
    path(
        "o/<slug:slug>/departments/<int:pk>/", views_staff.department_edit, name="department_edit"
    ),
    path("o/<slug:slug>/profile/", views_staff.organisation_profile, name="profile"),
    path("o/<slug:slug>/api-keys/", views_staff.api_key_list, name="api_keys"),
    path(
        "o/<slug:slug>/api-keys/<int:pk>/revoke/",
        views_staff.api_key_revoke,
        name="api_key_revoke",
    ),
]
