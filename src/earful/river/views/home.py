from django.shortcuts import render

from ..stats import totals


def home(request):
    """The front page until the console exists: staff see what the river holds."""
    stats = totals() if request.user.is_staff else None
    return render(request, "home.html", {"stats": stats})
