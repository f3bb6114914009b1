"""The no-code form builder for organisation admins, under /<lang>/staff/procedures/builder/."""

from django.urls import path

from jamaati.procedures import views_builder as views

app_name = "procedures_builder"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.form_page, name="form"),
    path("<int:pk>/add-section/", views.section_add, name="section_add"),
    path("<int:pk>/sections/<str:key>/", views.section_edit, name="section_edit"),
    path("<int:pk>/sections/<str:key>/move/", views.section_move, name="section_move"),
    path("<int:pk>/sections/<str:key>/delete/", views.section_delete, name="section_delete"),
    path("<int:pk>/add-field/", views.field_add, name="field_add"),
    path("<int:pk>/fields/<str:key>/", views.field_edit, name="field_edit"),
    path("<int:pk>/fields/<str:key>/move/", views.field_move, name="field_move"),
    path("<int:pk>/fields/<str:key>/delete/", views.field_delete, name="field_delete"),
    path("<int:pk>/conditions/<str:key>/", views.condition, name="condition"),
    path("<int:pk>/conditions/<str:key>/remove/", views.condition_remove, name="condition_remove"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/reset/", views.reset, name="reset"),
    path("<int:pk>/preview/<str:language>/", views.preview, name="preview"),
    path(
        "<int:pk>/versions/<int:number>/<str:language>/",
        views.version_preview,
        name="version_preview",
    ),
]
