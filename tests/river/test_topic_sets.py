"""Several-topic counts from the topic-set rollups equal counting distinct mentions."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

import pytest
from django.db import transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earful.inbox.actions import correct_sentiment, correct_topics
from earful.river import actions
from earful.river.analytics.counts import SENTIMENTS, by_source, daily_by_sentiment
from earful.river.analytics.filters import parse_filter
from earful.river.models import Mention, MentionTopic, Topic, TopicSet, TopicSetCount
from earful.river.pipeline.items import RawItem
from earful.river.rollups import SPAM_THRESHOLD, rebuild_counts

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 3, 1)
DAYS = 4
WORDS = ("alpha", "beta", "gamma", "delta")  # topic i matches WORDS[i]
TONES = ("", "great, I love it", "terrible, I hate it")
SPAM = "BUY NOW cheap pills click here http://a.example http://b.example http://c.example"


def _filter(topic_ids, *, source: int | None = None):
    query = f"start={FIRST_DAY}&end={FIRST_DAY + timedelta(DAYS - 1)}"
    query += "".join(f"&topic={t}" for t in topic_ids)
    if source is not None:
        query += f"&source={source}"
    return parse_filter(QueryDict(query))


def _slow_series(topic_ids) -> dict[str, Counter]:
    """Per day and sentiment: mentions (not spam) in any of `topic_ids`, each once."""
    tagged = set(
        MentionTopic.objects.filter(topic_id__in=topic_ids).values_list("mention_id", flat=True)
    )
    series: dict[str, Counter] = defaultdict(Counter)
    rows = Mention.objects.filter(id__in=tagged, spam_score__lt=SPAM_THRESHOLD)
    for published_at, sentiment in rows.values_list("published_at", "sentiment"):
        series[published_at.astimezone(UTC).date().isoformat()][sentiment] += 1
    return series


def _slow_sources(topic_ids) -> dict[int, int]:
    tagged = MentionTopic.objects.filter(topic_id__in=topic_ids).values("mention_id")
    rows = Mention.objects.filter(id__in=tagged, spam_score__lt=SPAM_THRESHOLD)
    return dict(Counter(rows.values_list("source_id", flat=True)))


def assert_counts_exact() -> None:
    """Every combination of two or more topics (and each one alone) charts exactly the
    distinct mentions the slow way counts."""
    topic_ids = sorted(Topic.objects.values_list("id", flat=True))
    for size in range(1, len(topic_ids) + 1):
        for chosen in combinations(topic_ids, size):
            f = _filter(chosen)
            slow = _slow_series(chosen)
            for point in daily_by_sentiment(f):
                expected = slow.get(point["day"], Counter())
                got = {s: point[s] for s in SENTIMENTS}
                assert got == {s: expected[s] for s in SENTIMENTS}, (chosen, point["day"])
            assert by_source(f) == _slow_sources(chosen), chosen


def stored_topic_sets() -> Counter:
    """The topic-set rows by the set's topics (ids of TopicSets differ after a rebuild)."""
    keys = dict(TopicSet.objects.values_list("id", "key"))
    counts: Counter = Counter()
    for row in TopicSetCount.objects.all():
        key = (keys[row.topic_set_id], row.day, row.source_id, row.sentiment, row.language)
        counts[key + (row.spam,)] += row.count
    return +counts


def assert_rebuild_agrees() -> None:
    kept = stored_topic_sets()
    rebuild_counts()
    assert stored_topic_sets() == kept
    # and nothing negative or empty was left behind by the moves
    assert not TopicSetCount.objects.filter(count__lt=0).exists()


mention_specs = st.lists(
    st.tuples(
        st.sets(st.sampled_from(WORDS)),
        st.integers(0, DAYS - 1),
        st.integers(0, 23),
        st.sampled_from(TONES),
        st.sampled_from(("a", "b")),
        st.booleans(),  # spam
    ),
    min_size=1,
    max_size=12,
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("tag delta")),
        st.tuples(st.just("correct topics"), st.integers(0, 11), st.sets(st.integers(0, 3)),
                  st.sets(st.integers(0, 3))),
        st.tuples(st.just("exclude"), st.integers(0, 11), st.integers(0, 3)),
        st.tuples(st.just("sentiment"), st.integers(0, 11), st.sampled_from(SENTIMENTS)),
        st.tuples(st.just("delete mention"), st.integers(0, 11)),
        st.tuples(st.just("delete topic"), st.integers(0, 3)),
    ),
    max_size=6,
)  # fmt: skip


