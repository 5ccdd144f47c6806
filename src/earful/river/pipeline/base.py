"""Components, the index they may consult, and the pipeline that runs them in order.

A component is a callable taking a batch (list of Items) and a `Context`, and returning the
batch enriched. Components never import Django: what they need to know about stored
mentions they ask the `MentionIndex` in the context, which the store implements over the
database and tests implement in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .items import Item


class MentionIndex(Protocol):
    def existing_keys(self, keys: Sequence[str]) -> set[str]: ...

    def roots_by_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        """Content hash -> id of the cluster root of a stored mention with that content."""
        ...

    def roots_by_band(self, bands: Sequence[int]) -> dict[int, int]:
        """LSH band hash -> id of a stored cluster root with that band."""
        ...


class EmptyIndex:
    """An index of nothing: every item is new. For analysing text that is not stored."""

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        return set()

    def roots_by_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        return {}

    def roots_by_band(self, bands: Sequence[int]) -> dict[int, int]:
        return {}


class MemoryIndex:
    """An index kept in memory: what `remember` was given counts as stored.

    Stands in for the database in tests, benchmarks and one-off analyses; ids are handed
    out in order, as the store's would be.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.hash_roots: dict[str, int] = {}
        self.band_roots: dict[int, int] = {}

    def remember(self, batch: Iterable[Item]) -> dict[str, int]:
        """Store the live items of a processed batch; returns their ids by key."""
        live = [item for item in batch if not item.dropped and item.key not in self.ids]
        for item in live:
            self.ids[item.key] = len(self.ids) + 1
        for item in live:
            root = item.duplicate_of_id
            if root is None and item.duplicate_of_key:
                root = self.ids.get(item.duplicate_of_key)
            root = root if root is not None else self.ids[item.key]
            self.hash_roots.setdefault(item.content_hash, root)
            for band in item.bands:
                self.band_roots.setdefault(band, self.ids[item.key])
        return {item.key: self.ids[item.key] for item in live}

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        return {key for key in keys if key in self.ids}

    def roots_by_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        return {h: self.hash_roots[h] for h in hashes if h in self.hash_roots}

    def roots_by_band(self, bands: Sequence[int]) -> dict[int, int]:
        return {b: self.band_roots[b] for b in bands if b in self.band_roots}


@dataclass
class Context:
    index: MentionIndex = field(default_factory=EmptyIndex)
    # Compiled topic matchers; see earful.river.pipeline.topics.TopicMatcher.
    topic_matcher: object | None = None
    # name of the source each item came from, by source id, and its kind (for `source:`).
    source_names: dict[int, str] = field(default_factory=dict)


Component = Callable[[list[Item], Context], list[Item]]


class Pipeline:
    def __init__(self, components: Iterable[tuple[str, Component]]):
        self.components = list(components)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.components]

    def only(self, names: Iterable[str]) -> Pipeline:
        """The same pipeline keeping only the named components, in their order."""
        wanted = set(names)
        return Pipeline((name, c) for name, c in self.components if name in wanted)

    def __call__(self, batch: list[Item], context: Context) -> list[Item]:
        for _, component in self.components:
            live = [item for item in batch if not item.dropped]
            if not live:
                break
            component(live, context)
        return batch
