"""Addresses of the co-operation pages, all under a region."""

from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("regions/<slug:region_slug>/actions/", views.actions, name="actions"),
    path("regions/<slug:region_slug>/actions/<slug:action_key>/", views.action, name="action"),
    path("regions/<slug:region_slug>/groups/", views.groups, name="groups"),
    path("regions/<slug:region_slug>/groups/<slug:group_key>/", views.group, name="group"),
    path(
        "regions/<slug:region_slug>/groups/<slug:group_key>/meetings/<int:meeting_id>/",
        views.meeting,
        name="meeting",
    ),
    path("regions/<slug:region_slug>/counterparts/", views.counterparts, name="counterparts"),
    path("regions/<slug:region_slug>/counterparts/<int:pair_id>/", views.counterpart, name="counterpart"),
    path("regions/<slug:region_slug>/agreements/", views.agreements, name="agreements"),
    path("regions/<slug:region_slug>/agreements/<int:agreement_id>/", views.agreement, name="agreement"),
    path(
        "regions/<slug:region_slug>/agreements/<int:agreement_id>/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("regions/<slug:region_slug>/versions/", views.versions, name="versions"),
    path("regions/<slug:region_slug>/versions/<int:year>/copy/", views.version_copy, name="version_copy"),
    path("regions/<slug:region_slug>/versions/<int:year>/approve/", views.version_approve, name="version_approve"),
    path("regions/<slug:region_slug>/process/", views.process, name="process"),
]
