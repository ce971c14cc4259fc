"""Addresses of the projects, under a region."""

from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("regions/<slug:region_slug>/projects/", views.project_list, name="list"),
    path("regions/<slug:region_slug>/projects/<int:pk>/", views.project_detail, name="detail"),
]
