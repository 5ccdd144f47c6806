"""The support community in the JSON API, under /api/v1/community/.

Reading is open, as the pages are: no token needed for questions, answers, comments,
categories, tags, members' profiles and ledgers, and the leaderboards. With a token the
answers also carry the caller's votes, and show them what they may see beyond the
published: their own held posts; held and hidden ones to moderators; removed ones to staff.
A token that is sent must be valid (401). Writing needs a token and acts as its user:
asking, answering, commenting, editing (the writer, members whose level edits others'
posts, staff), voting, accepting (the asker or staff), official answers (staff with
manage_community), flagging, ambassador applications and reports (members apply,
ambassadors report; staff decide). Moderators read the review queue and its log,
act on posts and resolve flags; staff suspend members.

Every change goes through the community's actions, the same code as the pages. The
actions refuse with CommunityError subclasses, and the class gives the status: 400 for
content that does not fit, 403 NotAllowed, 404 NotFound, 409 Conflict, 429 RateLimited
with a Retry-After header. Bad parameters are 422 with what is wrong with each.
"""

from __future__ import annotations

import functools
import math

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from earful.accounts.api_auth import TokenAuth
from earful.blog.river_link import absolute
from earful.river.api_schemas import MAX_ID, REFUSALS, ErrorOut, InvalidOut

from . import leaderboard
from .actions import ambassadors, moderation
from .actions.answers import accept_answer, mark_official, unaccept_answer
from .actions.moderation import is_moderator
from .actions.posts import answer_question, ask_question, comment_on, edit_post
from .actions.reputation import privileges
from .actions.votes import unvote, user_votes, vote
from .api_schemas import (
    MAX_PAGE,
    MAX_USERNAME,
    PER_PAGE,
    USERNAME,
    AcceptOut,
    AdjustedOut,
    AdjustIn,
    AnswerEditIn,
    AnswerOut,
    ApplicationIn,
    ApplicationListParams,
    ApplicationOut,
    ApplicationPage,
    BodyIn,
    CategoryOut,
    CommentOut,
    EndAmbassadorIn,
    FlaggedOut,
    FlagIn,
    FlagOut,
    LeaderboardOut,
    LeaderboardParams,
    LedgerPage,
    LiftIn,
    LogPage,
    MemberOut,
    OfficialOut,
    PageParams,
    PostKind,
    QuestionDetailOut,
    QuestionEditIn,
    QuestionIn,
    QuestionPage,
    QuestionParams,
    ReasonIn,
    ReportIn,
    ReportListParams,
    ReportOut,
    ReportPage,
    ResolveIn,
    ReviewedOut,
    ReviewIn,
    ReviewPage,
    ReviewParams,
    ScoreOut,
    SimilarOut,
    SimilarParams,
    SuspendIn,
    SuspensionList,
    SuspensionOut,
    TagOut,
    VoteIn,
)
from .errors import CommunityError, Conflict, NotAllowed, NotFound, RateLimited
from .listing import QuestionFilter, filtered_questions, tags_of
from .models import (
    AmbassadorApplication,
    AmbassadorReport,
    Answer,
    BadgeAward,
    Category,
    Comment,
    Decision,
    EventKind,
    Flag,
    Level,
    Member,
    ModerationLog,
    Question,
    ReputationEvent,
    State,
    Tag,
)
from .permissions import MANAGE, can_manage, is_signed_in
from .review_queue import QueueItem, flagged_items, held_items
from .similar import similar_questions

router = Router(tags=["community"])

MAX_ANSWERS = 500  # listed on a question, best first
MAX_COMMENTS = 2000  # under a question and its answers together


def _id():
    """A path id: 1 to the largest database integer (larger ones answer 422, not 500)."""
    return Path(..., ge=1, le=MAX_ID)


def _username():
    return Path(..., max_length=MAX_USERNAME, pattern=USERNAME)


# --- who is asking ------------------------------------------------------------------------


def anonymous(request: HttpRequest):
    """Let a request without an Authorization header in, as nobody; one with a header is
    TokenAuth's to judge, so a bad token is refused, never read as anonymous."""
    if request.headers.get("Authorization"):
        return None
    request.user = AnonymousUser()
    return "anonymous"


OPEN = [TokenAuth(), anonymous]
OPTIONAL_TOKEN = {"security": [{}]}  # in the OpenAPI document: "or no token at all"
READ = {401: ErrorOut, 422: InvalidOut}
WRITE = {**REFUSALS, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut}
POSTING = {**WRITE, 429: ErrorOut}


# --- refusals -----------------------------------------------------------------------------

STATUSES: tuple[tuple[type[CommunityError], int], ...] = (
    (NotAllowed, 403),
    (NotFound, 404),
    (Conflict, 409),
    (RateLimited, 429),
)


def status_of(exc: CommunityError) -> int:
    for kind, status in STATUSES:
        if isinstance(exc, kind):
            return status
    return 400  # the content itself: empty, too long, a null character, an unknown choice


