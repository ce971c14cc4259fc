from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [path("regions/<slug:region_slug>/", views.region_page, name="region")]
