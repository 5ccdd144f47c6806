from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from earful.accounts.access import console_permission

from ..analytics.dashboard import dashboard_data
from ..analytics.filters import parse_filter
from .filter_form import filter_context


@console_permission("view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    f = parse_filter(request.GET)
    data = dashboard_data(f)
    context = {"section": "dashboard", "data": data, **filter_context(f, data["languages"])}
    return render(request, "river/dashboard.html", context)
