"""Flags, the review of held and hidden posts, and suspensions.

- A signed-in member flags someone else's published question, answer or comment once
  (the Flag constraints), for a reason. Open flags from members whose level holds
  `flag_to_hide` count toward hiding; when EARFUL_COMMUNITY_FLAGS_TO_HIDE of them are
  open (or one from staff), the post is hidden: out of the public pages and the river
  until a moderator reviews it.
- Moderators are staff who run the community and members whose level holds `moderate`.
  They approve held posts, hide a public post until it is reviewed (its flags stay
  open), keep flagged or hidden posts (declining the flags), remove posts
  (optionally as spam, which costs the writer the ledger's penalty) and resolve single
  flags as helpful (the flagger earns points) or declined. Nobody reviews their own post,
  and only staff act on staff posts.
- Only staff suspend members, lift suspensions and correct a member's points (a ledger
  line of its own, with the reason).
- Every decision writes a ModerationLog line.

A post's state drives everything else: a published post is in the river and, for an
answer, counted in its question's answer_count; any other state is in neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..errors import CommunityError, Conflict, NotAllowed, NotFound
from ..models import (
    Answer,
    Comment,
    EventKind,
    Flag,
    Level,
    Member,
    ModerationLog,
    Question,
    State,
)
from ..permissions import can_manage, is_signed_in
from ..river_link import (
    answer_entered,
    comment_entered,
    question_entered,
    thread_entered,
    thread_withdrawn,
    withdraw,
)
from . import reputation
from .answers import withdraw_acceptance
from .posts import answer_published

Post = Question | Answer | Comment

KINDS: dict[str, type[Question] | type[Answer] | type[Comment]] = {
    "question": Question,
    "answer": Answer,
    "comment": Comment,
}
MAX_NOTE = 500
MAX_REASON = 500
MAX_SUSPENSION_DAYS = 3650
MAX_ADJUSTMENT = 10_000  # points one staff correction may add or take

# what a moderator may do to a post, as the review page and the bulk form name it
POST_ACTIONS = ("approve", "hide", "keep", "remove", "remove_spam")


def kind_of(post: Post) -> str:
    if isinstance(post, Question):
        return "question"
    if isinstance(post, Answer):
        return "answer"
    return "comment"


def label(post: Post) -> str:
    """The post as the log names it: "question:12"."""
    return f"{kind_of(post)}:{post.pk}"


def find_post(kind: str, pk) -> Post:
    """The question, answer or comment; NotFound for an unknown kind or id."""
    model = KINDS.get(kind)
    try:
        number = int(pk)
    except (TypeError, ValueError):
        number = 0
    if model is None or number < 1:
        raise NotFound("There is no such post.")
    post = model.objects.select_related("author").filter(pk=number).first()
    if post is None:
        raise NotFound("There is no such post.")
    return post


def parse_target(value: str) -> Post:
    """A post from its log name ("answer:7"), as the bulk form sends it."""
    kind, _, pk = (value or "").partition(":")
    return find_post(kind, pk)


def _flags_of(post: Post):
    return Flag.objects.filter(**{kind_of(post): post})


def _text(value: str, what: str, limit: int, *, required: bool = False) -> str:
    value = " ".join((value or "").replace("\x00", "").split())
    if required and not value:
        raise CommunityError(f"Give the {what}.")
    if len(value) > limit:
        raise CommunityError(f"The {what} is at most {limit} characters.")
    return value


def log(actor, action: str, target: str, summary: str = "", reason: str = "") -> ModerationLog:
    return ModerationLog.objects.create(
        actor=actor, action=action, target=target, summary=summary[:300], reason=reason[:500]
    )


def _summary(post: Post) -> str:
    text = post.title if isinstance(post, Question) else post.body
    text = " ".join(text.split())
    return text if len(text) <= 120 else f"{text[:119]}…"


# -- who may -----------------------------------------------------------------------------


def is_moderator(user) -> bool:
    """Staff who run the community, or a member whose level holds `moderate` and who is
    not suspended."""
    if not is_signed_in(user):
        return False
    if can_manage(user):
        return True
    if not reputation.has_privilege(user, Level.Privilege.MODERATE):
        return False
    member = Member.objects.filter(user=user).first()
    return member is not None and not member.is_suspended


def may_review(user, post: Post) -> None:
    """NotAllowed unless the user may act on this post."""
    if not is_moderator(user):
        raise NotAllowed("Only moderators review posts.")
    if post.author_id is not None and post.author_id == user.pk:
        raise NotAllowed("You cannot review your own post; another moderator will.")
    if post.author_id is not None and not can_manage(user) and can_manage(post.author):
        raise NotAllowed("Only staff act on posts by staff.")


# -- state changes ---------------------------------------------------------------------


def _enter(post: Post) -> None:
    if isinstance(post, Question):
        question_entered(post)
    elif isinstance(post, Answer):
        if post.question.is_live:
            answer_entered(post)
    else:
        parent = post.question or post.answer
        if parent.state == State.PUBLISHED:
            comment_entered(post)


def _set_state(post: Post, state: str) -> bool:
    """Move the post to the state, keeping the river and the answer count in step;
    False when another request moved it first."""
    before = post.state
    if before == state:
        return False
    with transaction.atomic():
        moved = type(post).objects.filter(pk=post.pk, state=before).update(state=state)
        if not moved:
            return False
        post.state = state
        if isinstance(post, Answer):
            if state == State.PUBLISHED:
                answer_published(post)
            elif before == State.PUBLISHED:
                Question.objects.filter(pk=post.question_id, answer_count__gt=0).update(
                    answer_count=F("answer_count") - 1
                )
    if state == State.PUBLISHED:
        _enter(post)
        if isinstance(post, Question):
            thread_entered(post)
    elif before == State.PUBLISHED:
        withdraw(post)
        if isinstance(post, Question):
            thread_withdrawn(post)
    return True


def _resolve_open_flags(post: Post, actor, outcome: str) -> list[Flag]:
    now = timezone.now()
    flags = list(_flags_of(post).filter(outcome=Flag.Outcome.OPEN).select_related("user"))
    resolved = []
    for flag in flags:
        updated = Flag.objects.filter(pk=flag.pk, outcome=Flag.Outcome.OPEN).update(
            outcome=outcome, resolved_by=actor, resolved_at=now
        )
        if updated:
            flag.outcome = outcome
            resolved.append(flag)
            if outcome == Flag.Outcome.HELPFUL:
                _credit_flagger(flag, actor)
    return resolved


def _credit_flagger(flag: Flag, actor) -> None:
    post = flag.question or flag.answer or flag.comment
    reputation.award(
        flag.user,
        EventKind.HELPFUL_FLAG,
        f"flag:{flag.pk}",
        actor=actor,
        question=flag.question,
        answer=flag.answer,
        note=f"flag on {label(post)}",
    )


# -- flags -------------------------------------------------------------------------------


def flag_weight(post: Post) -> int:
    """How many open flags count toward hiding: those of members holding flag_to_hide;
    one from staff counts as enough on its own."""
    need = max(1, settings.EARFUL_COMMUNITY_FLAGS_TO_HIDE)
    weight = 0
    for flag in _flags_of(post).filter(outcome=Flag.Outcome.OPEN).select_related("user"):
        if can_manage(flag.user):
            return need
        if reputation.has_privilege(flag.user, Level.Privilege.FLAG_TO_HIDE):
            weight += 1
    return weight


def flag_post(user, post: Post, reason: str, note: str = "") -> Flag:
    """Flag the post for moderators; hides it when enough trusted flags are open."""
    if not is_signed_in(user):
        raise NotAllowed("Sign in to flag a post.")
    member = reputation.member_of(user)
    if member.is_suspended:
        raise NotAllowed("Suspended members cannot flag posts.")
    if post.author_id == user.pk:
        raise NotAllowed("You cannot flag your own post.")
    if post.state != State.PUBLISHED:
        raise Conflict("This post is not public; moderators already know about it.")
    if reason not in Flag.Reason.values:
        raise CommunityError("Choose why you flag the post.")
    note = _text(note, "note", MAX_NOTE, required=reason == Flag.Reason.OTHER)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(user=user, reason=reason, note=note, **{kind_of(post): post})
    except IntegrityError:
        raise Conflict("You have already flagged this post.") from None
    need = max(1, settings.EARFUL_COMMUNITY_FLAGS_TO_HIDE)
    weight = flag_weight(post)
    if weight >= need and _set_state(post, State.HIDDEN):
        why = f"{weight} flag(s), the last by {user.get_username()}: {flag.get_reason_display()}"
        log(None, "hide", label(post), _summary(post), why)
    return flag


def resolve_flag(flag: Flag, actor, helpful: bool, reason: str = "") -> Flag:
    """A moderator's verdict on one flag; a helpful flag earns its flagger points."""
    post = flag.question or flag.answer or flag.comment
    may_review(actor, post)
    if flag.user_id == actor.pk:
        raise NotAllowed("You cannot resolve your own flag.")
    reason = _text(reason, "reason", MAX_REASON)
    outcome = Flag.Outcome.HELPFUL if helpful else Flag.Outcome.DECLINED
    with transaction.atomic():
        updated = Flag.objects.filter(pk=flag.pk, outcome=Flag.Outcome.OPEN).update(
            outcome=outcome, resolved_by=actor, resolved_at=timezone.now()
        )
        if not updated:
            raise Conflict("This flag was already resolved.")
        flag.outcome = outcome
        if helpful:
            _credit_flagger(flag, actor)
        log(
            actor,
            "flag_helpful" if helpful else "flag_declined",
            label(post),
            f"{flag.get_reason_display()} flag by {flag.user.get_username()}",
            reason,
        )
    return flag


