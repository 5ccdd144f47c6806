"""exact_dedupe: drop what is already stored; link identical content to its first copy."""

from __future__ import annotations

from .base import Context
from .items import Item


def exact_dedupe(batch: list[Item], context: Context) -> list[Item]:
    known = context.index.existing_keys([item.key for item in batch])
    seen_keys: set[str] = set()
    first_by_hash: dict[str, Item] = {}
    for item in batch:
        if item.key in known:
            item.dropped = "known"
        elif item.key in seen_keys:
            item.dropped = "repeat"
        else:
            seen_keys.add(item.key)
            first_by_hash.setdefault(item.content_hash, item)
    stored_roots = context.index.roots_by_hash(list(first_by_hash))
    for item in batch:
        if item.dropped:
            continue
        root_id = stored_roots.get(item.content_hash)
        if root_id is not None:
            item.duplicate_of_id = root_id
            continue
        first = first_by_hash[item.content_hash]
        if first is not item:
            item.duplicate_of_key = first.key
    return batch
