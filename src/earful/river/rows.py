"""Turn a loose record (a CSV row, a JSON object) into a RawItem, or say what is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import UTC, datetime

from .pipeline.items import RawItem

FIELDS = ("id", "url", "author", "text", "title", "published_at", "language", "parent_id")
EXTRA_FIELDS = ("author_name", "author_url", "author_reach")
MAX_TEXT = 100_000
MAX_REACH = 10**15  # more followers than people, and well inside a 64-bit column


class RowError(ValueError):
    pass


def parse_timestamp(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise RowError(f"published_at {value!r} is not a valid timestamp") from exc
    if not isinstance(value, str):
        raise RowError(f"published_at must be an ISO 8601 string, not {type(value).__name__}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise RowError(f"published_at {value!r} is not ISO 8601") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:
        raise RowError(f"published_at {value!r} is out of range") from exc


def _string(row: Mapping, name: str, limit: int = 2000) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if type(value) is str:  # nearly always: skip the other checks (imports call this a lot)
        text = value.strip()
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowError(f"{name} must be a string, not {type(value).__name__}")
    else:
        text = str(value).strip()
    if len(text) > limit:
        raise RowError(f"{name} is longer than {limit} characters")
    return text


# RawItem's fields in order, which raw_item_from_row passes by position (faster).
_ORDER = (
    "text", "external_id", "url", "author", "author_name", "author_url", "author_reach",
    "title", "published_at", "language", "parent_id", "owned",
)  # fmt: skip
assert tuple(f.name for f in fields(RawItem))[: len(_ORDER)] == _ORDER


def raw_item_from_row(row: Mapping, *, owned: bool = False) -> RawItem:
    if not isinstance(row, Mapping):
        raise RowError(f"expected an object with fields, got {type(row).__name__}")
    text = row.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise RowError("text is required")
    if not isinstance(text, str):
        raise RowError(f"text must be a string, not {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise RowError(f"text is longer than {MAX_TEXT} characters")
    reach = row.get("author_reach")
    if reach in (None, ""):
        reach = None
    else:
        try:
            reach = int(reach)
        except (TypeError, ValueError) as exc:
            raise RowError(f"author_reach {reach!r} is not a whole number") from exc
        if not 0 <= reach <= MAX_REACH:
            raise RowError(f"author_reach must be between 0 and {MAX_REACH}")
    # Most rows carry a few of the fields: an absent one costs a lookup, not a call.
    # Checked in the order of RawItem's fields, so a row's first bad field is reported.
    return RawItem(
        text,
        _string(row, "id", 300) if "id" in row else "",
        _string(row, "url") if "url" in row else "",
        _string(row, "author", 300) if "author" in row else "",
        _string(row, "author_name", 300) if "author_name" in row else "",
        _string(row, "author_url", 1000) if "author_url" in row else "",
        reach,
        _string(row, "title", 2000) if "title" in row else "",
        parse_timestamp(row.get("published_at")),
        _string(row, "language", 12).lower() if "language" in row else "",
        _string(row, "parent_id", 300) if "parent_id" in row else "",
        owned,
    )
