from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("my-tasks/", views.landing, name="landing"),
    path("regions/<slug:region_slug>/followup/", views.overview, name="overview"),
    path("regions/<slug:region_slug>/followup/open/", views.open_period, name="open"),
    path("regions/<slug:region_slug>/followup/mine/", views.my_tasks, name="mine"),
    path("regions/<slug:region_slug>/followup/tasks/<int:pk>/", views.task, name="task"),
    path("regions/<slug:region_slug>/followup/tasks/<int:pk>/report/", views.report, name="report"),
    path("regions/<slug:region_slug>/followup/tasks/<int:pk>/review/", views.review, name="review"),
    path("regions/<slug:region_slug>/followup/evidence/<int:report_pk>/", views.evidence, name="evidence"),
]
