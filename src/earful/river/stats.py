"""Totals over the stored mentions, for `earful stats` and the dashboard."""

from __future__ import annotations

from django.db.models import Count

from .models import Author, Mention, MentionTopic, Source, Topic


def totals() -> dict:
    by_sentiment = {label: 0 for label in Mention.Sentiment.values}
    for row in Mention.objects.values("sentiment").annotate(n=Count("id")).order_by():
        by_sentiment[row["sentiment"] or Mention.NOT_SCORED_NAME] = row["n"]
    by_source = {name: 0 for name in Source.objects.values_list("name", flat=True)}
    for row in Mention.objects.values("source__name").annotate(n=Count("id")).order_by():
        by_source[row["source__name"]] = row["n"]
    by_topic = {name: 0 for name in Topic.objects.values_list("name", flat=True)}
    for row in MentionTopic.objects.values("topic__name").annotate(n=Count("id")).order_by():
        by_topic[row["topic__name"]] = row["n"]
    by_language: dict[str, int] = {}
    rows = Mention.objects.values("language").annotate(n=Count("id")).order_by("-n")
    for row in rows:
        by_language[row["language"] or "und"] = row["n"]
    duplicates = Mention.objects.filter(duplicate_of__isnull=False)
    return {
        "mentions": Mention.objects.count(),
        "authors": Author.objects.count(),
        "owned": Mention.objects.filter(owned=True).count(),
        "replies": Mention.objects.filter(parent__isnull=False).count(),
        "by_sentiment": by_sentiment,
        "by_source": by_source,
        "by_topic": by_topic,
        "by_language": by_language,
        "duplicate_clusters": {
            "clusters": duplicates.values("duplicate_of_id").distinct().count(),
            "duplicates": duplicates.count(),
        },
    }
