"""Who may see which console page: every view names the permission it needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import perm


def console_permission(codename: str) -> Callable:
    """Anonymous visitors go to the login page; signed-in users without the permission
    get 403. Raises at import time if the permission does not exist."""
    permission = perm(codename)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied(f"this page needs the {codename} permission")
            return view(request, *args, **kwargs)

        checked.console_permission = codename
        return checked

    return decorate


def can(user, codename: str) -> bool:
    return user.is_authenticated and user.has_perm(perm(codename))
