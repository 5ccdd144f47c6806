"""URLs of the community's people pages (included by community/urls.py)."""

from django.urls import path

from . import people_views

urlpatterns = [
    path("users/<str:username>/", people_views.profile, name="profile"),
    path("leaderboard", people_views.leaderboard_page, name="leaderboard"),
]
