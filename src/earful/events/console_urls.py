"""Staff pages for tours at /console/tours/ (events/console_views.py). The fixed names
(new, channels, live, geocode) come before a tour's slug."""

from django.urls import path

from . import console_views as views

app_name = "events-console"

urlpatterns = [
    path("", views.tours, name="tours"),
    path("new", views.tour_new, name="tour-new"),
    path("channels/", views.channels, name="channels"),
    path("channels/new", views.channel_new, name="channel-new"),
    path("channels/<int:channel_id>", views.channel_edit, name="channel-edit"),
    path("channels/<int:channel_id>/toggle", views.channel_toggle, name="channel-toggle"),
    path("live", views.live, name="live"),
    path("live/updates/<int:update_id>/delete", views.live_delete, name="live-delete"),
    path("geocode", views.geocode, name="geocode"),
    path("<slug:slug>/", views.tour, name="tour"),
    path("<slug:slug>/edit", views.tour_edit, name="tour-edit"),
    path("<slug:slug>/stops/new", views.stop_new, name="stop-new"),
    path("<slug:slug>/stops/<int:stop_id>", views.stop_edit, name="stop-edit"),
    path("<slug:slug>/stops/<int:stop_id>/cancel", views.stop_cancel, name="stop-cancel"),
    path("<slug:slug>/stops/<int:stop_id>/delete", views.stop_delete, name="stop-delete"),
    path("<slug:slug>/announcements", views.announcements, name="announcements"),
    path(
        "<slug:slug>/announcements/<int:announcement_id>",
        views.announcement_edit,
        name="announcement-edit",
    ),
    path(
        "<slug:slug>/announcements/<int:announcement_id>/cancel",
        views.announcement_cancel,
        name="announcement-cancel",
    ),
    path(
        "<slug:slug>/announcements/<int:announcement_id>/send",
        views.announcement_send,
        name="announcement-send",
    ),
    path("<slug:slug>/feedback", views.feedback, name="feedback"),
    path(
        "<slug:slug>/feedback/<int:stop_id>",
        views.stop_feedback_list,
        name="stop-feedback",
    ),
]
