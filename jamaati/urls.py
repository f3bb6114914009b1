from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from jamaati.api import api
from jamaati.core import views as core_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("jamaati.servicerequests.open311.urls")),
    path("open-data/", include("jamaati.programmes.urls_opendata")),
    path("healthz", core_views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("accounts/", include("jamaati.accounts.urls")),
    path("territories/", include("jamaati.territories.urls")),
    path("o/", include("jamaati.organisations.urls")),
    path("requests/", include("jamaati.servicerequests.urls")),
    path("procedures/", include("jamaati.procedures.urls")),
    path("verify/", include("jamaati.procedures.urls_verify")),
    path("programmes/", include("jamaati.programmes.urls")),
    path("admin/", admin.site.urls),
    path("audit/", include("jamaati.audit.urls")),
    path("staff/requests/", include("jamaati.servicerequests.urls_staff")),
    path("staff/procedures/builder/", include("jamaati.procedures.urls_builder")),
    path("staff/procedures/", include("jamaati.procedures.urls_staff")),
    path("staff/programmes/", include("jamaati.programmes.urls_staff")),
    path("staff/", include("jamaati.organisations.urls_staff")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
