"""Mentions as plain JSON-ready dicts, for the CLI and the API."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .models import Mention, MentionTopic


def mention_json(mentions: Sequence[Mention]) -> list[dict]:
    topics: dict[int, list[str]] = defaultdict(list)
    rows = MentionTopic.objects.filter(mention_id__in=[m.id for m in mentions])
    for mention_id, name in rows.values_list("mention_id", "topic__name").order_by("topic__name"):
        topics[mention_id].append(name)
    return [
        {
            "id": m.id,
            "url": m.url or m.canonical_url or None,
            "author": m.author.handle if m.author_id else None,
            "title": m.title,
            "text": m.text,
            "sentiment": m.sentiment or Mention.NOT_SCORED_NAME,
            "score": m.sentiment_score,
            "language": m.language,
            "topics": topics.get(m.id, []),
            "source": m.source.name,
            "published_at": m.published_at.isoformat() if m.published_at else None,
            "duplicate_of": m.duplicate_of_id,
            "parent": m.parent_id,
            "spam_score": m.spam_score,
        }
        for m in mentions
    ]
