"""The ideas board in the JSON API: what the public pages show, what customers do there, and
what staff who manage ideas do from the console.

Reading is open, as the public pages are: no token needed for the list, an idea, the
similar ideas, the statuses, categories, roadmap and changelog; with a token the answer
also says whether its user voted and follows, and shows them what they may see (their own
held idea; held and removed ones to staff). A token that is sent must be valid. Writing
needs a token and acts as its user: a customer's token posts, votes, follows and comments
as that customer; staff calls need the `manage_ideas` permission.

Every change goes through the board's actions (actions/), the same code as the pages;
handlers only parse, look up and shape. A refusal is a JSON error carrying the action's
own message, with a status that says what kind of refusal it is (see `refused`).
"""

from __future__ import annotations

import math

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from earful.accounts.api_auth import TokenAuth, require_permission
from earful.river.api_schemas import MAX_ID, REFUSALS, ErrorOut, InvalidOut
from earful.river.models import Mention

from . import views
from .actions.comments import CommentError, comment_on_idea, moderate_comment
from .actions.evidence import link_evidence, unlink_evidence
from .actions.follows import follow, follows, unfollow
from .actions.ideas import IdeaError, moderate_idea, submit_idea
from .actions.merge import merge_ideas
from .actions.notices import NoticeError, mark_answered
from .actions.statuses import change_status
from .actions.votes import refusal, unvote, vote
from .api_schemas import (
    MAX_PAGE,
    PER_PAGE,
    BoardParams,
    CategoryOut,
    ChangelogPage,
    CommentIn,
    CommentOut,
    EvidenceOut,
    FollowOut,
    IdeaDetailOut,
    IdeaIn,
    IdeaPage,
    MergeIn,
    MergeOut,
    ModerateIn,
    NoticeGroupOut,
    NoticeOut,
    PageParams,
    RoadmapColumnOut,
    SimilarOut,
    SimilarParams,
    StatusChangeIn,
    StatusOut,
    VoteOut,
)
from .changelog import entries, entry_url, with_voices
from .models import Category, Idea, IdeaComment, Merge, Notice, StatusChange, Vote
from .models import Status as IdeaStatus
from .notify_views import notice_log
from .permissions import MANAGE, can_manage, is_signed_in
from .queries import BoardFilter, filtered_ideas, roadmap
from .river_link import absolute
from .similar import similar_ideas
from .voices import Voices, best_quotes, voices, voices_for

router = Router(tags=["ideas"])

MAX_COMMENTS = 500  # listed on an idea


def _id():
    """A path id: 1 to the largest database integer (larger ones answer 422, not 500)."""
    return Path(..., ge=1, le=MAX_ID)


# --- who is asking ------------------------------------------------------------------------


def anonymous(request: HttpRequest):
    """Let a request without an Authorization header in, as nobody. A request with one is
    left to TokenAuth, so a bad token is refused (401), never read as anonymous."""
    if request.headers.get("Authorization"):
        return None
    request.user = AnonymousUser()  # the API acts as a token's user or as nobody
    return "anonymous"


OPEN = [TokenAuth(), anonymous]  # public reads: a token is optional
# Added to the token requirement in the OpenAPI document: "or none at all".
OPTIONAL_TOKEN = {"security": [{}]}
READ = {401: ErrorOut, 422: InvalidOut}  # a bad token; a bad parameter
WRITE = {**REFUSALS, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut}


# --- refusals -----------------------------------------------------------------------------

# The actions raise IdeaError, CommentError or NoticeError (ValueErrors) with a message for
# a person. What kind of refusal it is decides the HTTP status: the kinds below are told
# apart by the actions' wording, pinned by tests/board/test_api.py.
KINDS = (
    ("into itself", 400),  # "An idea cannot be merged into itself."
    ("Only staff", 403),
    ("Sign in", 403),
    ("does not exist", 404),
    ("please wait", 429),  # rate limits: ideas per hour, comments per minute
    ("commenting quickly", 429),
    ("merged into", 409),  # the idea moved: "This idea was merged into #12; vote there."
    ("already", 409),  # "already on the board as #3", "already Planned", "already merged"
    ("not published", 409),
    ("takes no more votes", 409),
    ("was removed", 409),
    ("not waiting for an answer", 409),
)


