"""The community's question and answer pages: the searchable list, asking (with similar
questions first), a question with its answers, and the forms that vote, answer, comment,
accept, mark official and edit. Anyone reads; each form parses the request and calls an
action (actions/), whose CommunityError says in words why something cannot be done."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .actions.answers import accept_answer, mark_official, unaccept_answer
from .actions.moderation import is_moderator
from .actions.posts import answer_question, ask_question, comment_on, edit_post, may_edit
from .actions.votes import user_votes, vote, votes_in_thread
from .errors import CommunityError
from .listing import SORTS, STATES, QuestionFilter, filtered_questions, tags_of
from .models import Answer, Category, Level, Question, Revision, State, Tag
from .permissions import can_manage
from .process_cache import ProcessCache
from .qa_forms import AnswerForm, CommentForm, EditForm, FilterForm, QuestionForm
from .question_html import (
    Reader,
    answer_rows,
    render_answers,
    render_question_parts,
    visible_comments,
)
from .reader import privileges_of
from .similar import similar_questions
from .view_counts import count_view

PER_PAGE = 20
MAX_SIMILAR_DRAFT = 5_000
VOTES = {"up": 1, "down": -1}
RELATED_FOR = 600
_related = ProcessCache(10_000, RELATED_FOR)


def index(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    question_filter = QuestionFilter()
    if form.is_valid():
        data = form.cleaned_data
        question_filter = QuestionFilter(
            text=data["q"],
            category=data["category"],
            tag=data["tag"],
            answered=data["answered"],
            sort=data["sort"] or "active",
        )
    page = Paginator(filtered_questions(question_filter), PER_PAGE).get_page(
        request.GET.get("page")
    )
    questions = list(page)
    tags = tags_of([q.pk for q in questions])
    for q in questions:
        q.tag_list = tags[q.pk]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "questions": questions,
        "sorts": SORTS,
        "states": STATES,
        "filter": question_filter,
        "errors": question_filter.errors,
        "querystring": query.urlencode(),
        "categories": Category.objects.all(),
    }
    status = 400 if form.errors or question_filter.errors else 200
    return render(request, "community/index.html", context, status=status)


def categories(request: HttpRequest) -> HttpResponse:
    rows = Category.objects.annotate(
        total=Count("questions", filter=Q(questions__state=State.PUBLISHED)),
        unanswered=Count(
            "questions",
            filter=Q(questions__state=State.PUBLISHED, questions__answer_count=0),
        ),
    )
    return render(request, "community/categories.html", {"categories": rows})


def tags(request: HttpRequest) -> HttpResponse:
    rows = (
        Tag.objects.annotate(total=Count("questions", filter=Q(questions__state=State.PUBLISHED)))
        .filter(total__gt=0)
        .order_by("-total", "name")[:200]
    )
    return render(request, "community/tags.html", {"tags": rows})


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST with action=check: the similar questions, nothing posted yet.
    POST otherwise: the question is asked."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("community:ask"))
    initial = {}
    if category := Category.objects.filter(slug=request.GET.get("category", "")).first():
        initial["category"] = category
    form = QuestionForm(request.POST or None, initial=initial)
    similar = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "check":
            similar = similar_questions(data["title"], data["body"])
        else:
            try:
                question = ask_question(
                    request.user,
                    title=data["title"],
                    body=data["body"],
                    category=data["category"],
                    tags=data["tags"],
                )
            except CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                if question.is_live:
                    messages.success(request, "Thank you, your question is published.")
                else:
                    messages.info(request, "Thank you. Your question waits for a moderator.")
                return redirect(question.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "community/ask.html", {"form": form, "similar": similar}, status=status)


@require_GET
def similar(request: HttpRequest) -> JsonResponse:
    """Questions like the draft in ?title=&body=, for the ask form to show before posting."""
    title = request.GET.get("title", "")[:MAX_SIMILAR_DRAFT]
    body = request.GET.get("body", "")[:MAX_SIMILAR_DRAFT]
    matches = []
    for s in similar_questions(title, body):
        answers, solved = s.question.answer_count, s.question.accepted_answer_id is not None
        matches.append(
            {
                "id": s.question.pk,
                "title": s.question.title,
                "url": s.question.get_absolute_url(),
                "answers": answers,
                "solved": solved,
                "score": s.score,
                "note": ("solved · " if solved else "")
                + f"{answers} answer{'' if answers == 1 else 's'}",
            }
        )
    return JsonResponse({"matches": matches})


def may_moderate(request: HttpRequest) -> bool:
    """Staff, or a member whose level holds `moderate` and who is not suspended; the
    privileges are read once per request, the suspension only for those who hold it."""
    return Level.Privilege.MODERATE in privileges_of(request) and is_moderator(request.user)


def visible_question(request: HttpRequest, question_id: int) -> Question:
    """The question if this reader may see it: published ones for everyone; held or hidden
    ones for their writer and moderators; removed ones for staff only."""
    found = get_object_or_404(
        Question.objects.select_related("category", "author", "author__member"), pk=question_id
    )
    user = request.user
    if found.state == State.PUBLISHED:
        return found
    if found.state == State.REMOVED:
        if can_manage(user):
            return found
    elif (user.is_authenticated and found.author_id == user.pk) or may_moderate(request):
        return found
    raise Http404("No such question.")


def _count_view(request: HttpRequest, question: Question) -> None:
    user = request.user
    reader = f"user:{user.pk}" if user.is_authenticated else request.META.get("REMOTE_ADDR", "")
    count_view(question, reader)


def question(
    request: HttpRequest,
    question_id: int,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = visible_question(request, question_id)
    if request.method == "GET":
        _count_view(request, shown)
    user = request.user
    signed_in = user.is_authenticated
    staff = can_manage(user)
    edit_all = staff or Level.Privilege.EDIT_OTHERS in privileges_of(request)
    reader_base = Reader(
        user_id=user.pk if signed_in else None,
        staff=staff,
        moderator=staff or may_moderate(request),
        edit_all=edit_all,
        may_accept=signed_in and (staff or shown.author_id == user.pk),
        csrf_token=get_token(request),
        votes={},
    )
    answers = answer_rows(shown, reader_base)
    votes = votes_in_thread(user, shown.pk)
    reader = replace(reader_base, votes=votes)
    comments = visible_comments(shown, reader)
    published_answers = sum(1 for a in answers if a["state"] == State.PUBLISHED)
    context = {
        "question": shown,
        "tags": shown.tags.all(),
        "parts": render_question_parts(shown, comments, reader),
        "answers_html": render_answers(shown, answers, comments, reader),
        "answer_total": published_answers,
        "answer_form": answer_form or AnswerForm(),
        "may_edit": signed_in and (shown.author_id == user.pk or edit_all),
        "own": signed_in and shown.author_id == user.pk,
        "related": related_questions(shown) if shown.state == State.PUBLISHED else [],
        "asker_points": getattr(getattr(shown.author, "member", None), "points", 0),
    }
    return render(request, "community/question.html", context, status=status)


def related_questions(shown: Question) -> list[dict]:
    """The questions most like this one, remembered for RELATED_FOR seconds per version of
    its text: they change slowly, and finding them is a tenth of the page's time."""
    key = (shown.pk, shown.updated_at)
    found = _related.get(key)
    if found is None:
        found = [
            {
                "title": s.question.title,
                "url": s.question.get_absolute_url(),
                "answers": s.question.answer_count,
                "solved": s.question.accepted_answer_id is not None,
            }
            for s in similar_questions(shown.title, shown.body, exclude=shown.pk, limit=5)
        ]
        _related.set(key, found)
    return found


