"""Stop feedback in the river: each submission is an owned Mention of the "Tours" source,
titled with its stop and linking to the stop's page, so the console can search it and
compare stops (events/stop_comparison.py reads the mentions' sentiment per stop)."""

from __future__ import annotations

from earful.blog.river_link import absolute
from earful.river.actions import owned_app_source, owned_mention
from earful.river.models import Source
from earful.river.pipeline.items import RawItem

from .models import Feedback

SOURCE_NAME = "Tours"
APP = "events"
FEEDBACK_PREFIX = "feedback-"


def tours_source() -> Source:
    return owned_app_source(SOURCE_NAME, APP)


def feedback_id(feedback: Feedback) -> str:
    return f"{FEEDBACK_PREFIX}{feedback.pk}"


def _feedback_item(feedback: Feedback) -> RawItem:
    stop = feedback.stop
    who = feedback.email.lower() if feedback.email else f"visitor-{feedback.pk}"
    rating = f" ({feedback.rating}/5)" if feedback.rating else ""
    return RawItem(
        text=feedback.text,
        title=f"Feedback on {stop.tour.title} at {stop.venue}{rating}",
        external_id=feedback_id(feedback),
        url=absolute(stop.get_absolute_url()),
        author=f"visitor:{who}",
        author_name=feedback.name or "Visitor",
        published_at=feedback.created_at,
        owned=True,
    )


def feedback_entered(feedback: Feedback) -> int | None:
    mention_id = owned_mention(tours_source(), _feedback_item(feedback), feedback.mention_id)
    if mention_id != feedback.mention_id:
        Feedback.objects.filter(pk=feedback.pk).update(mention_id=mention_id)
        feedback.mention_id = mention_id
    return mention_id
