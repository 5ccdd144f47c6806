import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """MD5 instead of 1,000,000 rounds of PBKDF2 for test users: creating or logging in a
    user costs milliseconds, not a second. Production keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached lookups live in the cache: each test starts empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def allow_loopback(settings):
    """Let earful.web reach servers on this machine, as tests need to."""
    settings.EARFUL_ALLOW_NETWORKS = ["127.0.0.0/8", "::1/128"]
    return settings


@pytest.fixture
def user_with_roles(db, django_user_model):
    """Make a user holding the given console roles: user_with_roles("listener")."""
    from earful.accounts.actions import set_roles

    def make(*roles: str, username: str = ""):
        user = django_user_model.objects.create_user(
            username or "-".join(roles) or "nobody", password="a-long-test-password"
        )
        set_roles(user, list(roles))
        return user

    return make
