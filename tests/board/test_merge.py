"""Merging duplicate ideas: what moves, what is counted once, and what is refused."""

import pytest

from earful.board.actions.comments import comment_on_idea
from earful.board.actions.evidence import link_evidence
from earful.board.actions.follows import follow
from earful.board.actions.ideas import IdeaError, moderate_idea, submit_idea
from earful.board.actions.merge import final_idea, merge_ideas
from earful.board.actions.votes import vote
from earful.board.models import Evidence, Follow, Idea, IdeaComment, Merge, Vote
from earful.inbox.actions import reply, take_in
from earful.river.models import Mention

from .test_evidence import mention_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    return [django_user_model.objects.create_user(f"p{n}") for n in range(4)]


@pytest.fixture
def pair(make_idea):
    duplicate = make_idea("Spreadsheet export of the monthly numbers")
    survivor = make_idea("Export reports to Excel")
    return duplicate, survivor


def test_votes_followers_comments_and_evidence_move_each_person_once(pair, people, staff):
    duplicate, survivor = pair
    both, dup_only, surv_only, follower = people
    for person in (both, dup_only):
        vote(duplicate, person)
    for person in (both, surv_only):
        vote(survivor, person)
    follow(duplicate, follower)
    comment = comment_on_idea(duplicate, dup_only, "Yes, and in CSV too please.")
    held = comment_on_idea(duplicate, follower, "BUY CHEAP PILLS NOW " * 10)
    assert held.status == IdeaComment.Status.PENDING
    toot = mention_on("mastodon", "Please let me export to a spreadsheet", author="ann")
    shared = mention_on("mastodon", "Exports to Excel would save my day", author="bo")
    link_evidence(duplicate, toot, staff)
    link_evidence(duplicate, shared, staff, quote=True)
    link_evidence(survivor, shared, staff)

    record = merge_ideas(duplicate, survivor, staff, "Same idea: **one** place to vote.")

    assert duplicate.merged_into_id == survivor.pk and duplicate.merged_at == record.at
    assert set(Vote.objects.filter(idea=survivor).values_list("user_id", flat=True)) == {
        both.pk,
        dup_only.pk,
        surv_only.pk,
    }
    assert survivor.vote_count == 3 and duplicate.vote_count == 0
    assert not Vote.objects.filter(idea=duplicate).exists()
    followers = Follow.objects.filter(idea=survivor)
    assert followers.filter(user=both).count() == 1 and followers.filter(user=follower).exists()
    # The duplicate's author follows the survivor, by choice rather than as its author.
    assert followers.get(user=duplicate.author).reason == Follow.Reason.CHOSE
    assert followers.get(user=survivor.author).reason == Follow.Reason.AUTHOR
    assert set(IdeaComment.objects.filter(idea=survivor)) == {comment, held}
    assert survivor.comment_count == 1 and duplicate.comment_count == 0
    evidence = dict(Evidence.objects.filter(idea=survivor).values_list("mention_id", "quote"))
    assert evidence == {toot.pk: False, shared.pk: True, duplicate.mention_id: False}
    assert not Evidence.objects.filter(idea=duplicate).exists()
    assert (record.votes_moved, record.votes_merged) == (1, 1)
    assert record.comments_moved == 2 and record.evidence_moved == 1
    assert record.note_html == "<p>Same idea: <strong>one</strong> place to vote.</p>\n"
    assert record.duplicate_title == "Spreadsheet export of the monthly numbers"


def test_moved_comments_are_threaded_under_the_survivor_in_the_river(pair, people, staff):
    duplicate, survivor = pair
    comment = comment_on_idea(duplicate, people[0], "We would use it every week.")
    merge_ideas(duplicate, survivor, staff)
    mention = Mention.objects.get(pk=comment.mention_id)
    assert mention.parent_id == survivor.mention_id
    assert mention.parent_key == Mention.objects.get(pk=survivor.mention_id).key
    assert mention.url.endswith(f"/ideas/{survivor.pk}/#comment-{comment.pk}")
    # The duplicate stays a voice in the river: it is evidence on the survivor now.
    assert Mention.objects.filter(pk=duplicate.mention_id).exists()


