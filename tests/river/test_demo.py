from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from earful.river.demo.channels import CHANNELS
from earful.river.demo.generator import DemoWriter
from earful.river.models import Author, Mention, MentionTopic, Source, Topic
from earful.river.pipeline.sentiment import get_engine

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """The demo keeps its login password in the data directory: use a temporary one."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def generated():
    """The demo river's generated mentions; the demo blog and ideas board (tests/blog and
    tests/board test_demo.py) add their own through their apps."""
    return Mention.objects.exclude(source__name__in=["Blog", "Ideas board", "Community", "Tours"])


def snapshot() -> set[tuple]:
    return set(
        generated().values_list(
            "source__name", "external_id", "title", "text", "author__handle", "parent__external_id"
        )
    )


# -- the generator, without a database -------------------------------------------------------


def test_the_same_seed_writes_the_same_mentions_whatever_the_count():
    short = DemoWriter(7, NOW).take(150)
    long = DemoWriter(7, NOW).take(400)
    assert [m.item for m in short] == [m.item for m in long[:150]]
    other = DemoWriter(8, NOW).take(150)
    assert [m.item.text for m in other] != [m.item.text for m in short]
    assert not {m.item.external_id for m in other} & {m.item.external_id for m in short}


def test_mentions_fall_in_the_last_sixty_days_and_replies_follow_their_parents():
    mentions = DemoWriter(3, NOW).take(1500)
    by_id = {}
    for mention in mentions:
        item = mention.item
        assert NOW - timedelta(days=60) <= item.published_at <= NOW
        if item.parent_id:
            parent = by_id[(mention.channel, item.parent_id)]  # earlier, same channel
            assert parent.published_at <= item.published_at
        by_id[(mention.channel, item.external_id)] = item
    assert len(by_id) == len(mentions)  # external ids are unique per channel


def test_the_stream_has_spikes_where_the_story_puts_them():
    mentions = DemoWriter(11, NOW).take(3000)
    per_day: dict[int, int] = {}
    for mention in mentions:
        days_ago = (NOW.date() - mention.item.published_at.date()).days
        per_day[days_ago] = per_day.get(days_ago, 0) + 1
    ordinary = sorted(per_day[d] for d in range(30, 60))[15]  # median of a quiet month
    assert per_day[19] > 2 * ordinary  # the battery complaint wave
    assert max(per_day, key=per_day.get) in (18, 19)  # replies run into the next day
    assert per_day[9] > 2 * ordinary  # the Arc 2 launch
    assert per_day[9] == max(per_day[d] for d in range(0, 15))


def test_english_mentions_read_as_written_to_a_lexicon_model():
    mentions = [m for m in DemoWriter(5, NOW).take(1200) if m.language == "en"]
    mentions = [m for m in mentions if m.theme != "spam"]
    texts = [f"{m.item.title}\n{m.item.text}" if m.item.title else m.item.text for m in mentions]
    labels = [label for label, _ in get_engine("vader").analyse(texts)]
    agree = sum(label == m.sentiment for label, m in zip(labels, mentions, strict=True))
    assert agree / len(mentions) > 0.9


def test_the_writer_refuses_bad_arguments():
    with pytest.raises(ValueError, match="seed"):
        DemoWriter(-1, NOW)
    with pytest.raises(ValueError, match="timezone"):
        DemoWriter(1, datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="between 0 and"):
        DemoWriter(1, NOW).take(-5)


# -- the command ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_seeds_a_river_that_looks_alive():
    output = run_demo(mentions=300)

    kinds = dict(Topic.objects.values_list("name", "kind"))
    assert kinds["Halvora"] == "brand"
    assert sorted(n for n, k in kinds.items() if k == "competitor") == ["Trenmo", "Vexley"]
    assert list(kinds.values()).count("product") == 4
    assert {"Battery life", "Customer support", "Store tour", "Price"} <= set(kinds)

    assert generated().count() == 300
    with_mentions = Source.objects.filter(mentions__isnull=False).distinct()
    assert with_mentions.count() >= 6
    assert set(with_mentions.values_list("kind", flat=True)) >= {
        "mastodon", "bluesky", "hackernews", "reddit", "import", "owned"
    }  # fmt: skip

    replies = Mention.objects.filter(parent__isnull=False)
    assert replies.count() >= 20
    assert not replies.exclude(parent__source=F("source")).exists()

    duplicates = Mention.objects.filter(duplicate_of__isnull=False)
    assert duplicates.exclude(content_hash=F("duplicate_of__content_hash")).exists()  # near
    assert duplicates.filter(content_hash=F("duplicate_of__content_hash")).exists()  # exact

    sentiments = set(Mention.objects.values_list("sentiment", flat=True))
    assert sentiments == {"positive", "neutral", "negative"}
    languages = set(Mention.objects.values_list("language", flat=True))
    assert len(languages & {"en", "fr", "de", "es"}) >= 3
    assert Mention.objects.filter(spam_score__gte=0.5).exists()
    assert Mention.objects.filter(owned=True, source__kind="owned").exists()

    brand = Topic.objects.get(name="Halvora")
    assert brand.mentions.count() > 100
    assert Topic.objects.get(name="Store tour").mentions.exists()
    assert Topic.objects.get(name="Battery life").mentions.exists()

    authors = Author.objects.filter(mention_count__gte=3)
    assert authors.exists()  # people recur
    reach = sorted(r for r in Author.objects.values_list("reach", flat=True) if r is not None)
    assert reach[-1] > 20 * reach[len(reach) // 2]  # a long tail of reach

    assert "300 new mentions" in output
    assert "Demo · Mastodon" in output


@pytest.mark.django_db
def test_demo_sources_are_never_polled():
    from earful.river.actions import due_sources

    run_demo(mentions=50)
    demo = Source.objects.filter(config__demo=True)
    assert demo.count() == len(CHANNELS)
    assert not demo.filter(enabled=True).exists()
    assert not demo.filter(poll_every_minutes__isnull=False).exists()
    assert due_sources(datetime(2100, 1, 1, tzinfo=UTC)) == []


@pytest.mark.django_db
def test_running_demo_twice_adds_nothing():
    run_demo(mentions=300)
    counts = [m.objects.count() for m in (Mention, Author, Source, Topic, MentionTopic)]
    before = snapshot()

    output = run_demo(mentions=300)

    assert [m.objects.count() for m in (Mention, Author, Source, Topic, MentionTopic)] == counts
    assert snapshot() == before
    assert "0 new mentions, 300 already there" in output
    assert "0 sources and 0 topics created" in output


@pytest.mark.django_db
def test_demo_is_deterministic_for_a_seed():
    run_demo(mentions=200, seed=9)
    first = snapshot()
    Source.objects.all().delete()
    Topic.objects.all().delete()
    assert not Mention.objects.exists()

    run_demo(mentions=200, seed=9)
    assert snapshot() == first

    run_demo(mentions=200, seed=10)  # another seed is another data set
    assert generated().count() == 400


@pytest.mark.django_db
def test_demo_keeps_a_topic_the_user_already_has():
    Topic.objects.create(name="Halvora", kind="brand", query="halvora NOT author:bot")
    run_demo(mentions=50)
    assert Topic.objects.get(name="Halvora").query == "halvora NOT author:bot"
    assert Topic.objects.filter(name="Halvora").count() == 1


@pytest.mark.django_db
def test_demo_will_not_take_over_a_real_source_of_the_same_name():
    Source.objects.create(kind="feed", name=CHANNELS[0].name, config={"url": "https://x.test/"})
    with pytest.raises(CommandError, match="not a demo source"):
        run_demo(mentions=50)
    assert not Mention.objects.exists()
    assert not Topic.objects.exists()  # all of the demo or none of it


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"mentions": -1}, "--mentions must be between 0 and"),
        ({"mentions": 10**9}, "--mentions must be between 0 and"),
        ({"seed": -3}, "--seed must be zero or a positive"),
    ],
)
def test_demo_rejects_bad_arguments(options, message):
    with pytest.raises(CommandError, match=message):
        run_demo(**options)
    assert not Source.objects.exists()
