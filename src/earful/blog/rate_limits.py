"""Per-source-host rate limits for received linkbacks: a fixed-window counter in Django's cache.

The rate is the setting EARFUL_BLOG_LINKBACK_RATE, "<count>/<unit>" with unit s, m, h or d
(for example "20/h": at most 20 linkbacks from one host per clock hour). Each window is one
cache key per host, created with the window's length as its timeout and incremented
atomically by the cache backend, so the count survives restarts only as long as the cache
does. Several web processes share the limit only through a shared cache (database, Redis,
Memcached); with the default per-process memory cache each process counts on its own.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

DEFAULT_RATE = "20/h"
SETTING = "EARFUL_BLOG_LINKBACK_RATE"
# Comments from one IP address (staff excepted), the same way.
DEFAULT_COMMENT_RATE = "5/m"
COMMENT_SETTING = "EARFUL_BLOG_COMMENT_RATE"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate: str, setting: str = SETTING) -> tuple[int, int]:
    """ "20/h" -> (20, 3600): how many per how many seconds. "30/10m" is 30 per 10 minutes."""
    match = _RATE.match(str(rate))
    if not match:
        raise ImproperlyConfigured(
            f"{setting} must look like '20/h' (count / s, m, h or d), not {rate!r}"
        )
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * UNITS[unit]


def linkback_rate() -> tuple[int, int]:
    return parse_rate(getattr(settings, SETTING, DEFAULT_RATE))


def comment_rate() -> tuple[int, int]:
    rate = getattr(settings, COMMENT_SETTING, DEFAULT_COMMENT_RATE)
    return parse_rate(rate, COMMENT_SETTING)


def take(host: str, now: float | None = None) -> bool:
    """Count one linkback from `host`; False when the host is over its limit for now."""
    return take_in_window("blog:linkback-rate", host.lower(), linkback_rate(), now)


def take_comment(address: str, now: float | None = None) -> bool:
    """Count one comment from this IP address; False when it is over its limit for now."""
    return take_in_window("blog:comment-rate", address, comment_rate(), now)


def take_in_window(bucket: str, who: str, rate: tuple[int, int], now: float | None) -> bool:
    """Count one event of `who` in `bucket` for the current window of `rate` (count,
    seconds); False when that makes more than the count. The blog and the board share it."""
    limit, window = rate
    now = time.time() if now is None else now
    key = f"earful:{bucket}:{who}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        count = 1
    return count <= limit