def status_of(message: str) -> int:
    for words, status in KINDS:
        if words in message:
            return status
    return 400  # the content itself: empty, too long, a null character, an unknown action


def refused(exc: ValueError) -> HttpError:
    message = str(exc)
    return HttpError(status_of(message), message)


def _invalid(*problems: str) -> Status:
    return Status(422, {"error": "invalid filter", "detail": list(problems)})


# --- lookups ------------------------------------------------------------------------------


def _visible(request: HttpRequest, idea_id: int) -> Idea:
    """The idea if the caller may see it (the public page's rule), else 404."""
    try:
        return views.visible_idea(request, idea_id)
    except Http404:
        raise HttpError(404, f"there is no idea {idea_id}") from None


def _staff_idea(request: HttpRequest, idea_id: int) -> Idea:
    require_permission(request, MANAGE)
    idea = Idea.objects.select_related("status", "category", "author").filter(pk=idea_id).first()
    if idea is None:
        raise HttpError(404, f"there is no idea {idea_id}")
    return idea


def _status_by_slug(slug: str) -> IdeaStatus | None:
    return IdeaStatus.objects.filter(slug=slug).first() if slug else None


def _category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first() if slug else None


# --- shapes -------------------------------------------------------------------------------


def _status(status: IdeaStatus) -> dict:
    return {"slug": status.slug, "name": status.name, "kind": status.kind, "colour": status.colour}


def _category(category: Category | None) -> dict | None:
    return {"slug": category.slug, "name": category.name} if category else None


def _idea(idea: Idea, voted: set[int] | None) -> dict:
    return {
        "id": idea.pk,
        "title": idea.title,
        "url": absolute(idea.get_absolute_url()),
        "status": _status(idea.status),
        "category": _category(idea.category),
        "votes": idea.vote_count,
        "comments": idea.comment_count,
        "created_at": idea.created_at,
        "status_changed_at": idea.status_changed_at,
        "voted": None if voted is None else idea.pk in voted,
    }


def _voted(request: HttpRequest, ideas: list[Idea]) -> set[int] | None:
    """Ids of these ideas the caller voted for; None when anonymous."""
    if not is_signed_in(request.user):
        return None
    ids = [idea.pk for idea in ideas]
    return set(
        Vote.objects.filter(user=request.user, idea_id__in=ids).values_list("idea_id", flat=True)
    )


def _ideas(request: HttpRequest, ideas: list[Idea]) -> list[dict]:
    voted = _voted(request, ideas)
    return [_idea(idea, voted) for idea in ideas]


def _voices(counted: Voices) -> dict:
    return {
        "total": counted.total,
        "text": str(counted),
        "parts": [{"count": n, "label": label} for n, label in counted.parts],
    }


def _change(change: StatusChange) -> dict:
    done = change.to_status.kind == IdeaStatus.Kind.CLOSED_DONE
    return {
        "id": change.pk,
        "from_status": _status(change.from_status) if change.from_status_id else None,
        "to_status": _status(change.to_status),
        "note": change.note,
        "note_html": change.note_html,
        "at": change.at,
        "changelog_url": absolute(entry_url(change)) if done else None,
    }


def _comment(comment: IdeaComment, author: str | None) -> dict:
    return {
        "id": comment.pk,
        "idea_id": comment.idea_id,
        "author": author,
        "staff": comment.staff,
        "body": comment.body,
        "body_html": comment.body_html,
        "status": comment.status,
        "created_at": comment.created_at,
        "url": absolute(comment.get_absolute_url()),
    }


