from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .access import can

# Where each role starts, in order of preference.
STARTS = [("view_dashboard", "console-dashboard"), ("triage_inbox", "inbox"),
          ("search_mentions", "console-search")]  # fmt: skip


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """After logging in: the first console page this user's roles open."""
    for codename, page in STARTS:
        if can(request.user, codename):
            return redirect(page)
    return render(request, "console/no_role.html", status=403)
