"""The registry of connectors: what actions.create_source and poll_source rely on."""

import pytest

from earful.river.connectors import (
    CONNECTORS,
    Connector,
    ConnectorError,
    FetchResult,
    get_connector,
    validate_config,
)
from earful.river.models import Source


def test_every_polled_source_kind_has_a_connector():
    assert set(CONNECTORS) == set(Source.POLLED_KINDS)
    for kind, connector in CONNECTORS.items():
        assert isinstance(connector, Connector) and connector.kind == kind


@pytest.mark.parametrize("kind", ["import", "twitter", "", None])
def test_an_unknown_kind_is_a_clear_error(kind):
    with pytest.raises(ValueError, match="no connector polls sources of kind"):
        get_connector(kind)
    with pytest.raises(ValueError):
        validate_config(kind, {})


class Exploding(Connector):
    kind = "exploding"

    def validate_config(self, config: dict) -> dict:
        return config

    def poll(self, config: dict, state: dict) -> FetchResult:
        raise KeyError("a bug")


def test_fetch_raises_nothing_but_connector_error():
    with pytest.raises(ConnectorError, match="exploding connector failed on https://x.example"):
        Exploding().fetch({"url": "https://x.example"}, {})


def test_fetch_does_not_share_the_callers_state():
    class Recording(Exploding):
        def poll(self, config: dict, state: dict) -> FetchResult:
            state["touched"] = True
            return FetchResult(items=[], state=state)

    original = {"kept": 1}
    result = Recording().fetch({}, original)
    assert original == {"kept": 1} and result.state == {"kept": 1, "touched": True}
