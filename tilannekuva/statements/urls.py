"""Addresses of the statement rounds, all under a region."""

from django.urls import path

from . import views

app_name = "statements"
urlpatterns = [
    path("regions/<slug:region_slug>/statements/", views.index, name="index"),
    path("regions/<slug:region_slug>/statements/new/<int:year>/", views.new_round, name="new"),
    path("regions/<slug:region_slug>/statements/<int:pk>/", views.round_detail, name="round"),
    path("regions/<slug:region_slug>/statements/<int:pk>/give/", views.give, name="give"),
    path("regions/<slug:region_slug>/statements/<int:pk>/close/", views.close, name="close"),
    path(
        "regions/<slug:region_slug>/statements/<int:pk>/statements/<int:statement_pk>/answer/",
        views.answer,
        name="answer",
    ),
    path(
        "regions/<slug:region_slug>/statements/<int:pk>/statements/<int:statement_pk>/document/",
        views.document,
        name="document",
    ),
]
