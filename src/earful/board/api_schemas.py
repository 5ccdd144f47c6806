"""Shapes of the ideas board's API (see api.py): they become the OpenAPI document.

Content limits (title, description, comment, note lengths, null characters) are the
actions' own and answered with 400 and their message, so one rule holds for the pages and
the API; the schemas here only bound what a query string may carry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from earful.river.api_schemas import MAX_ID

PER_PAGE = 20
MAX_PAGE = 500  # 10,000 ideas deep: past that, narrow the filters
MAX_QUERY = 500  # the public page's search box keeps as much
MAX_DRAFT = 10_000  # a draft's title or body for the similar ideas (the longest body)
MAX_SLUG = 60

Sort = Literal["newest", "top", "trending", "oldest"]
StatusKind = Literal["open", "active", "closed_done", "closed_declined"]
Moderation = Literal["approve", "remove"]


class BoardParams(Schema):
    """The public page's filters; every given one narrows the list, and they combine."""

    q: str = Field(
        "",
        max_length=MAX_QUERY,
        description="Words of the title or description, in the boolean query language "
        '(`"dark mode" OR theme -export`)',
    )
    status: str = Field("", max_length=MAX_SLUG, description="A status slug (GET /ideas/statuses)")
    category: str = Field(
        "", max_length=MAX_SLUG, description="A category slug (GET /ideas/categories)"
    )
    sort: Sort = Field(
        "newest",
        description="newest, top (most votes), trending (votes of the last 14 days), oldest",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"{PER_PAGE} ideas a page")


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"{PER_PAGE} items a page")


class StatusOut(Schema):
    slug: str
    name: str
    kind: StatusKind
    colour: str


class CategoryOut(Schema):
    slug: str
    name: str


class IdeaOut(Schema):
    id: int
    title: str
    url: str = Field(description="The idea's public page")
    status: StatusOut
    category: CategoryOut | None
    votes: int
    comments: int = Field(description="Published comments")
    created_at: datetime
    status_changed_at: datetime | None
    voted: bool | None = Field(description="Whether the token's user voted; null when anonymous")


class IdeaPage(Schema):
    count: int
    page: int
    pages: int
    next_page: int | None = Field(description="The next page; null at the end")
    items: list[IdeaOut]


class VoicePartOut(Schema):
    count: int
    label: str = Field(description='Where they spoke: "toots", "blog comments", …')


class VoicesOut(Schema):
    total: int = Field(description="People who raised it, once per person and channel")
    text: str = Field(description='"41 voices: 20 toots, 12 blog comments, 9 forum posts"')
    parts: list[VoicePartOut]


class QuoteOut(Schema):
    mention_id: int
    text: str = Field(description="Plain text, shortened; escape it before putting it in HTML")
    who: str
    where: str
    url: str = Field(description='The original (http or https), or ""')
    published_at: datetime
    pinned: bool = Field(description="Chosen by staff as a best quote")


class ChangeOut(Schema):
    id: int
    from_status: StatusOut | None
    to_status: StatusOut
    note: str = Field(description="Markdown as written")
    note_html: str = Field(description="Sanitised rendering of the note")
    at: datetime
    changelog_url: str | None = Field(description='Its "you said, we did" entry when done')


class MergedInOut(Schema):
    idea_id: int
    title: str = Field(description="The duplicate's title when it was merged")
    note: str
    note_html: str
    at: datetime


class CommentOut(Schema):
    id: int
    idea_id: int
    author: str | None = Field(description="User name; null for a deleted account")
    staff: bool = Field(description="Written by the company")
    body: str = Field(description="Markdown as written")
    body_html: str = Field(description="Sanitised rendering")
    status: Literal["published", "pending", "removed"]
    created_at: datetime
    url: str