def _ingest(specs) -> None:
    by_source = defaultdict(list)
    for n, (words, day, hour, tone, source, spam) in enumerate(specs):
        text = " ".join([*sorted(words), f"note number {n}", tone, SPAM if spam else ""])
        moment = datetime.combine(FIRST_DAY + timedelta(day), datetime.min.time(), tzinfo=UTC)
        by_source[source].append(
            RawItem(text=text, external_id=str(n), published_at=moment + timedelta(hours=hour))
        )
    for source, items in by_source.items():
        actions.ingest_items(actions.source_for_import(source), items)


def _apply(operation, topics: list[Topic], user) -> None:
    mentions = list(Mention.objects.order_by("id"))
    alive = [t for t in topics if Topic.objects.filter(pk=t.pk).exists()]
    kind, *args = operation
    if kind == "tag delta":
        delta = next((t for t in alive if t.name == "delta"), None)
        if delta is None:
            delta = actions.add_topic("delta", "delta")
            topics.append(delta)
        actions.tag_existing(delta)
        return
    if kind == "delete topic":
        if alive:
            actions.delete_topic(alive[args[0] % len(alive)])
        return
    if not mentions:
        return
    mention = mentions[args[0] % len(mentions)]
    if kind == "correct topics" and alive:
        add = [alive[i % len(alive)] for i in args[1]]
        remove = [alive[i % len(alive)] for i in args[2]]
        correct_topics(mention, add, remove, user=user)
    elif kind == "exclude" and alive:
        actions.exclude_from_topic(mention, alive[args[1] % len(alive)])
    elif kind == "sentiment":
        correct_sentiment(mention, args[1], user)
    elif kind == "delete mention":
        actions.delete_mentions([mention])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(specs=mention_specs, steps=operations)
def test_several_topics_count_each_mention_once_through_every_change(
    specs, steps, django_user_model
):
    with transaction.atomic():
        user = django_user_model.objects.create_user("editor")
        topics = [actions.add_topic(word, word) for word in WORDS[:3]]
        _ingest(specs)
        assert_counts_exact()
        for step in steps:
            _apply(step, topics, user)
            assert_counts_exact()
        assert_rebuild_agrees()
        assert_counts_exact()
        transaction.set_rollback(True)


def test_a_mention_in_two_chosen_topics_counts_once_and_moves_with_its_topics(
    django_user_model,
):
    alpha, beta = actions.add_topic("alpha", "alpha"), actions.add_topic("beta", "beta")
    gamma = actions.add_topic("gamma", "gamma")
    items = [
        RawItem(text="alpha and beta together", external_id="both",
                published_at=datetime(2026, 3, 1, 12, tzinfo=UTC)),
        RawItem(text="alpha alone here", external_id="one",
                published_at=datetime(2026, 3, 1, 13, tzinfo=UTC)),
    ]  # fmt: skip
    actions.ingest_items(actions.source_for_import("s"), items)
    assert daily_by_sentiment(_filter([alpha.id, beta.id]))[0]["total"] == 2  # not 3
    assert set(TopicSet.objects.values_list("key", flat=True)) == {
        f"{alpha.id}",
        f"{alpha.id},{beta.id}",
    }
    assert_counts_exact()

    user = django_user_model.objects.create_user("editor")
    both = Mention.objects.get(external_id="both")
    correct_topics(both, add=[gamma], remove=[alpha], user=user)  # {alpha, beta} -> {beta, gamma}
    assert daily_by_sentiment(_filter([alpha.id, beta.id]))[0]["total"] == 2
    assert daily_by_sentiment(_filter([alpha.id, gamma.id]))[0]["total"] == 2
    assert daily_by_sentiment(_filter([alpha.id]))[0]["total"] == 1
    assert_counts_exact()

    actions.tag_existing(alpha)  # puts "both" back into alpha? No: a person took it out.
    assert_counts_exact()
    correct_topics(both, remove=[beta, gamma], user=user)  # in no topic at all
    assert daily_by_sentiment(_filter([beta.id, gamma.id]))[0]["total"] == 0
    assert_counts_exact()

    actions.delete_topic(alpha)
    assert not any(alpha.id in held.topic_ids for held in TopicSet.objects.all())
    assert not TopicSetCount.objects.exclude(count=0).exists()  # "one" went with alpha
    assert_counts_exact()
    assert_rebuild_agrees()


def test_sets_meeting_a_filter_come_from_the_membership_rows():
    from earful.river.topic_sets import sets_meeting, topic_set_ids

    one, two, three = (actions.add_topic(f"t{n}", "x").id for n in range(3))
    ids = topic_set_ids([(one,), (one, two), (two, three), (three,)])
    assert topic_set_ids([(one, two)]) == {(one, two): ids[(one, two)]}  # made once
    meeting = set(TopicSet.objects.filter(id__in=sets_meeting([two])).values_list("id", flat=True))
    assert meeting == {ids[(one, two)], ids[(two, three)]}
