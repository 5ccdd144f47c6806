"""Evidence: linking mentions to ideas, counting the voices, choosing the best quotes."""

import pytest

from earful.board.actions.comments import comment_on_idea, staff_comment
from earful.board.actions.evidence import link_evidence, mark_quote, unlink_evidence
from earful.board.actions.ideas import IdeaError
from earful.board.actions.votes import vote
from earful.board.models import Evidence, Idea
from earful.board.voices import best_quotes, voices, voices_for
from earful.river import actions
from earful.river.models import Author, Mention, Source
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db

_count = iter(range(1_000_000))

SOURCES = {
    "mastodon": ("Mastodon", Source.Kind.MASTODON, {}),
    "bluesky": ("Bluesky", Source.Kind.BLUESKY, {}),
    "blog": ("Blog", Source.Kind.OWNED, {"app": "blog"}),
    "community": ("Community", Source.Kind.OWNED, {"app": "community"}),
    "import": ("Support desk export", Source.Kind.IMPORT, {}),
}


def mention_on(kind: str, text: str, *, author: str = "", reach=None, url=None, spam=None):
    """A stored mention on a source of that kind (created on first use)."""
    name, source_kind, config = SOURCES[kind]
    source, _ = Source.objects.get_or_create(
        name=name, defaults={"kind": source_kind, "config": config}
    )
    n = next(_count)
    external_id = f"comment-{n}" if kind == "blog" else f"m{n}"
    if url is None:
        url = f"https://{kind}.example/{n}"
    actions.ingest_items(
        source,
        [RawItem(text=text, external_id=external_id, url=url, author=author,
                 author_name=author.title(), owned=source_kind == Source.Kind.OWNED)],
    )  # fmt: skip
    mention = Mention.objects.get(source=source, external_id=external_id)
    if reach is not None:
        Author.objects.filter(pk=mention.author_id).update(reach=reach)
    if spam is not None:
        Mention.objects.filter(pk=mention.pk).update(spam_score=spam)
    return Mention.objects.select_related("author", "source").get(pk=mention.pk)


def test_link_unlink_and_pin(idea, staff):
    toot = mention_on("mastodon", "I would love a CSV export of the reports", author="ann")
    assert link_evidence(idea, toot, staff) is True
    assert link_evidence(idea, toot, staff) is False
    assert Evidence.objects.get().linked_by == staff
    assert link_evidence(idea, toot, staff, quote=True) is False
    assert Evidence.objects.get().quote is True
    assert mark_quote(idea, toot, staff, False) is True and not Evidence.objects.get().quote
    assert unlink_evidence(idea, toot, staff) is True
    assert unlink_evidence(idea, toot, staff) is False
    assert mark_quote(idea, toot, staff, True) is False


def test_customers_cannot_link_and_merged_or_removed_ideas_take_no_evidence(
    idea, staff, customer, make_idea
):
    toot = mention_on("mastodon", "CSV export please, for my accountant", author="ann")
    with pytest.raises(IdeaError, match="Only staff"):
        link_evidence(idea, toot, customer)
    with pytest.raises(IdeaError, match="Only staff"):
        unlink_evidence(idea, toot, customer)
    Idea.objects.filter(pk=idea.pk).update(merged_into=make_idea("Spreadsheet exports"))
    idea.refresh_from_db()
    with pytest.raises(IdeaError, match="merged into"):
        link_evidence(idea, toot, staff)
    Idea.objects.filter(pk=idea.pk).update(merged_into=None, state=Idea.State.REMOVED)
    idea.refresh_from_db()
    with pytest.raises(IdeaError, match="removed"):
        link_evidence(idea, toot, staff)
    assert not Evidence.objects.exists()


