from django.urls import path

from . import api, views

app_name = "reports"
urlpatterns = [
    path("regions/<slug:region_slug>/reports/", views.index, name="index"),
    path("regions/<slug:region_slug>/reports/<int:year>/", views.report, name="report"),
    path("regions/<slug:region_slug>/reports/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("regions/<slug:region_slug>/reports/<int:year>/gaps/", views.gaps, name="gaps"),
    path("regions/<slug:region_slug>/reports/<int:year>/welfare/<str:code>/", views.welfare, name="welfare"),
    path(
        "regions/<slug:region_slug>/reports/<int:year>/welfare/<str:code>/report.pdf",
        views.welfare_pdf,
        name="welfare_pdf",
    ),
    path("regions/<slug:region_slug>/reports/builds/", views.builds, name="builds"),
    path("regions/<slug:region_slug>/reports/builds/new/", views.build_create, name="build_create"),
    path("regions/<slug:region_slug>/reports/builds/<int:pk>/download/", views.build_download, name="build_download"),
    path("regions/<slug:region_slug>/snapshots/new/", views.snapshot_create, name="snapshot_create"),
    path("regions/<slug:region_slug>/snapshots/<int:pk>/", views.snapshot, name="snapshot"),
    path("regions/<slug:region_slug>/snapshots/<int:pk>/report/", views.snapshot_report, name="snapshot_report"),
    path("regions/<slug:region_slug>/snapshots/<int:pk>/report.pdf", views.snapshot_pdf, name="snapshot_pdf"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/openapi.json", api.openapi_json, name="api_openapi"),
    path("api/v1/regions/", api.regions, name="api_regions"),
    path("api/v1/regions/<str:region>/", api.region, name="api_region"),
    path("api/v1/regions/<str:region>/strategy/", api.strategy, name="api_strategy"),
    path("api/v1/regions/<str:region>/surveys/", api.surveys, name="api_surveys"),
    path("api/v1/surveys/<int:id>/results", api.survey_results, name="api_survey_results"),
    path("api/v1/indicators/", api.indicators, name="api_indicators"),
    path("api/v1/indicators/<str:indicator>/", api.indicator, name="api_indicator"),
    path("api/v1/observations/", api.observations, name="api_observations"),
]
