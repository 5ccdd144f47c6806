from collections import Counter
from datetime import UTC, date, datetime

import pytest
from django.db.models import Sum

from earful.river import actions
from earful.river.models import DailyCount, Mention, MentionTopic
from earful.river.pipeline.items import RawItem
from earful.river.rollups import ALL_TOPICS, rebuild_counts

pytestmark = pytest.mark.django_db

DAY_ONE = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
DAY_TWO = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)


def ingest(items, name="s"):
    return actions.ingest_items(actions.source_for_import(name), items)


def stored_counts() -> Counter:
    counts: Counter = Counter()
    for row in DailyCount.objects.all():
        key = (row.day, row.source_id, row.topic_id, row.sentiment, row.language, row.spam)
        counts[key] += row.count
    return +counts


def test_every_ingested_mention_is_counted_on_its_utc_day_and_in_its_topics():
    topic = actions.add_topic("battery", "battery")
    report = ingest(
        [
            RawItem(text="The battery is terrible, I hate it", external_id="1",
                    published_at=DAY_ONE, language="en"),
            RawItem(text="Lovely screen, great colours", external_id="2",
                    published_at=DAY_TWO, language="en"),
            RawItem(text="Battery fine here", external_id="3", published_at=DAY_TWO,
                    language="en"),
        ]
    )  # fmt: skip
    assert report.imported == 3

    everything = DailyCount.objects.filter(topic_id=ALL_TOPICS)
    assert everything.aggregate(n=Sum("count"))["n"] == 3
    by_day = {
        row["day"]: row["n"] for row in everything.values("day").annotate(n=Sum("count")).order_by()
    }
    assert by_day == {date(2026, 3, 1): 1, date(2026, 3, 2): 2}
    assert DailyCount.objects.filter(topic_id=topic.id).aggregate(n=Sum("count"))["n"] == 2
    assert MentionTopic.objects.filter(topic=topic).count() == 2
    assert set(MentionTopic.objects.values_list("published_at", flat=True)) == {DAY_ONE, DAY_TWO}


def test_spam_is_counted_apart():
    ingest(
        [
            RawItem(text="BUY NOW cheap pills click here http://a.example http://b.example "
                    "http://c.example", external_id="spam", published_at=DAY_ONE),
            RawItem(text="An honest opinion about headphones", external_id="ok",
                    published_at=DAY_ONE),
        ]
    )  # fmt: skip
    spam_flags = Counter(DailyCount.objects.values_list("spam", flat=True))
    assert spam_flags == Counter({True: 1, False: 1})


def test_tagging_existing_mentions_counts_them_once_however_often_it_runs():
    ingest([RawItem(text=f"the charger broke, day {n}", external_id=str(n),
                    published_at=DAY_ONE) for n in range(5)])  # fmt: skip
    topic = actions.add_topic("charger", "charger")

    assert actions.tag_existing(topic) == 5
    assert actions.tag_existing(topic) == 0

    topic_rows = DailyCount.objects.filter(topic_id=topic.id)
    assert topic_rows.aggregate(n=Sum("count"))["n"] == 5
    assert DailyCount.objects.filter(topic_id=ALL_TOPICS).aggregate(n=Sum("count"))["n"] == 5


def test_rebuilding_gives_the_counts_kept_in_step():
    topic = actions.add_topic("phone", "phone OR screen")
    ingest(
        [
            RawItem(text=f"my phone {word} on day {n}", external_id=f"{word}{n}",
                    published_at=DAY_ONE if n % 2 else DAY_TWO, language=lang)
            for n, (word, lang) in enumerate(
                [("rocks", "en"), ("sucks", "en"), ("marche", "fr"), ("is ok", "")] * 3
            )
        ],
        "one",
    )  # fmt: skip
    ingest([RawItem(text="screen cracked", external_id="x", published_at=DAY_TWO)], "two")
    actions.tag_existing(topic)
    kept = stored_counts()

    rebuild_counts()

    assert stored_counts() == kept
    assert sum(n for key, n in kept.items() if key[2] == ALL_TOPICS) == Mention.objects.count()


def _three_tagged_mentions():
    topic = actions.add_topic("phone", "phone")
    ingest(
        [
            RawItem(text=f"my phone is {word}", external_id=word, published_at=DAY_ONE)
            for word in ("great", "broken", "fine")
        ]
    )
    return topic


def test_deleting_mentions_takes_them_out_of_the_counts():
    _three_tagged_mentions()
    assert actions.delete_mentions(Mention.objects.filter(external_id__in=["great", "x"])) == 1
    kept = stored_counts()
    rebuild_counts()
    assert stored_counts() == kept
    assert sum(n for key, n in kept.items() if key[2] == ALL_TOPICS) == 2


def test_the_admin_deletes_mentions_and_topics_with_their_counts(admin_client):
    topic = _three_tagged_mentions()
    broken = Mention.objects.get(external_id="broken")
    response = admin_client.post(
        f"/admin/river/mention/{broken.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200 and not Mention.objects.filter(pk=broken.pk).exists()
    response = admin_client.post(
        "/admin/river/mention/",
        {
            "action": "delete_selected",
            "_selected_action": [Mention.objects.get(external_id="fine").pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    kept = stored_counts()
    rebuild_counts()
    assert stored_counts() == kept
    assert sum(n for key, n in kept.items() if key[2] == ALL_TOPICS) == 1

    admin_client.post(f"/admin/river/topic/{topic.pk}/delete/", {"post": "yes"})
    assert not DailyCount.objects.filter(topic_id=topic.pk).exists()
