"""Per-user rate limits on the board: a fixed-window counter in Django's cache.

Rates are "<count>/<unit>" with unit s, m, h or d ("5/m": five per clock minute), from the
settings EARFUL_BOARD_COMMENT_RATE (default 5/m) and EARFUL_BOARD_IDEA_RATE (default
10/h). Each window is one cache key per user, incremented atomically by the cache backend;
several web processes share the limit only through a shared cache (database, Redis,
Memcached). The counter and the rate syntax are the blog's (earful.blog.rate_limits).
"""

from __future__ import annotations

from django.conf import settings

from earful.blog.rate_limits import parse_rate, take_in_window

COMMENT_SETTING, DEFAULT_COMMENT_RATE = "EARFUL_BOARD_COMMENT_RATE", "5/m"
IDEA_SETTING, DEFAULT_IDEA_RATE = "EARFUL_BOARD_IDEA_RATE", "10/h"


def _take(bucket: str, setting: str, default: str, user_id: int, now: float | None) -> bool:
    rate = parse_rate(getattr(settings, setting, default), setting)
    return take_in_window(f"board:{bucket}", str(user_id), rate, now)


def take_comment(user_id: int, now: float | None = None) -> bool:
    """Count one comment by the user; False when they are over the limit for now."""
    return _take("comments", COMMENT_SETTING, DEFAULT_COMMENT_RATE, user_id, now)


def take_idea(user_id: int, now: float | None = None) -> bool:
    """Count one idea by the user; False when they are over the limit for now."""
    return _take("ideas", IDEA_SETTING, DEFAULT_IDEA_RATE, user_id, now)
