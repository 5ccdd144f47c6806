"""Other apps hear about freshly stored mentions here, inside the store's transaction.

The inbox registers one (it opens a triage item for what needs an answer). A hook gets the
source and (mention id, item) pairs; whatever it writes commits or rolls back with them.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Source
from .pipeline.items import Item

StoredHook = Callable[[Source, list[tuple[int, Item]]], None]
_hooks: list[StoredHook] = []


def after_store(hook: StoredHook) -> StoredHook:
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def run_after_store(source: Source, stored: list[tuple[int, Item]]) -> None:
    for hook in _hooks:
        hook(source, stored)
