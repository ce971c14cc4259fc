"""Addresses of the discussion, under a region."""

from django.urls import path

from . import views

app_name = "discussion"
urlpatterns = [
    path("regions/<slug:region_slug>/discussion/", views.index, name="index"),
    path("regions/<slug:region_slug>/discussion/comments/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("regions/<slug:region_slug>/discussion/<slug:subject>/<slug:key>/", views.subject_thread, name="thread"),
]
