"""A question page's answers and comments as HTML, built in Python.

Like the blog's thread (blog/thread_html.py): Django's template engine costs about a
millisecond per item once each has a dozen variables, filters and conditions, and a
question with 200 answers, each with its vote buttons, comments and forms, would take a
few hundred. Here the answers come from one `values` query, their comments from a second
and the reader's votes from a third, and each answer is one f-string over values escaped
with html.escape (bodies are stored already sanitised by nh3).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Answer, Comment, Flag, Question, State
from .permissions import MANAGE

_PK = 987_654_321
WAITING = '<p class="held">Waiting for a moderator: only you and moderators see this.</p>'
STAFF = ' <span class="badge">staff</span>'
HELD = '<p class="held">Held for moderation ({}): only its writer and moderators see this.</p>'


@cache
def url_pattern(name: str) -> str:
    """The URL of a view taking one id, with "{}" where the id goes (and "PLACE" where
    the flag view's kind goes)."""
    args = ["PLACE", _PK] if name == "community:flag" else [_PK]
    return reverse(name, args=args).replace(str(_PK), "{}")


@cache
def review_act_url() -> str:
    return reverse("community:review_act")


@cache
def profile_pattern() -> str:
    return reverse("community:profile", args=["PLACE"]).replace("PLACE", "{}")


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads the page and what they may do on it."""

    user_id: int | None  # None: not signed in
    staff: bool  # runs the community (accepts, marks official)
    moderator: bool  # staff, or a member whose level moderates: sees held posts
    edit_all: bool  # may edit anyone's posts
    may_accept: bool  # asked the question, or staff
    csrf_token: str
    votes: dict[str, int]  # {"answer-9": 1}, the reader's votes


MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _when(moment) -> str:
    # by hand: strftime and isoformat are a fifth of the page's rendering time
    m = moment
    return (
        f'<time datetime="{m.year:04}-{m.month:02}-{m.day:02}T{m.hour:02}:{m.minute:02}:'
        f'{m.second:02}Z">{m.day} {MONTHS[m.month]} {m.year} {m.hour:02}:{m.minute:02}</time>'
    )


@lru_cache(maxsize=4096)
def _who_link(username: str) -> str:
    href = profile_pattern().format(quote(username, safe=""))
    return f'<a class="who" href="{href}">{escape(username)}</a>'


def _who(username: str | None, points: int | None = None) -> str:
    if username is None:
        return '<span class="who">(deleted user)</span>'
    if points is None:
        return _who_link(username)
    return f'{_who_link(username)} <span class="rep" title="reputation">{points:,}</span>'


def vote_box(kind: str, pk: int, score: int, reader: Reader, own: bool, action: str) -> str:
    """The up/down buttons around the score, as a form that works without JavaScript."""
    mine = reader.votes.get(f"{kind}-{pk}", 0)
    disabled = " disabled" if own else ""
    what = "question" if kind == "question" else "answer"
    return (
        f'<form class="vote" method="post" action="{action}" data-post="{kind}-{pk}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{reader.csrf_token}">'
        f'<button type="submit" name="value" value="up" class="up{" on" if mine == 1 else ""}"'
        f' aria-pressed="{"true" if mine == 1 else "false"}"{disabled}'
        f' title="This {what} is useful" aria-label="Vote up">▲</button>'
        f'<strong class="score" aria-label="score">{score}</strong>'
        f'<button type="submit" name="value" value="down" '
        f'class="down{" on" if mine == -1 else ""}"'
        f' aria-pressed="{"true" if mine == -1 else "false"}"{disabled}'
        f' title="This {what} is not useful" aria-label="Vote down">▼</button></form>'
    )


def comment_items(rows, reader: Reader) -> str:
    parts = []
    for c in rows:
        pk = int(c["id"])
        held = c["state"] != State.PUBLISHED
        parts.append(
            f'<li id="comment-{pk}" class="comment{" held" if held else ""}">'
            f'{c["body_html"]}<p class="meta">{_who(c["author__username"])} · '
            f'<a href="#comment-{pk}">{_when(c["created_at"])}</a>'
            f"{' · waiting for a moderator' if held else ''}</p>"
            f"{'' if held else flag_form('comment', pk, reader, c['author_id'] == reader.user_id)}"
            "</li>"
        )
    return "".join(parts)


@cache
def _flag_reasons() -> str:
    options = "".join(
        f'<option value="{value}">{escape(str(label))}</option>'
        for value, label in Flag.Reason.choices
    )
    return f'<select name="reason" aria-label="Why" required>{options}</select>'


def flag_form(kind: str, pk: int, reader: Reader, own: bool) -> str:
    """The flag button (moderation_views.flag): signed-in readers, others' posts."""
    if reader.user_id is None or own:
        return ""
    action = url_pattern("community:flag").replace("PLACE", kind).format(pk)
    return (
        '<details class="flag-post"><summary>Flag</summary>'
        f'<form method="post" action="{action}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{reader.csrf_token}">'
        f"{_flag_reasons()}"
        '<input name="note" maxlength="500" placeholder="A note for moderators" '
        'aria-label="Note">'
        '<button type="submit">Send the flag</button></form></details>'
    )


def hide_form(kind: str, pk: int, reader: Reader, own: bool, back: str) -> str:
    """A moderator's Hide button (moderation_views.act), back to this post afterwards."""
    if not reader.moderator or own:
        return ""
    return (
        f'<form class="inline" method="post" action="{review_act_url()}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{reader.csrf_token}">'
        f'<input type="hidden" name="next" value="{back}">'
        f'<button type="submit" name="one" value="hide|{kind}:{pk}" class="hide">Hide</button>'
        "</form>"
    )


def comment_form(action: str, reader: Reader, open_for_comments: bool) -> str:
    if reader.user_id is None or not open_for_comments:
        return ""
    return (
        '<details class="add-comment"><summary>Add a comment</summary>'
        f'<form method="post" action="{action}" class="comment-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{reader.csrf_token}">'
        '<input name="body" maxlength="600" minlength="2" required aria-label="Comment" '
        'placeholder="Ask for details or suggest an improvement">'
        '<button type="submit">Comment</button></form></details>'
    )


def visible_comments(question: Question, reader: Reader) -> dict[str, list[dict]]:
    """The comments under the question ("question") and under each answer ("answer-9"):
    published ones, and held ones to their writer and moderators; one query."""
    shown = Q(state=State.PUBLISHED)
    if reader.moderator:
        shown |= Q(state=State.HELD)
    elif reader.user_id is not None:
        shown |= Q(state=State.HELD, author_id=reader.user_id)
    rows = (
        Comment.objects.filter(Q(question_id=question.pk) | Q(answer__question_id=question.pk))
        .filter(shown)
        .order_by("created_at", "id")
        .values(
            "id", "answer_id", "body_html", "state", "created_at", "author_id", "author__username"
        )
    )
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[f"answer-{row['answer_id']}" if row["answer_id"] else "question"].append(row)
    return grouped


ANSWER_FIELDS = (
    "id",
    "body_html",
    "score",
    "state",
    "is_accepted",
    "is_official",
    "created_at",
    "updated_at",
    "author_id",
    "author__username",
    "author__member__points",
)


def answer_rows(question: Question, reader: Reader) -> list[dict]:
    """The answers shown, in order: official, accepted, then by score and age; held ones
    only to their writer and moderators (with why they are held)."""
    shown = Q(state=State.PUBLISHED)
    if reader.moderator:
        shown |= Q(state=State.HELD)
    elif reader.user_id is not None:
        shown |= Q(state=State.HELD, author_id=reader.user_id)
    rows = [
        dict(zip(ANSWER_FIELDS, row, strict=True))
        for row in Answer.objects.filter(question_id=question.pk)
        .filter(shown)
        .order_by("-is_official", "-is_accepted", "-score", "created_at", "id")
        .values_list(*ANSWER_FIELDS)
    ]
    held = [row["id"] for row in rows if row["state"] != State.PUBLISHED]
    reasons = dict(Answer.objects.filter(pk__in=held).values_list("id", "held_for")) if held else {}
    for row in rows:
        row["held_for"] = reasons.get(row["id"], ())
    return rows


def staff_among(user_ids) -> set[int]:
    """Which of these users run the community (permission manage_community by role, by
    direct grant or as superusers), in one query, for the "staff" mark on their posts."""
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return set()
    granted = Q(codename=MANAGE, content_type__app_label="accounts")
    permission = Permission.objects.filter(granted).values("pk")
    return set(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def render_answers(
    question: Question, answers: list[dict], comments: dict[str, list[dict]], reader: Reader
) -> SafeString:
    vote_url = url_pattern("community:answer-vote")
    comment_url = url_pattern("community:answer-comment")
    accept_url = url_pattern("community:answer-accept")
    official_url = url_pattern("community:answer-official")
    edit_url = url_pattern("community:answer-edit")
    writers: dict[tuple, str] = {}
    staff_ids = staff_among(a["author_id"] for a in answers)
    token = reader.csrf_token
    hidden = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    open_question = question.state == State.PUBLISHED
    thread = escape(question.get_absolute_url())
    parts = []
    for a in answers:
        pk = int(a["id"])
        published = a["state"] == State.PUBLISHED
        own = reader.user_id is not None and a["author_id"] == reader.user_id
        classes = "answer"
        flags = ""
        if a["is_official"]:
            classes += " official"
            flags += '<span class="flag official">Official answer</span>'
        if a["is_accepted"]:
            classes += " accepted"
            flags += '<span class="flag accepted">✓ Accepted answer</span>'
        held = ""
        if not published:
            classes += " held"
            held = WAITING if own else HELD.format(escape(", ".join(a["held_for"] or [])))
        actions = []
        if published and open_question and reader.may_accept:
            if a["is_accepted"]:
                actions.append(
                    f'<form class="inline" method="post" action="{accept_url.format(pk)}">'
                    f'{hidden}<button type="submit" name="action" value="unaccept">'
                    "Take the acceptance back</button></form>"
                )
            else:
                actions.append(
                    f'<form class="inline" method="post" action="{accept_url.format(pk)}">'
                    f'{hidden}<button type="submit" name="action" value="accept" class="accept">'
                    "Accept this answer</button></form>"
                )
        if reader.staff and (published or a["is_official"]):
            value, label = ("unmark", "Not official") if a["is_official"] else ("mark", "Official")
            actions.append(
                f'<form class="inline" method="post" action="{official_url.format(pk)}">'
                f'{hidden}<button type="submit" name="action" value="{value}">'
                f"{label}</button></form>"
            )
        if reader.user_id is not None and (own or reader.edit_all):
            actions.append(f'<a href="{edit_url.format(pk)}">Edit</a>')
        if published:
            actions.append(flag_form("answer", pk, reader, own))
            actions.append(hide_form("answer", pk, reader, own, f"{thread}#answer-{pk}"))
        edited = ""
        if a["updated_at"] > a["created_at"]:
            edited = f' · <a href="{edit_url.format(pk)}#history">edited</a>'
        answer_comments = comments.get(f"answer-{pk}", ())
        who = (a["author__username"], a["author__member__points"])
        writer = writers.get(who)
        if writer is None:
            writer = _who(*who) + (STAFF if a["author_id"] in staff_ids else "")
            writers[who] = writer
        parts.append(
            f'<article id="answer-{pk}" class="{classes}">'
            f"{vote_box('answer', pk, a['score'], reader, own, vote_url.format(pk))}"
            f'<div class="post">{flags}{held}<div class="body">{a["body_html"]}</div>'
            f'<p class="meta">answered by {writer}'
            f' · <a href="#answer-{pk}">{_when(a["created_at"])}</a>{edited}</p>'
            f'<div class="actions">{" ".join(actions)}</div>'
            f'<ol class="comments">{comment_items(answer_comments, reader)}</ol>'
            f"{comment_form(comment_url.format(pk), reader, published and open_question)}"
            "</div></article>\n"
        )
    return mark_safe("".join(parts))


def render_question_parts(
    question: Question, comments: dict[str, list[dict]], reader: Reader
) -> dict[str, SafeString]:
    """The question's own vote box, comments and comment form."""
    own = reader.user_id is not None and question.author_id == reader.user_id
    pk = question.pk
    return {
        "vote_box": mark_safe(
            vote_box(
                "question",
                pk,
                question.score,
                reader,
                own,
                url_pattern("community:question-vote").format(pk),
            )
        ),
        "comments": mark_safe(comment_items(comments.get("question", ()), reader)),
        "flag_form": mark_safe(
            flag_form("question", pk, reader, own) if question.state == State.PUBLISHED else ""
        ),
        "hide_form": mark_safe(
            hide_form("question", pk, reader, own, escape(question.get_absolute_url()))
            if question.state == State.PUBLISHED
            else ""
        ),
        "comment_form": mark_safe(
            comment_form(
                url_pattern("community:question-comment").format(pk),
                reader,
                question.state == State.PUBLISHED,
            )
        ),
    }
