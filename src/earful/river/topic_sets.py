"""Topic sets: the exact set of topics a mention is in (see rollups.py, TopicSetCount).

A filter on topics {A, B} counts the mentions of every set that holds A or B; each
mention is in one set, so each counts once. Few distinct sets exist in practice (104 for
eight topics on the console bench's million mentions), so these are small tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import QuerySet

from .models import TopicSet, TopicSetCount


def topic_set(topic_ids: Iterable[int]) -> tuple[int, ...]:
    """The canonical form of a set of topic ids: sorted, each once."""
    return tuple(sorted(set(topic_ids)))


def set_key(members: tuple[int, ...]) -> str:
    return ",".join(map(str, members))


def topic_set_ids(
    sets: Iterable[tuple[int, ...]], topic_set_count=TopicSetCount
) -> dict[tuple[int, ...], int]:
    """The TopicSet id of each set (canonical tuples), created when new. Takes the count
    model so that migrations can pass their historical one."""
    model = topic_set_count._meta.get_field("topic_set").related_model
    keys = {set_key(members): members for members in sets}
    found = dict(model.objects.filter(key__in=list(keys)).values_list("key", "id"))
    missing = [key for key in keys if key not in found]
    if missing:
        # Another writer may create the same set meanwhile: no error, and both use it.
        model.objects.bulk_create([model(key=key) for key in missing], ignore_conflicts=True)
        created = dict(model.objects.filter(key__in=missing).values_list("key", "id"))
        through = model._meta.get_field("topics").remote_field.through
        through.objects.bulk_create(
            [through(topicset_id=created[key], topic_id=t) for key in missing for t in keys[key]],
            ignore_conflicts=True,
        )
        found.update(created)
    return {members: found[key] for key, members in keys.items()}


def sets_meeting(topic_ids: Iterable[int]) -> QuerySet:
    """The ids of the topic sets holding any of `topic_ids`, as a subquery."""
    members = TopicSet.topics.through.objects.filter(topic_id__in=list(topic_ids))
    return members.values("topicset_id")


def fold_out_topic(topic_id: int) -> None:
    """Before a topic is deleted: the mentions of each set holding it move to the same set
    without it (or to none), so the counts of the remaining topics stay exact."""
    from .rollups import add_counts

    sets = list(TopicSet.objects.filter(topics=topic_id))
    counts: Counter = Counter()
    for held in sets:
        rest = tuple(t for t in held.topic_ids if t != topic_id)
        if not rest:
            continue
        for day, source, sentiment, language, spam, n in TopicSetCount.objects.filter(
            topic_set=held
        ).values_list("day", "source_id", "sentiment", "language", "spam", "count"):
            counts[(day, source, rest, sentiment, language, spam)] += n
    TopicSet.objects.filter(id__in=[held.id for held in sets]).delete()
    add_counts(counts)
