"""The public tour pages at /tours/ (events/views.py, feeds.py)."""

from django.urls import path

from . import views
from .feeds import TourFeed

app_name = "events"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.tour, name="tour"),
    path("<slug:slug>/calendar.ics", views.calendar, name="calendar"),
    path("<slug:slug>/feed.atom", views.shared_cache(views.FEED_MAX_AGE)(TourFeed()), name="atom"),
    path("<slug:slug>/stops/<int:stop_id>/", views.stop, name="stop"),
    path(
        "<slug:slug>/stops/<int:stop_id>/updates.json",
        views.stop_updates_json,
        name="stop-updates",
    ),
    path("<slug:slug>/stops/<int:stop_id>/feedback", views.feedback, name="feedback"),
    path("<slug:slug>/stops/<int:stop_id>/calendar.ics", views.stop_calendar, name="stop-calendar"),
    path("<slug:slug>/stops/<int:stop_id>/qr", views.qr_sign, name="qr"),
    path("<slug:slug>/stops/<int:stop_id>/qr.svg", views.qr_image, name="qr-svg"),
]
