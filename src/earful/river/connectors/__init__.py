"""Polling connectors: one module per source kind, one interface (see `base.Connector`)."""

from __future__ import annotations

from .base import BadItem, Connector, ConnectorError, FetchResult
from .bluesky import BlueskyConnector
from .feed import FeedConnector
from .hackernews import HackerNewsConnector
from .mastodon import MastodonConnector
from .reddit import RedditConnector

CONNECTORS: dict[str, Connector] = {
    connector.kind: connector
    for connector in (
        FeedConnector(),
        MastodonConnector(),
        BlueskyConnector(),
        HackerNewsConnector(),
        RedditConnector(),
    )
}


def get_connector(kind: str) -> Connector:
    try:
        return CONNECTORS[kind]
    except (KeyError, TypeError):
        known = ", ".join(sorted(CONNECTORS))
        raise ValueError(f"no connector polls sources of kind {kind!r}; known: {known}") from None


def validate_config(kind: str, config: dict) -> dict:
    """The normalised config for a source of this kind; ValueError says what to fix."""
    return get_connector(kind).validate_config(config)


__all__ = [
    "CONNECTORS",
    "BadItem",
    "Connector",
    "ConnectorError",
    "FetchResult",
    "get_connector",
    "validate_config",
]
