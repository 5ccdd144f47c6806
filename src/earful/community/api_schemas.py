"""Shapes of the community's API (see api.py): they become the OpenAPI document.

Content limits (title, body, comment, tag and report lengths) are the actions' own and
answered with 400 and their message, so the pages and the API keep one rule; the schemas
only bound what a request may carry and refuse what no database takes (a NUL character)
with 422 before anything runs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, BaseModel, StrictBool, StrictInt, model_validator

PER_PAGE = 20
MAX_PAGE = 500  # 10,000 questions deep: past that, narrow the filters
MAX_QUERY = 500
MAX_SLUG = 80
MAX_TEXT = 40_000  # more than any post takes; the action says the real limit
MAX_TAGS_SENT = 20  # the action takes 5 and says so
MAX_USERNAME = 150
USERNAME = r"^[\w.@+-]+$"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]

Sort = Literal["active", "newest", "votes", "unanswered"]
Answered = Literal["", "answered", "unanswered", "solved", "unsolved"]
Period = Literal["week", "month", "all"]
PostState = Literal["published", "held", "hidden", "removed"]
ReportState = Literal["pending", "approved", "rejected"]
Decided = Literal["", "pending", "approved", "rejected"]
PostKind = Literal["question", "answer", "comment"]
FlagReason = Literal["spam", "rude", "off_topic", "other"]  # Flag.Reason's values
FlagOutcome = Literal["open", "helpful", "declined"]
ReviewTab = Literal["flagged", "held", "spam"]
MAX_EDIT_NOTE = 300  # the edit page's "What changed"


# --- requests -----------------------------------------------------------------------------


class ObjectIn(Schema):
    """A JSON body that must be an object: a schema whose fields are all optional would
    otherwise read a list, a number or a string as "nothing sent" (or, for a string, its
    methods as fields: "x".title)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        sent = value._obj if isinstance(value, DjangoGetter) else value  # ninja wraps it
        if not isinstance(sent, dict | BaseModel):
            raise ValueError("the body must be a JSON object")
        return value


class QuestionParams(Schema):
    """The question list's filters, as on /community/: every given one narrows the list."""

    q: Text = Field(
        "",
        max_length=MAX_QUERY,
        description='Words of the question, in the boolean query language ("battery drain" -ios)',
    )
    category: Text = Field("", max_length=MAX_SLUG, description="A product line's slug")
    tag: Text = Field("", max_length=MAX_SLUG, description="A tag's slug")
    answered: Answered = Field(
        "",
        description="answered (has answers), unanswered (none yet), solved (an accepted "
        "answer), unsolved (none accepted); empty: any",
    )
    sort: Sort = Field(
        "active",
        description="active (latest activity), newest, votes (score), unanswered (no answer "
        "yet, best first)",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"{PER_PAGE} questions a page")


class SimilarParams(Schema):
    title: Text = Field(..., min_length=1, max_length=MAX_TEXT)
    body: Text = Field("", max_length=MAX_TEXT)


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"{PER_PAGE} items a page")


class LeaderboardParams(Schema):
    period: Period = Field("week", description="week (since Monday), month (since the 1st), all")


class QuestionIn(Schema):
    title: Text = Field(..., max_length=MAX_TEXT)
    body: Text = Field(..., max_length=MAX_TEXT, description="Markdown")
    category: Text = Field(..., max_length=MAX_SLUG, description="A product line's slug")
    tags: list[Annotated[Text, Field(max_length=MAX_SLUG)]] = Field(
        default_factory=list, max_length=MAX_TAGS_SENT, description="At most 5 tag names"
    )


class BodyIn(Schema):
    body: Text = Field(..., max_length=MAX_TEXT, description="Markdown")


class VoteIn(Schema):
    value: Literal[1, -1] = Field(description="1 up, -1 down")


class ReportIn(Schema):
    place: Text = Field(..., max_length=MAX_TEXT, description="Where it happened")
    audience: Text = Field(..., max_length=MAX_TEXT, description="Whom you talked to")
    said: Text = Field(..., max_length=MAX_TEXT, description="What was said")
    product: Text = Field(..., max_length=MAX_SLUG, description="A product line's slug")
    happened_on: date = Field(description="The day (YYYY-MM-DD); not in the future")


class ReasonIn(ObjectIn):
    reason: Text = Field("", max_length=MAX_TEXT, description="Required when rejecting")


class ReportListParams(Schema):
    state: Decided = ""
    everyone: bool = Field(False, description="Everyone's reports (staff only); else your own")
    page: int = Field(1, ge=1, le=MAX_PAGE)


class FlagIn(ObjectIn):
    reason: FlagReason = Field(
        description="spam, rude (rude or abusive), off_topic, other (say what in `note`)"
    )
    note: Text = Field(
        "", max_length=MAX_TEXT, description="What moderators should know; needed for other"
    )