# -- reviewing posts ---------------------------------------------------------------------


def approve(post: Post, actor, reason: str = "") -> Post:
    """Publish a held post: into the public pages and the river."""
    may_review(actor, post)
    reason = _text(reason, "reason", MAX_REASON)
    if post.state != State.HELD:
        raise Conflict("Only a held post is approved.")
    if not _set_state(post, State.PUBLISHED):
        raise Conflict("Another moderator decided on this post first.")
    held = ", ".join(post.held_for or []) or "held"
    log(actor, "approve", label(post), _summary(post), reason or f"was held: {held}")
    return post


def hide(post: Post, actor, reason: str = "") -> Post:
    """Take a public post out of the pages and the river at once, flagged or not; it waits
    in the flagged tab until a moderator keeps or removes it."""
    may_review(actor, post)
    reason = _text(reason, "reason", MAX_REASON)
    if post.state != State.PUBLISHED:
        raise Conflict("Only a public post is hidden.")
    if not _set_state(post, State.HIDDEN):
        raise Conflict("Another moderator decided on this post first.")
    log(actor, "hide", label(post), _summary(post), reason)
    return post


def keep(post: Post, actor, reason: str = "") -> Post:
    """Keep the post public: a hidden one comes back, and its open flags are declined."""
    may_review(actor, post)
    reason = _text(reason, "reason", MAX_REASON)
    if post.state not in (State.HIDDEN, State.PUBLISHED):
        raise Conflict("Only a hidden or flagged post is kept.")
    was_hidden = post.state == State.HIDDEN
    declined = _resolve_open_flags(post, actor, Flag.Outcome.DECLINED)
    if not was_hidden and not declined:
        raise Conflict("This post has no open flags.")
    if was_hidden:
        _set_state(post, State.PUBLISHED)
    summary = f"{_summary(post)} ({len(declined)} flag(s) declined)"
    log(actor, "restore" if was_hidden else "keep", label(post), summary, reason)
    return post


