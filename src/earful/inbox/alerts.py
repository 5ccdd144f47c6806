"""Checking alert rules: each rule's recent series, its spike test, and firing once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from earful.river.models import Mention, MentionTopic
from earful.river.rollups import SPAM_THRESHOLD
from earful.river.search import iter_matches
from earful.river.trends.spikes import Spike, find_share_spikes, find_spikes

from .models import Alert, AlertRule

BUCKETS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}


def bucket_end(rule: AlertRule, now: datetime) -> datetime:
    """The end of the last complete bucket before `now` (UTC)."""
    now = now.astimezone(UTC)
    if rule.bucket == AlertRule.Bucket.DAY:
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    return now.replace(minute=0, second=0, microsecond=0)


def _mentions(rule: AlertRule, since: datetime, until: datetime) -> QuerySet | list:
    rows = Mention.objects.filter(
        published_at__gte=since, published_at__lt=until, spam_score__lt=SPAM_THRESHOLD
    )
    if rule.topic_id:
        tagged = MentionTopic.objects.filter(
            topic_id=rule.topic_id, published_at__gte=since, published_at__lt=until
        ).values("mention_id")
        rows = rows.filter(id__in=tagged)
    if rule.query:
        return list(iter_matches(rule.query, within=rows))
    return rows.only("published_at", "sentiment")


def series(rule: AlertRule, now: datetime) -> tuple[list[datetime], list[int], list[int]]:
    """(bucket starts, mentions, negative mentions) of the window plus the last bucket."""
    size = BUCKETS[rule.bucket]
    end = bucket_end(rule, now)
    count = rule.window + 1
    start = end - size * count
    totals = [0] * count
    negatives = [0] * count
    for mention in _mentions(rule, start, end):
        index = int((mention.published_at - start) / size)
        if 0 <= index < count:
            totals[index] += 1
            negatives[index] += mention.sentiment == Mention.Sentiment.NEGATIVE
    return [start + size * n for n in range(count)], totals, negatives


def latest_spike(rule: AlertRule, now: datetime) -> tuple[datetime, int, Spike] | None:
    """The spike in the last complete bucket, if there is one."""
    starts, totals, negatives = series(rule, now)
    options = {"window": rule.window, "k": rule.sigmas}
    if rule.metric == AlertRule.Metric.NEGATIVE_SHARE:
        found = find_share_spikes(negatives, totals, min_total=rule.min_count, **options)
    else:
        found = find_spikes(totals, min_count=rule.min_count, **options)
    last = len(totals) - 1
    for spike in found:
        if spike.index == last:
            return starts[last], totals[last], spike
    return None


def check_rule(rule: AlertRule, now: datetime | None = None) -> Alert | None:
    """Fire the rule if its last complete bucket is a spike, outside its cooldown and not
    already fired for that bucket. Returns the new alert (not yet delivered)."""
    now = now or timezone.now()
    found = latest_spike(rule, now)
    AlertRule.objects.filter(pk=rule.pk).update(last_checked_at=now)
    if found is None:
        return None
    bucket_start, mentions, spike = found
    cooling = rule.last_fired_at and now - rule.last_fired_at < timedelta(
        minutes=rule.cooldown_minutes
    )
    if cooling:
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                rule=rule, bucket_start=bucket_start, fired_at=now, value=spike.value,
                mentions=mentions, baseline=spike.mean, threshold=spike.threshold,
            )  # fmt: skip
    except IntegrityError:
        return None  # another checker fired it for this bucket already
    AlertRule.objects.filter(pk=rule.pk).update(last_fired_at=now)
    rule.last_fired_at = now
    return alert
