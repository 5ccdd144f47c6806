from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Stop, Tour


def tour(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Tour, slug=slug, published=True)
    return render(request, "events/tour.html", {"tour": found, "stops": found.stops.all()})


def stop(request: HttpRequest, slug: str, stop_id: int) -> HttpResponse:
    found = get_object_or_404(Stop, pk=stop_id, tour__slug=slug, tour__published=True)
    return render(request, "events/stop.html", {"stop": found})
