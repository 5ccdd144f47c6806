"""Questions, answers and comments: written (validated, rate limited by level, held when
a new member posts links or the text looks like spam), edited (by their writer, or by
members whose level unlocks editing others' posts, keeping the old text as a revision)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from earful.blog import comment_checks as checks
from earful.blog.markdown import render_comment, render_post

from .. import rate_limits
from ..errors import CommunityError, Conflict, NotAllowed, RateLimited
from ..models import Answer, Category, Comment, Level, Member, Question, Revision, State, Tag
from ..permissions import can_manage, is_signed_in
from ..river_link import answer_entered, comment_entered, question_entered
from .reputation import has_privilege, member_of

MIN_TITLE, MAX_TITLE = 10, 150
MIN_BODY, MAX_BODY = 20, 30_000
MAX_COMMENT = 600
MAX_TAGS = 5


def clean_text(value: str, what: str, *, minimum: int, maximum: int) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise CommunityError(f"The {what} contains a null character.")
    if len(value) < minimum:
        if not value:
            raise CommunityError(f"The {what} is empty.")
        raise CommunityError(f"The {what} is at least {minimum} characters.")
    if len(value) > maximum:
        raise CommunityError(f"The {what} is at most {maximum:,} characters.")
    return value


def may_post(user) -> Member:
    """The writer's member row, or CommunityError saying why they cannot post now."""
    if not is_signed_in(user):
        raise NotAllowed("Sign in to post.")
    member = member_of(user)
    if member.is_suspended:
        until = timezone.localtime(member.suspended_until).strftime("%Y-%m-%d %H:%M")
        raise NotAllowed(f"Your account is suspended until {until}.")
    return member


def _holds(user, text: str) -> tuple[list[str], float]:
    """Why a post waits for a moderator (empty: published at once), and its spam score."""
    score = checks.spam_score(text)
    if can_manage(user):
        return [], score
    if not rate_limits.take_post(user):
        raise RateLimited(
            "You have posted a lot in the last hour; your level allows "
            f"{rate_limits.posts_per_hour(user)} posts an hour. Please wait a while."
        )
    held = []
    if checks.is_spam(score):
        held.append(checks.SPAM)
    if checks.has_links(text) and not has_privilege(user, Level.Privilege.POST_LINKS):
        held.append("links from a new member")
    return held, score


def _tags(names) -> list[Tag]:
    names = [" ".join(str(name).split())[:40] for name in names or [] if str(name).strip()]
    if len(names) > MAX_TAGS:
        raise CommunityError(f"A question has at most {MAX_TAGS} tags.")
    tags = []
    for name in dict.fromkeys(n.lower() for n in names):
        slug = slugify(name)
        if not slug:
            raise CommunityError(f"The tag {name!r} has no letters or digits.")
        tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def ask_question(
    user, *, title: str, body: str, category: Category | None, tags=(), now=None
) -> Question:
    """A member's question: published at once, or held with the reasons."""
    may_post(user)
    title = " ".join(clean_text(title, "title", minimum=MIN_TITLE, maximum=MAX_TITLE).split())
    body = clean_text(body, "question", minimum=MIN_BODY, maximum=MAX_BODY)
    if category is None or not Category.objects.filter(pk=category.pk).exists():
        raise CommunityError("Choose the product line the question is about.")
    digest = checks.hash_of(f"{title}\n{body}")
    same = Question.objects.filter(content_hash=digest).exclude(state=State.REMOVED).first()
    if same is not None:
        raise Conflict(f"This question was already asked as #{same.pk}.")
    tag_rows = _tags(tags)
    held, score = _holds(user, f"{title}\n{body}")
    now = now or timezone.now()
    with transaction.atomic():
        question = Question.objects.create(
            title=title,
            body=body,
            body_html=render_post(body),
            author=user,
            category=category,
            state=State.HELD if held else State.PUBLISHED,
            held_for=held,
            spam_score=score,
            content_hash=digest,
            created_at=now,
            updated_at=now,
            last_activity_at=now,
        )
        question.tags.set(tag_rows)
        Member.objects.filter(user=user).update(questions=F("questions") + 1)
    if question.is_live:
        question_entered(question)
    return question


def answer_question(question: Question, user, body: str, now=None) -> Answer:
    may_post(user)
    if not question.is_live:
        raise Conflict("This question is not open for answers.")
    body = clean_text(body, "answer", minimum=MIN_BODY, maximum=MAX_BODY)
    digest = checks.hash_of(body)
    if Answer.objects.filter(question=question, content_hash=digest).exists():
        raise Conflict("This answer is already on the question.")
    held, score = _holds(user, body)
    now = now or timezone.now()
    with transaction.atomic():
        answer = Answer.objects.create(
            question=question,
            body=body,
            body_html=render_post(body),
            author=user,
            state=State.HELD if held else State.PUBLISHED,
            held_for=held,
            spam_score=score,
            content_hash=digest,
            created_at=now,
            updated_at=now,
        )
        Member.objects.filter(user=user).update(answers=F("answers") + 1)
        if not held:
            answer_published(answer, now)
    if answer.state == State.PUBLISHED:
        answer_entered(answer)
    return answer


