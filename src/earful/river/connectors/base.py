"""The interface every polling connector implements, and what a poll hands back."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from ..pipeline.items import RawItem

log = logging.getLogger(__name__)


class ConnectorError(Exception):
    """A poll failed; the message says which source URL and why."""


class BadItem(ValueError):
    """One item of a page is malformed; it is skipped and the rest of the page goes on."""


@dataclass
class FetchResult:
    items: list[RawItem]
    state: dict
    not_modified: bool = False
    skipped: list[str] = field(default_factory=list)  # why each malformed item was left out


class Connector(ABC):
    kind: str = ""

    @abstractmethod
    def validate_config(self, config: dict) -> dict:
        """The normalised config; ValueError with a user-facing message when it is unusable."""

    @abstractmethod
    def poll(self, config: dict, state: dict) -> FetchResult:
        """Fetch what is new since `state`; config is already validated."""

    def fetch(self, config: dict, state: dict) -> FetchResult:
        """Fetch new items; raises ConnectorError and nothing else."""
        try:
            config = self.validate_config(config)
        except ValueError as exc:
            raise ConnectorError(f"{self.kind} source misconfigured: {exc}") from exc
        if not isinstance(state, dict):
            state = {}
        try:
            return self.poll(config, dict(state))
        except ConnectorError:
            raise
        except Exception as exc:  # a bug or an input we did not foresee: report, do not crash
            log.exception("%s connector failed", self.kind)
            raise ConnectorError(
                f"{self.kind} connector failed on {describe(config)}: {exc!r}"
            ) from exc


def describe(config: dict) -> str:
    """A short description of where a source points, for error messages."""
    for key in ("url", "instance", "base_url"):
        if config.get(key):
            return str(config[key])
    return "its configured address"
