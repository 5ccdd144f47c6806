"""Shared web plumbing: safe outbound HTTP (see `earful.web.http`)."""

from .http import (
    BlockedAddress,
    FetchError,
    FetchTimeout,
    Response,
    TooLarge,
    TooManyRedirects,
    fetch,
)

__all__ = [
    "BlockedAddress",
    "FetchError",
    "FetchTimeout",
    "Response",
    "TooLarge",
    "TooManyRedirects",
    "fetch",
]
