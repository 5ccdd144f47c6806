from datetime import UTC, datetime

import pytest
from django.db.models import Sum

from earful.inbox import actions
from earful.inbox.models import LabelCorrection, Triage
from earful.inbox.publishing import PublishError, register_publisher
from earful.river import actions as river
from earful.river.models import DailyCount, Mention
from earful.river.pipeline.items import RawItem
from earful.river.rollups import ALL_TOPICS

pytestmark = pytest.mark.django_db
WHEN = datetime(2026, 5, 1, 12, tzinfo=UTC)


def ingest(*items, name="social"):
    return river.ingest_items(river.source_for_import(name), list(items))


def test_ingest_opens_inbox_items_for_what_needs_an_answer(settings):
    settings.EARFUL_INBOX_MIN_REACH = 1000
    ingest(
        RawItem(text="This phone is terrible, I hate it", external_id="neg", published_at=WHEN),
        RawItem(text="How do I pair the buds?", external_id="q", published_at=WHEN),
        RawItem(text="Nice launch event today", external_id="big", author="star",
                author_reach=50_000, published_at=WHEN),
        RawItem(text="Nice launch event", external_id="small", author="me", author_reach=5),
        RawItem(text="Why? BUY NOW cheap pills click here http://a.example http://b.example "
                "http://c.example", external_id="spam"),
    )  # fmt: skip
    found = {t.mention.external_id: t.reasons for t in Triage.objects.select_related("mention")}
    assert found == {"neg": ["negative"], "q": ["question"], "big": ["reach"]}
    assert {t.status for t in Triage.objects.all()} == {"new"}
    ingest(RawItem(text="How do I pair the buds?", external_id="q"))  # known: nothing new
    assert Triage.objects.count() == 3


def test_triage_status_assignment_tags_and_notes(user_with_roles):
    ingest(RawItem(text="Why is support so slow?", external_id="1"))
    triage = Triage.objects.get()
    responder = user_with_roles("responder")
    listener = user_with_roles("listener")

    actions.assign([triage.id], responder)
    triage.refresh_from_db()
    assert (triage.assignee, triage.status) == (responder, "open")
    with pytest.raises(ValueError, match="cannot work the inbox"):
        actions.assign([triage.id], listener)
    with pytest.raises(ValueError, match="unknown status"):
        actions.set_status([triage.id], "archived")

    actions.add_tag([triage.id], "  Billing   Issue ")
    assert list(triage.tags.values_list("name", flat=True)) == ["billing issue"]
    with pytest.raises(ValueError):
        actions.add_tag([triage.id], " ")
    actions.remove_tag([triage.id], "billing issue")
    assert not triage.tags.exists()

    actions.add_note(triage, responder, "Customer called too.")
    with pytest.raises(ValueError, match="empty"):
        actions.add_note(triage, responder, "   ")
    assert triage.notes.get().author == responder


def test_replies_are_recorded_or_published_on_owned_channels(user_with_roles):
    responder = user_with_roles("responder")
    ingest(RawItem(text="Why is it broken?", external_id="ext", url="https://social.example/1"))
    external = Triage.objects.get()
    saved = actions.reply(external, responder, "Sorry! DM us your order number.")
    external.refresh_from_db()
    assert not saved.published and external.status == "done"

    owned = river.source_for_import("blog comments")
    owned.kind, owned.config = "owned", {"app": "testblog"}
    owned.save()
    river.ingest_items(owned, [RawItem(text="Where is part 2?", external_id="c1", owned=True)])
    triage = Triage.objects.get(mention__external_id="c1")
    published = []

    def publish(mention, text, user):
        published.append((mention.external_id, text, user))
        return "https://blog.example/post#reply-9"

    register_publisher("testblog", publish)
    saved = actions.reply(triage, responder, "Next week!")
    assert saved.published and saved.published_url.endswith("#reply-9")
    assert published == [("c1", "Next week!", responder)]

    def refuse(mention, text, user):
        raise PublishError("comments are closed")

    register_publisher("testblog", refuse)
    with pytest.raises(ValueError, match="comments are closed"):
        actions.reply(triage, responder, "Again")
    assert triage.replies.count() == 1


def total(**filters) -> int:
    return DailyCount.objects.filter(**filters).aggregate(n=Sum("count"))["n"] or 0


