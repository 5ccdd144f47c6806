"""State changes of the inbox: taking mentions in, triage, notes, replies, corrections."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from earful.accounts.roles import perm
from earful.river.actions import exclude_from_topic
from earful.river.models import Mention, MentionTopic, Source, Topic
from earful.river.pipeline.items import Item
from earful.river.rollups import add_counts, count_mention, move_topic_set
from earful.river.store import clamp_reach, datetime_adapter, in_utc_range, insert_rows

from .models import Alert, AlertRule, LabelCorrection, Note, Reply, Tag, Triage
from .publishing import PublishError, publisher_for
from .queue import OPEN_STATUSES, person
from .rules import is_high_reach, reasons

MAX_TEXT = 20_000
MAX_TAG = 50


def triage_stored(source: Source, stored: list[tuple[int, Item]]) -> None:
    """The river's after-store hook: open an inbox item for each new mention that needs
    an answer (negative, a question, or a high-reach author). Runs inside the store's
    transaction on every import batch, hence the raw insert."""
    min_reach = settings.EARFUL_INBOX_MIN_REACH
    when = datetime_adapter()
    now = timezone.now()
    stamp = when(now)
    rows = []
    for mention_id, item in stored:
        reach = item.raw.author_reach
        if reach is not None:
            reach = clamp_reach(reach)
        found = reasons(
            item.question, item.sentiment, reach, item.spam_score, min_reach=min_reach,
            reply_among_customers=bool(item.parent_key) and not item.raw.owned,
        )  # fmt: skip
        if found:
            published = when(in_utc_range(item.raw.published_at) or now)
            rows.append(
                (mention_id, "new", found.negative, found.question, found.high_reach, published,
                 reach, stamp, stamp)
            )  # fmt: skip
    insert_rows(
        Triage._meta.db_table,
        ("mention_id", "status", "negative", "question", "high_reach", "published_at", "reach",
         "created_at", "updated_at"),
        rows,
        on_conflict="(mention_id) DO NOTHING",
    )  # fmt: skip


def follow_author_reach(chunk: int = 5000) -> int:
    """Open inbox items take their author's reach as it is now, and the high-reach reason
    with it: an author's reach changes after their mentions came in (every import that
    carries it updates it, and so may a person), while an item holds a copy so that the
    queue sorts and filters by reach without joins. Closed items keep the reach they were
    closed with. The worker runs this with the alert checks; returns how many changed."""
    current = F("mention__author__reach")
    stale = Triage.objects.filter(status__in=OPEN_STATUSES, mention__author__isnull=False).filter(
        Q(reach__lt=current)
        | Q(reach__gt=current)
        | Q(reach=None, mention__author__reach__isnull=False)
        | Q(reach__isnull=False, mention__author__reach=None)
    )
    min_reach = settings.EARFUL_INBOX_MIN_REACH
    changes: defaultdict[tuple[int | None, bool], list[int]] = defaultdict(list)
    rows = stale.values_list("id", "mention__author__reach", "mention__spam_score")
    for triage_id, reach, spam_score in rows.iterator(chunk_size=chunk):
        changes[(reach, is_high_reach(reach, spam_score, min_reach=min_reach))].append(triage_id)
    for (reach, high_reach), ids in changes.items():
        for start in range(0, len(ids), chunk):
            Triage.objects.filter(id__in=ids[start : start + chunk]).update(
                reach=reach, high_reach=high_reach
            )
    return sum(map(len, changes.values()))


def take_in(mention: Mention) -> Triage:
    """The mention's inbox item, opened by hand if no rule took it in."""
    triage, _ = Triage.objects.get_or_create(
        mention=mention,
        defaults={
            "published_at": mention.published_at,
            "negative": mention.sentiment == Mention.Sentiment.NEGATIVE,
            "reach": mention.author.reach if mention.author_id else None,
        },
    )
    return triage


def _touch(triages) -> None:
    triages.update(updated_at=timezone.now())


def set_status(triage_ids: Iterable[int], status: str) -> int:
    if status not in Triage.Status.values:
        raise ValueError(f"unknown status {status!r}; use one of {', '.join(Triage.Status)}")
    return Triage.objects.filter(id__in=list(triage_ids)).update(
        status=status, updated_at=timezone.now()
    )


def responders():
    """Users who may be given inbox items."""
    app_label, codename = perm("triage_inbox").split(".")
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(is_superuser=True)
        | users.filter(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        | users.filter(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app_label,
        )
    ).distinct()


def assign(triage_ids: Iterable[int], assignee) -> int:
    """Give the items to `assignee` (None: to nobody). New items become open."""
    if assignee is not None and not responders().filter(pk=assignee.pk).exists():
        raise ValueError(f"{assignee} cannot work the inbox, so cannot be assigned")
    triages = Triage.objects.filter(id__in=list(triage_ids))
    count = triages.update(assignee=assignee, updated_at=timezone.now())
    if assignee is not None:
        triages.filter(status=Triage.Status.NEW).update(status=Triage.Status.OPEN)
    return count


