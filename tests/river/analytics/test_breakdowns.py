"""Top authors, top sites and the emerging terms' sample, checked against plain counts of
the same mentions."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Count
from django.http import QueryDict

from earful.river import actions
from earful.river.analytics import breakdowns
from earful.river.analytics.counts import mentions
from earful.river.analytics.filters import parse_filter
from earful.river.models import Mention
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db
END = date(2026, 3, 31)


def f(query: str = ""):
    return parse_filter(QueryDict(f"start=2026-03-01&end=2026-03-31&{query}"), END)


@pytest.fixture
def river():
    """Posts about alpha, beta, both or neither, by a dozen authors on a few sites, at
    distinct moments of March (and some of February)."""
    alpha = actions.add_topic("Alpha", "alpha", kind="brand")
    beta = actions.add_topic("Beta", "beta", kind="theme")
    rng = random.Random(3)
    items = []
    start = datetime(2026, 2, 20, tzinfo=UTC)
    for n in range(400):
        words = rng.choice(["alpha", "beta", "alpha and beta", "gamma"])
        mood = rng.choice(["is great", "is terrible and awful", "arrived today"])
        site = rng.choice(["", "", "one.example", "two.example", "three.example"])
        items.append(
            RawItem(
                text=f"{words} {mood} {n}",
                external_id=str(n),
                published_at=start + timedelta(minutes=137 * n + rng.randrange(60)),
                author=f"user{rng.randrange(12)}",
                url=f"https://{site}/p/{n}" if site else "",
            )
        )
    actions.ingest_items(actions.source_for_import("social"), items)
    return alpha, beta


def plain_counts(rows) -> tuple[Counter, Counter]:
    by_author = rows.exclude(author_id=None).values_list("author_id").annotate(n=Count("id"))
    by_site = rows.exclude(site="").values_list("site").annotate(n=Count("id"))
    return Counter(dict(by_author.order_by())), Counter(dict(by_site.order_by()))


@pytest.mark.parametrize("query", ["", "sentiment=negative", "topic=1", "topic=1&topic=2"])
def test_author_and_site_counts_are_those_of_the_filters_mentions(river, query):
    alpha, beta = river
    query = query.replace("topic=1", f"topic={alpha.id}").replace("topic=2", f"topic={beta.id}")
    authors, sites = breakdowns.breakdown_counts(f(query))
    assert (authors, sites) == plain_counts(mentions(f(query)))
    assert sum(authors.values()) == mentions(f(query)).count() > 0


def test_a_busy_period_counts_its_latest_mentions_even_within_a_day(river, monkeypatch):
    monkeypatch.setattr(breakdowns, "BREAKDOWN_LIMIT", 25)
    latest = list(mentions(f()).order_by("-published_at")[:25])
    cutoff = latest[-1].published_at
    same_day_before = mentions(f()).filter(
        published_at__gte=cutoff.replace(hour=0, minute=0), published_at__lt=cutoff
    )
    assert same_day_before.exists()  # the 25th newest is not the first of its day
    authors, sites = breakdowns.breakdown_counts(f())
    assert (authors, sites) == plain_counts(Mention.objects.filter(id__in=[m.id for m in latest]))
    assert sum(authors.values()) == 25
    ranked = breakdowns.top_authors(f())
    assert [rank.mentions for rank in ranked] == sorted(authors.values(), reverse=True)[:10]


def test_samples_of_several_topics_are_the_newest_of_their_union_in_each_slice(river, monkeypatch):
    alpha, beta = river
    monkeypatch.setattr(breakdowns, "SAMPLE_PER_SLICE", 4)
    chosen = f(f"topic={alpha.id}&topic={beta.id}&sentiment=negative")
    expected = []
    length = (chosen.until - chosen.since) / breakdowns.SAMPLE_SLICES
    for n in range(breakdowns.SAMPLE_SLICES):
        rows = mentions(chosen, chosen.since + length * n, chosen.since + length * (n + 1))
        expected += [m.text for m in rows.order_by("-published_at")[:4]]
    assert breakdowns.sample_texts(chosen) == expected
    assert len(expected) > 30 and all("terrible" in text for text in expected)
