"""The inbox and alerts in the JSON API: the queue, one action per call, the alert rules."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from earful.accounts.api_auth import require_permission
from earful.river.api_schemas import MAX_ID, REFUSALS, ErrorOut, InvalidOut
from earful.river.models import Mention

from . import actions
from .models import Alert, AlertRule, Triage
from .queue import UnknownAssignee, queue_items

router = Router(tags=["inbox"])


class ItemOut(Schema):
    mention_id: int
    status: str
    reasons: list[str]
    assignee: str | None
    tags: list[str]
    published_at: str
    text: str
    url: str
    source: str


class QueueOut(Schema):
    count: int
    next_offset: int | None
    items: list[ItemOut]


class QueueParams(Schema):
    status: list[Literal["new", "open", "done", "ignored"]] = Field(
        default_factory=lambda: ["new", "open"]
    )
    assignee: str = Field("any", description="any, me, none or a user id")
    reason: Literal["", "negative", "question", "reach"] = ""
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000)


def _item(triage: Triage) -> dict:
    mention = triage.mention
    return {
        "mention_id": mention.id,
        "status": triage.status,
        "reasons": triage.reasons,
        "assignee": triage.assignee.get_username() if triage.assignee_id else None,
        "tags": [tag.name for tag in triage.tags.all()],
        "published_at": triage.published_at.isoformat(),
        "text": mention.text,
        "url": mention.url,
        "source": mention.source.name,
    }


@router.get("/inbox", response={200: QueueOut, **REFUSALS, 422: InvalidOut}, summary="The inbox")
def queue(request, params: Query[QueueParams]):
    """Items waiting for an answer, newest first. Needs `triage_inbox`."""
    require_permission(request, "triage_inbox")
    try:
        items = queue_items(params.status, params.assignee, params.reason, request.user)
    except UnknownAssignee as exc:
        return Status(422, {"error": str(exc)})
    count = items.count()
    page = (
        items.order_by("-published_at", "-id")
        .select_related("mention__source", "assignee")
        .prefetch_related("tags")[params.offset : params.offset + params.limit]
    )
    following = params.offset + params.limit
    return {
        "count": count,
        "next_offset": following if following < count and following <= 10_000 else None,
        "items": [_item(t) for t in page],
    }


class ActionIn(Schema):
    action: Literal["take_in", "status", "assign", "tag", "untag", "note", "reply", "sentiment"]
    value: str = Field("", max_length=200, description="status, user id / me / none, tag, label")
    text: str = Field("", max_length=20_000, description="note or reply text")


@router.post(
    "/inbox/{mention_id}",
    response={200: ItemOut, **REFUSALS, 404: ErrorOut, 422: InvalidOut},
    summary="Act on an inbox item",
)
def act(request, payload: ActionIn, mention_id: int = Path(..., ge=1, le=MAX_ID)):
    """One action on a mention's inbox item (taken in first if no rule did): `status`
    (value new/open/done/ignored), `assign` (value: a user id, `me` or `none`), `tag` /
    `untag` (value), `note` / `reply` (text), `sentiment` (value: the corrected label).
    Needs `triage_inbox`."""
    require_permission(request, "triage_inbox")
    mention = Mention.objects.select_related("source", "author").filter(pk=mention_id).first()
    if mention is None:
        raise HttpError(404, f"there is no mention {mention_id}")
    try:
        if payload.action == "sentiment":
            actions.correct_sentiment(mention, payload.value, request.user)
        triage = actions.take_in(mention)
        if payload.action not in ("sentiment", "take_in"):
            actions.act_on(triage, request.user, payload.action, payload.value, payload.text)
    except ValueError as exc:
        return Status(422, {"error": str(exc)})
    triage = Triage.objects.select_related("mention__source", "assignee").get(pk=triage.pk)
    return _item(triage)


class AlertOut(Schema):
    id: int
    bucket_start: str
    fired_at: str
    value: float
    mentions: int
    baseline: float
    threshold: float
    email_status: str
    webhook_status: str


class RuleOut(Schema):
    id: int
    name: str
    topic: str | None
    query: str
    metric: str
    bucket: str
    window: int
    sigmas: float
    min_count: int
    cooldown_minutes: int
    enabled: bool
    last_fired_at: str | None
    alerts: list[AlertOut]


@router.get("/alerts", response={200: list[RuleOut], **REFUSALS}, summary="Alert rules")
def alert_rules(request):
    """Every alert rule with its latest 20 alerts. Needs `view_dashboard`."""
    require_permission(request, "view_dashboard")
    rules = []
    for rule in AlertRule.objects.select_related("topic"):
        fired = Alert.objects.filter(rule=rule)[:20]
        rules.append(
            {
                "id": rule.id, "name": rule.name,
                "topic": rule.topic.name if rule.topic_id else None, "query": rule.query,
                "metric": rule.metric, "bucket": rule.bucket, "window": rule.window,
                "sigmas": rule.sigmas, "min_count": rule.min_count,
                "cooldown_minutes": rule.cooldown_minutes, "enabled": rule.enabled,
                "last_fired_at": rule.last_fired_at.isoformat() if rule.last_fired_at else None,
                "alerts": [
                    {"id": a.id, "bucket_start": a.bucket_start.isoformat(),
                     "fired_at": a.fired_at.isoformat(), "value": a.value, "mentions": a.mentions,
                     "baseline": a.baseline, "threshold": a.threshold,
                     "email_status": a.email_status, "webhook_status": a.webhook_status}
                    for a in fired
                ],
            }
        )  # fmt: skip
    return rules
