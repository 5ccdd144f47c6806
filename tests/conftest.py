import pytest


@pytest.fixture
def allow_loopback(settings):
    """Let earful.web reach servers on this machine, as tests need to."""
    settings.EARFUL_ALLOW_NETWORKS = ["127.0.0.0/8", "::1/128"]
    return settings
