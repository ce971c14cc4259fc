from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("regions/<slug:region_slug>/surveys/", views.survey_list, name="list"),
    path("regions/<slug:region_slug>/surveys/create/", views.create, name="create"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/", views.manage, name="manage"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/preview/", views.preview, name="preview"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/publish/", views.publish, name="publish"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/public/", views.public_results, name="public_results"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/status/", views.set_status, name="status"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/invitations/", views.invite, name="invite"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/open-link/", views.open_link, name="open_link"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/import/", views.import_answers, name="import"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/answers.<str:fmt>", views.export_answers, name="export_answers"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/results/", views.results, name="results"),
    path("regions/<slug:region_slug>/surveys/<int:pk>/results.<str:fmt>", views.export_results, name="export_results"),
    path(
        "regions/<slug:region_slug>/surveys/<int:pk>/answers/<int:answer_pk>/moderate/",
        views.moderate,
        name="moderate",
    ),
    path("surveys/answer/<str:token>/", views.respond, name="respond"),
    path("surveys/open/<str:key>/", views.open_respond, name="open"),
    path("surveys/<int:pk>/thanks/", views.thanks, name="thanks"),
]