def answer_published(answer: Answer, now=None) -> None:
    """Count a newly published answer on its question (call inside the transaction)."""
    Question.objects.filter(pk=answer.question_id).update(
        answer_count=F("answer_count") + 1, last_activity_at=now or timezone.now()
    )


def comment_on(user, body: str, *, question: Question | None = None, answer=None) -> Comment:
    """A short remark under a question or an answer (exactly one)."""
    may_post(user)
    if (question is None) == (answer is None):
        raise CommunityError("A comment goes under a question or under an answer.")
    target = question or answer
    if target.state != State.PUBLISHED or (answer and not answer.question.is_live):
        raise Conflict("This post is not open for comments.")
    body = clean_text(body, "comment", minimum=2, maximum=MAX_COMMENT)
    held, _ = _holds(user, body)
    comment = Comment.objects.create(
        question=question,
        answer=answer,
        body=body,
        body_html=render_comment(body),
        author=user,
        state=State.HELD if held else State.PUBLISHED,
        held_for=held,
    )
    if comment.state == State.PUBLISHED:
        comment_entered(comment)
    return comment


def may_edit(user, post: Question | Answer) -> bool:
    if not is_signed_in(user):
        return False
    if post.author_id == user.pk or can_manage(user):
        return True
    return has_privilege(user, Level.Privilege.EDIT_OTHERS)


def _check_edit(user, before: str, after: str) -> None:
    """An edit may not slip past what posting holds: links added by a member whose level
    does not post links yet, or text that reads as spam, are refused (a new post with them
    would wait for a moderator; an edit of a published post would go live at once)."""
    if can_manage(user):
        return
    if checks.is_spam(checks.spam_score(after)):
        raise Conflict("This edit looks like spam, so it is not saved.")
    old_lines = set(before.splitlines())
    added = "\n".join(line for line in after.splitlines() if line not in old_lines)
    if checks.has_links(added) and not has_privilege(user, Level.Privilege.POST_LINKS):
        raise NotAllowed(
            "Your level cannot add links by editing yet. Post them in a new answer or "
            "comment: a moderator reviews it."
        )


def _retagging(question: Question, category: Category | None, tags) -> tuple:
    """(new category or None, new tag rows or None, words for the history) for a question's
    edit; None where nothing changes."""
    new_category = None
    if category is not None and category.pk != question.category_id:
        if not Category.objects.filter(pk=category.pk).exists():
            raise CommunityError("Choose the product line the question is about.")
        new_category = category
    tag_rows = None
    if tags is not None:
        rows = _tags(tags)
        before = sorted(question.tags.values_list("slug", flat=True))
        if sorted(tag.slug for tag in rows) != before:
            tag_rows = rows
    said = []
    if new_category is not None:
        said.append(f"product: {question.category.name} → {new_category.name}")
    if tag_rows is not None:
        old_names = ", ".join(sorted(question.tags.values_list("name", flat=True))) or "none"
        said.append(f"tags: {old_names} → {', '.join(t.name for t in tag_rows) or 'none'}")
    return new_category, tag_rows, "; ".join(said)


def edit_post(
    post: Question | Answer,
    user,
    *,
    body: str,
    title: str | None = None,
    note: str = "",
    category: Category | None = None,
    tags=None,
) -> Question | Answer:
    """Change a question's or answer's text (and a question's product and tags), keeping
    the previous text as a revision; `tags` None leaves them, [] clears them."""
    if not may_edit(user, post):
        raise NotAllowed("You can edit your own posts; editing others' needs a higher level.")
    if post.state == State.REMOVED and not can_manage(user):
        raise Conflict("This post was removed; it cannot be edited.")
    may_post(user)
    body = clean_text(body, "text", minimum=MIN_BODY, maximum=MAX_BODY)
    is_question = isinstance(post, Question)
    if is_question and title is not None:
        title = " ".join(clean_text(title, "title", minimum=MIN_TITLE, maximum=MAX_TITLE).split())
    else:
        title = post.title if is_question else ""
    new_category, tag_rows, retagged = (
        _retagging(post, category, tags) if is_question else (None, None, "")
    )
    same_text = body == post.body and (not is_question or title == post.title)
    if same_text and not retagged:
        return post
    if is_question:
        _check_edit(user, f"{post.title}\n{post.body}", f"{title}\n{body}")
    else:
        _check_edit(user, post.body, body)
    now = timezone.now()
    with transaction.atomic():
        Revision.objects.create(
            question=post if is_question else None,
            answer=None if is_question else post,
            editor=user,
            title=post.title if is_question else "",
            body=post.body,
            note="; ".join(part for part in ((note or "").strip(), retagged) if part)[:300],
        )
        post.body = body
        post.body_html = render_post(body)
        post.updated_at = now
        # the duplicate checks compare against what the post says now
        post.content_hash = checks.hash_of(f"{title}\n{body}" if is_question else body)
        fields = ["body", "body_html", "updated_at", "content_hash"]
        if is_question:
            post.title = title
            post.last_activity_at = now
            fields += ["title", "last_activity_at"]
            if new_category is not None:
                post.category = new_category
                fields.append("category")
            if tag_rows is not None:
                post.tags.set(tag_rows)
        post.save(update_fields=fields)
    if post.state == State.PUBLISHED:
        (question_entered if is_question else answer_entered)(post)
    return post
