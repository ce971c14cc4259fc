"""URL routes of the whole site."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("tilannekuva.core.urls")),
    path("", include("tilannekuva.strategy.urls")),
    path("", include("tilannekuva.databank.urls")),
    path("", include("tilannekuva.dashboard.urls")),
]
