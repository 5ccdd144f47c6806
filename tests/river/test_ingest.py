from datetime import UTC, datetime, timedelta

import pytest

from earful.river import actions
from earful.river.models import Author, Mention, MentionBand
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db

COMPLAINT = (
    "My Lumio Arc phone battery dies before lunch every single day since the last update, "
    "and support keeps telling me to reset it. Not happy at all."
)


def ingest(items, name="s", **kwargs):
    return actions.ingest_items(actions.source_for_import(name), items, **kwargs)


def test_the_same_item_twice_is_one_mention_by_id_url_or_content():
    items = [
        RawItem(text="by id", external_id="1"),
        RawItem(text="by url", url="https://blog.example/p/1?utm_source=x&b=2&a=1#top"),
        RawItem(text="by content only"),
    ]
    first = ingest(items)
    again = ingest(
        [
            RawItem(text="by id, edited", external_id="1"),
            RawItem(text="by url", url="https://BLOG.example/p/1?a=1&b=2"),
            RawItem(text="by content only"),
        ]
    )
    assert (first.imported, first.duplicates) == (3, 0)
    assert (again.imported, again.duplicates) == (0, 3)
    assert Mention.objects.count() == 3


def test_the_url_key_is_shared_across_sources_but_ids_are_per_source():
    ingest([RawItem(text="a post", url="https://blog.example/p/1", external_id="")], "one")
    report = ingest([RawItem(text="a post", url="https://blog.example/p/1")], "two")
    assert report.duplicates == 1
    ingest([RawItem(text="x", external_id="7")], "one")
    assert ingest([RawItem(text="x", external_id="7")], "two").imported == 1


def test_replies_find_their_parent_in_any_order_and_across_batches():
    ingest([RawItem(text="a reply that came first", external_id="r1", parent_id="p")])
    ingest([RawItem(text="the parent", external_id="p")])
    ingest([RawItem(text="a later reply", external_id="r2", parent_id="p")])
    parent = Mention.objects.get(external_id="p")
    assert set(parent.replies.values_list("external_id", flat=True)) == {"r1", "r2"}


def test_near_duplicates_join_the_cluster_of_the_first_across_batches():
    ingest([RawItem(text=COMPLAINT, external_id="1", author="ann")], batch_size=1)
    edited = COMPLAINT.replace("Not happy at all.", "Not happy!!").replace("every", "evry")
    ingest(
        [
            RawItem(text=edited, external_id="2", author="bob"),
            RawItem(text=edited + " #fail", external_id="3", author="cy"),
            RawItem(text="Completely different: the Pulse watch strap is great", external_id="4"),
        ]
    )
    root = Mention.objects.get(external_id="1")
    assert root.duplicate_of is None
    assert Mention.objects.get(external_id="2").duplicate_of == root
    assert Mention.objects.get(external_id="3").duplicate_of == root
    assert Mention.objects.get(external_id="4").duplicate_of is None
    assert MentionBand.objects.filter(mention=root).exists()


def test_exact_copies_under_other_keys_are_stored_and_linked_to_the_first():
    ingest([RawItem(text=COMPLAINT, external_id="1")])
    report = ingest([RawItem(text=COMPLAINT, external_id="2")])
    assert report.imported == 1
    assert Mention.objects.get(external_id="2").duplicate_of == Mention.objects.get(external_id="1")


def test_topics_sentiment_language_and_authors_are_stored():
    actions.add_topic("Lumio", 'lumio OR "lumio arc"', kind="brand")
    actions.add_topic("Battery", "battery NEAR/3 (dies OR drain*)")
    when = datetime(2026, 11, 1, 9, tzinfo=UTC)
    praise = "I absolutely love my new Lumio earbuds, great sound!"
    french = "Le service client est vraiment excellent, merci beaucoup à toute l'équipe"
    ingest(
        [
            RawItem(COMPLAINT, external_id="1", author="ann", author_reach=50, published_at=when),
            RawItem(praise, external_id="2", author="ann", author_reach=80),
            RawItem(french, external_id="3"),
        ]
    )
    complaint = Mention.objects.get(external_id="1")
    assert complaint.sentiment == "negative"
    assert complaint.language == "en"
    assert sorted(complaint.topics.values_list("name", flat=True)) == ["Battery", "Lumio"]
    assert complaint.published_at == when
    praise = Mention.objects.get(external_id="2")
    assert praise.sentiment == "positive"
    assert list(praise.topics.values_list("name", flat=True)) == ["Lumio"]
    assert Mention.objects.get(external_id="3").language == "fr"
    author = Author.objects.get(handle="ann")
    assert (author.mention_count, author.reach) == (2, 80)
    assert author.first_seen == when


def test_html_is_stored_as_text_and_hostile_text_does_not_stop_the_batch():
    report = ingest(
        [
            RawItem(text="<p>Great <b>phone</b><script>alert(1)</script></p>", external_id="1",
                    is_html=True),
            RawItem(text="bad \ud800 surrogate and \x00 nul", external_id="2"),
            RawItem(text="   ", external_id="3"),
            RawItem(text="x" * 200_000, external_id="4"),
        ]
    )  # fmt: skip
    assert report.rejected == 1
    assert Mention.objects.get(external_id="1").text == "Great phone"
    stored = Mention.objects.get(external_id="2").text
    assert "\ud800" not in stored and "\x00" not in stored
    assert Mention.objects.filter(external_id="4").exists()


def test_an_absurd_follower_count_from_a_server_does_not_break_the_batch():
    report = ingest([RawItem(text="hi", external_id="1", author="bot", author_reach=10**30)])
    assert report.imported == 1
    assert Author.objects.get(handle="bot").reach == 2**62


def test_dates_at_the_edge_of_the_calendar_do_not_break_the_batch():
    from datetime import timezone

    edge = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
    report = ingest([RawItem(text="from the year one", external_id="1", published_at=edge)])
    assert report.imported == 1
    stored = Mention.objects.get(external_id="1").published_at
    assert abs(stored - datetime.now(UTC)) < timedelta(minutes=5)  # unknown: when we saw it
