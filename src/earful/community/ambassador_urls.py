"""URLs of the ambassador program (included by community/urls.py)."""

from django.urls import path

from . import ambassador_views

urlpatterns = [
    path("ambassadors/reports/<int:report_id>", ambassador_views.report, name="report"),
]
