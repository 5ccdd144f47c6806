"""Mastodon: a public hashtag timeline, or one account's statuses.

Each poll asks for the statuses immediately after the newest one seen (`min_id`), page by
page, so a busy hashtag is caught up over a few polls instead of losing the middle.
Boosts (reblogs) are skipped: a boost repeats someone else's words, and the original
status reaches us on its own when it matches. Statuses that are not public or unlisted
(visible only because of a token) are skipped too: they were not said in public.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from ..pipeline.items import RawItem
from .base import BadItem, Connector, ConnectorError, FetchResult
from .config_checks import (
    http_url,
    optional_text,
    reject_unknown,
    require_mapping,
)
from .fetching import get_json
from .item_fields import (
    identifier,
    iso_datetime,
    mapping,
    optional_count,
    optional_identifier,
)
from .item_fields import (
    optional_text as optional_field,
)
from .item_fields import (
    text as text_field,
)

PAGE_SIZE = 40  # the API's maximum
MAX_PAGES = 5
PUBLIC_VISIBILITY = {"public", "unlisted"}
_HASHTAG = re.compile(r"^[\w\u00b7\u200c]{1,100}$")
_ACCOUNT = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62})(?:@[A-Za-z0-9.-]{1,253}(?::\d+)?)?$")


def status_id_order(status_id: str) -> tuple[int, str]:
    """Order of status ids: Mastodon's are numbers in text, others fixed-width flake ids."""
    return (len(status_id), status_id)


class MastodonConnector(Connector):
    kind = "mastodon"

    def validate_config(self, config: dict) -> dict:
        require_mapping(config)
        reject_unknown(config, {"instance", "hashtag", "account", "token"})
        instance = http_url(config.get("instance"), "the instance URL", base=True)
        hashtag = optional_text(config, "hashtag").lstrip("#")
        account = optional_text(config, "account").lstrip("@")
        token = optional_text(config, "token", max_length=2000)
        if bool(hashtag) == bool(account):
            raise ValueError("give either a hashtag or an account to follow, not both or neither")
        normalised = {"instance": instance}
        if hashtag:
            if not _HASHTAG.match(hashtag):
                raise ValueError(
                    f"{hashtag!r} is not a hashtag: use letters, digits and underscores only"
                )
            normalised["hashtag"] = hashtag
        else:
            if not _ACCOUNT.match(account):
                raise ValueError(f"{account!r} is not an account: use user or user@server.example")
            normalised["account"] = account
        if token:
            normalised["token"] = token
        return normalised

    def poll(self, config: dict, state: dict) -> FetchResult:
        instance = config["instance"]
        headers = {"Authorization": f"Bearer {config['token']}"} if config.get("token") else {}
        params: dict[str, object] = {"limit": PAGE_SIZE}
        if "hashtag" in config:
            url = f"{instance}/api/v1/timelines/tag/{quote(config['hashtag'], safe='')}"
        else:
            account_id = self._account_id(instance, config["account"], state, headers)
            url = f"{instance}/api/v1/accounts/{quote(account_id, safe='')}/statuses"
            params["exclude_reblogs"] = "true"
        host = urlsplit(instance).netloc
        cursor = state.get("min_id") if isinstance(state.get("min_id"), str) else ""
        items: list[RawItem] = []
        skipped: list[str] = []
        for _ in range(MAX_PAGES):
            page = get_json(url, params={**params, "min_id": cursor or None}, headers=headers)
            if not isinstance(page, list):
                raise ConnectorError(f"{url}: expected a list of statuses, got something else")
            newest = cursor
            for number, status in enumerate(page, start=1):
                status_id = _status_id(status)
                if status_id and status_id_order(status_id) > status_id_order(newest):
                    newest = status_id
                try:
                    item = status_item(status, host)
                except BadItem as exc:
                    skipped.append(f"status {status_id or number}: {exc}")
                    continue
                if item is not None:
                    items.append(item)
            # The first poll takes the latest page; later ones catch up page by page.
            caught_up = not cursor or newest == cursor or len(page) < PAGE_SIZE
            cursor = newest
            if caught_up:
                break
        if cursor:
            state["min_id"] = cursor
        return FetchResult(items=items, state=state, skipped=skipped)

    def _account_id(self, instance: str, account: str, state: dict, headers: dict) -> str:
        if state.get("account") == account and isinstance(state.get("account_id"), str):
            return state["account_id"]
        found = get_json(
            f"{instance}/api/v1/accounts/lookup", params={"acct": account}, headers=headers
        )
        try:
            account_id = identifier(mapping(found, "the account lookup answer"), "id")
        except BadItem as exc:
            raise ConnectorError(f"{instance}: looking up {account!r} failed: {exc}") from exc
        if state.get("account") != account:
            state.pop("min_id", None)  # the cursor belonged to another account's statuses
        state["account"] = account
        state["account_id"] = account_id
        return account_id


def _status_id(status: object) -> str:
    if isinstance(status, dict) and isinstance(status.get("id"), str | int):
        return str(status["id"])
    return ""


def status_item(status: object, host: str) -> RawItem | None:
    """The status as a RawItem; None for a boost or a status that is not public."""
    status = mapping(status, "the status")
    if status.get("reblog") is not None:
        return None
    visibility = optional_field(status, "visibility")
    if visibility and visibility not in PUBLIC_VISIBILITY:
        return None
    status_id = identifier(status, "id")
    account = mapping(status.get("account"), "'account'")
    acct = text_field(account, "acct")
    if "@" not in acct:  # a local account: make the handle unique beyond this instance
        acct = f"{acct}@{host}"
    content = optional_field(status, "content")
    if not content.strip():
        raise BadItem("no text (media only?)")
    return RawItem(
        text=content,
        external_id=status_id,
        url=optional_field(status, "url") or optional_field(status, "uri"),
        author=acct,
        author_name=optional_field(account, "display_name") or optional_field(account, "username"),
        author_url=optional_field(account, "url"),
        author_reach=optional_count(account, "followers_count"),
        title=optional_field(status, "spoiler_text"),
        published_at=iso_datetime(status.get("created_at"), "created_at"),
        language=optional_field(status, "language")[:12],
        parent_id=optional_identifier(status, "in_reply_to_id"),
        is_html=True,
    )