def _detail(request: HttpRequest, idea: Idea) -> dict:
    idea = Idea.objects.select_related("status", "category", "author").get(pk=idea.pk)
    shown = [IdeaComment.Status.PUBLISHED]
    if can_manage(request.user):
        shown.append(IdeaComment.Status.PENDING)
    comments = (
        IdeaComment.objects.filter(idea=idea, status__in=shown)
        .annotate(writer=Coalesce(F("user__username"), Value("")))
        .order_by("created_at", "id")[:MAX_COMMENTS]
    )
    history = StatusChange.objects.filter(idea=idea).select_related("from_status", "to_status")
    signed_in = is_signed_in(request.user)
    item = _idea(idea, _voted(request, [idea]))
    item.update(
        body=idea.body,
        body_html=idea.body_html,
        author=idea.author.get_username() if idea.author else None,
        state=idea.state,
        held_for=list(idea.held_for or []),
        merged_into=idea.merged_into_id,
        following=follows(idea, request.user) if signed_in else None,
        vote_refusal=refusal(idea),
        voices=_voices(voices(idea)),
        quotes=[vars(quote) for quote in best_quotes(idea)],
        history=[_change(change) for change in history],
        merged_in=[
            {
                "idea_id": merge.duplicate_id,
                "title": merge.duplicate_title,
                "note": merge.note,
                "note_html": merge.note_html,
                "at": merge.at,
            }
            for merge in Merge.objects.filter(survivor=idea)
        ],
        comment_list=[_comment(c, c.writer or None) for c in comments],
    )
    return item


def _page_numbers(count: int, page: int) -> dict:
    pages = max(1, math.ceil(count / PER_PAGE))
    following = page + 1 if page < min(pages, MAX_PAGE) else None
    return {"count": count, "page": page, "pages": pages, "next_page": following}


# --- public reads -------------------------------------------------------------------------


