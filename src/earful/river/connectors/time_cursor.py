"""Remember how far a search-style source has been read, by timestamp.

Search APIs filter by time inclusively ("created at or after"), so the cursor keeps the
newest timestamp seen *and* the ids seen at exactly that instant: the next poll asks from
that instant and drops those ids, so nothing is lost and nothing is handed over twice.
"""

from __future__ import annotations

import math
import time
from typing import Any

MAX_IDS_KEPT = 200


class TimeCursor:
    def __init__(self, since: float | None = None, ids_at_since: set[str] | None = None) -> None:
        self.since = since
        self.ids_at_since = ids_at_since or set()
        self._newest = since
        self._newest_ids = set(self.ids_at_since)

    @classmethod
    def from_state(cls, state: dict, key: str) -> TimeCursor:
        """The cursor saved under state[key]; a damaged or missing one starts afresh."""
        saved: Any = state.get(key)
        if not isinstance(saved, dict):
            return cls()
        since = saved.get("since")
        if isinstance(since, bool) or not isinstance(since, int | float):
            return cls()
        if not math.isfinite(since):
            return cls()
        ids = saved.get("ids")
        kept = {str(i) for i in ids if isinstance(i, str | int)} if isinstance(ids, list) else set()
        return cls(float(since), kept)

    def is_new(self, when: float, item_id: str) -> bool:
        if self.since is None or when > self.since:
            return True
        return when == self.since and item_id not in self.ids_at_since

    def saw(self, when: float, item_id: str) -> None:
        # A clock set in the future must not make the cursor skip what comes next.
        when = min(when, time.time())
        if self._newest is None or when > self._newest:
            self._newest = when
            self._newest_ids = {item_id}
        elif when == self._newest:
            self._newest_ids.add(item_id)

    def to_state(self) -> dict | None:
        if self._newest is None:
            return None
        return {"since": self._newest, "ids": sorted(self._newest_ids)[:MAX_IDS_KEPT]}
