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

    def __call__(self, batch: list[Item], context: Context) -> list[Item]:
        for _, component in self.components:
            live = [item for item in batch if not item.dropped]
            if not live:
                break
            component(live, context)
        return batch
