from datetime import date

import pytest
from django.http import QueryDict

from earful.river import actions
from earful.river.analytics.filters import DEFAULT_DAYS, MAX_DAYS, parse_filter

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def parse(query: str, **kwargs):
    return parse_filter(QueryDict(query), TODAY, **kwargs)


def test_defaults_to_the_last_thirty_days():
    f = parse("")
    assert (f.start, f.end, f.days) == (date(2026, 10, 25), TODAY, DEFAULT_DAYS)
    assert f.errors == ()
    assert parse("", all_time_by_default=True).all_time


def test_reads_every_filter():
    topic = actions.add_topic("t", "x")
    source = actions.source_for_import("s")
    f = parse(
        f"start=2026-01-01&end=2026-01-31&topic={topic.id}&source={source.id}"
        "&sentiment=negative&sentiment=negative&language=FR&language=und&spam=1"
    )
    assert (f.start, f.end) == (date(2026, 1, 1), date(2026, 1, 31))
    assert (f.topics, f.sources, f.sentiments) == ((topic.id,), (source.id,), ("negative",))
    assert f.languages == ("fr", "")
    assert f.include_spam and not f.all_time and f.errors == ()
    again = parse("&".join(f"{k}={v}" for k, v in f.as_query()))
    assert again == f


def test_bad_values_are_explained_and_left_out():
    f = parse("start=yesterday&end=2026-02-30&topic=abc&topic=999&source=7&sentiment=angry")
    assert f.end == TODAY and f.days == DEFAULT_DAYS
    text = " | ".join(f.errors)
    for expected in ("start 'yesterday'", "end '2026-02-30'", "topic 'abc'", "no topic 999",
                     "no source 7", "sentiment 'angry'"):  # fmt: skip
        assert expected in text
    assert f.topics == () and f.sources == () and f.sentiments == ()


def test_reversed_and_huge_periods_are_corrected():
    reversed_period = parse("start=2026-05-01&end=2026-04-01")
    assert reversed_period.end == date(2026, 4, 1) and reversed_period.days == DEFAULT_DAYS
    assert "after the end" in reversed_period.errors[0]
    huge = parse("start=1900-01-01&end=2026-01-01")
    assert huge.days == MAX_DAYS and "at most" in huge.errors[0]


def test_previous_period_is_the_same_length_just_before():
    f = parse("start=2026-03-10&end=2026-03-19")
    before = f.previous_period()
    assert (before.start, before.end) == (date(2026, 2, 28), date(2026, 3, 9))