@router.get(
    "/ideas",
    response={200: IdeaPage, **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="List and search ideas",
)
def list_ideas(request, params: Query[BoardParams]):
    """The public board: live ideas (published, not merged), filtered by the words `q`,
    a `status` and a `category` (slugs), all combined, sorted `newest`, `top`, `trending`
    or `oldest`, 20 a page. An unknown slug or a query that does not read answers 422."""
    status = _status_by_slug(params.status)
    category = _category_by_slug(params.category)
    problems = []
    if params.status and status is None:
        problems.append(f"there is no status {params.status!r}")
    if params.category and category is None:
        problems.append(f"there is no category {params.category!r}")
    if problems:
        return _invalid(*problems)
    board_filter = BoardFilter(text=params.q, status=status, category=category, sort=params.sort)
    ideas = filtered_ideas(board_filter)
    if board_filter.errors:
        return Status(422, {"error": "invalid query", "detail": board_filter.errors})
    count = ideas.count()
    start = (params.page - 1) * PER_PAGE
    rows = list(ideas[start : start + PER_PAGE])
    return {**_page_numbers(count, params.page), "items": _ideas(request, rows)}


@router.get(
    "/ideas/similar",
    response={200: list[SimilarOut], **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Ideas like a draft",
)
def similar(request, params: Query[SimilarParams]):
    """Live ideas like the draft `title` and `body`, best first (at most 5), to show
    before posting so people vote instead of repeating."""
    found = similar_ideas(params.title, params.body)
    return [
        {
            "id": s.idea.pk,
            "title": s.idea.title,
            "url": absolute(s.idea.get_absolute_url()),
            "status": _status(s.idea.status),
            "votes": s.idea.vote_count,
            "score": s.score,
        }
        for s in found
    ]


@router.get(
    "/ideas/statuses",
    response={200: list[StatusOut], **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Statuses",
)
def statuses(request):
    """The board's statuses in order, each with its kind: open, active (on the roadmap),
    closed_done (in the changelog) or closed_declined."""
    return [_status(status) for status in IdeaStatus.objects.order_by("order", "id")]


@router.get(
    "/ideas/categories",
    response={200: list[CategoryOut], **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Categories",
)
def categories(request):
    return [_category(category) for category in Category.objects.all()]


@router.get(
    "/ideas/roadmap",
    response={200: list[RoadmapColumnOut], **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="The roadmap",
)
def roadmap_columns(request):
    """Each status of the active kind, in order, with its live ideas, most votes first
    (at most 50 each; `total` counts them all)."""
    columns = roadmap()
    voted = _voted(request, [idea for column in columns for idea in column.ideas])
    return [
        {
            "status": _status(column.status),
            "total": column.total,
            "ideas": [_idea(idea, voted) for idea in column.ideas],
        }
        for column in columns
    ]


@router.get(
    "/ideas/changelog",
    response={200: ChangelogPage, **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary='"You said, we did"',
)
def changelog(request, params: Query[PageParams]):
    """Every idea marked done, newest first, 20 a page: the change's public note, the idea
    and how many voices raised it. The same entries as /ideas/changelog and its feed."""
    listed = entries()
    count = listed.count()
    start = (params.page - 1) * PER_PAGE
    items = []
    for change in with_voices(listed[start : start + PER_PAGE]):
        idea = change.idea
        items.append(
            {
                "id": change.pk,
                "url": absolute(entry_url(change)),
                "at": change.at,
                "status": _status(change.to_status),
                "note": change.note,
                "note_html": change.note_html,
                "idea": {
                    "id": idea.pk,
                    "title": idea.title,
                    "url": absolute(idea.get_absolute_url()),
                },
                "voices": _voices(change.voices),
            }
        )
    return {**_page_numbers(count, params.page), "items": items}


@router.get(
    "/ideas/{idea_id}",
    response={200: IdeaDetailOut, **READ, 404: ErrorOut},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="One idea",
)
def get_idea(request, idea_id: int = _id()):
    """An idea with its status history, voices, best quotes, merged duplicates and
    comments. A merged idea answers with `merged_into`: ask for that one. Held ideas are
    seen by their author and staff, removed ones by staff."""
    return _detail(request, _visible(request, idea_id))


# --- customers (a token) ------------------------------------------------------------------


@router.post(
    "/ideas",
    response={201: IdeaDetailOut, **WRITE, 429: ErrorOut},
    summary="Post an idea",
)
def create_idea(request, payload: IdeaIn):
    """Post an idea as the token's user: published at once, or held for a moderator
    (`state` "held") when it looks like spam. The author follows it. Refused: 400 for a
    title or description that does not fit, 409 when the same idea is on the board, 422
    for an unknown category, 429 when posting too often."""
    category = None
    if payload.category:
        category = _category_by_slug(payload.category)
        if category is None:
            return _invalid(f"there is no category {payload.category!r}")
    try:
        idea = submit_idea(request.user, title=payload.title, body=payload.body, category=category)
    except IdeaError as exc:
        raise refused(exc) from None
    return Status(201, _detail(request, idea))


@router.post("/ideas/{idea_id}/vote", response={200: VoteOut, **WRITE}, summary="Vote")
def vote_for(request, idea_id: int = _id()):
    """Vote for the idea (and follow it). Voting twice changes nothing (`changed`
    false). Refused with 409 on a merged, held or closed idea."""
    idea = _visible(request, idea_id)
    try:
        changed = vote(idea, request.user)
    except IdeaError as exc:
        raise refused(exc) from None
    return {"idea_id": idea.pk, "voted": True, "changed": changed, "votes": idea.vote_count}


@router.delete("/ideas/{idea_id}/vote", response={200: VoteOut, **WRITE}, summary="Unvote")
def take_vote_back(request, idea_id: int = _id()):
    """Take the vote back (the caller keeps following)."""
    idea = _visible(request, idea_id)
    try:
        changed = unvote(idea, request.user)
    except IdeaError as exc:
        raise refused(exc) from None
    return {"idea_id": idea.pk, "voted": False, "changed": changed, "votes": idea.vote_count}


@router.post("/ideas/{idea_id}/follow", response={200: FollowOut, **WRITE}, summary="Follow")
def follow_idea(request, idea_id: int = _id()):
    """Follow the idea: its status changes are mailed to the token's user."""
    idea = _visible(request, idea_id)
    try:
        changed = follow(idea, request.user)
    except IdeaError as exc:
        raise refused(exc) from None
    return {"idea_id": idea.pk, "following": True, "changed": changed}


@router.delete("/ideas/{idea_id}/follow", response={200: FollowOut, **WRITE}, summary="Unfollow")
def unfollow_idea(request, idea_id: int = _id()):
    idea = _visible(request, idea_id)
    try:
        changed = unfollow(idea, request.user)
    except IdeaError as exc:
        raise refused(exc) from None
    return {"idea_id": idea.pk, "following": False, "changed": changed}


@router.post(
    "/ideas/{idea_id}/comments",
    response={201: CommentOut, **WRITE, 429: ErrorOut},
    summary="Comment",
)
def comment(request, payload: CommentIn, idea_id: int = _id()):
    """Comment as the token's user: published, or held for a moderator (`status`
    "pending") when it looks like spam. Staff who manage ideas write as the company
    (`staff` true). Refused: 400 for an empty or too long comment, 409 for a merged or
    unpublished idea or the same comment twice, 429 when commenting too quickly."""
    idea = _visible(request, idea_id)
    try:
        posted = comment_on_idea(idea, request.user, payload.body)
    except CommentError as exc:
        raise refused(exc) from None
    return Status(201, _comment(posted, request.user.get_username()))


# --- staff (manage_ideas) -----------------------------------------------------------------


@router.post(
    "/ideas/{idea_id}/status",
    response={200: IdeaDetailOut, **WRITE},
    summary="Change the status",
)
def set_status(request, payload: StatusChangeIn, idea_id: int = _id()):
    """Move the idea to another status with a public note. Everyone who raised it is told
    by the worker (see the notice log). 409 when it is already there or merged; 422 for an
    unknown status. Needs `manage_ideas`."""
    idea = _staff_idea(request, idea_id)
    status = _status_by_slug(payload.status)
    if status is None:
        return _invalid(f"there is no status {payload.status!r}")
    try:
        change_status(idea, status, payload.note, request.user)
    except IdeaError as exc:
        raise refused(exc) from None
    return _detail(request, idea)


@router.post("/ideas/{idea_id}/merge", response={200: MergeOut, **WRITE}, summary="Merge")
def merge(request, payload: MergeIn, idea_id: int = _id()):
    """Merge this idea into the idea `into`: votes, followers, comments and evidence move
    there, and this one answers with `merged_into`. 404 for an unknown idea; 409 when
    either is merged already or not published; 400 for an idea into itself. Needs
    `manage_ideas`."""
    duplicate = _staff_idea(request, idea_id)
    survivor = Idea.objects.filter(pk=payload.into).first()
    if survivor is None:
        raise HttpError(404, f"there is no idea {payload.into}")
    try:
        record = merge_ideas(duplicate, survivor, request.user, payload.note)
    except IdeaError as exc:
        raise refused(exc) from None
    return {
        "duplicate": record.duplicate_id,
        "survivor": record.survivor_id,
        "note": record.note,
        "at": record.at,
        "votes_moved": record.votes_moved,
        "votes_merged": record.votes_merged,
        "followers_moved": record.followers_moved,
        "comments_moved": record.comments_moved,
        "evidence_moved": record.evidence_moved,
    }


def _mention(mention_id: int) -> Mention:
    mention = Mention.objects.filter(pk=mention_id).first()
    if mention is None:
        raise HttpError(404, f"there is no mention {mention_id}")
    return mention


@router.post(
    "/ideas/{idea_id}/evidence/{mention_id}",
    response={200: EvidenceOut, **WRITE},
    summary="Link a mention as evidence",
)
def link(
    request,
    idea_id: int = _id(),
    mention_id: int = _id(),
    quote: bool = Query(False, description="Pin it as one of the idea's best quotes"),
):
    """Link a mention from any channel to the idea it raises (`?quote=true`: pin it as a
    best quote). Linking twice changes nothing but the pin. Needs `manage_ideas`."""
    idea = _staff_idea(request, idea_id)
    mention = _mention(mention_id)
    try:
        changed = link_evidence(idea, mention, request.user, quote=quote)
    except IdeaError as exc:
        raise refused(exc) from None
    return {
        "idea_id": idea.pk,
        "mention_id": mention.pk,
        "linked": True,
        "changed": changed,
        "voices": _voices(voices_for([idea.pk])[idea.pk]),
    }


@router.delete(
    "/ideas/{idea_id}/evidence/{mention_id}",
    response={200: EvidenceOut, **WRITE},
    summary="Unlink evidence",
)
def unlink(request, idea_id: int = _id(), mention_id: int = _id()):
    """Take the link away; `changed` false if there was none. Needs `manage_ideas`."""
    idea = _staff_idea(request, idea_id)
    mention = _mention(mention_id)
    try:
        changed = unlink_evidence(idea, mention, request.user)
    except IdeaError as exc:
        raise refused(exc) from None
    return {
        "idea_id": idea.pk,
        "mention_id": mention.pk,
        "linked": False,
        "changed": changed,
        "voices": _voices(voices(idea)),
    }


@router.post(
    "/ideas/{idea_id}/moderate",
    response={200: IdeaDetailOut, **WRITE},
    summary="Moderate an idea",
)
def moderate(request, payload: ModerateIn, idea_id: int = _id()):
    """`approve` publishes a held idea (or brings a removed one back), `remove` takes it off
    the board and out of the river. Needs `manage_ideas`."""
    idea = _staff_idea(request, idea_id)
    try:
        moderate_idea(idea, payload.action, request.user)
    except IdeaError as exc:
        raise refused(exc) from None
    return _detail(request, idea)


@router.post(
    "/ideas/comments/{comment_id}/moderate",
    response={200: CommentOut, **WRITE},
    summary="Moderate a comment",
)
def moderate_a_comment(request, payload: ModerateIn, comment_id: int = _id()):
    """`approve` publishes a held comment, `remove` takes it down. Needs `manage_ideas`."""
    require_permission(request, MANAGE)
    found = IdeaComment.objects.select_related("idea", "user").filter(pk=comment_id).first()
    if found is None:
        raise HttpError(404, f"there is no comment {comment_id}")
    try:
        moderated = moderate_comment(found, payload.action, request.user)
    except CommentError as exc:
        raise refused(exc) from None
    author = moderated.user.get_username() if moderated.user_id else None
    return _comment(moderated, author)


def _notice(notice: Notice) -> dict:
    return {
        "id": notice.pk,
        "channel": notice.channel,
        "recipient": notice.recipient,
        "state": notice.state,
        "label": getattr(notice, "state_label", notice.get_state_display()),
        "detail": notice.detail,
        "attempts": notice.attempts,
        "user": notice.user.get_username() if notice.user_id else None,
        "mention_id": notice.mention_id,
        "created_at": notice.created_at,
        "sent_at": notice.sent_at,
    }


@router.get(
    "/ideas/{idea_id}/notices",
    response={200: list[NoticeGroupOut], **WRITE},
    summary="The notice log",
)
def notices(request, idea_id: int = _id()):
    """Every notice the idea's status changes caused, by change, newest change first: who
    was told, on which channel, and how it went; by-hand ones "to do" until answered.
    Needs `manage_ideas`."""
    idea = _staff_idea(request, idea_id)
    return [
        {
            "change": _change(group["change"]),
            "counts": dict(group["counts"]),
            "to_do": group["to_do"],
            "unsent": group["unsent"],
            "notices": [_notice(n) for n in group["notices"]],
        }
        for group in notice_log(idea)
    ]


@router.post(
    "/ideas/notices/{notice_id}/answered",
    response={200: NoticeOut, **WRITE},
    summary="Mark a by-hand notice answered",
)
def answered(request, notice_id: int = _id()):
    """Staff answered a by-hand notice themselves. Needs `manage_ideas`."""
    require_permission(request, MANAGE)
    notice = Notice.objects.select_related("user").filter(pk=notice_id).first()
    if notice is None:
        raise HttpError(404, f"there is no notice {notice_id}")
    try:
        mark_answered(notice, request.user)
    except NoticeError as exc:
        raise refused(exc) from None
    return _notice(notice)
