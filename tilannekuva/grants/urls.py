from django.urls import path

from . import round_views, views

app_name = "grants"
urlpatterns = [
    path("regions/<slug:region_slug>/grants/", views.index, name="index"),
    path("regions/<slug:region_slug>/grants/report/", views.report, name="report"),
    path("regions/<slug:region_slug>/grants/overlap/", views.overlap, name="overlap"),
    path("regions/<slug:region_slug>/grants/priorities/<int:year>/", views.priorities, name="priorities"),
    path("regions/<slug:region_slug>/grants/priorities/<int:year>/propose/", views.propose, name="propose"),
    path("regions/<slug:region_slug>/grants/priorities/<int:year>/add/", views.priority_add, name="priority_add"),
    path("regions/<slug:region_slug>/grants/priorities/<int:year>/publish/", views.publish, name="publish"),
    path("regions/<slug:region_slug>/grants/priority/<int:pk>/", views.priority_edit, name="priority_edit"),
    path("regions/<slug:region_slug>/grants/rounds/<int:pk>/", views.round_detail, name="round"),
    path("regions/<slug:region_slug>/grants/rounds/<int:pk>/apply/", views.apply, name="apply"),
    path("regions/<slug:region_slug>/grants/rounds/<int:pk>/manage/", views.manage, name="manage"),
    path("regions/<slug:region_slug>/grants/rounds/<int:pk>/reviewers/", views.reviewers, name="reviewers"),
    path("regions/<slug:region_slug>/grants/rounds/<int:pk>/decide/", views.decide, name="decide"),
    path("regions/<slug:region_slug>/grants/rounds/<int:pk>/close/", round_views.close_round, name="close"),
    path("regions/<slug:region_slug>/grants/rounds/<int:pk>/decisions.<str:fmt>", round_views.export, name="export"),
    path("regions/<slug:region_slug>/grants/applications/<int:pk>/", views.application, name="application"),
    path("regions/<slug:region_slug>/grants/applications/<int:pk>/score/", views.score, name="score"),
    path(
        "regions/<slug:region_slug>/grants/applications/<int:pk>/conflict/",
        round_views.declare_conflict,
        name="conflict",
    ),
    path("regions/<slug:region_slug>/grants/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("grants/applications/<str:token>/", views.application_status, name="status"),
]