def test_sentiment_corrections_override_everywhere_and_keep_the_machine_label(user_with_roles):
    topic = river.add_topic("Battery", "battery")
    ingest(RawItem(text="The battery lasts two days, brilliant", external_id="1",
                   published_at=WHEN))  # fmt: skip
    mention = Mention.objects.get()
    machine = mention.sentiment
    assert machine == "positive"
    person = user_with_roles("responder")

    actions.correct_sentiment(mention, "negative", person)
    actions.correct_sentiment(mention, "neutral", person)
    assert actions.correct_sentiment(mention, "neutral", person) is None

    mention.refresh_from_db()
    assert mention.sentiment == "neutral"
    last = LabelCorrection.objects.filter(kind="sentiment").last()
    assert (last.machine_value, last.old_value, last.new_value) == (
        "positive",
        "negative",
        "neutral",
    )
    assert total(topic_id=ALL_TOPICS, sentiment="neutral") == 1
    assert total(topic_id=ALL_TOPICS, sentiment="positive") == 0
    assert total(topic_id=topic.id, sentiment="neutral") == 1
    assert total(topic_id=topic.id) == 1
    assert Triage.objects.get().negative is False  # taken in while negative, not any more
    with pytest.raises(ValueError):
        actions.correct_sentiment(mention, "furious", person)


def test_topic_corrections_tag_and_untag_with_counts(user_with_roles):
    battery = river.add_topic("Battery", "battery")
    screen = river.add_topic("Screen", "screen")
    ingest(RawItem(text="battery ok", external_id="1", published_at=WHEN))
    mention = Mention.objects.get()
    person = user_with_roles("responder")

    done = actions.correct_topics(mention, add=[screen, battery], remove=[battery], user=person)
    assert [c.kind for c in done] == ["topic_added", "topic_removed"]
    assert list(mention.topics.values_list("name", flat=True)) == ["Screen"]
    assert total(topic_id=screen.id) == 1 and total(topic_id=battery.id) == 0
    assert total(topic_id=ALL_TOPICS) == 1


def test_a_topic_a_person_removed_is_not_put_back_by_tagging_again(user_with_roles):
    battery = river.add_topic("Battery", "battery")
    ingest(RawItem(text="battery talk", external_id="1", published_at=WHEN))
    mention = Mention.objects.get()
    person = user_with_roles("responder")

    actions.correct_topics(mention, remove=[battery], user=person)
    assert river.tag_existing(battery) == 0
    assert not mention.topics.exists() and total(topic_id=battery.id) == 0

    actions.correct_topics(mention, add=[battery], user=person)  # changed their mind
    actions.correct_topics(mention, remove=[battery], user=person)
    actions.correct_topics(mention, add=[battery], user=person)
    assert river.tag_existing(battery) == 0 and total(topic_id=battery.id) == 1


def test_open_items_follow_a_later_change_of_their_authors_reach(settings):
    from earful.inbox.tasks import follow_author_reach_task
    from earful.river.models import Author

    settings.EARFUL_INBOX_MIN_REACH = 10_000
    ingest(
        RawItem(text="This phone is terrible", external_id="old", author="ann",
                author_reach=500, published_at=WHEN),
        RawItem(text="How do I pair the buds?", external_id="closed", author="ann",
                published_at=WHEN),
        RawItem(text="The battery is awful", external_id="bob", author="bob",
                author_reach=50_000, published_at=WHEN),
    )  # fmt: skip
    Triage.objects.filter(mention__external_id="closed").update(status="done")
    # A later post says ann is now widely heard, and someone edits bob's reach by hand.
    ingest(RawItem(text="Launch day", external_id="new", author="ann", author_reach=80_000))
    Author.objects.filter(handle="bob").update(reach=20)

    def items():
        return {
            t.mention.external_id: (t.reach, t.reasons)
            for t in Triage.objects.select_related("mention")
        }

    assert items()["old"] == (500, ["negative"])  # the copy made when it came in
    assert actions.follow_author_reach() == 2
    assert items() == {
        "old": (80_000, ["negative", "reach"]),
        "closed": (None, ["question"]),  # closed: keeps what it had
        "bob": (20, ["negative"]),
        "new": (80_000, ["reach"]),
    }
    assert {t.mention.external_id for t in Triage.objects.filter(high_reach=True)} == {"old", "new"}
    assert follow_author_reach_task.call() == {"changed": 0}  # in step: nothing to do
