"""The changelog's pages: the list, each entry's permalink (an h-entry), and the feed."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .actions.merge import final_idea
from .changelog import ChangelogFeed, all_entries, entries, with_voices
from .voices import best_quotes, external_links, voices

PER_PAGE = 20


def changelog(request: HttpRequest) -> HttpResponse:
    page = Paginator(entries(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "board/changelog.html",
        {"page": page, "entries": with_voices(page.object_list)},
    )


def entry(request: HttpRequest, change_id: int) -> HttpResponse:
    change = all_entries().filter(pk=change_id).first()
    if change is None:
        raise Http404("No such changelog entry.")
    idea = change.idea
    # A merged idea's voices and evidence moved to the survivor: shown from there, so the
    # links an earlier Webmention relied on are still on the page.
    survivor = final_idea(idea) if idea.merged_into_id else None
    heard = survivor or idea
    context = {
        "change": change,
        "idea": idea,
        "survivor": survivor,
        "voices": voices(heard),
        "quotes": best_quotes(heard),
        "links": external_links(heard),
    }
    return render(request, "board/changelog_entry.html", context)


feed = ChangelogFeed()
