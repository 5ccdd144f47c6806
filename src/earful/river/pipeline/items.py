"""The plain data that flows through the river: no Django in here."""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, field, fields
from datetime import datetime

KEY_MAX_CHARS = 600  # Mention.key's column width


@dataclass(slots=True)
class RawItem:
    """One voice as a connector, an import or an owned app hands it to `ingest`."""

    text: str
    external_id: str = ""
    url: str = ""
    author: str = ""  # handle, unique within the source
    author_name: str = ""
    author_url: str = ""
    author_reach: int | None = None  # followers, subscribers, karma ...
    title: str = ""
    published_at: datetime | None = None
    language: str = ""  # as declared by the source; detected when empty
    parent_id: str = ""  # external id of the item this one answers, in the same source
    owned: bool = False  # written on one of the company's own channels
    is_html: bool = False

    def __reduce__(self) -> tuple:
        return RawItem, _raw_fields(self)


@dataclass(slots=True)
class Item:
    """A RawItem on its way through the pipeline, gathering what the components find."""

    raw: RawItem
    source_id: int
    text: str = ""
    title: str = ""
    canonical_url: str = ""
    site: str = ""  # host name of the URL, without "www."
    content_hash: str = ""
    key: str = ""
    parent_key: str = ""
    language: str = ""
    sentiment: str = ""  # positive / neutral / negative
    sentiment_score: float = 0.0  # -1 .. 1
    topics: list[int] = field(default_factory=list)
    spam_score: float = 0.0
    question: bool = False  # asks something (the questions stage)
    # Near-duplicate clustering: the cluster root this item belongs to, either an already
    # stored mention id or the key of an earlier item in the same batch.
    duplicate_of_id: int | None = None
    duplicate_of_key: str = ""
    bands: list[int] = field(default_factory=list)
    # Every LSH band key of the item, when computed ahead (near_duplicate_signatures).
    band_keys: list[int] | None = None
    # Set when the item must not be stored (already known); `reason` says why.
    dropped: str = ""
    error: str = ""

    def __reduce__(self) -> tuple:
        return Item, _item_fields(self)


# Items cross process boundaries by the thousand (enrich_pool): pickled as the tuple of
# their fields they cost half the time of the default protocol for slotted classes.
_raw_fields = operator.attrgetter(*(f.name for f in fields(RawItem)))
_item_fields = operator.attrgetter(*(f.name for f in fields(Item)))


def mention_key(source_id: int, external_id: str, canonical_url: str, content_hash: str) -> str:
    """The identity of a mention: source + external id, else canonical URL, else content.

    A key longer than the column keeps its start and ends with a digest of the whole, so
    two long ids that share a prefix stay two mentions.
    """
    if external_id:
        key = f"{source_id}:id:{external_id}"
    elif canonical_url:
        key = f"url:{canonical_url}"
    else:
        key = f"{source_id}:hash:{content_hash}"
    if len(key) <= KEY_MAX_CHARS:
        return key
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"{key[: KEY_MAX_CHARS - 34]}#~{digest}"