def remove(post: Post, actor, reason: str = "", *, spam: bool = False) -> Post:
    """Remove the post for good; its open flags were helpful. As spam, the writer also
    loses the ledger's REMOVED_AS_SPAM points (once per post)."""
    may_review(actor, post)
    reason = _text(reason, "reason", MAX_REASON)
    if post.state == State.REMOVED:
        raise Conflict("This post is already removed.")
    if not _set_state(post, State.REMOVED):
        raise Conflict("Another moderator decided on this post first.")
    if isinstance(post, Answer):
        withdraw_acceptance(post, actor)
    helpful = _resolve_open_flags(post, actor, Flag.Outcome.HELPFUL)
    if spam and post.author_id is not None:
        question = post if isinstance(post, Question) else getattr(post, "question", None)
        reputation.award(
            post.author,
            EventKind.REMOVED_AS_SPAM,
            f"spam:{label(post)}",
            actor=actor,
            question=question if isinstance(question, Question) else None,
            answer=post if isinstance(post, Answer) else None,
            note=reason[:300],
        )
    summary = _summary(post)
    if helpful:
        summary = f"{summary} ({len(helpful)} flag(s) helpful)"
    log(actor, "remove_spam" if spam else "remove", label(post), summary, reason)
    return post


def act(post: Post, actor, action: str, reason: str = "") -> Post:
    """One of POST_ACTIONS by name (the review page's buttons and bulk form)."""
    if action == "approve":
        return approve(post, actor, reason)
    if action == "hide":
        return hide(post, actor, reason)
    if action == "keep":
        return keep(post, actor, reason)
    if action in ("remove", "remove_spam"):
        return remove(post, actor, reason, spam=action == "remove_spam")
    raise CommunityError("Choose what to do with the post.")


