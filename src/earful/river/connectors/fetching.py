"""HTTP for connectors: earful.web's guarded fetch, with failures turned into ConnectorError."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from earful.web import FetchError, Response, fetch

from .base import ConnectorError

JSON_ACCEPT = "application/json"
MAX_DETAIL = 200


def with_params(url: str, params: dict[str, Any] | None) -> str:
    clean = {key: value for key, value in (params or {}).items() if value not in (None, "")}
    if not clean:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(clean)}"


def get(
    url: str,
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    ok_statuses: tuple[int, ...] = (200,),
    max_bytes: int | None = None,
) -> Response:
    """GET `url`; raise ConnectorError on a transport failure or a status not in ok_statuses."""
    full_url = with_params(url, params)
    try:
        response = fetch(full_url, headers=headers, max_bytes=max_bytes)
    except FetchError as exc:
        raise ConnectorError(f"fetching {full_url} failed: {exc}") from exc
    if response.status not in ok_statuses:
        raise ConnectorError(status_message(response))
    return response


def get_json(
    url: str,
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    response = get(url, params=params, headers={"Accept": JSON_ACCEPT, **(headers or {})})
    return parse_json(response)


def parse_json(response: Response) -> Any:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        return json.loads(response.content)
    except RecursionError as exc:
        raise ConnectorError(f"{response.url}: the JSON answer is nested too deeply") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        if "html" in content_type or response.content.lstrip()[:1] == b"<":
            what = "an HTML page"
        elif not response.content.strip():
            what = "an empty body"
        else:
            what = f"invalid JSON ({exc})"
        raise ConnectorError(
            f"{response.url}: expected JSON but got {what} (content type "
            f"{content_type or 'not given'})"
        ) from exc


def status_message(response: Response) -> str:
    status = response.status
    detail = _error_detail(response)
    suffix = f": {detail}" if detail else ""
    if status == 429:
        retry = response.headers.get("retry-after", "").strip()
        wait = f"; the server asks to wait {retry[:40]} seconds" if retry else ""
        return f"{response.url}: rate limited by the server (HTTP 429){wait}{suffix}"
    if status in (401, 403):
        return f"{response.url}: access refused (HTTP {status}), check the token{suffix}"
    if status == 404:
        return f"{response.url}: not found (HTTP 404){suffix}"
    if status >= 500:
        return f"{response.url}: the server failed (HTTP {status}){suffix}"
    return f"{response.url}: unexpected HTTP status {status}{suffix}"


def _error_detail(response: Response) -> str:
    """The server's own error message from a JSON error body, shortened, or ""."""
    try:
        body = json.loads(response.content)
    except (RecursionError, UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(body, dict):
        return ""
    parts = []
    for key in ("error", "message", "error_description"):
        value = body.get(key)
        if isinstance(value, str) and value.strip() and value.strip() not in parts:
            parts.append(value.strip())
    text = " ".join(": ".join(parts).split())
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL] + "…"
