from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("regions/<slug:region_slug>/dashboard/", views.dashboard, name="dashboard"),
    path("regions/<slug:region_slug>/dashboard/metrics/<slug:metric_key>/", views.metric_page, name="metric"),
    path(
        "regions/<slug:region_slug>/dashboard/metrics/<slug:metric_key>/compare/",
        views.comparison,
        name="comparison",
    ),
    path(
        "regions/<slug:region_slug>/dashboard/metrics/<slug:metric_key>/data.<str:fmt>",
        views.metric_download,
        name="download",
    ),
    path(
        "regions/<slug:region_slug>/dashboard/municipalities/<str:code>/",
        views.municipality,
        name="municipality",
    ),
]
