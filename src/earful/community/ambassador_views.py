from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import AmbassadorReport, Decision


def report(request: HttpRequest, report_id: int) -> HttpResponse:
    found = get_object_or_404(AmbassadorReport, pk=report_id, state=Decision.APPROVED)
    return render(request, "community/ambassadors/report.html", {"report": found})
