"""Reddit post search (search.json, newest first), site-wide or within one subreddit."""

from __future__ import annotations

import re
from urllib.parse import quote

from ..pipeline.items import RawItem
from .base import BadItem, Connector, ConnectorError, FetchResult
from .config_checks import http_url, optional_text, reject_unknown, require_mapping, required_text
from .fetching import get_json
from .item_fields import epoch_datetime, identifier, mapping, text
from .item_fields import optional_text as optional_field
from .time_cursor import TimeCursor

DEFAULT_BASE_URL = "https://www.reddit.com"
# Reddit asks API clients for a unique, descriptive User-Agent and throttles generic ones.
USER_AGENT = (
    "python:earful-listening:0.1 (self-hosted social listening; +https://github.com/earful)"
)
PAGE_SIZE = 100
DELETED_AUTHORS = {"[deleted]", ""}
_SUBREDDIT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{1,20}$")


class RedditConnector(Connector):
    kind = "reddit"

    def validate_config(self, config: dict) -> dict:
        require_mapping(config)
        reject_unknown(config, {"query", "subreddit", "base_url"})
        normalised = {
            "query": required_text(config, "query", max_length=512),
            "base_url": http_url(
                config.get("base_url") or DEFAULT_BASE_URL, "the base URL", base=True
            ),
        }
        subreddit = optional_text(config, "subreddit")
        subreddit = subreddit.removeprefix("/").removeprefix("r/").strip("/")
        if subreddit:
            if not _SUBREDDIT.match(subreddit):
                raise ValueError(f"{subreddit!r} is not a subreddit name (letters, digits, _)")
            normalised["subreddit"] = subreddit
        return normalised

    def poll(self, config: dict, state: dict) -> FetchResult:
        base = config["base_url"]
        params: dict[str, object] = {
            "q": config["query"],
            "sort": "new",
            "limit": PAGE_SIZE,
            "raw_json": 1,
            "type": "link",
        }
        if config.get("subreddit"):
            url = f"{base}/r/{config['subreddit']}/search.json"
            params["restrict_sr"] = 1
        else:
            url = f"{base}/search.json"
        page = get_json(url, params=params, headers={"User-Agent": USER_AGENT})
        children = listing_children(page, url)
        cursor = TimeCursor.from_state(state, "cursor")
        items: list[RawItem] = []
        skipped: list[str] = []
        for number, child in enumerate(children, start=1):
            try:
                item, created = post_item(child, base)
            except BadItem as exc:
                skipped.append(f"post {number}: {exc}")
                continue
            if cursor.is_new(created, item.external_id):
                cursor.saw(created, item.external_id)
                items.append(item)
        saved = cursor.to_state()
        if saved:
            state["cursor"] = saved
        return FetchResult(items=items, state=state, skipped=skipped)


def listing_children(page: object, url: str) -> list:
    if not isinstance(page, dict) or page.get("kind") != "Listing":
        raise ConnectorError(f"{url}: expected a Reddit listing (kind 'Listing')")
    data = page.get("data")
    children = data.get("children") if isinstance(data, dict) else None
    if not isinstance(children, list):
        raise ConnectorError(f"{url}: the listing has no data.children list")
    return children


def post_item(child: object, base_url: str) -> tuple[RawItem, float]:
    """The post as a RawItem, and its creation time in epoch seconds."""
    child = mapping(child, "the listing entry")
    if child.get("kind") != "t3":
        raise BadItem(f"a {str(child.get('kind'))[:10]!r} entry, not a post (t3)")
    post = mapping(child.get("data"), "the post's 'data'")
    post_id = identifier(post, "id")
    title = text(post, "title")
    created = post.get("created_utc")
    published = epoch_datetime(created, "created_utc")
    permalink = optional_field(post, "permalink")
    if permalink and not permalink.startswith("/"):
        raise BadItem("'permalink' is not a path on Reddit")
    author = optional_field(post, "author")
    if author in DELETED_AUTHORS:
        author = ""
    body = optional_field(post, "selftext").strip()
    item = RawItem(
        text=f"{title}\n\n{body}" if body else title,
        external_id=optional_field(post, "name") or f"t3_{post_id}",
        url=f"{base_url}{permalink}" if permalink else "",
        author=author,
        author_name=author,
        author_url=f"{base_url}/user/{quote(author, safe='')}/" if author else "",
        title=title,
        published_at=published,
    )
    return item, float(created)