class ReviewParams(Schema):
    tab: ReviewTab = Field(
        "flagged",
        description="flagged (open flags, most first, then hidden posts), held (waiting "
        "for approval), spam (held because they look like spam)",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"{PER_PAGE} posts a page")


class ReviewIn(ObjectIn):
    action: Text = Field(
        ...,
        max_length=MAX_SLUG,
        description="approve (a held post), hide (a public one), keep (a hidden or flagged "
        "one: its flags are declined), remove, remove_spam; the review page's list",
    )
    reason: Text = Field("", max_length=MAX_TEXT, description="For the log")


class ResolveIn(ObjectIn):
    helpful: StrictBool = Field(description="true: the flagger was right (earns points)")
    reason: Text = Field("", max_length=MAX_TEXT, description="For the log")


class SuspendIn(ObjectIn):
    days: StrictInt = Field(description="1 to 3650")
    reason: Text = Field(..., max_length=MAX_TEXT, description="The member sees it")


class AdjustIn(ObjectIn):
    points: StrictInt = Field(description="Points to add (negative: to take), 1 to 10,000")
    note: Text = Field(..., max_length=MAX_TEXT, description="Why; shown on the ledger")


class AdjustedOut(Schema):
    username: str
    points: int = Field(description="The member's points after the correction")
    level: int


class EndAmbassadorIn(ObjectIn):
    reason: Text = Field(..., max_length=MAX_TEXT, description="For the log")


class LiftIn(ObjectIn):
    reason: Text = Field("", max_length=MAX_TEXT, description="For the log")


class ApplicationIn(ObjectIn):
    motivation: Text = Field(
        ...,
        max_length=MAX_TEXT,
        description="Why you want to be an ambassador: where you talk about the products, "
        "and with whom (30 to 3,000 characters)",
    )


class ApplicationListParams(Schema):
    state: Decided = ""
    everyone: bool = Field(False, description="Everyone's applications (staff only); else yours")
    page: int = Field(1, ge=1, le=MAX_PAGE)


class AnswerEditIn(ObjectIn):
    """What to change; a field not sent stays as it is."""

    body: Text | None = Field(None, max_length=MAX_TEXT, description="Markdown")
    note: Text = Field("", max_length=MAX_EDIT_NOTE, description="What changed, for the history")


class QuestionEditIn(AnswerEditIn):
    title: Text | None = Field(None, max_length=MAX_TEXT)
    category: Text | None = Field(None, max_length=MAX_SLUG, description="A product line's slug")
    tags: list[Annotated[Text, Field(max_length=MAX_SLUG)]] | None = Field(
        None, max_length=MAX_TAGS_SENT, description="At most 5 tag names; [] clears them"
    )


# --- answers ------------------------------------------------------------------------------


class CategoryOut(Schema):
    slug: str
    name: str
    description: str


class TagOut(Schema):
    slug: str
    name: str


class LevelOut(Schema):
    number: int
    name: str
    threshold: int


class WriterOut(Schema):
    username: str | None = Field(description="null for a deleted account")
    points: int | None
    staff: bool = Field(description="Runs the community for the company")


class QuestionOut(Schema):
    id: int
    title: str
    url: str
    category: CategoryOut
    tags: list[TagOut]
    author: WriterOut
    score: int
    answers: int = Field(description="Published answers")
    views: int
    solved: bool = Field(description="An answer is accepted")
    accepted_answer_id: int | None
    state: PostState
    created_at: datetime
    last_activity_at: datetime


class QuestionPage(Schema):
    count: int
    page: int
    pages: int
    next_page: int | None = Field(description="The next page; null at the end")
    items: list[QuestionOut]


class CommentOut(Schema):
    id: int
    question_id: int | None = Field(description="Under the question, or")
    answer_id: int | None = Field(description="under this answer")
    author: WriterOut
    body: str
    body_html: str = Field(description="Sanitised rendering")
    state: PostState
    held_for: list[str]
    created_at: datetime
    url: str


class AnswerOut(Schema):
    id: int
    question_id: int
    author: WriterOut
    body: str = Field(description="Markdown as written")
    body_html: str = Field(description="Sanitised rendering")
    score: int
    accepted: bool
    official: bool = Field(description="The company's answer, marked by staff")
    state: PostState
    held_for: list[str] = Field(description="Why it waits for a moderator")
    my_vote: int | None = Field(description="1, -1 or 0 for the token's user; null anonymous")
    created_at: datetime
    updated_at: datetime
    url: str
    comments: list[CommentOut]


class QuestionDetailOut(QuestionOut):
    body: str = Field(description="Markdown as written")
    body_html: str = Field(description="Sanitised rendering")
    held_for: list[str]
    my_vote: int | None
    comments: list[CommentOut]
    answer_list: list[AnswerOut] = Field(description="Official first, then accepted, then by score")


class SimilarOut(Schema):
    id: int
    title: str
    url: str
    solved: bool
    answers: int
    score: float = Field(description="0 to 1")