# -- forms that change something ------------------------------------------------------


def _signed_in_or_login(request: HttpRequest, then: str) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(then)
    return None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _voted(request: HttpRequest, post: Question | Answer, then: str) -> HttpResponse:
    value = VOTES.get(request.POST.get("value", ""))
    try:
        if value is None:
            raise CommunityError("A vote is up or down.")
        score = vote(post, request.user, value)
    except CommunityError as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect(then)
    if _wants_json(request):
        kind = "question" if isinstance(post, Question) else "answer"
        mine = user_votes(request.user, **{f"{kind}s": [post.pk]}).get(f"{kind}-{post.pk}", 0)
        return JsonResponse({"score": score, "mine": mine})
    return redirect(then)


@require_POST
def question_vote(request: HttpRequest, question_id: int) -> HttpResponse:
    shown = visible_question(request, question_id)
    then = shown.get_absolute_url()
    return _signed_in_or_login(request, then) or _voted(request, shown, then)


def _visible_answer(request: HttpRequest, answer_id: int) -> Answer:
    found = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    visible_question(request, found.question_id)
    user = request.user
    if found.state == State.PUBLISHED:
        return found
    if found.state == State.REMOVED:
        if can_manage(user):
            return found
    elif (user.is_authenticated and found.author_id == user.pk) or may_moderate(request):
        return found
    raise Http404("No such answer.")


