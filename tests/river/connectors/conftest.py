"""Shared for connector tests: the local HTTP server of tests/web and the hand-written fixtures."""

from __future__ import annotations

import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.web.conftest import LocalServer, reply, server  # noqa: F401 - the server fixture

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture_bytes(name))


def json_reply(data: Any, status: int = 200, headers: dict[str, str] | None = None):
    body = json.dumps(data).encode()
    return reply(
        status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )


def query_of(path: str) -> dict[str, str]:
    """The query of a request path as a flat dict (last value wins)."""
    return {key: values[-1] for key, values in parse_qs(urlsplit(path).query).items()}


def answer_by_query(answer: Callable[[dict[str, str]], Any]):
    """A route that answers JSON computed from the request's query parameters."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        json_reply(answer(query_of(handler.path)))(handler)

    return route


__all__ = [
    "LocalServer",
    "answer_by_query",
    "fixture_bytes",
    "fixture_json",
    "json_reply",
    "query_of",
    "reply",
    "server",
]
