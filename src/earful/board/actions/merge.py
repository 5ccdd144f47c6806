"""Merging a duplicate idea into the one that survives.

Everything people gave the duplicate moves: votes (a person who voted on both keeps one
vote), followers (once each), comments (with their river mentions re-threaded under the
survivor) and evidence (a mention linked to both is linked once, keeping a "best quote"
mark). The duplicate's own river mention becomes evidence on the survivor: its author
raised the same thing, and the survivor's voices count them. Counters are recomputed from
the rows, not adjusted, so a merge cannot leave them wrong.

The duplicate keeps its page address, which 301-redirects to the survivor, and a Merge row
is the public record on both ("#12 was merged into this idea", with the note).

Refused: merging an idea into itself; merging an idea that is already merged; merging
into an idea that is itself merged (chains are refused, not followed: the message names
the idea at the end of the chain, so staff choose knowingly and no cycle can form); and
merging when either idea is not published (a held idea is not public yet, a removed one
is gone: moderate first).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from earful.blog.markdown import render_comment
from earful.river.models import Mention

from ..models import Evidence, Follow, Idea, IdeaComment, Merge, Vote
from ..permissions import can_manage
from ..river_link import absolute, withdraw_mentions
from ..trending import rescore
from .ideas import IdeaError
from .statuses import MAX_NOTE

MAX_CHAIN = 50


def final_idea(idea: Idea) -> Idea:
    """The idea at the end of the idea's merge chain (the idea itself if not merged)."""
    seen = {idea.pk}
    while idea.merged_into_id is not None and len(seen) < MAX_CHAIN:
        nxt = Idea.objects.filter(pk=idea.merged_into_id).first()
        if nxt is None or nxt.pk in seen:
            break
        seen.add(nxt.pk)
        idea = nxt
    return idea


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise IdeaError(f"A note is at most {MAX_NOTE:,} characters.")
    if "\x00" in note:
        raise IdeaError("The note contains a null character.")
    return note


def _refusal(duplicate: Idea | None, survivor: Idea | None) -> str | None:
    if duplicate is None or survivor is None:
        return "That idea does not exist."
    if duplicate.pk == survivor.pk:
        return "An idea cannot be merged into itself."
    if duplicate.merged_into_id is not None:
        return f"#{duplicate.pk} is already merged into #{duplicate.merged_into_id}."
    if survivor.merged_into_id is not None:
        end = final_idea(survivor)
        return (
            f"#{survivor.pk} is itself merged into #{survivor.merged_into_id}; "
            f"merge into #{end.pk} instead."
        )
    for idea in (duplicate, survivor):
        if idea.state != Idea.State.PUBLISHED:
            return f"#{idea.pk} is not published ({idea.get_state_display().lower()})."
    return None


def _move_votes(dup: Idea, surv: Idea) -> tuple[int, int]:
    both = set(Vote.objects.filter(idea=surv).values_list("user_id", flat=True))
    twice = set(Vote.objects.filter(idea=dup, user_id__in=both).values_list("user_id", flat=True))
    doubles = Vote.objects.filter(idea=dup, user_id__in=twice)
    gone = list(doubles.values_list("mention_id", flat=True))
    doubles.delete()
    withdraw_mentions(gone)  # one vote per person: the duplicate's +1 leaves the river too
    in_river = list(
        Vote.objects.filter(idea=dup, mention_id__isnull=False).values_list("mention_id", flat=True)
    )
    moved = Vote.objects.filter(idea=dup).update(idea=surv)  # created_at kept: trending
    _rethread(in_river, surv, surv.get_absolute_url())
    return moved, len(twice)


def _rethread(mention_ids: list[int], surv: Idea, path: str) -> None:
    """Hang moved votes' mentions under the survivor in the river."""
    parent = Mention.objects.filter(pk=surv.mention_id).values_list("key", flat=True).first()
    fields: dict = {"url": absolute(path)}
    if parent is not None:
        fields.update(parent_id=surv.mention_id, parent_key=parent)
    Mention.objects.filter(pk__in=mention_ids).update(**fields)


