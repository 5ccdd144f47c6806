import stat

import pytest
from django.contrib.auth import authenticate

from earful.accounts.actions import demo_logins
from earful.accounts.roles import perm

pytestmark = pytest.mark.django_db


def test_demo_logins_make_one_user_per_role_with_a_kept_private_password(tmp_path):
    password_file = tmp_path / "demo-password"
    password, users = demo_logins(password_file)

    assert users == {
        "admin": "admin",
        "listener": "listener",
        "responder": "responder",
        "maya": "author",
    }
    assert len(password) >= 12
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    listener = authenticate(username="listener", password=password)
    assert listener is not None and listener.has_perm(perm("view_dashboard"))
    assert not listener.has_perm(perm("triage_inbox"))
    assert authenticate(username="admin", password=password).is_superuser

    again, _ = demo_logins(password_file)
    assert again == password