class IdeaDetailOut(IdeaOut):
    body: str = Field(description="Markdown as written")
    body_html: str = Field(description="Sanitised rendering")
    author: str | None
    state: Literal["published", "held", "removed"] = Field(
        description="held: waits for a moderator (seen by its author and staff); "
        "removed: seen by staff only"
    )
    held_for: list[str]
    merged_into: int | None = Field(
        description="The idea this one was merged into: its votes, followers, comments and "
        "evidence are there; ask for that one"
    )
    following: bool | None = Field(description="Null when anonymous")
    vote_refusal: str | None = Field(description="Why it takes no votes now, or null")
    voices: VoicesOut
    quotes: list[QuoteOut]
    history: list[ChangeOut] = Field(description="Status changes, oldest first")
    merged_in: list[MergedInOut] = Field(description="Duplicates merged into it, oldest first")
    comment_list: list[CommentOut] = Field(
        description="Published comments, oldest first (at most 500); for staff also the "
        "comments held for moderation"
    )


class IdeaIn(Schema):
    title: str = Field(..., description="5 to 150 characters")
    body: str = Field("", description="Markdown, at most 10,000 characters")
    category: str | None = Field(None, max_length=MAX_SLUG, description="A category slug")


class VoteOut(Schema):
    idea_id: int
    voted: bool
    changed: bool = Field(description="False when the vote was already so (a repeated call)")
    votes: int


class FollowOut(Schema):
    idea_id: int
    following: bool
    changed: bool


class CommentIn(Schema):
    body: str = Field(..., description="Markdown subset, at most 10,000 characters")


class SimilarParams(Schema):
    title: str = Field("", max_length=MAX_DRAFT)
    body: str = Field("", max_length=MAX_DRAFT)


class SimilarOut(Schema):
    id: int
    title: str
    url: str
    status: StatusOut
    votes: int
    score: float = Field(description="0 to 1")


class RoadmapColumnOut(Schema):
    status: StatusOut
    total: int
    ideas: list[IdeaOut] = Field(description="Most votes first, at most 50")


class ChangelogIdeaOut(Schema):
    id: int
    title: str
    url: str


class ChangelogEntryOut(Schema):
    id: int
    url: str = Field(description="The entry's permalink")
    at: datetime
    status: StatusOut
    note: str
    note_html: str
    idea: ChangelogIdeaOut
    voices: VoicesOut


class ChangelogPage(Schema):
    count: int
    page: int
    pages: int
    next_page: int | None
    items: list[ChangelogEntryOut]


class StatusChangeIn(Schema):
    status: str = Field(..., max_length=MAX_SLUG, description="The new status's slug")
    note: str = Field("", description="Public Markdown note, at most 5,000 characters")


class MergeIn(Schema):
    into: int = Field(..., ge=1, le=MAX_ID, description="The surviving idea")
    note: str = Field("", description="Public Markdown note, at most 5,000 characters")


class MergeOut(Schema):
    duplicate: int
    survivor: int
    note: str
    at: datetime
    votes_moved: int
    votes_merged: int = Field(description="People who had voted on both: one vote kept")
    followers_moved: int
    comments_moved: int
    evidence_moved: int


class EvidenceOut(Schema):
    idea_id: int
    mention_id: int
    linked: bool
    changed: bool = Field(description="False when it was already so")
    voices: VoicesOut


class ModerateIn(Schema):
    action: Moderation


class NoticeOut(Schema):
    id: int
    channel: Literal["email", "thread_reply", "webmention", "by_hand"]
    recipient: str = Field(description='An address, "mention:<id>" or a URL')
    state: str = Field(description="pending, sending, sent, failed, gave_up, skipped, answered")
    label: str = Field(description='As the idea page shows it ("to do" for by-hand ones)')
    detail: str
    attempts: int
    user: str | None
    mention_id: int | None
    created_at: datetime
    sent_at: datetime | None


class NoticeGroupOut(Schema):
    change: ChangeOut
    counts: dict[str, int]
    to_do: int = Field(description="By-hand notices staff have not answered")
    unsent: int = Field(description="Notices waiting, being sent or failed (retried)")
    notices: list[NoticeOut]
