"""Typed reads from one item of an API page: a wrong or missing field raises BadItem."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from .base import BadItem, ConnectorError

MAX_ID_LENGTH = 300  # Mention.external_id


def mapping(value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise BadItem(f"{what} is {_kind(value)}, not an object")
    return value


def items_list(page: Any, key: str, where: str) -> list:
    """The list of items in a page (`page[key]`); a missing list is the page's fault."""
    if not isinstance(page, dict):
        raise ConnectorError(f"{where}: expected a JSON object, got {_kind(page)}")
    value = page.get(key)
    if not isinstance(value, list):
        raise ConnectorError(f"{where}: the answer has no {key!r} list")
    return value


def text(data: dict, key: str) -> str:
    """A required non-empty string."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadItem(f"{key!r} is missing or not text")
    return value


def optional_text(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadItem(f"{key!r} is {_kind(value)}, not text")
    return value


def identifier(data: dict, key: str) -> str:
    """A required id that APIs send as a string or an integer."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        raise BadItem(f"{key!r} is missing or not an id")
    return str(value).strip()


def optional_identifier(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None or value == "":
        return ""
    return identifier(data, key)


def optional_count(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadItem(f"{key!r} is {_kind(value)}, not a count")
    return value


def iso_datetime(value: Any, key: str) -> datetime:
    """An aware datetime from ISO 8601 text ("2024-05-01T10:00:00.000Z"); naive means UTC."""
    if not isinstance(value, str) or not value.strip():
        raise BadItem(f"{key!r} is missing or not a date")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError as exc:
        raise BadItem(f"{key!r} is not an ISO 8601 date: {value[:40]!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def epoch_datetime(value: Any, key: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadItem(f"{key!r} is missing or not a timestamp")
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise BadItem(f"{key!r} is out of range: {value!r}") from exc


def bounded_id(value: str, limit: int = MAX_ID_LENGTH) -> str:
    """`value`, or a digest of it when it is too long to store as an id."""
    value = value.strip()
    if len(value) <= limit:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()


def _kind(value: Any) -> str:
    return "missing" if value is None else type(value).__name__
