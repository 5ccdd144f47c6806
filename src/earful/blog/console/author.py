"""The writer's own author profile: the name, address and bio readers see."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from earful.accounts.access import console_permission

from ..actions.posts import make_author
from ..forms import AuthorForm
from ..models import AuthorProfile


@console_permission("write_posts")
def author(request: HttpRequest) -> HttpResponse:
    profile = AuthorProfile.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = AuthorForm(request.POST, profile=profile)
        if form.is_valid():
            data = form.cleaned_data
            make_author(request.user, data["display_name"], data["bio"], data["slug"])
            messages.success(request, "Your author profile is saved.")
            return redirect("blog-console:author")
    elif profile is not None:
        form = AuthorForm(
            profile=profile,
            initial={
                "display_name": profile.display_name,
                "slug": profile.slug,
                "bio": profile.bio,
            },
        )
    else:
        name = request.user.get_full_name() or request.user.get_username()
        form = AuthorForm(initial={"display_name": name})
    return render(
        request,
        "blog/console/author.html",
        {"section": "blog", "form": form, "profile": profile},
    )
