"""URLs of the community's moderation pages (included by community/urls.py)."""

from django.urls import path

from . import moderation_views

urlpatterns = [
    path("flag/<str:kind>/<int:post_id>", moderation_views.flag, name="flag"),
    path("review/", moderation_views.review, name="review"),
    path("review/act", moderation_views.act, name="review_act"),
    path("review/flags/<int:flag_id>", moderation_views.resolve_flag, name="resolve_flag"),
    path("review/suspend", moderation_views.suspend, name="suspend"),
    path("review/lift", moderation_views.lift, name="lift_suspension"),
    path("review/adjust", moderation_views.adjust, name="adjust_points"),
]
