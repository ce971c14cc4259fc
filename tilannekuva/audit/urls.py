"""Routes of the audit trail: a region's trail page and its CSV export."""

from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("regions/<slug:region_slug>/audit/", views.region_trail, name="region"),
    path("regions/<slug:region_slug>/audit/export.csv", views.region_export, name="export"),
]
