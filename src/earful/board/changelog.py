"""The public changelog, "you said, we did": every move of an idea to a status of the
closed-done kind is an entry, with the idea, the public note of the change, how many
voices raised it and where, and (on its permalink) links to every external mention that
raised it. Entries are StatusChange rows, so an entry's permalink is stable: the
notification part sends Webmentions from it, and a receiver may fetch it again later.

Listed (page and feed): entries of live ideas (published, not merged). An entry's own page
also answers for an idea merged since (it says where the idea went), so Webmentions sent
earlier stay verifiable; an idea that is no longer published has no entry.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Idea, Status, StatusChange
from .river_link import absolute
from .voices import voices_for

FEED_ITEMS = 30


def all_entries() -> QuerySet[StatusChange]:
    """Every change to a closed-done status of a published idea, merged or not."""
    return (
        StatusChange.objects.filter(
            to_status__kind=Status.Kind.CLOSED_DONE, idea__state=Idea.State.PUBLISHED
        )
        .select_related("idea", "idea__status", "idea__category", "to_status")
        .order_by("-at", "-id")
    )


def entries() -> QuerySet[StatusChange]:
    """The listed entries: of live ideas, newest first."""
    return all_entries().filter(idea__merged_into__isnull=True)


def entry_url(change: StatusChange) -> str:
    return reverse("board:changelog-entry", args=[change.pk])


def with_voices(changes) -> list[StatusChange]:
    """The changes, each with .voices (its idea's), in a fixed number of queries."""
    changes = list(changes)
    counted = voices_for(c.idea_id for c in changes)
    for change in changes:
        change.voices = counted[change.idea_id]
    return changes


class ChangelogFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return "You said, we did"

    def subtitle(self) -> str:
        return "Ideas from our customers that we have done."

    def link(self) -> str:
        return reverse("board:changelog")

    def feed_url(self) -> str:
        return reverse("board:changelog-feed")

    def items(self):
        return with_voices(entries()[:FEED_ITEMS])

    def item_title(self, item: StatusChange) -> str:
        return f"{item.to_status.name}: {item.idea.title}"

    def item_link(self, item: StatusChange) -> str:
        return entry_url(item)

    def item_guid(self, item: StatusChange) -> str:
        return absolute(entry_url(item))

    def item_description(self, item: StatusChange) -> str:
        idea_url = absolute(item.idea.get_absolute_url())
        return (
            f'<p>You said: <a href="{escape(idea_url)}">{escape(item.idea.title)}</a> '
            f"({escape(str(item.voices))}).</p>{item.note_html}"
        )

    def item_pubdate(self, item: StatusChange):
        return item.at

    def item_updateddate(self, item: StatusChange):
        return item.at

    def item_author_name(self, item: StatusChange) -> str:
        return settings.EARFUL_BLOG_TITLE
