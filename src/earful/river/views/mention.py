"""One mention with its context: thread, duplicate cluster, author."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from earful.accounts.access import console_permission

from ..models import Mention, MentionTopic

MAX_ANCESTORS = 20
MAX_LISTED = 50


def _ancestors(mention: Mention) -> list[Mention]:
    """Parent, grandparent ... oldest first; bounded, and safe against cycles."""
    chain: list[Mention] = []
    seen = {mention.id}
    current = mention
    while current.parent_id and current.parent_id not in seen and len(chain) < MAX_ANCESTORS:
        seen.add(current.parent_id)
        current = Mention.objects.select_related("author", "source").get(pk=current.parent_id)
        chain.append(current)
    return chain[::-1]


def mention_context(mention: Mention) -> dict:
    """What the mention page shows; the inbox's item page shows it too."""
    related = Mention.objects.select_related("author", "source")
    root_id = mention.duplicate_of_id or mention.id
    cluster = related.filter(duplicate_of_id=root_id).order_by("published_at")
    author_history = None
    author_sentiment = {}
    if mention.author_id:
        author_history = related.filter(author_id=mention.author_id).order_by("-published_at")
        author_sentiment = dict(
            Mention.objects.filter(author_id=mention.author_id)
            .values_list("sentiment")
            .annotate(n=Count("id"))
            .order_by()
        )
    return {
        "mention": mention,
        "topics": [
            link.topic
            for link in MentionTopic.objects.filter(mention=mention)
            .select_related("topic")
            .order_by("topic__name")
        ],
        "ancestors": _ancestors(mention),
        "replies": related.filter(parent_id=mention.id).order_by("published_at")[:MAX_LISTED],
        "cluster_root": related.get(pk=root_id) if root_id != mention.id else None,
        "cluster": cluster[:MAX_LISTED],
        "cluster_size": cluster.count() + 1,
        "author_history": author_history[:10] if author_history is not None else [],
        "author_sentiment": author_sentiment,
    }


@console_permission("search_mentions")
def mention_detail(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = get_object_or_404(Mention.objects.select_related("author", "source"), pk=mention_id)
    return render(request, "river/mention.html", mention_context(mention))