class ScoreOut(Schema):
    post: Literal["question", "answer"]
    id: int
    score: int
    my_vote: int = Field(description="1, -1, or 0 when none")


class AcceptOut(Schema):
    question_id: int
    accepted_answer_id: int | None


class OfficialOut(Schema):
    answer_id: int
    official: bool


class BadgeOut(Schema):
    slug: str
    name: str
    description: str
    tier: Literal["bronze", "silver", "gold"]
    awarded_at: datetime


class MemberOut(Schema):
    username: str
    url: str
    points: int
    level: LevelOut | None
    next_level: LevelOut | None = Field(description="null at the top")
    privileges: list[str]
    questions: int
    answers: int
    accepted_answers: int
    ambassador: bool
    suspended: bool | None = Field(description="Only for the member themself and staff")
    joined_at: datetime
    badges: list[BadgeOut]


class LedgerLineOut(Schema):
    id: int
    kind: str
    label: str
    points: int = Field(description="What was credited, after the daily cap")
    rule_points: int = Field(description="What the rule gave before the cap")
    reverses: int | None = Field(description="The line this reversal cancels")
    question_id: int | None
    answer_id: int | None
    note: str = Field(
        description="Staff adjustments' notes for everyone; every note for the member and staff"
    )
    created_at: datetime


class LedgerPage(Schema):
    count: int
    page: int
    pages: int
    next_page: int | None
    points: int = Field(description="The sum of every line")
    items: list[LedgerLineOut]


class StandingOut(Schema):
    rank: int
    username: str
    points: int
    level: int


class MyRankOut(Schema):
    rank: int
    points: int


class LeaderboardOut(Schema):
    period: Period
    since: datetime | None = Field(description="null for all time")
    top: list[StandingOut]
    me: MyRankOut | None = Field(description="The token's user's rank; null if unranked")


class ReportOut(Schema):
    id: int
    ambassador: str | None
    place: str
    audience: str
    said: str
    product: CategoryOut | None
    happened_on: date
    photo_url: str | None
    state: ReportState
    reason: str = Field(description="Staff's reason when rejected or withdrawn")
    decided_at: datetime | None
    created_at: datetime
    url: str | None = Field(description="Its public page, once approved")


class ReportPage(Schema):
    count: int
    page: int
    pages: int
    next_page: int | None
    items: list[ReportOut]


class FlagOut(Schema):
    id: int
    post: PostKind
    post_id: int
    reason: FlagReason
    note: str
    flagger: str | None = Field(description="null for a deleted account")
    outcome: FlagOutcome
    created_at: datetime
    resolved_at: datetime | None


class FlaggedOut(FlagOut):
    post_state: PostState = Field(description="hidden when enough trusted flags are open")


class ReviewItemOut(Schema):
    kind: PostKind
    id: int
    label: str = Field(description='The post as the log names it: "answer:7"')
    title: str = Field(description="A question's title; what an answer answers; Comment")
    body: str
    state: PostState
    held_for: list[str] = Field(description="Why it waits for a moderator")
    author: WriterOut
    question_id: int = Field(description="The thread it is in")
    url: str | None = Field(description="Its place in the thread, when the thread shows it")
    created_at: datetime
    flags: list[FlagOut] = Field(description="Its open flags, oldest first")


class ReviewCounts(Schema):
    flagged: int
    held: int
    spam: int


class ReviewPage(Schema):
    tab: ReviewTab
    counts: ReviewCounts = Field(description="Posts in each tab (at most 300 each)")
    actions: list[str] = Field(description="What POST /community/review/{kind}/{id} takes")
    count: int
    page: int
    pages: int
    next_page: int | None
    items: list[ReviewItemOut]


class ReviewedOut(Schema):
    kind: PostKind
    id: int
    action: str
    state: PostState = Field(description="The post's state after the action")
    open_flags: int


class LogLineOut(Schema):
    id: int
    actor: str | None = Field(description="null when the flags decided (a post hidden)")
    action: str
    target: str = Field(description='"question:12", "user:7", "application:3" ...')
    summary: str
    reason: str
    created_at: datetime


class LogPage(Schema):
    count: int
    page: int
    pages: int
    next_page: int | None
    items: list[LogLineOut]


class SuspensionOut(Schema):
    username: str
    suspended: bool
    suspended_until: datetime | None
    reason: str


class SuspensionList(Schema):
    items: list[SuspensionOut] = Field(description="Members suspended now, soonest back first")


class ApplicationOut(Schema):
    id: int
    member: str | None = Field(description="null for a deleted account")
    points: int
    motivation: str
    state: ReportState
    reason: str = Field(description="Staff's reason, when rejected")
    decided_at: datetime | None
    created_at: datetime


class ApplicationPage(Schema):
    count: int
    page: int
    pages: int
    next_page: int | None
    items: list[ApplicationOut]
