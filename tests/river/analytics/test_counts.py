import pytest
from django.http import QueryDict

from earful.river import actions
from earful.river.analytics.counts import mentions
from earful.river.analytics.filters import parse_filter

pytestmark = pytest.mark.django_db


def test_one_topic_joins_its_links_once_and_orders_by_their_time():
    topic = actions.add_topic("t", "x")
    f = parse_filter(QueryDict(f"topic={topic.id}&start=2026-01-01&end=2026-01-31"))
    sql = str(mentions(f).order_by("-moment").values("id").query)
    assert sql.count("JOIN") == 1  # conditions split over filter() calls would join again
    assert 'ORDER BY "river_mentiontopic"."published_at" DESC' in sql
