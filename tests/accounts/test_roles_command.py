from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("roles", *args, stdout=out)
    return out.getvalue()


def test_roles_command_sets_and_lists_roles():
    get_user_model().objects.create_user("api")
    assert run("set", "api", "listener", "responder") == "api: listener, responder\n"
    assert "api: listener, responder" in run("list")
    assert run("set", "api") == "api: no role\n"
    with pytest.raises(CommandError, match="no user"):
        run("set", "ghost", "listener")
    with pytest.raises(CommandError):
        run("set", "api", "overlord")
