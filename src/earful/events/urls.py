"""The public tour pages at /tours/ (events/views.py, feeds.py)."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("<slug:slug>/", views.tour, name="tour"),
    path("<slug:slug>/stops/<int:stop_id>/", views.stop, name="stop"),
]
