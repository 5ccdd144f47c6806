from __future__ import annotations

from typing import Any

from django.db import transaction
from ninja import Field, Router, Schema, Status

from . import actions
from .rows import RowError, raw_item_from_row

router = Router(tags=["mentions"])
MAX_ITEMS = 1000


class PushIn(Schema):
    source: str = Field(..., min_length=1, max_length=200, description="Source name")
    items: list[dict[str, Any]] = Field(
        ...,
        max_length=MAX_ITEMS,
        description="Mentions: `text` (required), `id`, `url`, `author`, `author_name`, "
        "`author_url`, `author_reach`, `title`, `published_at` (ISO 8601), `language`, "
        "`parent_id`",
    )


class ItemError(Schema):
    index: int
    error: str


class PushOut(Schema):
    imported: int
    duplicates: int
    rejected: int
    errors: list[ItemError]


class ErrorOut(Schema):
    error: str


@router.post("/mentions", response={200: PushOut, 400: ErrorOut}, summary="Push mentions")
def push_mentions(request, payload: PushIn):
    """Send a batch of up to 1000 mentions. Items already received are counted as
    duplicates; items with errors are reported by index and the rest are stored."""
    try:
        source = actions.source_for_push(payload.source)
    except ValueError as exc:
        return Status(400, {"error": str(exc)})
    raw_items, errors = [], []
    for index, row in enumerate(payload.items):
        try:
            raw_items.append(raw_item_from_row(row))
        except RowError as exc:
            errors.append({"index": index, "error": str(exc)})
    with transaction.atomic():
        report = actions.ingest_items(source, raw_items)
    return Status(
        200,
        {
            "imported": report.imported,
            "duplicates": report.duplicates,
            "rejected": len(errors) + report.rejected,
            "errors": errors,
        },
    )
