from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("ponti.reports.urls")),
    path("", include("ponti.core.urls")),
    path("accounts/", include("ponti.accounts.urls")),
    path("gestione/", include("ponti.accounts.office_urls")),
    path("oidc/", include("ponti.accounts.oidc_urls")),  # single sign-on, 404 unless configured
    path("partner/", include("ponti.partners.urls")),
    path("accordi/", include("ponti.agreements.urls")),
    path("reti/", include("ponti.networks.urls")),
    path("incontri/", include("ponti.meetings.urls")),
    path("programmazione/", include("ponti.planning.urls")),
    path("opportunita/", include("ponti.opportunities.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
