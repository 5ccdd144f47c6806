"""The notices' URLs, included in the board's (names in the "board" namespace)."""

from django.urls import path

from . import notify_views

urlpatterns = [
    path("unsubscribe/<str:token>", notify_views.unsubscribe, name="unsubscribe"),
    path("notices/<int:notice_id>/done", notify_views.notice_done, name="notice-done"),
    path("<int:idea_id>/notices/send", notify_views.send_missing, name="notices-send"),
]
