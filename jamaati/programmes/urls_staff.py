"""Staff pages of the programmes app, under /<lang>/staff/programmes/."""

from django.urls import path

from jamaati.programmes import views_staff

app_name = "staff_programmes"
urlpatterns = [
    path("", views_staff.projects, name="projects"),
    path("dashboard/", views_staff.dashboard, name="dashboard"),
    path("import/", views_staff.import_start, name="import"),
    path("import/<str:job>/", views_staff.import_job, name="import_job"),
    path("<int:pk>/", views_staff.project, name="project"),
    path("<int:pk>/edit/", views_staff.project_edit, name="edit"),
    path("<int:pk>/progress/", views_staff.project_progress, name="progress"),
    path("<int:pk>/transactions/", views_staff.project_transaction, name="transaction"),
    path("<int:pk>/status/", views_staff.project_status, name="status"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/reach/",
        views_staff.milestone_reach,
        name="milestone_reach",
    ),
]
