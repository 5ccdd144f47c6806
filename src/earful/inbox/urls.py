from django.urls import path

from . import alert_views, views

urlpatterns = [
    path("inbox/", views.queue, name="inbox"),
    path("inbox/bulk", views.bulk, name="inbox-bulk"),
    path("inbox/<int:mention_id>", views.item, name="inbox-item"),
    path("alerts/", alert_views.alerts, name="alerts"),
    path("alerts/<int:rule_id>/toggle", alert_views.toggle, name="alert-toggle"),
]
