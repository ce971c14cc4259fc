"""URL routes of the whole site."""

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    # The language switch needs no CSRF token: choosing a language changes nothing but a cookie, and a page
    # without a token can be cached whole for every anonymous visitor (docs/DECISIONS.md).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("tilannekuva.core.urls")),
    path("", include("tilannekuva.strategy.urls")),
    path("", include("tilannekuva.databank.urls")),
    path("", include("tilannekuva.dashboard.urls")),
    path("", include("tilannekuva.accounts.urls")),
    path("", include("tilannekuva.audit.urls")),
    path("", include("tilannekuva.followup.urls")),
    path("", include("tilannekuva.cooperation.urls")),
    path("", include("tilannekuva.surveys.urls")),
    path("", include("tilannekuva.funding.urls")),
    path("", include("tilannekuva.grants.urls")),
    path("", include("tilannekuva.statements.urls")),
    path("", include("tilannekuva.projects.urls")),
    path("", include("tilannekuva.discussion.urls")),
    path("", include("tilannekuva.calendars.urls")),
    path("", include("tilannekuva.reports.urls")),
    path("", include("tilannekuva.portal.urls")),
]

# While the database cannot be reached: 503 with Retry-After and what the person typed (core.views.server_error).
handler500 = "tilannekuva.core.views.server_error"
