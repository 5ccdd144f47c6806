"""Bluesky post search (app.bsky.feed.searchPosts), newest first, from a time cursor."""

from __future__ import annotations

from datetime import UTC, datetime

from ..pipeline.items import RawItem
from .base import BadItem, Connector, FetchResult
from .config_checks import http_url, optional_text, reject_unknown, require_mapping, required_text
from .fetching import get_json
from .item_fields import iso_datetime, items_list, mapping, text
from .item_fields import optional_text as optional_field
from .time_cursor import TimeCursor

DEFAULT_BASE_URL = "https://public.api.bsky.app"
WEB_URL = "https://bsky.app"
PAGE_SIZE = 100  # the API's maximum
MAX_PAGES = 5
POST_TYPE = "app.bsky.feed.post"


class BlueskyConnector(Connector):
    kind = "bluesky"

    def validate_config(self, config: dict) -> dict:
        require_mapping(config)
        reject_unknown(config, {"query", "base_url", "token"})
        normalised = {
            "query": required_text(config, "query"),
            "base_url": http_url(
                config.get("base_url") or DEFAULT_BASE_URL, "the base URL", base=True
            ),
        }
        token = optional_text(config, "token", max_length=4000)
        if token:
            normalised["token"] = token
        return normalised

    def poll(self, config: dict, state: dict) -> FetchResult:
        url = f"{config['base_url']}/xrpc/app.bsky.feed.searchPosts"
        headers = {"Authorization": f"Bearer {config['token']}"} if config.get("token") else {}
        cursor = TimeCursor.from_state(state, "cursor")
        params: dict[str, object] = {"q": config["query"], "sort": "latest", "limit": PAGE_SIZE}
        if cursor.since is not None:
            params["since"] = _iso(cursor.since)
        items: list[RawItem] = []
        skipped: list[str] = []
        page_cursor = None
        for _ in range(MAX_PAGES):
            page = get_json(url, params={**params, "cursor": page_cursor}, headers=headers)
            posts = items_list(page, "posts", url)
            reached_old = False
            for number, post in enumerate(posts, start=1):
                try:
                    item, sort_at = post_item(post)
                except BadItem as exc:
                    skipped.append(f"post {number}: {exc}")
                    continue
                when = sort_at.timestamp()
                if not cursor.is_new(when, item.external_id):
                    reached_old = True
                    continue
                cursor.saw(when, item.external_id)
                items.append(item)
            page_cursor = page.get("cursor")
            # The first poll reads one page; later polls catch up until they meet old posts.
            if cursor.since is None or reached_old or not posts or not isinstance(page_cursor, str):
                break
        saved = cursor.to_state()
        if saved:
            state["cursor"] = saved
        return FetchResult(items=items, state=state, skipped=skipped)


def post_item(post: object) -> tuple[RawItem, datetime]:
    """The post as a RawItem, and the instant the search sorts it by."""
    post = mapping(post, "the post")
    uri = text(post, "uri")
    if not uri.startswith("at://") or uri.count("/") < 4:
        raise BadItem(f"'uri' is not an at:// post URI: {uri[:80]!r}")
    author = mapping(post.get("author"), "'author'")
    handle = text(author, "handle")
    record = mapping(post.get("record"), "'record'")
    record_type = record.get("$type", POST_TYPE)
    if record_type != POST_TYPE:
        raise BadItem(f"the record is a {record_type!r}, not a post")
    body = text(record, "text")
    created = iso_datetime(record.get("createdAt"), "record.createdAt")
    sort_at = created
    if post.get("indexedAt") is not None:
        sort_at = min(created, iso_datetime(post.get("indexedAt"), "indexedAt"))
    parent = ""
    reply = record.get("reply")
    if reply is not None:
        parent = text(mapping(mapping(reply, "'reply'").get("parent"), "reply 'parent'"), "uri")
    languages = record.get("langs")
    language = languages[0] if isinstance(languages, list) and languages else ""
    rkey = uri.rstrip("/").rsplit("/", 1)[1]
    profile = f"{WEB_URL}/profile/{handle}"
    item = RawItem(
        text=body,
        external_id=uri,
        url=f"{profile}/post/{rkey}",
        author=handle,
        author_name=optional_field(author, "displayName"),
        author_url=profile,
        published_at=created,
        language=language[:12] if isinstance(language, str) else "",
        parent_id=parent,
    )
    return item, sort_at


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
