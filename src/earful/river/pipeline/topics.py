"""topics: tag each item with the saved topics whose boolean query it matches."""

from __future__ import annotations

from urllib.parse import urlsplit

from earful.river.query import MatchDocument

from .base import Context
from .items import Item


def match_document(item: Item, source_name: str) -> MatchDocument:
    raw = item.raw
    try:
        site = urlsplit(item.canonical_url or raw.url).hostname or ""
    except ValueError:
        site = ""
    return MatchDocument(
        text=f"{item.title}\n{item.text}" if item.title else item.text,
        author=f"{raw.author} {raw.author_name}".strip(),
        site=site,
        lang=item.language,
        source=source_name,
    )


def topics(batch: list[Item], context: Context) -> list[Item]:
    matcher = context.topic_matcher
    # No saved topics: nothing can match, and preparing each document (folding and
    # splitting its words) would be most of the stage's cost.
    if matcher is None or not len(matcher):
        return batch
    docs = [match_document(item, context.source_names.get(item.source_id, "")) for item in batch]
    for item, topic_ids in zip(batch, matcher.match_many(docs), strict=True):
        item.topics = list(topic_ids)
    return batch