def refusal(exc: CommunityError) -> JsonResponse:
    response = JsonResponse({"error": str(exc)}, status=status_of(exc))
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def refusals(view):
    """Answer the actions' refusals as JSON errors with the status of their kind."""

    @functools.wraps(view)
    def answered(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except CommunityError as exc:
            return refusal(exc)

    return answered


def _invalid(*problems: str) -> Status:
    return Status(422, {"error": "invalid request", "detail": list(problems)})


# --- what the caller may see -------------------------------------------------------------


class Viewer:
    """What the caller may see, by the pages' rule: published posts to everyone; held or
    hidden ones to their writer and to moderators; removed ones to staff only. Whether
    the caller moderates is asked once, and only if a post needs it."""

    def __init__(self, user) -> None:
        self.user = user
        self.user_id = user.pk if is_signed_in(user) else None
        self._staff: bool | None = None
        self._moderator: bool | None = None

    @property
    def staff(self) -> bool:
        if self._staff is None:
            self._staff = can_manage(self.user)
        return self._staff

    @property
    def moderator(self) -> bool:
        if self._moderator is None:
            self._moderator = is_moderator(self.user)
        return self._moderator

    def sees(self, post) -> bool:
        if post.state == State.PUBLISHED:
            return True
        if post.state == State.REMOVED:
            return self.staff
        return (self.user_id is not None and post.author_id == self.user_id) or self.moderator


def _question(request: HttpRequest, question_id: int) -> Question:
    found = Question.objects.select_related("category", "author").filter(pk=question_id).first()
    if found is None or not Viewer(request.user).sees(found):
        raise HttpError(404, f"there is no question {question_id}")
    return found


def _answer(request: HttpRequest, answer_id: int) -> Answer:
    found = (
        Answer.objects.select_related("question", "question__category", "author")
        .filter(pk=answer_id)
        .first()
    )
    viewer = Viewer(request.user)
    if found is None or not viewer.sees(found) or not viewer.sees(found.question):
        raise HttpError(404, f"there is no answer {answer_id}")
    return found


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    found = (
        Comment.objects.select_related("question", "answer", "answer__question", "author")
        .filter(pk=comment_id)
        .first()
    )
    viewer = Viewer(request.user)
    if found is not None:
        parents = [found.question] if found.question_id else [found.answer, found.answer.question]
        if viewer.sees(found) and all(viewer.sees(parent) for parent in parents):
            return found
    raise HttpError(404, f"there is no comment {comment_id}")


def _staff_only(request: HttpRequest) -> None:
    if not can_manage(request.user):
        raise HttpError(403, f"this token's user lacks the {MANAGE} permission")


def _category(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first() if slug else None


def _staff_ids(user_ids) -> set[int]:
    """Which of these users run the community (manage_community, or superusers)."""
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return set()
    manage = Permission.objects.filter(codename=MANAGE, content_type__app_label="accounts")
    return set(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=manage)
            | Q(user_permissions__in=manage)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


# --- shapes -------------------------------------------------------------------------------


class Writers:
    """Names, points and staff marks of the people on a page, read once."""

    def __init__(self, user_ids) -> None:
        ids = {pk for pk in user_ids if pk}
        users = get_user_model().objects.filter(pk__in=ids)
        self.names = dict(users.values_list("pk", get_user_model().USERNAME_FIELD))
        self.points = dict(Member.objects.filter(user_id__in=ids).values_list("user_id", "points"))
        self.staff = _staff_ids(ids)

    def __call__(self, user_id: int | None) -> dict:
        if not user_id or user_id not in self.names:
            return {"username": None, "points": None, "staff": False}
        return {
            "username": self.names[user_id],
            "points": self.points.get(user_id, 0),
            "staff": user_id in self.staff,
        }


def _category_out(category: Category | None) -> dict | None:
    if category is None:
        return None
    return {"slug": category.slug, "name": category.name, "description": category.description}


def _question_out(question: Question, tags: list[Tag], writers: Writers) -> dict:
    return {
        "id": question.pk,
        "title": question.title,
        "url": absolute(question.get_absolute_url()),
        "category": _category_out(question.category),
        "tags": [{"slug": tag.slug, "name": tag.name} for tag in tags],
        "author": writers(question.author_id),
        "score": question.score,
        "answers": question.answer_count,
        "views": question.view_count,
        "solved": question.accepted_answer_id is not None,
        "accepted_answer_id": question.accepted_answer_id,
        "state": question.state,
        "created_at": question.created_at,
        "last_activity_at": question.last_activity_at,
    }


def _thread_url(question_id: int) -> str:
    return absolute(reverse("community:question", args=[question_id]))


def _comment_out(comment: Comment, writers: Writers, thread_url: str) -> dict:
    return {
        "id": comment.pk,
        "question_id": comment.question_id,
        "answer_id": comment.answer_id,
        "author": writers(comment.author_id),
        "body": comment.body,
        "body_html": comment.body_html,
        "state": comment.state,
        "held_for": list(comment.held_for or []),
        "created_at": comment.created_at,
        "url": f"{thread_url}#comment-{comment.pk}",
    }


def _answer_out(
    answer: Answer, writers: Writers, votes: dict | None, comments: list, thread_url: str
) -> dict:
    return {
        "id": answer.pk,
        "question_id": answer.question_id,
        "author": writers(answer.author_id),
        "body": answer.body,
        "body_html": answer.body_html,
        "score": answer.score,
        "accepted": answer.is_accepted,
        "official": answer.is_official,
        "state": answer.state,
        "held_for": list(answer.held_for or []),
        "my_vote": None if votes is None else votes.get(f"answer-{answer.pk}", 0),
        "created_at": answer.created_at,
        "updated_at": answer.updated_at,
        "url": f"{thread_url}#answer-{answer.pk}",
        "comments": comments,
    }


def _visible(viewer: Viewer, rows):
    """The rows (answers or comments) this caller may see."""
    return [row for row in rows if viewer.sees(row)]


def _detail(request: HttpRequest, question: Question) -> dict:
    user = request.user
    viewer = Viewer(user)
    shown_states = [State.PUBLISHED, State.HELD, State.HIDDEN]
    if viewer.staff:
        shown_states.append(State.REMOVED)
    answers = _visible(
        viewer,
        Answer.objects.filter(question=question, state__in=shown_states).order_by(
            "-is_official", "-is_accepted", "-score", "created_at", "id"
        )[:MAX_ANSWERS],
    )
    answer_ids = [a.pk for a in answers]
    comments = _visible(
        viewer,
        Comment.objects.filter(
            Q(question=question) | Q(answer_id__in=answer_ids), state__in=shown_states
        ).order_by("created_at", "id")[:MAX_COMMENTS],
    )
    writers = Writers(
        [question.author_id] + [a.author_id for a in answers] + [c.author_id for c in comments]
    )
    votes = None
    if is_signed_in(user):
        votes = user_votes(user, questions=[question.pk], answers=answer_ids)
    thread = _thread_url(question.pk)
    under: dict[int | None, list[dict]] = {}
    for comment in comments:
        under.setdefault(comment.answer_id, []).append(_comment_out(comment, writers, thread))
    item = _question_out(question, list(question.tags.all()), writers)
    item.update(
        body=question.body,
        body_html=question.body_html,
        held_for=list(question.held_for or []),
        my_vote=None if votes is None else votes.get(f"question-{question.pk}", 0),
        comments=under.get(None, []),
        answer_list=[_answer_out(a, writers, votes, under.get(a.pk, []), thread) for a in answers],
    )
    return item


def _pages(count: int, page: int) -> dict:
    pages = max(1, math.ceil(count / PER_PAGE))
    following = page + 1 if page < min(pages, MAX_PAGE) else None
    return {"count": count, "page": page, "pages": pages, "next_page": following}


# --- questions: reading ------------------------------------------------------------------


@router.get(
    "/community/questions",
    response={200: QuestionPage, **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="List and search questions",
)
def list_questions(request, params: Query[QuestionParams]):
    """Published questions, filtered by the words `q`, a `category` and a `tag` (slugs)
    and `answered`, all combined, in the `sort` order, 20 a page, as on /community/.
    An unknown slug or a query that does not read answers 422."""
    category = _category(params.category)
    tag = Tag.objects.filter(slug=params.tag).first() if params.tag else None
    problems = []
    if params.category and category is None:
        problems.append(f"there is no category {params.category!r}")
    if params.tag and tag is None:
        problems.append(f"there is no tag {params.tag!r}")
    if problems:
        return _invalid(*problems)
    question_filter = QuestionFilter(
        text=params.q, category=category, tag=tag, answered=params.answered, sort=params.sort
    )
    questions = filtered_questions(question_filter)
    if question_filter.errors:
        return Status(422, {"error": "invalid query", "detail": question_filter.errors})
    count = questions.count()
    start = (params.page - 1) * PER_PAGE
    rows = list(questions[start : start + PER_PAGE])
    tags = tags_of([q.pk for q in rows])
    writers = Writers([q.author_id for q in rows])
    items = [_question_out(q, tags.get(q.pk, []), writers) for q in rows]
    return {**_pages(count, params.page), "items": items}


@router.get(
    "/community/questions/similar",
    response={200: list[SimilarOut], **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Questions like a draft",
)
def similar(request, params: Query[SimilarParams]):
    """Published questions like the draft `title` and `body`, best first (at most 5): show
    them before asking, so people find the answer that exists."""
    return [
        {
            "id": s.question.pk,
            "title": s.question.title,
            "url": absolute(s.question.get_absolute_url()),
            "solved": s.question.accepted_answer_id is not None,
            "answers": s.question.answer_count,
            "score": s.score,
        }
        for s in similar_questions(params.title, params.body)
    ]


@router.get(
    "/community/categories",
    response={200: list[CategoryOut], **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Product lines",
)
def categories(request):
    return [_category_out(category) for category in Category.objects.all()]


@router.get(
    "/community/tags",
    response={200: list[TagOut], **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Tags in use",
)
def tags(request):
    """Tags on at least one published question, by name."""
    used = Tag.objects.filter(questions__state=State.PUBLISHED).distinct().order_by("name")
    return [{"slug": tag.slug, "name": tag.name} for tag in used]


@router.get(
    "/community/questions/{question_id}",
    response={200: QuestionDetailOut, **READ, 404: ErrorOut},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="A question with its answers and comments",
)
def get_question(request, question_id: int = _id()):
    """The question, its comments, and its answers (official first, then accepted, then
    by score, at most 500) each with their comments. Held and hidden posts are shown to
    their writer and moderators, removed ones to staff."""
    return _detail(request, _question(request, question_id))


# --- questions: writing ------------------------------------------------------------------


@router.post(
    "/community/questions",
    response={201: QuestionDetailOut, **POSTING},
    summary="Ask a question",
)
@refusals
def create_question(request, payload: QuestionIn):
    """Ask as the token's user: published at once, or held for a moderator (`state`
    "held", `held_for` says why: links from a new member, spam). 400 for a title, body or
    tags that do not fit, 409 when the same question was asked, 422 for an unknown
    category, 429 past the level's posts per hour."""
    category = _category(payload.category)
    if category is None:
        return _invalid(f"there is no category {payload.category!r}")
    question = ask_question(
        request.user, title=payload.title, body=payload.body, category=category,
        tags=payload.tags,
    )  # fmt: skip
    return Status(201, _detail(request, question))


@router.post(
    "/community/questions/{question_id}/answers",
    response={201: AnswerOut, **POSTING},
    summary="Answer a question",
)
@refusals
def create_answer(request, payload: BodyIn, question_id: int = _id()):
    """Answer as the token's user (published, or held with the reasons). 409 when the
    question is not open or the same answer is there."""
    question = _question(request, question_id)
    answer = answer_question(question, request.user, payload.body)
    writers = Writers([answer.author_id])
    return Status(201, _answer_out(answer, writers, {}, [], _thread_url(question.pk)))


@router.post(
    "/community/questions/{question_id}/comments",
    response={201: CommentOut, **POSTING},
    summary="Comment on a question",
)
@refusals
def comment_question(request, payload: BodyIn, question_id: int = _id()):
    question = _question(request, question_id)
    comment = comment_on(request.user, payload.body, question=question)
    writers = Writers([comment.author_id])
    return Status(201, _comment_out(comment, writers, _thread_url(question.pk)))


@router.post(
    "/community/answers/{answer_id}/comments",
    response={201: CommentOut, **POSTING},
    summary="Comment on an answer",
)
@refusals
def comment_answer(request, payload: BodyIn, answer_id: int = _id()):
    answer = _answer(request, answer_id)
    comment = comment_on(request.user, payload.body, answer=answer)
    writers = Writers([comment.author_id])
    return Status(201, _comment_out(comment, writers, _thread_url(answer.question_id)))


def _answer_detail(request: HttpRequest, answer: Answer) -> dict:
    """The answer with the comments under it the caller may see, and the caller's vote."""
    viewer = Viewer(request.user)
    shown_states = [State.PUBLISHED, State.HELD, State.HIDDEN]
    if viewer.staff:
        shown_states.append(State.REMOVED)
    under = Comment.objects.filter(answer=answer, state__in=shown_states)
    comments = _visible(viewer, under.order_by("created_at", "id")[:MAX_COMMENTS])
    writers = Writers([answer.author_id] + [c.author_id for c in comments])
    votes = user_votes(request.user, answers=[answer.pk]) if is_signed_in(request.user) else None
    thread = _thread_url(answer.question_id)
    listed = [_comment_out(c, writers, thread) for c in comments]
    return _answer_out(answer, writers, votes, listed, thread)


@router.patch(
    "/community/questions/{question_id}",
    response={200: QuestionDetailOut, **WRITE},
    summary="Edit a question",
)
@refusals
def edit_question(request, payload: QuestionEditIn, question_id: int = _id()):
    """Change the title, text, product line or tags (only the fields sent; `tags` []
    clears them), with a `note` for the history; the old text is kept as a revision, as
    on the edit page. The writer, members whose level edits others' posts, and staff;
    403 for anyone else or for links your level may not add, 409 for a removed question
    or an edit that reads as spam, 422 for an unknown product line."""
    question = _question(request, question_id)
    category = None
    if payload.category is not None:
        category = _category(payload.category)
        if category is None:
            return _invalid(f"there is no category {payload.category!r}")
    edit_post(
        question, request.user,
        body=question.body if payload.body is None else payload.body,
        title=payload.title, note=payload.note, category=category, tags=payload.tags,
    )  # fmt: skip
    return _detail(request, question)


@router.patch(
    "/community/answers/{answer_id}",
    response={200: AnswerOut, **WRITE},
    summary="Edit an answer",
)
@refusals
def edit_answer(request, payload: AnswerEditIn, answer_id: int = _id()):
    """Change the answer's text with a `note` for the history, by the rules of the edit
    page (see editing a question)."""
    answer = _answer(request, answer_id)
    body = answer.body if payload.body is None else payload.body
    edit_post(answer, request.user, body=body, note=payload.note)
    return _answer_detail(request, answer)


# --- votes, acceptance, official answers -------------------------------------------------


def _score(post: Question | Answer, user) -> dict:
    kind = "question" if isinstance(post, Question) else "answer"
    mine = user_votes(user, **{f"{kind}s": [post.pk]}).get(f"{kind}-{post.pk}", 0)
    post.refresh_from_db(fields=["score"])
    return {"post": kind, "id": post.pk, "score": post.score, "my_vote": mine}


def _cast(post: Question | Answer, user, value: int) -> dict:
    """Set the caller's vote to `value`; the same vote again changes nothing."""
    vote(post, user, value, toggle=False)
    return _score(post, user)


@router.post(
    "/community/questions/{question_id}/vote",
    response={200: ScoreOut, **WRITE},
    summary="Vote on a question",
)
@refusals
def vote_question(request, payload: VoteIn, question_id: int = _id()):
    """Vote up (1) or down (-1); sending the other value changes the vote, the same value
    again changes nothing. 403 on your own question."""
    return _cast(_question(request, question_id), request.user, payload.value)


@router.delete(
    "/community/questions/{question_id}/vote",
    response={200: ScoreOut, **WRITE},
    summary="Take back a vote on a question",
)
@refusals
def unvote_question(request, question_id: int = _id()):
    question = _question(request, question_id)
    unvote(question, request.user)
    return _score(question, request.user)


@router.post(
    "/community/answers/{answer_id}/vote",
    response={200: ScoreOut, **WRITE},
    summary="Vote on an answer",
)
@refusals
def vote_answer(request, payload: VoteIn, answer_id: int = _id()):
    """Vote up (1) or down (-1; costs you a point, as on the pages)."""
    return _cast(_answer(request, answer_id), request.user, payload.value)


@router.delete(
    "/community/answers/{answer_id}/vote",
    response={200: ScoreOut, **WRITE},
    summary="Take back a vote on an answer",
)
@refusals
def unvote_answer(request, answer_id: int = _id()):
    answer = _answer(request, answer_id)
    unvote(answer, request.user)
    return _score(answer, request.user)


@router.post(
    "/community/answers/{answer_id}/accept",
    response={200: AcceptOut, **WRITE},
    summary="Accept an answer",
)
@refusals
def accept(request, answer_id: int = _id()):
    """The asker (or staff) marks the answer that solved the question; accepting another
    moves the acceptance. 403 for anyone else, 409 for an unpublished answer."""
    answer = _answer(request, answer_id)
    accept_answer(answer, request.user)
    return {"question_id": answer.question_id, "accepted_answer_id": answer.pk}


@router.delete(
    "/community/answers/{answer_id}/accept",
    response={200: AcceptOut, **WRITE},
    summary="Take back an acceptance",
)
@refusals
def unaccept(request, answer_id: int = _id()):
    """Take the acceptance back if this answer is the accepted one (else nothing changes)."""
    answer = _answer(request, answer_id)
    question = answer.question
    if question.accepted_answer_id == answer.pk:
        question = unaccept_answer(question, request.user)
    elif question.author_id != request.user.pk and not can_manage(request.user):
        raise NotAllowed("Only the person who asked can change the accepted answer.")
    return {"question_id": question.pk, "accepted_answer_id": question.accepted_answer_id}


@router.post(
    "/community/answers/{answer_id}/official",
    response={200: OfficialOut, **WRITE},
    summary="Mark the official answer",
)
@refusals
def official(request, answer_id: int = _id()):
    """Staff mark the company's answer (shown first). Needs `manage_community`."""
    answer = mark_official(_answer(request, answer_id), request.user, True)
    return {"answer_id": answer.pk, "official": answer.is_official}


@router.delete(
    "/community/answers/{answer_id}/official",
    response={200: OfficialOut, **WRITE},
    summary="Unmark the official answer",
)
@refusals
def unofficial(request, answer_id: int = _id()):
    answer = mark_official(_answer(request, answer_id), request.user, False)
    return {"answer_id": answer.pk, "official": answer.is_official}


# --- members, the ledger, leaderboards ---------------------------------------------------


def _sees_private(request: HttpRequest, user) -> bool:
    """The member themself and staff see a suspension and the ledger's notes; everyone
    else sees what the profile page shows."""
    return (is_signed_in(request.user) and request.user.pk == user.pk) or can_manage(request.user)


def _member_user(username: str):
    user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    if user is None or not user.is_active:
        raise HttpError(404, f"there is no member {username}")
    return user


def _level(level: Level | None) -> dict | None:
    if level is None:
        return None
    return {"number": level.number, "name": level.name, "threshold": level.threshold}


@router.get(
    "/community/members/{username}",
    response={200: MemberOut, **READ, 404: ErrorOut},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="A member's profile",
)
def member(request, username: str = _username()):
    """Points, level and the next one, privileges, counts, badges (newest first)."""
    user = _member_user(username)
    row = Member.objects.filter(user=user).first() or Member(user=user)
    levels = list(Level.objects.order_by("threshold"))
    reached = [level for level in levels if level.threshold <= row.points]
    ahead = [level for level in levels if level.threshold > row.points]
    awards = BadgeAward.objects.filter(user=user).select_related("badge")
    accepted = Answer.objects.filter(author=user, is_accepted=True, state=State.PUBLISHED)
    return {
        "username": user.get_username(),
        "url": absolute(reverse("community:profile", args=[user.get_username()])),
        "points": row.points,
        "level": _level(reached[-1] if reached else None),
        "next_level": _level(ahead[0] if ahead else None),
        "privileges": sorted(privileges(user)),
        "questions": Question.objects.filter(author=user, state=State.PUBLISHED).count(),
        "answers": Answer.objects.filter(author=user, state=State.PUBLISHED).count(),
        "accepted_answers": accepted.count(),
        "ambassador": row.is_ambassador,
        "suspended": row.is_suspended if _sees_private(request, user) else None,
        "joined_at": row.joined_at,
        "badges": [
            {
                "slug": award.badge.slug,
                "name": award.badge.name,
                "description": award.badge.description,
                "tier": award.badge.tier,
                "awarded_at": award.awarded_at,
            }
            for award in awards
        ],
    }


@router.get(
    "/community/members/{username}/ledger",
    response={200: LedgerPage, **READ, 404: ErrorOut},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="A member's reputation ledger",
)
def ledger(request, params: Query[PageParams], username: str = _username()):
    """Every line of the member's points, newest first, 20 a page: what earned or cost
    them points, and the reversals of withdrawn causes. Public, as on the profile."""
    user = _member_user(username)
    lines = ReputationEvent.objects.filter(user=user).order_by("-created_at", "-id")
    private = _sees_private(request, user)
    count = lines.count()
    start = (params.page - 1) * PER_PAGE
    items = [
        {
            "id": line.pk,
            "kind": line.kind,
            "label": line.get_kind_display(),
            "points": line.points,
            "rule_points": line.rule_points,
            "reverses": line.reverses_id,
            "question_id": line.question_id,
            "answer_id": line.answer_id,
            "note": line.note if private or line.kind == EventKind.ADJUSTMENT else "",
            "created_at": line.created_at,
        }
        for line in lines[start : start + PER_PAGE]
    ]
    points = Member.objects.filter(user=user).values_list("points", flat=True).first() or 0
    return {**_pages(count, params.page), "points": points, "items": items}


@router.get(
    "/community/leaderboard",
    response={200: LeaderboardOut, **READ},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Leaderboard",
)
def leaderboard_of(request, params: Query[LeaderboardParams]):
    """The 50 members with the most points this week, this month or of all time (equal
    points share a rank), and the token's user's own rank."""
    mine = leaderboard.rank_of(request.user, params.period)
    return {
        "period": params.period,
        "since": leaderboard.period_start(params.period),
        "top": [
            {"rank": s.rank, "username": s.username, "points": s.points, "level": s.level}
            for s in leaderboard.top(params.period)
        ],
        "me": {"rank": mine[0], "points": mine[1]} if mine else None,
    }


# --- ambassador reports ------------------------------------------------------------------


def _report_out(report: AmbassadorReport) -> dict:
    approved = report.state == Decision.APPROVED
    return {
        "id": report.pk,
        "ambassador": report.user.get_username() if report.user_id else None,
        "place": report.place,
        "audience": report.audience,
        "said": report.said,
        "product": _category_out(report.product),
        "happened_on": report.happened_on,
        "photo_url": absolute(report.photo.url) if report.photo else None,
        "state": report.state,
        "reason": report.reason,
        "decided_at": report.decided_at,
        "created_at": report.created_at,
        "url": absolute(report.get_absolute_url()) if approved else None,
    }


def _report(request: HttpRequest, report_id: int) -> AmbassadorReport:
    found = AmbassadorReport.objects.select_related("user", "product").filter(pk=report_id).first()
    user = request.user
    if found is None or not (
        found.state == Decision.APPROVED
        or (is_signed_in(user) and found.user_id == user.pk)
        or can_manage(user)
    ):
        raise HttpError(404, f"there is no report {report_id}")
    return found


@router.get(
    "/community/ambassadors/reports",
    response={200: ReportPage, **REFUSALS, 422: InvalidOut},
    summary="Ambassador reports",
)
def list_reports(request, params: Query[ReportListParams]):
    """The token's user's own reports, newest first, with staff's decisions and reasons;
    staff (`manage_community`) pass `everyone=true` for every ambassador's, say
    `state=pending` to decide on them."""
    reports = AmbassadorReport.objects.select_related("user", "product").order_by(
        "-created_at", "-id"
    )
    if params.everyone:
        if not can_manage(request.user):
            raise HttpError(403, f"everyone's reports need the {MANAGE} permission")
    else:
        reports = reports.filter(user=request.user)
    if params.state:
        reports = reports.filter(state=params.state)
    count = reports.count()
    start = (params.page - 1) * PER_PAGE
    items = [_report_out(r) for r in reports[start : start + PER_PAGE]]
    return {**_pages(count, params.page), "items": items}


@router.get(
    "/community/ambassadors/reports/{report_id}",
    response={200: ReportOut, **READ, 404: ErrorOut},
    auth=OPEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="One ambassador report",
)
def get_report(request, report_id: int = _id()):
    """Approved reports are public; pending and rejected ones are their ambassador's and
    staff's."""
    return _report_out(_report(request, report_id))


@router.post(
    "/community/ambassadors/reports",
    response={201: ReportOut, **WRITE},
    summary="Report word of mouth",
)
@refusals
def create_report(request, payload: ReportIn):
    """An ambassador reports where they talked, to whom, what was said and about which
    product line; it waits for staff. Photos are added on the ambassador page. 403 for
    members who are not ambassadors, 400 for a future day or text that does not fit,
    422 for an unknown product."""
    product = _category(payload.product)
    if product is None:
        return _invalid(f"there is no category {payload.product!r}")
    report = ambassadors.submit_report(
        request.user, place=payload.place, audience=payload.audience, said=payload.said,
        product=product, happened_on=payload.happened_on,
    )  # fmt: skip
    return Status(201, _report_out(report))


def _staff_report(request: HttpRequest, report_id: int) -> AmbassadorReport:
    _staff_only(request)
    found = AmbassadorReport.objects.select_related("user", "product").filter(pk=report_id).first()
    if found is None:
        raise HttpError(404, f"there is no report {report_id}")
    return found


@router.post(
    "/community/ambassadors/reports/{report_id}/approve",
    response={200: ReportOut, **WRITE},
    summary="Approve a report",
)
@refusals
def approve_report(request, payload: ReasonIn | None = None, report_id: int = _id()):
    """The ambassador earns the report's points and it enters the river as a Community
    mention. 409 when it was already decided. Needs `manage_community`."""
    report = _staff_report(request, report_id)
    reason = payload.reason if payload else ""
    return _report_out(ambassadors.decide_report(report, request.user, True, reason))


@router.post(
    "/community/ambassadors/reports/{report_id}/withdraw",
    response={200: ReportOut, **WRITE},
    summary="Withdraw an approved report",
)
@refusals
def withdraw_report(request, payload: ReasonIn, report_id: int = _id()):
    """Take back an approved report with a `reason`: its points are reversed and it leaves
    the river. 409 unless it is approved. Needs `manage_community`."""
    report = _staff_report(request, report_id)
    return _report_out(ambassadors.withdraw_report(report, request.user, payload.reason))


@router.post(
    "/community/ambassadors/reports/{report_id}/reject",
    response={200: ReportOut, **WRITE},
    summary="Reject a report",
)
@refusals
def reject_report(request, payload: ReasonIn, report_id: int = _id()):
    """Reject with a `reason` the ambassador sees (400 without one). Needs
    `manage_community`."""
    report = _staff_report(request, report_id)
    return _report_out(ambassadors.decide_report(report, request.user, False, payload.reason))


# --- flags and the review queue ----------------------------------------------------------


def _flag_out(flag: Flag) -> dict:
    kind = next(kind for kind in moderation.KINDS if getattr(flag, f"{kind}_id"))
    return {
        "id": flag.pk,
        "post": kind,
        "post_id": getattr(flag, f"{kind}_id"),
        "reason": flag.reason,
        "note": flag.note,
        "flagger": flag.user.get_username() if flag.user_id else None,
        "outcome": flag.outcome,
        "created_at": flag.created_at,
        "resolved_at": flag.resolved_at,
    }


def _flag(request: HttpRequest, post, payload: FlagIn):
    flag = moderation.flag_post(request.user, post, payload.reason, payload.note)
    return Status(201, {**_flag_out(flag), "post_state": post.state})


FLAGGING = {
    "response": {201: FlaggedOut, **WRITE},
    "description": "Flag someone else's published post for moderators, once, for a "
    "`reason` (`note` needed for other). Enough open flags from trusted members (or one "
    "from staff) hide it until a moderator reviews it: `post_state` says so. 403 for your "
    "own post or when suspended, 409 when you flagged it already or it is not public, 400 "
    "for a note that does not fit.",
}


@router.post("/community/questions/{question_id}/flag", summary="Flag a question", **FLAGGING)
@refusals
def flag_question(request, payload: FlagIn, question_id: int = _id()):
    return _flag(request, _question(request, question_id), payload)


@router.post("/community/answers/{answer_id}/flag", summary="Flag an answer", **FLAGGING)
@refusals
def flag_answer(request, payload: FlagIn, answer_id: int = _id()):
    return _flag(request, _answer(request, answer_id), payload)


@router.post("/community/comments/{comment_id}/flag", summary="Flag a comment", **FLAGGING)
@refusals
def flag_comment(request, payload: FlagIn, comment_id: int = _id()):
    return _flag(request, _comment(request, comment_id), payload)


def _moderator_only(request: HttpRequest) -> None:
    if not is_moderator(request.user):
        raise NotAllowed("Only moderators review posts.")


def _item_out(item: QueueItem, writers: Writers) -> dict:
    post = item.post
    shown = post.state in (State.PUBLISHED, State.HIDDEN)
    thread = post.question_id if isinstance(post, Answer) else post.pk
    if isinstance(post, Comment):
        thread = post.thread_question_id
    return {
        "kind": item.kind,
        "id": post.pk,
        "label": item.label,
        "title": item.title,
        "body": post.body,
        "state": post.state,
        "held_for": list(post.held_for or []),
        "author": writers(post.author_id),
        "question_id": thread,
        "url": absolute(post.get_absolute_url()) if shown else None,
        "created_at": post.created_at,
        "flags": [_flag_out(flag) for flag in item.flags],
    }


@router.get(
    "/community/review",
    response={200: ReviewPage, **REFUSALS, 422: InvalidOut},
    summary="The moderators' review queue",
)
@refusals
def review_queue(request, params: Query[ReviewParams]):
    """The review page's tabs, 20 posts a page: `flagged` (posts with open flags, the most
    flagged first, then posts hidden without a flag), `held` (waiting for approval, oldest
    first) and `spam` (held because they look like spam). At most 300 posts a tab, as on
    the page. Moderators only (403)."""
    _moderator_only(request)
    flagged = flagged_items()
    held, spam = held_items()
    tabs = {"flagged": flagged, "held": held, "spam": spam}
    items = tabs[params.tab]
    start = (params.page - 1) * PER_PAGE
    shown = items[start : start + PER_PAGE]
    writers = Writers([item.post.author_id for item in shown])
    return {
        "tab": params.tab,
        "counts": {key: len(found) for key, found in tabs.items()},
        "actions": list(moderation.POST_ACTIONS),
        **_pages(len(items), params.page),
        "items": [_item_out(item, writers) for item in shown],
    }


@router.get(
    "/community/review/log",
    response={200: LogPage, **REFUSALS, 422: InvalidOut},
    summary="The moderation log",
)
@refusals
def review_log(request, params: Query[PageParams]):
    """Every moderation decision, newest first, 20 a page: approvals, hides, removals,
    flag verdicts, suspensions, ambassador decisions. Moderators only (403)."""
    _moderator_only(request)
    lines = ModerationLog.objects.select_related("actor").order_by("-created_at", "-id")
    count = lines.count()
    start = (params.page - 1) * PER_PAGE
    items = [
        {
            "id": line.pk,
            "actor": line.actor.get_username() if line.actor_id else None,
            "action": line.action,
            "target": line.target,
            "summary": line.summary,
            "reason": line.reason,
            "created_at": line.created_at,
        }
        for line in lines[start : start + PER_PAGE]
    ]
    return {**_pages(count, params.page), "items": items}


@router.post(
    "/community/review/{kind}/{post_id}",
    response={200: ReviewedOut, **WRITE},
    summary="Act on a post",
)
@refusals
def review_post(request, payload: ReviewIn, kind: PostKind, post_id: int = _id()):
    """A moderator's decision on a question, answer or comment, as the review page's
    buttons: `action` is one of the queue's `actions` (approve a held post, hide a public
    one, keep a hidden or flagged one, remove, remove_spam: the writer loses the spam
    penalty), with a `reason` for the log. 403 for non-moderators, your own post, or a
    staff member's post unless you are staff; 409 when the post's state does not allow
    the action; 422 for an unknown action."""
    _moderator_only(request)
    if payload.action not in moderation.POST_ACTIONS:
        choices = ", ".join(moderation.POST_ACTIONS)
        return _invalid(f"unknown action {payload.action!r}; one of {choices}")
    post = moderation.find_post(kind, post_id)
    if not Viewer(request.user).sees(post):
        raise NotFound("There is no such post.")
    moderation.act(post, request.user, payload.action, payload.reason)
    open_flags = Flag.objects.filter(**{kind: post}, outcome=Flag.Outcome.OPEN).count()
    return {
        "kind": kind, "id": post.pk, "action": payload.action, "state": post.state,
        "open_flags": open_flags,
    }  # fmt: skip


@router.post(
    "/community/flags/{flag_id}/resolve",
    response={200: FlagOut, **WRITE},
    summary="Resolve a flag",
)
@refusals
def resolve_flag(request, payload: ResolveIn, flag_id: int = _id()):
    """A moderator's verdict on one flag: `helpful` true (the flagger earns points) or
    false (declined), with a `reason` for the log. The post stays as it is. 403 for
    non-moderators, your own flag or post; 409 when the flag was already resolved."""
    _moderator_only(request)
    found = (
        Flag.objects.select_related("user", "question", "answer", "comment")
        .filter(pk=flag_id)
        .first()
    )
    if found is None:
        raise NotFound(f"There is no flag {flag_id}.")
    moderation.resolve_flag(found, request.user, payload.helpful, payload.reason)
    found.refresh_from_db(fields=["outcome", "resolved_at", "resolved_by"])
    return _flag_out(found)


# --- suspensions -------------------------------------------------------------------------


def _suspension_out(user, member: Member) -> dict:
    return {
        "username": user.get_username(),
        "suspended": member.is_suspended,
        "suspended_until": member.suspended_until,
        "reason": member.suspension_reason,
    }


@router.post(
    "/community/members/{username}/suspension",
    response={200: SuspensionOut, **WRITE},
    summary="Suspend a member",
)
@refusals
def suspend_member(request, payload: SuspendIn, username: str = _username()):
    """Stop the member from posting, voting, flagging and applying for `days` days (1 to
    3650; a new suspension replaces the old), with a `reason` the member sees. Staff only
    (`manage_community`); staff accounts are not suspended here (403)."""
    _staff_only(request)
    user = _member_user(username)
    member = moderation.suspend(user, request.user, payload.days, payload.reason)
    return _suspension_out(user, member)


@router.delete(
    "/community/members/{username}/suspension",
    response={200: SuspensionOut, **WRITE},
    summary="Lift a suspension",
)
@refusals
def lift_suspension(request, payload: LiftIn | None = None, username: str = _username()):
    """Let the member post again, with an optional `reason` for the log. 409 when they are
    not suspended. Staff only."""
    _staff_only(request)
    user = _member_user(username)
    member = moderation.lift_suspension(user, request.user, payload.reason if payload else "")
    return _suspension_out(user, member)


@router.get(
    "/community/suspensions",
    response={200: SuspensionList, **REFUSALS},
    summary="Members suspended now",
)
def suspensions(request):
    """Every member whose suspension has not ended, the soonest back first, with the
    reason. Staff only."""
    _staff_only(request)
    rows = (
        Member.objects.filter(suspended_until__gt=timezone.now())
        .select_related("user")
        .order_by("suspended_until", "id")
    )
    return {"items": [_suspension_out(row.user, row) for row in rows]}


@router.post(
    "/community/members/{username}/points",
    response={200: AdjustedOut, **WRITE},
    summary="Correct a member's points",
)
@refusals
def adjust_points(request, payload: AdjustIn, username: str = _username()):
    """Add or take points (1 to 10,000 either way) with a `note` saying why: a ledger
    line of its own, shown on the member's profile, and a line in the moderation log.
    Staff only; not your own points (403); 400 for a correction that does not fit."""
    _staff_only(request)
    user = _member_user(username)
    member = moderation.adjust_points(user, request.user, payload.points, payload.note)
    return {"username": user.get_username(), "points": member.points, "level": member.level}


@router.delete(
    "/community/members/{username}/ambassador",
    response={204: None, **WRITE},
    summary="End an ambassadorship",
)
@refusals
def end_ambassadorship(request, payload: EndAmbassadorIn, username: str = _username()):
    """Take the ambassador role back, with a `reason` for the log; the member's approved
    reports and their points stay. 409 when they are not an ambassador. Staff only."""
    _staff_only(request)
    user = _member_user(username)
    ambassadors.end_ambassadorship(user, request.user, payload.reason)
    return Status(204, None)


# --- ambassador applications -------------------------------------------------------------


def _application_out(application: AmbassadorApplication) -> dict:
    member = getattr(application.user, "member", None) if application.user_id else None
    return {
        "id": application.pk,
        "member": application.user.get_username() if application.user_id else None,
        "points": member.points if member else 0,
        "motivation": application.motivation,
        "state": application.state,
        "reason": application.reason,
        "decided_at": application.decided_at,
        "created_at": application.created_at,
    }


@router.post(
    "/community/ambassadors/applications",
    response={201: ApplicationOut, **WRITE},
    summary="Apply to be an ambassador",
)
@refusals
def apply(request, payload: ApplicationIn):
    """Say why you want to join the program (30 to 3,000 characters); staff decide. 409
    when you are an ambassador already or an application of yours waits, 403 when
    suspended, 400 for a motivation that does not fit."""
    application = ambassadors.apply(request.user, payload.motivation)
    return Status(201, _application_out(application))


@router.get(
    "/community/ambassadors/applications",
    response={200: ApplicationPage, **REFUSALS, 422: InvalidOut},
    summary="Ambassador applications",
)
def list_applications(request, params: Query[ApplicationListParams]):
    """Your own applications; staff (`manage_community`) pass `everyone=true` for
    everyone's. Pending ones first (the oldest first, as staff decide them), then the
    decided ones, newest first; `state` narrows the list."""
    applications = AmbassadorApplication.objects.select_related("user", "user__member")
    if params.everyone:
        _staff_only(request)
    else:
        applications = applications.filter(user=request.user)
    if params.state:
        applications = applications.filter(state=params.state)
    pending = applications.filter(state=Decision.PENDING).order_by("created_at", "id")
    decided = applications.exclude(state=Decision.PENDING).order_by("-created_at", "-id")
    waiting = pending.count()
    count = waiting + decided.count()
    start = (params.page - 1) * PER_PAGE
    end = start + PER_PAGE
    rows = list(pending[start:end]) if start < waiting else []
    if len(rows) < PER_PAGE:
        skip = max(0, start - waiting)
        rows += list(decided[skip : skip + PER_PAGE - len(rows)])
    return {**_pages(count, params.page), "items": [_application_out(a) for a in rows]}


def _staff_application(request: HttpRequest, application_id: int) -> AmbassadorApplication:
    _staff_only(request)
    found = (
        AmbassadorApplication.objects.select_related("user", "user__member")
        .filter(pk=application_id)
        .first()
    )
    if found is None:
        raise HttpError(404, f"there is no application {application_id}")
    return found


@router.post(
    "/community/ambassadors/applications/{application_id}/approve",
    response={200: ApplicationOut, **WRITE},
    summary="Approve an application",
)
@refusals
def approve_application(request, payload: ReasonIn | None = None, application_id: int = _id()):
    """The member becomes an ambassador. 409 when it was already decided, 403 for your own
    application. Needs `manage_community`."""
    application = _staff_application(request, application_id)
    reason = payload.reason if payload else ""
    decided = ambassadors.decide_application(application, request.user, True, reason)
    return _application_out(decided)


@router.post(
    "/community/ambassadors/applications/{application_id}/reject",
    response={200: ApplicationOut, **WRITE},
    summary="Reject an application",
)
@refusals
def reject_application(request, payload: ReasonIn, application_id: int = _id()):
    """Say no with a `reason` the member sees (400 without one). Needs
    `manage_community`."""
    application = _staff_application(request, application_id)
    decided = ambassadors.decide_application(application, request.user, False, payload.reason)
    return _application_out(decided)
