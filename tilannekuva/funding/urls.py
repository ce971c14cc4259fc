from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("hyte/method/", views.method, name="method"),
    path("regions/<slug:region_slug>/hyte/", views.hyte, name="hyte"),
    path("regions/<slug:region_slug>/hyte/simulator/", views.simulator, name="simulator"),
    path("regions/<slug:region_slug>/vitality/", views.vitality_page, name="vitality"),
]