def test_voices_count_people_by_channel(idea, staff, customer, other_customer, django_user_model):
    # On the board: the author, a voter who also comments (once), a commenter; not staff.
    vote(idea, other_customer)
    comment_on_idea(idea, other_customer, "Yes, we need this every month.")
    third = django_user_model.objects.create_user("third")
    comment_on_idea(idea, third, "Same for our team.")
    staff_comment(idea, staff, "Thanks, we are looking at it.")
    # Two toots by ann count once; bo and an anonymous toot count one each.
    for text, who in [
        ("CSV export now!", "ann"),
        ("Still no CSV export", "ann"),
        ("Reports as CSV would be great", "bo"),
        ("csv reports pls", ""),
    ]:
        link_evidence(idea, mention_on("mastodon", text, author=who), staff)  # fmt: skip
    link_evidence(idea, mention_on("blog", "Your reports need a CSV button", author="cy"), staff)
    link_evidence(idea, mention_on("import", "Ticket: customer wants CSV", author="dee"), staff)
    # The idea's own river mention is linked too (as a merge does): its author is not
    # counted twice.
    link_evidence(idea, Mention.objects.get(pk=idea.mention_id), staff)

    counted = voices(idea)
    assert counted.parts == (
        (3, "on this board"),
        (3, "toots"),
        (1, "blog comment"),
        (1, "from another channel"),
    )
    assert str(counted) == (
        "8 voices: 3 on this board, 3 toots, 1 blog comment, 1 from another channel"
    )
    assert customer.pk  # the author, counted on the board


def test_voices_of_many_ideas_take_a_fixed_number_of_queries(
    make_idea, staff, django_assert_max_num_queries
):
    ideas = [make_idea(f"Idea number {n} for the board") for n in range(5)]
    for idea in ideas:
        link_evidence(idea, mention_on("bluesky", f"skeet about {idea.title}", author="x"), staff)
    with django_assert_max_num_queries(6):
        counted = voices_for([i.pk for i in ideas])
    assert str(counted[ideas[0].pk]) == "2 voices: 1 Bluesky post, 1 on this board"


def test_no_voices_reads_well(make_idea):
    idea = make_idea("Nobody wrote this one")
    Idea.objects.filter(pk=idea.pk).update(author=None)
    assert str(voices(idea)) == "No voices yet" and voices(idea).total == 0


def test_best_quotes_prefer_pins_then_reach_and_skip_spam_short_private_and_repeats(idea, staff):
    def linked(*args, quote=False, **kwargs):
        mention = mention_on(*args, **kwargs)
        link_evidence(idea, mention, staff, quote=quote)
        return mention

    small = linked("mastodon", "A CSV export would help our small shop a lot.", author="ann",
                   reach=12)  # fmt: skip
    big = linked("mastodon", "Every accountant I know asks for CSV exports of the monthly reports.",
                 author="bo", reach=50_000)  # fmt: skip
    linked("mastodon", "Second toot by bo about CSV, less to say but still.", author="bo",
           reach=50_000)  # fmt: skip
    linked("mastodon", "BUY FOLLOWERS cheap cheap cheap csv export", author="spam", reach=10**6,
           spam=0.9)  # fmt: skip
    linked("mastodon", "csv!", author="terse", reach=10**6)
    linked("import", "Ticket 4411: the customer asks for CSV exports of reports", author="t")
    pinned = linked("blog", "We switched tools because of the missing CSV export.",
                    author="cy", quote=True)  # fmt: skip
    quotes = best_quotes(idea)
    assert [q.mention_id for q in quotes] == [pinned.pk, big.pk, small.pk]
    assert quotes[0].pinned and quotes[0].where == "blog comment"
    assert quotes[1].who == "Bo" and quotes[1].url == big.url and quotes[1].where == "toot"


def test_private_channels_are_quoted_only_when_pinned_and_long_text_is_shortened(idea, staff):
    ticket = mention_on("import", "word " * 200, author="t")
    link_evidence(idea, ticket, staff)
    assert best_quotes(idea) == []
    mark_quote(idea, ticket, staff, True)
    (quote,) = best_quotes(idea)
    assert len(quote.text) <= 280 and quote.text.endswith("…")


def test_quote_urls_are_http_only(idea, staff):
    bad = mention_on("mastodon", "A CSV export would make my week, truly.", author="ann",
                     url="javascript:alert(1)")  # fmt: skip
    link_evidence(idea, bad, staff)
    assert best_quotes(idea)[0].url == ""