def clean_tag(name: str) -> str:
    name = " ".join(name.strip().lower().split())
    if not name:
        raise ValueError("a tag needs a name")
    if len(name) > MAX_TAG:
        raise ValueError(f"tags are at most {MAX_TAG} characters")
    return name


def add_tag(triage_ids: Iterable[int], name: str) -> Tag:
    tag, _ = Tag.objects.get_or_create(name=clean_tag(name))
    triages = Triage.objects.filter(id__in=list(triage_ids))
    tag.triage.add(*triages)
    _touch(triages)
    return tag


def remove_tag(triage_ids: Iterable[int], name: str) -> None:
    tag = Tag.objects.filter(name=clean_tag(name)).first()
    if tag is not None:
        triages = Triage.objects.filter(id__in=list(triage_ids))
        tag.triage.remove(*triages)
        _touch(triages)


def _text(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError(f"the {what} is empty")
    if len(text) > MAX_TEXT:
        raise ValueError(f"the {what} is longer than {MAX_TEXT:,} characters")
    return text


def add_note(triage: Triage, user, text: str) -> Note:
    note = Note.objects.create(triage=triage, author=user, text=_text(text, "note"))
    _touch(Triage.objects.filter(pk=triage.pk))
    return note


def reply(triage: Triage, user, text: str) -> Reply:
    """Answer the mention. On an owned channel with a publisher the reply is published
    there; otherwise it is recorded (the responder answers on the site itself). Either
    way the item is done."""
    text = _text(text, "reply")
    mention = Mention.objects.select_related("source").get(pk=triage.mention_id)
    publisher = publisher_for(mention)
    url = ""
    if publisher is not None:
        try:
            url = publisher(mention, text, user)
        except PublishError as exc:
            raise ValueError(f"the reply was not published: {exc}") from exc
    with transaction.atomic():
        saved = Reply.objects.create(
            triage=triage, author=user, text=text, published=publisher is not None,
            published_url=url,
        )  # fmt: skip
        Triage.objects.filter(pk=triage.pk).update(
            status=Triage.Status.DONE, updated_at=timezone.now()
        )
    return saved


def act_on(triage: Triage, user, action: str, value: str = "", text: str = "") -> str:
    """One responder action on an item, named as the console's forms and the API name
    it; returns what was done, for the person who did it."""
    if action == "status":
        set_status([triage.id], value)
        return f"Marked {value}."
    if action == "assign":
        assignee = person(value, user)
        assign([triage.id], assignee)
        return f"Assigned to {assignee}." if assignee else "Unassigned."
    if action == "tag":
        return f"Tagged {add_tag([triage.id], value).name!r}."
    if action == "untag":
        remove_tag([triage.id], value)
        return "Tag removed."
    if action == "note":
        add_note(triage, user, text)
        return "Note added."
    if action == "reply":
        saved = reply(triage, user, text)
        if saved.published:
            return f"Reply published: {saved.published_url}"
        return "Reply recorded; the original is open in a new tab to post it there."
    raise ValueError(f"unknown action {action[:20]!r}")


def _move_counts(mention: Mention, topic_ids: list[int], old: str, new: str, **kwargs) -> None:
    counts: Counter = Counter()
    args = (mention.published_at, mention.source_id)
    rest = (mention.language, mention.spam_score, topic_ids)
    count_mention(counts, *args, old, *rest, sign=-1, **kwargs)
    count_mention(counts, *args, new, *rest, sign=1, **kwargs)
    add_counts(counts)


def correct_sentiment(mention: Mention, label: str, user) -> LabelCorrection | None:
    """Replace the machine's sentiment with a person's: in the mention itself (so search,
    charts and the API all show it), in the daily counts, and in the inbox."""
    if label not in Mention.Sentiment.values:
        raise ValueError(f"sentiment must be one of {', '.join(Mention.Sentiment.values)}")
    with transaction.atomic():
        mention = Mention.objects.select_for_update().get(pk=mention.pk)
        old = mention.sentiment
        if label == old:
            return None
        first = mention.corrections.filter(kind=LabelCorrection.Kind.SENTIMENT).first()
        machine = first.machine_value if first else old
        topic_ids = list(
            MentionTopic.objects.filter(mention=mention).values_list("topic_id", flat=True)
        )
        _move_counts(mention, topic_ids, old, label)
        Mention.objects.filter(pk=mention.pk).update(sentiment=label)
        negative = label == Mention.Sentiment.NEGATIVE
        if negative:
            mention.sentiment = label
            take_in(mention)
        Triage.objects.filter(mention=mention).update(negative=negative)
        return LabelCorrection.objects.create(
            mention=mention, kind=LabelCorrection.Kind.SENTIMENT, machine_value=machine,
            old_value=old, new_value=label, user=user,
        )  # fmt: skip


def correct_topics(
    mention: Mention, add: Iterable[Topic] = (), remove: Iterable[Topic] = (), *, user
) -> list[LabelCorrection]:
    """Tag or untag the mention by hand, with the daily counts kept in step."""
    corrections = []
    with transaction.atomic():
        # The counted fields as stored now, not as the caller's copy last saw them.
        mention = Mention.objects.select_for_update().get(pk=mention.pk)
        initial = set(
            MentionTopic.objects.filter(mention=mention).values_list("topic_id", flat=True)
        )
        current = set(initial)  # the mention's topics after each step, for its topic set
        for topic in add:
            if topic.id in current:
                continue
            MentionTopic.objects.create(
                mention=mention, topic=topic, published_at=mention.published_at
            )
            exclude_from_topic(mention, topic, excluded=False)
            _count_topic(mention, topic, current, current | {topic.id})
            current.add(topic.id)
            corrections.append(_topic_correction(mention, topic, user, added=True))
        for topic in remove:
            if topic.id not in initial or topic.id not in current:
                continue
            MentionTopic.objects.filter(mention=mention, topic=topic).delete()
            exclude_from_topic(mention, topic)
            _count_topic(mention, topic, current, current - {topic.id})
            current.discard(topic.id)
            corrections.append(_topic_correction(mention, topic, user, added=False))
    return corrections


def _count_topic(mention: Mention, topic: Topic, before: set[int], after: set[int]) -> None:
    """The mention joins or leaves `topic`: its topic's row, and its topic set's."""
    counts: Counter = Counter()
    fields = (
        mention.published_at, mention.source_id, mention.sentiment, mention.language,
        mention.spam_score,
    )  # fmt: skip
    sign = 1 if topic.id in after else -1
    count_mention(counts, *fields, [topic.id], every_mention=False, sign=sign)
    move_topic_set(counts, *fields, before, after)
    add_counts(counts)


def _topic_correction(mention: Mention, topic: Topic, user, *, added: bool) -> LabelCorrection:
    kind = LabelCorrection.Kind.TOPIC_ADDED if added else LabelCorrection.Kind.TOPIC_REMOVED
    return LabelCorrection.objects.create(
        mention=mention, kind=kind, topic=topic, user=user,
        old_value="" if added else topic.name[:20], new_value=topic.name[:20] if added else "",
    )  # fmt: skip


# -- alerts ------------------------------------------------------------------------------


def create_alert_rule(
    name: str,
    *,
    topic: Topic | None = None,
    query: str = "",
    metric: str = "volume",
    bucket: str = "hour",
    window: int | None = None,
    sigmas: float = 3.0,
    min_count: int = 10,
    cooldown_minutes: int = 360,
    email_to: str = "",
    webhook_url: str = "",
) -> AlertRule:
    """A new alert rule, checked before anything is saved; raises ValueError saying what
    is wrong. Webhooks get a fresh signing secret."""
    import secrets

    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator, validate_email

    from earful.river.query import QuerySyntaxError, parse_query

    name = name.strip()
    if not name:
        raise ValueError("an alert rule needs a name")
    if AlertRule.objects.filter(name=name).exists():
        raise ValueError(f"an alert rule named {name!r} already exists")
    if metric not in AlertRule.Metric.values:
        raise ValueError(f"metric must be one of {', '.join(AlertRule.Metric.values)}")
    if bucket not in AlertRule.Bucket.values:
        raise ValueError(f"bucket must be one of {', '.join(AlertRule.Bucket.values)}")
    window = window if window is not None else (168 if bucket == "hour" else 28)
    if not 3 <= window <= 24 * 90:
        raise ValueError("the window must be between 3 and 2160 buckets")
    if not 0.5 <= sigmas <= 20:
        raise ValueError("sigmas must be between 0.5 and 20")
    if min_count < 1 or cooldown_minutes < 0:
        raise ValueError("the minimum count must be at least 1 and the cooldown not negative")
    query = query.strip()
    if query:
        try:
            parse_query(query)
        except QuerySyntaxError as exc:
            raise ValueError(f"invalid query: {exc}") from exc
    addresses = [a.strip() for a in email_to.split(",") if a.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValueError(f"{address!r} is not an e-mail address") from exc
    webhook_url = webhook_url.strip()
    if webhook_url:
        try:
            URLValidator(schemes=["http", "https"])(webhook_url)
        except ValidationError as exc:
            raise ValueError(f"{webhook_url!r} is not an http(s) URL") from exc
    if not addresses and not webhook_url:
        raise ValueError("say where to send alerts: e-mail addresses, a webhook URL or both")
    return AlertRule.objects.create(
        name=name, topic=topic, query=query, metric=metric, bucket=bucket, window=window,
        sigmas=sigmas, min_count=min_count, cooldown_minutes=cooldown_minutes,
        email_to=", ".join(addresses), webhook_url=webhook_url,
        webhook_secret=secrets.token_hex(24) if webhook_url else "",
    )  # fmt: skip


def check_alerts(now=None) -> list[Alert]:
    """Check every enabled rule once; deliver what fires. Returns the new alerts."""
    from .alert_delivery import deliver
    from .alerts import check_rule

    fired = []
    for rule in AlertRule.objects.filter(enabled=True).select_related("topic"):
        alert = check_rule(rule, now)
        if alert is not None:
            fired.append(deliver(alert))
    return fired
