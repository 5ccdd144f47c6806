"""Visitors' feedback on a stop: short, validated, rate limited per IP address, and put in
the river at once (the river's own spam score marks junk for the console)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from earful.blog.rate_limits import parse_rate, take_in_window

from ..errors import TourError
from ..models import Feedback, Stop
from ..river_link import feedback_entered

MAX_TEXT = 2_000
FEEDBACK_DAYS = 14  # feedback stays open this long after a stop ends
RATE_SETTING = "EARFUL_TOUR_FEEDBACK_RATE"
# Where the feedback window of a stop row from before stop times were bounded (at the
# very end of datetime's years) closes, rather than overflow and break its page.
LATEST_CLOSE = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def feedback_closes_at(stop: Stop):
    if stop.ends_at >= LATEST_CLOSE - timedelta(days=FEEDBACK_DAYS):
        return max(stop.ends_at, LATEST_CLOSE)
    return stop.ends_at + timedelta(days=FEEDBACK_DAYS)


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
    feedback = Feedback.objects.create(
        stop=stop, text=text, rating=rating, name=name, email=email[:254]
    )
    feedback_entered(feedback)
    return feedback