def _move_follows(dup: Idea, surv: Idea) -> int:
    already = set(Follow.objects.filter(idea=surv).values_list("user_id", flat=True))
    Follow.objects.filter(idea=dup, user_id__in=already).delete()
    # The duplicate's author did not write the survivor; they keep following it by choice.
    Follow.objects.filter(idea=dup, reason=Follow.Reason.AUTHOR).update(reason=Follow.Reason.CHOSE)
    return Follow.objects.filter(idea=dup).update(idea=surv)


def _move_comments(dup: Idea, surv: Idea) -> int:
    moved = list(IdeaComment.objects.filter(idea=dup).values_list("id", "mention_id"))
    IdeaComment.objects.filter(idea=dup).update(idea=surv)
    in_river = {mention_id: pk for pk, mention_id in moved if mention_id}
    if in_river:
        parent = Mention.objects.filter(pk=surv.mention_id).values_list("key", flat=True).first()
        mentions = list(Mention.objects.filter(pk__in=in_river).only("id", "url"))
        for mention in mentions:
            path = f"{surv.get_absolute_url()}#comment-{in_river[mention.pk]}"
            mention.url = absolute(path)
            if parent is not None:
                mention.parent_id = surv.mention_id
                mention.parent_key = parent
        fields = ["url", "parent", "parent_key"] if parent is not None else ["url"]
        Mention.objects.bulk_update(mentions, fields, batch_size=500)
    return len(moved)


def _move_evidence(dup: Idea, surv: Idea, user) -> int:
    there = dict(Evidence.objects.filter(idea=surv).values_list("mention_id", "quote"))
    doubles = Evidence.objects.filter(idea=dup, mention_id__in=there)
    quoted = [m for m in doubles.filter(quote=True).values_list("mention_id", flat=True)]
    Evidence.objects.filter(idea=surv, mention_id__in=quoted).update(quote=True)
    doubles.delete()
    moved = Evidence.objects.filter(idea=dup).update(idea=surv)
    own = dup.mention_id
    if own and own not in there and Mention.objects.filter(pk=own).exists():
        Evidence.objects.get_or_create(idea=surv, mention_id=own, defaults={"linked_by": user})
    return moved


def merge_ideas(duplicate: Idea, survivor: Idea, user, note: str = "", now=None) -> Merge:
    """Merge `duplicate` into `survivor`; the Merge record. Raises IdeaError when refused.
    The two Idea objects passed in are refreshed."""
    if not can_manage(user):
        raise IdeaError("Only staff who manage ideas can merge them.")
    note = _clean_note(note)
    if duplicate.pk == survivor.pk:
        raise IdeaError("An idea cannot be merged into itself.")
    now = now or timezone.now()
    with transaction.atomic():
        # Lock both rows (PostgreSQL; SQLite serialises writers) and check again on what
        # is now in the database, so two merges at once cannot make a cycle.
        locked = Idea.objects.select_for_update().filter(pk__in=sorted([duplicate.pk, survivor.pk]))
        rows = {idea.pk: idea for idea in locked}
        dup, surv = rows.get(duplicate.pk), rows.get(survivor.pk)
        reason = _refusal(dup, surv)
        if reason:
            raise IdeaError(reason)
        votes_moved, votes_merged = _move_votes(dup, surv)
        record = Merge(
            duplicate=dup,
            survivor=surv,
            duplicate_title=dup.title,
            note=note,
            note_html=render_comment(note) if note else "",
            by=user,
            at=now,
            votes_moved=votes_moved,
            votes_merged=votes_merged,
            followers_moved=_move_follows(dup, surv),
            comments_moved=_move_comments(dup, surv),
            evidence_moved=_move_evidence(dup, surv, user),
        )
        record.save()
        for idea in (dup, surv):
            idea.vote_count = Vote.objects.filter(idea=idea).count()
            idea.comment_count = IdeaComment.objects.filter(
                idea=idea, status=IdeaComment.Status.PUBLISHED
            ).count()
            idea.updated_at = now
        dup.merged_into = surv
        dup.merged_at = now
        fields = ["vote_count", "comment_count", "updated_at"]
        dup.save(update_fields=[*fields, "merged_into", "merged_at"])
        surv.save(update_fields=fields)
        for idea in (dup, surv):
            rescore(idea.pk, now)
    for given in (duplicate, survivor):
        given.refresh_from_db()
    return record
