"""The people page: who may use the console, with which roles (admins only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .access import console_permission
from .actions import create_console_user, set_roles
from .roles import ROLES


@console_permission("manage_users")
def people(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            user = create_console_user(
                request.POST.get("username", ""),
                request.POST.get("password", ""),
                request.POST.getlist("roles"),
                request.POST.get("email", "").strip(),
            )
        except ValueError as exc:
            messages.error(request, f"The user was not created: {exc}")
        else:
            messages.success(request, f"Created {user.get_username()}.")
        return redirect("people")
    users = get_user_model().objects.order_by("username").prefetch_related("groups")
    rows = [(user, {g.name for g in user.groups.all()}) for user in users]
    return render(
        request, "accounts/people.html", {"section": "people", "rows": rows, "roles": list(ROLES)}
    )


@require_POST
@console_permission("manage_users")
def change_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=user_id)
    roles = request.POST.getlist("roles")
    if user == request.user and "admin" not in roles and not user.is_superuser:
        messages.error(request, "You cannot take your own admin role away.")
        return redirect("people")
    try:
        set_roles(user, roles)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{user.get_username()}: {', '.join(roles) or 'no role'}.")
    return redirect("people")