def test_the_votes_keep_their_dates_for_trending(pair, people, staff):
    duplicate, survivor = pair
    vote(duplicate, people[0])
    when = Vote.objects.get(idea=duplicate).created_at
    merge_ideas(duplicate, survivor, staff)
    assert Vote.objects.get(idea=survivor, user=people[0]).created_at == when


def test_refusals(pair, make_idea, staff, customer):
    duplicate, survivor = pair
    with pytest.raises(IdeaError, match="Only staff"):
        merge_ideas(duplicate, survivor, customer)
    with pytest.raises(IdeaError, match="into itself"):
        merge_ideas(duplicate, duplicate, staff)
    with pytest.raises(IdeaError, match="at most 5,000"):
        merge_ideas(duplicate, survivor, staff, "n" * 5001)
    with pytest.raises(IdeaError, match="null character"):
        merge_ideas(duplicate, survivor, staff, "a\x00b")
    assert not Merge.objects.exists()

    merge_ideas(duplicate, survivor, staff)
    third = make_idea("Excel export for reports please")
    with pytest.raises(IdeaError, match=f"#{duplicate.pk} is already merged into #{survivor.pk}"):
        merge_ideas(duplicate, third, staff)
    # Into a merged idea: refused, naming the end of the chain (no chains, no cycles).
    with pytest.raises(IdeaError, match=f"merge into #{survivor.pk} instead"):
        merge_ideas(third, duplicate, staff)
    with pytest.raises(IdeaError, match="already merged"):
        merge_ideas(duplicate, duplicate.merged_into, staff)
    assert Merge.objects.count() == 1


def test_a_cycle_cannot_be_made_with_stale_objects(pair, staff):
    duplicate, survivor = pair
    stale_survivor = Idea.objects.get(pk=survivor.pk)
    stale_duplicate = Idea.objects.get(pk=duplicate.pk)
    merge_ideas(duplicate, survivor, staff)
    # The objects in hand predate the first merge; the action checks the rows it locked.
    with pytest.raises(IdeaError, match="merged"):
        merge_ideas(stale_survivor, stale_duplicate, staff)
    survivor.refresh_from_db()
    assert survivor.merged_into_id is None


def test_unpublished_ideas_are_not_merged(make_idea, customer, staff):
    live = make_idea("Export reports to Excel")
    held = submit_idea(customer, title="Great offer", body="BUY NOW click here " * 5)
    assert held.state == Idea.State.HELD
    with pytest.raises(IdeaError, match="not published"):
        merge_ideas(held, live, staff)
    with pytest.raises(IdeaError, match="not published"):
        merge_ideas(live, held, staff)
    removed = make_idea("Another export idea")
    moderate_idea(removed, "remove", staff)
    with pytest.raises(IdeaError, match="removed"):
        merge_ideas(live, removed, staff)
    assert not Merge.objects.exists()


def test_final_idea_follows_the_chain_and_survives_a_cycle(make_idea):
    a, b, c = make_idea("Idea alpha one"), make_idea("Idea beta two"), make_idea("Idea gamma three")
    Idea.objects.filter(pk=a.pk).update(merged_into=b)
    Idea.objects.filter(pk=b.pk).update(merged_into=c)
    a.refresh_from_db()
    assert final_idea(a) == c
    Idea.objects.filter(pk=c.pk).update(merged_into=a)  # a corrupt cycle: still ends
    a.refresh_from_db()
    assert final_idea(a).pk in {a.pk, b.pk, c.pk}


def test_a_merged_idea_takes_no_votes_and_its_inbox_replies_land_on_the_survivor(
    pair, people, staff
):
    duplicate, survivor = pair
    merge_ideas(duplicate, survivor, staff)
    with pytest.raises(IdeaError, match="merged"):
        vote(duplicate, people[0])
    saved = reply(take_in(Mention.objects.get(pk=duplicate.mention_id)), staff, "Merged, thanks!")
    assert saved.published
    assert IdeaComment.objects.get(staff=True).idea_id == survivor.pk
