"""Visitors' feedback on a stop: short, validated, rate limited per IP address, and put in
the river at once (the river's own spam score marks junk for the console).

The same text sent to the same stop again within REPEAT_WINDOW is refused, whoever sends
it: texts are compared after normalising case, spacing, punctuation, invisible characters
and Unicode look-alikes (repeat_key). Short cheers ("Great!", "Thanks") are exempt, since
many visitors really do write them and the console counts feedback per stop."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from earful.blog.rate_limits import parse_rate, take_in_window

from ..errors import TourError
from ..models import Feedback, Stop
from ..river_link import feedback_entered

MAX_TEXT = 2_000
FEEDBACK_DAYS = 14  # feedback stays open this long after a stop ends
RATE_SETTING = "EARFUL_TOUR_FEEDBACK_RATE"
REPEAT_WINDOW = timedelta(hours=24)
REPEAT_MIN_LENGTH = 20  # normalised characters; shorter texts may come from many people
# Where the feedback window of a stop row from before stop times were bounded (at the
# very end of datetime's years) closes, rather than overflow and break its page.
LATEST_CLOSE = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def feedback_closes_at(stop: Stop):
    if stop.ends_at >= LATEST_CLOSE - timedelta(days=FEEDBACK_DAYS):
        return max(stop.ends_at, LATEST_CLOSE)
    return stop.ends_at + timedelta(days=FEEDBACK_DAYS)


def repeat_key(text: str) -> str:
    """The text as repeats are compared: Unicode look-alikes folded (NFKC), invisible
    format characters (zero-width spaces, joiners, direction marks) dropped, case folded,
    and only its words kept, one space apart."""
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(c for c in folded if unicodedata.category(c) != "Cf").casefold()
    return " ".join(re.findall(r"[^\W_]+", folded))


def _is_repeat(stop: Stop, text: str) -> bool:
    key = repeat_key(text)
    if len(key) < REPEAT_MIN_LENGTH:
        return False
    since = timezone.now() - REPEAT_WINDOW  # created_at is the real clock's
    recent = Feedback.objects.filter(stop=stop, created_at__gte=since).values_list(
        "text", flat=True
    )
    return any(repeat_key(earlier) == key for earlier in recent.iterator())


def open_for_feedback(stop: Stop, now=None) -> bool:
    """From the stop's start until FEEDBACK_DAYS after it ends, on a published tour."""
    now = now or timezone.now()
    return (
        stop.tour.published
        and not stop.cancelled
        and stop.starts_at <= now <= feedback_closes_at(stop)
    )


def submit_feedback(
    stop: Stop,
    *,
    text: str,
    rating=None,
    name: str = "",
    email: str = "",
    address: str = "",
    now=None,
) -> Feedback:
    if not open_for_feedback(stop, now):
        raise TourError(
            f"Feedback for this stop opens when it starts and closes {FEEDBACK_DAYS} days after."
        )
    text = (text or "").strip()
    if not text:
        raise TourError("Tell us something: the feedback is empty.")
    if len(text) > MAX_TEXT or "\x00" in text:
        raise TourError(f"Feedback is at most {MAX_TEXT:,} characters of text.")
    if rating in ("", None):
        rating = None
    else:
        try:
            rating = int(rating)
        except (TypeError, ValueError) as error:
            raise TourError("The rating is a number from 1 to 5.") from error
        if not 1 <= rating <= 5:
            raise TourError("The rating is a number from 1 to 5.")
    name = " ".join((name or "").split())[:100]
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise TourError("That e-mail address does not look right.") from error
    rate = parse_rate(getattr(settings, RATE_SETTING, "5/m"), RATE_SETTING)
    if address and not take_in_window("events:feedback", address, rate, None):
        raise TourError("Thank you! We got several messages from you just now; try again soon.")
    with transaction.atomic():
        # One submission per stop at a time (PostgreSQL; SQLite writes one at a time
        # anyway), so two copies sent at once cannot both pass the check.
        list(Stop.objects.select_for_update().filter(pk=stop.pk).values_list("pk"))
        if _is_repeat(stop, text):
            raise TourError(
                "Thank you, we already have this feedback for this stop: the same words "
                f"arrived in the last {REPEAT_WINDOW // timedelta(hours=1)} hours. If you meant "
                "to add something, write it in."
            )
        feedback = Feedback.objects.create(
            stop=stop, text=text, rating=rating, name=name, email=email[:254]
        )
    feedback_entered(feedback)
    return feedback