@dataclass
class BulkResult:
    done: int = 0
    refused: list[str] = field(default_factory=list)  # "answer:7: why"


def act_on_many(targets: list[str], actor, action: str, reason: str = "") -> BulkResult:
    """The same action on several posts; each is decided on its own, a refusal of one
    does not stop the others."""
    if action not in POST_ACTIONS:
        raise CommunityError("Choose what to do with the posts.")
    if not is_moderator(actor):
        raise NotAllowed("Only moderators review posts.")
    result = BulkResult()
    for target in dict.fromkeys(targets):
        try:
            act(parse_target(target), actor, action, reason)
        except CommunityError as exc:
            result.refused.append(f"{target}: {exc}")
        else:
            result.done += 1
    return result


# -- suspensions -------------------------------------------------------------------------


def suspend(user, actor, days: int, reason: str) -> Member:
    """Staff stop a member from posting, voting and flagging for `days` days."""
    if not can_manage(actor):
        raise NotAllowed("Only staff suspend members.")
    if user.pk == actor.pk:
        raise NotAllowed("You cannot suspend yourself.")
    if can_manage(user):
        raise NotAllowed("Staff accounts are managed in the console, not suspended here.")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise CommunityError("Give the number of days.") from None
    if not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise CommunityError(f"A suspension lasts 1 to {MAX_SUSPENSION_DAYS} days.")
    reason = _text(reason, "reason", 300, required=True)
    until = timezone.now() + timedelta(days=days)
    member = reputation.member_of(user)
    Member.objects.filter(pk=member.pk).update(suspended_until=until, suspension_reason=reason)
    member.suspended_until, member.suspension_reason = until, reason
    log(actor, "suspend", f"user:{user.pk}", f"{user.get_username()} for {days} day(s)", reason)
    return member


def lift_suspension(user, actor, reason: str = "") -> Member:
    if not can_manage(actor):
        raise NotAllowed("Only staff lift suspensions.")
    reason = _text(reason, "reason", MAX_REASON)
    member = reputation.member_of(user)
    if not member.is_suspended:
        raise Conflict(f"{user.get_username()} is not suspended.")
    Member.objects.filter(pk=member.pk).update(suspended_until=None, suspension_reason="")
    member.suspended_until, member.suspension_reason = None, ""
    log(actor, "unsuspend", f"user:{user.pk}", user.get_username(), reason)
    return member


# -- corrections -------------------------------------------------------------------------


def adjust_points(user, actor, points, note: str) -> Member:
    """Staff add or take points, with the reason on the ledger line and in the log."""
    if not can_manage(actor):
        raise NotAllowed("Only staff correct points.")
    if user.pk == actor.pk:
        raise NotAllowed("Another member of staff corrects your points.")
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise CommunityError("Give the points as a whole number.") from None
    if not points or abs(points) > MAX_ADJUSTMENT:
        raise CommunityError(f"A correction adds or takes 1 to {MAX_ADJUSTMENT:,} points.")
    note = _text(note, "reason", 300, required=True)
    with transaction.atomic():
        reputation.adjust(user, points, actor=actor, note=note)
        log(actor, "adjust", f"user:{user.pk}", f"{user.get_username()} {points:+d}", note)
    return reputation.member_of(user)
