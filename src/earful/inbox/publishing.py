"""Replies on owned channels are published by the app that owns the channel (the blog
publishes a comment reply, the community an answer). Apps register a publisher for the
kind of source they own; replies to other mentions are only recorded."""

from __future__ import annotations

from collections.abc import Callable

from earful.river.models import Mention

# (mention, reply text, user) -> the URL of the published reply
Publisher = Callable[[Mention, str, object], str]
_publishers: dict[str, Publisher] = {}


class PublishError(Exception):
    """The owned channel refused the reply; the message says why."""


def register_publisher(source_kind: str, publisher: Publisher) -> None:
    _publishers[source_kind] = publisher


def publisher_for(mention: Mention) -> Publisher | None:
    if not mention.owned:
        return None
    return _publishers.get(mention.source.config.get("app", mention.source.kind))
