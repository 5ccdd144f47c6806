"""Checks shared by the connectors' `validate_config`: each raises ValueError saying what to fix."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MAX_URL_LENGTH = 2000
MAX_TEXT_LENGTH = 500


def require_mapping(config: Any) -> dict:
    if not isinstance(config, dict):
        raise ValueError(f"the config must be an object of settings, not {type(config).__name__}")
    return config


def reject_unknown(config: dict, allowed: Iterable[str]) -> None:
    unknown = sorted(set(config) - set(allowed))
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise ValueError(f"unknown setting {names}; allowed: {', '.join(sorted(allowed))}")


def http_url(value: Any, name: str, *, base: bool = False) -> str:
    """A stripped http(s) URL; with base=True, without query, fragment or trailing slash."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{name} is required")
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a text URL, not {type(value).__name__}")
    url = value.strip()
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"{name} is longer than {MAX_URL_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValueError(f"{name} must not contain spaces or control characters: {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(f"{name} is not a valid URL: {url!r} ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise ValueError(f"{name} must start with http:// or https://, got {scheme} in {url!r}")
    if not parts.hostname:
        raise ValueError(f"{name} has no host name: {url!r}")
    if parts.username or parts.password:
        raise ValueError(f"{name} must not carry a user name or password: {url!r}")
    if base:
        if parts.query or parts.fragment:
            raise ValueError(f"{name} must be a plain address without ?query or #fragment")
        return urlunsplit(
            (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), "", "")
        )
    return url


def required_text(config: dict, key: str, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    value = config.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{key!r} is required and must not be empty")
    return _text(value, key, max_length)


def optional_text(config: dict, key: str, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    value = config.get(key)
    if value is None:
        return ""
    return _text(value, key, max_length)


def _text(value: Any, key: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be text, not {type(value).__name__}")
    value = value.strip()
    if len(value) > max_length:
        raise ValueError(f"{key!r} is longer than {max_length} characters")
    if any(ord(ch) < 32 for ch in value):
        raise ValueError(f"{key!r} must not contain control characters")
    return value
