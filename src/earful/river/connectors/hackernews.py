"""Hacker News through the Algolia search API: stories and comments, newest first."""

from __future__ import annotations

import re
from urllib.parse import quote

from ..pipeline.items import RawItem
from .base import BadItem, Connector, FetchResult
from .config_checks import http_url, optional_text, reject_unknown, require_mapping, required_text
from .fetching import get_json
from .item_fields import (
    epoch_datetime,
    identifier,
    items_list,
    mapping,
    optional_identifier,
)
from .item_fields import optional_text as optional_field
from .time_cursor import TimeCursor

DEFAULT_BASE_URL = "https://hn.algolia.com"
DEFAULT_TAGS = "(story,comment)"
ITEM_URL = "https://news.ycombinator.com/item?id={}"
USER_URL = "https://news.ycombinator.com/user?id={}"
PAGE_SIZE = 100
MAX_PAGES = 5
_TAGS = re.compile(r"^[\w(),-]{1,200}$")


class HackerNewsConnector(Connector):
    kind = "hackernews"

    def validate_config(self, config: dict) -> dict:
        require_mapping(config)
        reject_unknown(config, {"query", "base_url", "tags"})
        tags = optional_text(config, "tags") or DEFAULT_TAGS
        if not _TAGS.match(tags):
            raise ValueError(f"{tags!r} is not an Algolia tag filter such as (story,comment)")
        return {
            "query": required_text(config, "query"),
            "base_url": http_url(
                config.get("base_url") or DEFAULT_BASE_URL, "the base URL", base=True
            ),
            "tags": tags,
        }

    def poll(self, config: dict, state: dict) -> FetchResult:
        url = f"{config['base_url']}/api/v1/search_by_date"
        cursor = TimeCursor.from_state(state, "cursor")
        params: dict[str, object] = {
            "query": config["query"],
            "tags": config["tags"],
            "hitsPerPage": PAGE_SIZE,
        }
        if cursor.since is not None:
            params["numericFilters"] = f"created_at_i>={int(cursor.since)}"
        items: list[RawItem] = []
        skipped: list[str] = []
        for page_number in range(MAX_PAGES):
            page = get_json(url, params={**params, "page": page_number})
            hits = items_list(page, "hits", url)
            for number, hit in enumerate(hits, start=1):
                try:
                    item, created = hit_item(hit)
                except BadItem as exc:
                    skipped.append(f"hit {page_number * PAGE_SIZE + number}: {exc}")
                    continue
                if cursor.is_new(created, item.external_id):
                    cursor.saw(created, item.external_id)
                    items.append(item)
            pages = page.get("nbPages")
            if not hits or not isinstance(pages, int) or page_number + 1 >= pages:
                break
        saved = cursor.to_state()
        if saved:
            state["cursor"] = saved
        return FetchResult(items=items, state=state, skipped=skipped)


def hit_item(hit: object) -> tuple[RawItem, int]:
    """The hit as a RawItem, and its creation time in epoch seconds."""
    hit = mapping(hit, "the hit")
    object_id = identifier(hit, "objectID")
    created = hit.get("created_at_i")
    if isinstance(created, bool) or not isinstance(created, int):
        raise BadItem("'created_at_i' is missing or not a timestamp")
    tags = hit.get("_tags") if isinstance(hit.get("_tags"), list) else []
    title = optional_field(hit, "title")
    comment = optional_field(hit, "comment_text")
    if comment or "comment" in tags:
        if not comment.strip():
            raise BadItem("a comment without 'comment_text'")
        body, is_html, parent = comment, True, optional_identifier(hit, "parent_id")
    else:
        story = optional_field(hit, "story_text")
        if not story.strip() and not title.strip():
            raise BadItem("a story without title or text")
        body, is_html = (story, True) if story.strip() else (title, False)
        parent = ""
    author = optional_field(hit, "author")
    item = RawItem(
        text=body,
        external_id=object_id,
        url=ITEM_URL.format(quote(object_id, safe="")),
        author=author,
        author_name=author,
        author_url=USER_URL.format(quote(author, safe="")) if author else "",
        title=title,
        published_at=epoch_datetime(created, "created_at_i"),
        parent_id=parent,
        is_html=is_html,
    )
    return item, created
