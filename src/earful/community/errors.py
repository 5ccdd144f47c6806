"""What the community's actions raise when they refuse. The message is for a person; the
class says what kind of refusal it is, so the pages show the message and the API picks
its HTTP status from the class (never from the wording):

- CommunityError itself: the input does not fit (empty, too long, unknown choice): 400
- NotAllowed: this person may not do this (not signed in, suspended, not theirs): 403
- NotFound: what it acts on is not there: 404
- Conflict: the state of things forbids it now (already done, not published): 409
- RateLimited: too much too fast; `retry_after` seconds until it may go again: 429
"""

from __future__ import annotations

import time

# Members' posts are counted per clock hour (rate_limits.take_post).
POSTING_WINDOW_SECONDS = 3600


class CommunityError(ValueError):
    """The community cannot do this; the message says why, in words for the person."""


class NotAllowed(CommunityError):
    """The person may not do this (signed out, suspended, lacks the level or the role)."""


class NotFound(CommunityError):
    """The question, answer, report or member it is about does not exist (any more)."""


class Conflict(CommunityError):
    """The thing is not in a state that allows it: already there, not published, decided."""


class RateLimited(CommunityError):
    """Too many in the window; `retry_after` is how many seconds until the next window."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        if retry_after is None:
            now = int(time.time())
            retry_after = POSTING_WINDOW_SECONDS - now % POSTING_WINDOW_SECONDS
        self.retry_after = max(1, int(retry_after))
