from django.urls import path

from . import views

app_name = "databank"
urlpatterns = [
    path("data/", views.catalogue, name="catalogue"),
    path("data/imports/", views.import_jobs, name="import_jobs"),
    path("data/<slug:source_key>/<str:external_id>/", views.indicator_page, name="indicator"),
    path(
        "data/<slug:source_key>/<str:external_id>/bind/<slug:region_slug>/",
        views.bind_indicator,
        name="bind",
    ),
]
