"""Addresses of the annual calendar, all under a region."""

from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("regions/<slug:region_slug>/calendar/", views.calendar, name="calendar"),
    path("regions/<slug:region_slug>/calendar/entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("regions/<slug:region_slug>/calendar/feed-address/", views.feed_token, name="feed_token"),
    path("regions/<slug:region_slug>/calendar.ics", views.public_feed, name="feed"),
    path("regions/<slug:region_slug>/calendar/<str:token>.ics", views.private_feed, name="private_feed"),
]
