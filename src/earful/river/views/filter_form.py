"""What the filter bar of the dashboard and of search needs to draw itself."""

from __future__ import annotations

from urllib.parse import urlencode

from ..analytics.filters import MentionFilter
from ..models import Mention, Source, Topic


def filter_context(f: MentionFilter, languages: list[str]) -> dict:
    return {
        "filter": f,
        "filter_query": urlencode(f.as_query()),
        "all_topics": Topic.objects.order_by("kind", "name"),
        "all_sources": Source.objects.order_by("name"),
        "sentiments": [*Mention.Sentiment.values, Mention.NOT_SCORED_NAME],
        "languages": sorted({*languages, *f.languages}, key=lambda lang: (lang == "", lang)),
    }
