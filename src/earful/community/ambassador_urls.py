"""URLs of the ambassador program (included by community/urls.py)."""

from django.urls import path

from . import ambassador_views as views

urlpatterns = [
    path("ambassadors/", views.program, name="ambassadors"),
    path("ambassadors/apply", views.apply, name="ambassador_apply"),
    path("ambassadors/reports/new", views.submit_report, name="report_new"),
    path("ambassadors/reports/<int:report_id>", views.report, name="report"),
    path("ambassadors/reports/<int:report_id>/decide", views.decide_report, name="report_decide"),
    path(
        "ambassadors/reports/<int:report_id>/withdraw",
        views.withdraw_report,
        name="report_withdraw",
    ),
    path("ambassadors/review", views.review, name="ambassador_review"),
    path(
        "ambassadors/applications/<int:application_id>/decide",
        views.decide_application,
        name="application_decide",
    ),
    path(
        "ambassadors/members/<int:user_id>/end",
        views.end_ambassadorship,
        name="ambassador_end",
    ),
    path("ambassadors/week", views.week, name="ambassador_week"),
]
