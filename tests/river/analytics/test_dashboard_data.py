from datetime import UTC, date, datetime, timedelta

import pytest
from django.http import QueryDict

from earful.river import actions
from earful.river.analytics.counts import daily_by_sentiment, mentions
from earful.river.analytics.dashboard import dashboard_data
from earful.river.analytics.filters import parse_filter
from earful.river.models import Author
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db
END = date(2026, 3, 31)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def ingest(items, name="social"):
    return actions.ingest_items(actions.source_for_import(name), items)


def f(query: str = ""):
    return parse_filter(QueryDict(f"start=2026-03-01&end=2026-03-31&{query}"), END)


@pytest.fixture
def river():
    acme = actions.add_topic("Acme", "acme", kind="brand")
    rival = actions.add_topic("Rival", "rival", kind="competitor")
    battery = actions.add_topic("Battery", "battery", kind="theme")
    items = []
    for day in range(1, 31):  # a quiet month: two mentions a day
        items.append(
            RawItem(
                text=f"acme phone day {day} is fine",
                external_id=f"a{day}",
                published_at=at(day),
                author="ann",
                url="https://www.blog.example/a",
            )
        )
        items.append(
            RawItem(
                text=f"rival tablet works, day {day}",
                external_id=f"r{day}",
                published_at=at(day, 13),
                author="bob",
            )
        )
    for n in range(40):  # then day 31: a burst of angry battery complaints about acme
        items.append(
            RawItem(
                text=f"acme battery drain is terrible and awful {n}",
                external_id=f"b{n}",
                published_at=at(31, 9),
                author=f"c{n}",
                url=f"https://forum.example/t/{n}",
            )
        )
    ingest(items)
    Author.objects.filter(handle="bob").update(reach=1_000_000)
    return {"acme": acme, "rival": rival, "battery": battery}


def test_daily_series_covers_every_day_and_stacks_sentiment(river):
    series = daily_by_sentiment(f())
    assert [p["day"] for p in series][:2] == ["2026-03-01", "2026-03-02"] and len(series) == 31
    assert all(p["total"] == 2 for p in series[:30])
    last = series[-1]
    assert last["total"] == 40 and last["negative"] == 40 and last["net"] == -1.0
    assert sum(p["total"] for p in series) == mentions(f()).count() == 100


def test_one_topic_reads_rollups_and_several_topics_count_each_mention_once(river):
    acme, battery = river["acme"], river["battery"]
    only_acme = daily_by_sentiment(f(f"topic={acme.id}"))
    assert sum(p["total"] for p in only_acme) == 70
    both = daily_by_sentiment(f(f"topic={acme.id}&topic={battery.id}"))
    assert sum(p["total"] for p in both) == 70  # the 40 battery mentions are acme ones too


def test_dashboard_marks_the_burst_as_a_spike_and_finds_its_words(river):
    data = dashboard_data(f())
    assert [s["day"] for s in data["spikes"]] == ["2026-03-31"]
    assert data["emerging"] == []  # nothing to compare with: February is empty
    last_week = dashboard_data(parse_filter(QueryDict("start=2026-03-25&end=2026-03-31"), END))
    terms = [t["term"] for t in last_week["emerging"]]
    assert any("battery" in term for term in terms)
    assert "acme" not in terms and "phone" not in terms  # said every day: not emerging
    share = {s["topic"]: s for s in data["share_of_voice"]}
    assert share["Acme"]["mentions"] == 70 and share["Rival"]["mentions"] == 30
    assert share["Acme"]["negative"] == 40
    assert set(share) == {"Acme", "Rival"}  # themes are not voices


def test_top_authors_weigh_reach_and_sites_drop_www(river):
    data = dashboard_data(f())
    assert data["authors"][0]["handle"] == "bob"  # 30 mentions x log10(1e6 + 10) beats ann
    assert {"site": "blog.example", "mentions": 30} in data["sites"]
    assert data["sites"][0] == {"site": "forum.example", "mentions": 40}


def test_filters_narrow_everything(river):
    data = dashboard_data(f("sentiment=negative"))
    assert data["totals"]["total"] == 40
    assert [a["handle"] for a in data["authors"]][:1] != ["bob"]
    empty = dashboard_data(parse_filter(QueryDict("start=2020-01-01&end=2020-01-31"), END))
    assert empty["totals"]["total"] == 0 and empty["spikes"] == [] and empty["emerging"] == []


def test_spam_is_left_out_unless_asked_for(river):
    ingest([RawItem(text="BUY NOW cheap click here http://a.example http://b.example "
                    "http://c.example", external_id="spam", published_at=at(5))])  # fmt: skip
    assert dashboard_data(f())["totals"]["total"] == 100
    assert dashboard_data(f("spam=1"))["totals"]["total"] == 101


def test_period_boundaries_are_utc_days(river):
    ingest(
        [
            RawItem(
                text="late night post",
                external_id="late",
                published_at=datetime(2026, 4, 1, 0, 30, tzinfo=UTC) - timedelta(hours=1),
            )
        ]
    )
    series = daily_by_sentiment(f())
    assert series[-1]["total"] == 41


def test_busy_periods_count_top_authors_over_their_latest_mentions(river, monkeypatch):
    from earful.river.analytics import breakdowns

    monkeypatch.setattr(breakdowns, "BREAKDOWN_LIMIT", 40)
    data = dashboard_data(f())
    assert data["breakdown_limit"] == 40
    # The latest 40 mentions are the burst of day 31: forum.example, 40 different authors.
    assert data["sites"] == [{"site": "forum.example", "mentions": 40}]
    assert sum(a["mentions"] for a in data["authors"]) == 10  # the top ten of them
    assert dashboard_data(f("sentiment=positive"))["breakdown_limit"] is None


def test_samples_with_several_topics_hold_each_matching_mention_once(river):
    from earful.river.analytics.breakdowns import sample_texts

    acme, battery = river["acme"], river["battery"]
    texts = sample_texts(f(f"topic={acme.id}&topic={battery.id}"))
    assert len(texts) == len(set(texts)) == 70  # the 40 battery posts are acme ones too
    negative = sample_texts(f(f"topic={acme.id}&topic={battery.id}&sentiment=negative"))
    assert len(negative) == 40 and all("battery" in text for text in negative)