@require_POST
def answer_vote(request: HttpRequest, answer_id: int) -> HttpResponse:
    found = _visible_answer(request, answer_id)
    then = found.get_absolute_url()
    return _signed_in_or_login(request, then) or _voted(request, found, then)


@require_POST
def answer_post(request: HttpRequest, question_id: int) -> HttpResponse:
    shown = visible_question(request, question_id)
    if login := _signed_in_or_login(request, f"{shown.get_absolute_url()}#your-answer"):
        return login
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return question(request, question_id, answer_form=form, status=400)
    try:
        answer = answer_question(shown, request.user, form.cleaned_data["body"])
    except CommunityError as exc:
        form.add_error(None, str(exc))
        return question(request, question_id, answer_form=form, status=400)
    if answer.state == State.PUBLISHED:
        messages.success(request, "Thank you, your answer is published.")
    else:
        messages.info(request, "Thank you. Your answer waits for a moderator.")
    return redirect(answer.get_absolute_url())


def _commented(request: HttpRequest, then: str, **target) -> HttpResponse:
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"The comment: {' '.join(errors)}")
        return redirect(then)
    try:
        comment = comment_on(request.user, form.cleaned_data["body"], **target)
    except CommunityError as exc:
        messages.error(request, str(exc))
        return redirect(then)
    if comment.state != State.PUBLISHED:
        messages.info(request, "Thank you. Your comment waits for a moderator.")
    return redirect(comment.get_absolute_url())


@require_POST
def question_comment(request: HttpRequest, question_id: int) -> HttpResponse:
    shown = visible_question(request, question_id)
    then = shown.get_absolute_url()
    return _signed_in_or_login(request, then) or _commented(request, then, question=shown)


@require_POST
def answer_comment(request: HttpRequest, answer_id: int) -> HttpResponse:
    found = _visible_answer(request, answer_id)
    then = found.get_absolute_url()
    return _signed_in_or_login(request, then) or _commented(request, then, answer=found)


@require_POST
def answer_accept(request: HttpRequest, answer_id: int) -> HttpResponse:
    found = _visible_answer(request, answer_id)
    then = found.get_absolute_url()
    if login := _signed_in_or_login(request, then):
        return login
    try:
        if request.POST.get("action") == "unaccept":
            if found.is_accepted:
                unaccept_answer(found.question, request.user)
                messages.success(request, "The answer is no longer accepted.")
        else:
            accept_answer(found, request.user)
            messages.success(request, "Accepted: the answer is shown first, its writer thanked.")
    except CommunityError as exc:
        messages.error(request, str(exc))
    return redirect(then)


@require_POST
def answer_official(request: HttpRequest, answer_id: int) -> HttpResponse:
    found = _visible_answer(request, answer_id)
    then = found.get_absolute_url()
    if login := _signed_in_or_login(request, then):
        return login
    try:
        mark_official(found, request.user, official=request.POST.get("action") != "unmark")
    except CommunityError as exc:
        messages.error(request, str(exc))
    return redirect(then)


def _edit(request: HttpRequest, post: Question | Answer) -> HttpResponse:
    then = post.get_absolute_url()
    if login := _signed_in_or_login(request, request.get_full_path()):
        return login
    if not may_edit(request.user, post):
        messages.error(
            request, "You can edit your own posts; editing others' needs a higher level."
        )
        return redirect(then)
    is_question = isinstance(post, Question)
    initial = {"body": post.body}
    if is_question:
        initial.update(
            title=post.title,
            category=post.category,
            tags=", ".join(post.tags.order_by("name").values_list("name", flat=True)),
        )
    form = EditForm(request.POST or None, initial=initial, with_title=is_question)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edit_post(
                post,
                request.user,
                body=data["body"],
                title=data.get("title"),
                note=data["note"],
                category=data.get("category"),
                tags=data.get("tags") if is_question else None,
            )
        except CommunityError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your edit is saved; the earlier text is in the history.")
            return redirect(then)
    revisions = Revision.objects.filter(**{"question" if is_question else "answer": post})
    context = {
        "post": post,
        "is_question": is_question,
        "question": post if is_question else post.question,
        "form": form,
        "revisions": revisions.select_related("editor"),
    }
    return render(request, "community/edit.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    return _edit(request, visible_question(request, question_id))


@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, answer_id: int) -> HttpResponse:
    return _edit(request, _visible_answer(request, answer_id))
