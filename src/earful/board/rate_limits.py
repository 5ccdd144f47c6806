"""Per-user rate limits on the board: a fixed-window counter in Django's cache.

Rates are "<count>/<unit>" with unit s, m, h or d ("5/m": five per clock minute), from the
settings EARFUL_BOARD_COMMENT_RATE (default 5/m) and EARFUL_BOARD_IDEA_RATE (default
10/h). Each window is one cache key per user, incremented atomically by the cache backend;
several web processes share the limit only through a shared cache (database, Redis,
Memcached), as with the blog's linkback limit.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

COMMENT_SETTING, DEFAULT_COMMENT_RATE = "EARFUL_BOARD_COMMENT_RATE", "5/m"
IDEA_SETTING, DEFAULT_IDEA_RATE = "EARFUL_BOARD_IDEA_RATE", "10/h"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate: str, setting: str) -> tuple[int, int]:
    """ "5/m" -> (5, 60): how many per how many seconds. "30/10m" is 30 per 10 minutes."""
    match = _RATE.match(str(rate))
    if not match:
        raise ImproperlyConfigured(
            f"{setting} must look like '5/m' (count / s, m, h or d), not {rate!r}"
        )
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * UNITS[unit]


def _take(bucket: str, setting: str, default: str, user_id: int, now: float | None) -> bool:
    limit, window = parse_rate(getattr(settings, setting, default), setting)
    now = time.time() if now is None else now
    key = f"earful:board:{bucket}:{user_id}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def take_comment(user_id: int, now: float | None = None) -> bool:
    """Count one comment by the user; False when they are over the limit for now."""
    return _take("comments", COMMENT_SETTING, DEFAULT_COMMENT_RATE, user_id, now)


def take_idea(user_id: int, now: float | None = None) -> bool:
    """Count one idea by the user; False when they are over the limit for now."""
    return _take("ideas", IDEA_SETTING, DEFAULT_IDEA_RATE, user_id, now)
