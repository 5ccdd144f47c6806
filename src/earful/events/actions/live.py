"""Live on the day: staff post text and a photo to a stop from the venue; an update can
be cross-posted as a published blog post by the staff member's author profile.

Photos go through the blog's own upload (earful.blog.actions.photos.upload_photo: checked,
stripped of EXIF, resized), so they need the write_posts permission as every blog photo
does; the console says so when it is missing. Deleting an update also takes its
cross-post off the blog (back to a draft, nothing lost)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from earful.accounts.access import can
from earful.blog.actions.photos import PhotoError, delete_photo, upload_photo
from earful.blog.actions.posts import (
    PostError,
    make_author,
    publish_post,
    save_post,
    unpublish_post,
)
from earful.blog.markdown import render_post
from earful.blog.models import AuthorProfile, Post
from earful.blog.river_link import absolute

from ..errors import TourError
from ..models import LiveUpdate, Stop
from ..permissions import can_manage

MAX_TEXT = 5_000
EARLIEST = timedelta(hours=12)  # updates open this long before a stop starts
WRITE_POSTS = "write_posts"


def can_cross_post(user) -> bool:
    """Cross-posts and photos are blog content: they need the blog's write_posts."""
    return can(user, WRITE_POSTS)


def stops_of_today(now=None):
    """The stops staff may be posting from now: not cancelled, starting within the next
    12 hours or started and ended less than 12 hours ago, soonest first."""
    now = now or timezone.now()
    return (
        Stop.objects.filter(
            cancelled=False, starts_at__lte=now + EARLIEST, ends_at__gte=now - EARLIEST
        )
        .select_related("tour")
        .order_by("starts_at", "id")
    )


def current_stop(stops, now=None) -> Stop | None:
    """The stop that is live now, else the next to start, else the last to end."""
    now = now or timezone.now()
    stops = list(stops)
    for phase in ("live", "upcoming"):
        for stop in stops:
            if stop.phase(now) == phase:
                return stop
    return stops[-1] if stops else None


def _cross_post(update: LiveUpdate, user, title: str) -> Post:
    stop = update.stop
    author = AuthorProfile.objects.filter(user=user).first() or make_author(user)
    place = ", ".join(part for part in (stop.venue, stop.city) if part)
    title = " ".join((title or "").split()) or f"{stop.tour.title}: live from {place}"
    link = absolute(stop.get_absolute_url())
    body = f"{update.text}\n\n[Follow the tour: {stop.tour.title}]({link})"
    post = save_post(author, title[:300], body, tags=["Tour", stop.tour.title], cover=update.photo)
    return publish_post(post)


def post_live_update(
    stop: Stop,
    user,
    *,
    text: str,
    photo=None,
    photo_alt: str = "",
    cross_post: bool = False,
    post_title: str = "",
    now=None,
) -> LiveUpdate:
    """Post an update to the stop; TourError says why it is refused. Nothing is kept
    unless everything is: a photo stored before a later failure is deleted again."""
    if not can_manage(user):
        raise TourError("Only staff who manage tours can post live updates.")
    now = now or timezone.now()
    if stop.cancelled:
        raise TourError("This stop is cancelled.")
    if now < stop.starts_at - EARLIEST:
        raise TourError("This stop has not started yet: post on the day.")
    text = (text or "").strip()
    if not text:
        raise TourError("Write something: the update is empty.")
    if len(text) > MAX_TEXT or "\x00" in text:
        raise TourError(f"An update is at most {MAX_TEXT:,} characters of text.")
    if (photo is not None or cross_post) and not can_cross_post(user):
        what = "photos" if photo is not None else "blog posts"
        raise TourError(f"Your role cannot publish {what} on the blog (it needs write_posts).")
    stored = None
    if photo is not None:
        try:
            stored = upload_photo(photo, user, alt=photo_alt)
        except PhotoError as exc:
            raise TourError(f"The photo was not taken: {exc}") from exc
        except PermissionDenied as exc:  # pragma: no cover - checked above
            raise TourError(str(exc)) from exc
    try:
        with transaction.atomic():
            update = LiveUpdate.objects.create(
                stop=stop, author=user, text=text, text_html=render_post(text), photo=stored,
                created_at=now,
            )  # fmt: skip
            if cross_post:
                update.blog_post = _cross_post(update, user, post_title)
                update.save(update_fields=["blog_post"])
    except PostError as exc:
        if stored is not None:
            delete_photo(stored, user)
        raise TourError(f"The blog post was not made: {exc}") from exc
    except BaseException:
        if stored is not None:
            delete_photo(stored, user)
        raise
    return update


def delete_live_update(update: LiveUpdate, user) -> None:
    """Remove an update; its cross-post goes back to draft and its photo, unless the
    blog post still shows it, is deleted."""
    if not can_manage(user):
        raise TourError("Only staff who manage tours can delete live updates.")
    post = update.blog_post
    photo = update.photo
    with transaction.atomic():
        update.delete()
        if post is not None and post.status != Post.Status.DRAFT:
            unpublish_post(post)
    if photo is not None and post is None and can_cross_post(user):
        delete_photo(photo, user)
