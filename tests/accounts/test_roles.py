import pytest
from django.contrib.auth.models import Group

from earful.accounts.actions import ensure_roles, set_roles
from earful.accounts.roles import ROLES, perm

pytestmark = pytest.mark.django_db


def test_migrating_creates_each_role_with_exactly_its_permissions():
    for role, codenames in ROLES.items():
        group = Group.objects.get(name=role)
        assert set(group.permissions.values_list("codename", flat=True)) == codenames


def test_ensure_roles_repairs_a_changed_group_and_is_idempotent():
    Group.objects.get(name="listener").permissions.clear()
    ensure_roles()
    ensure_roles()
    assert Group.objects.filter(name="listener").count() == 1
    assert "view_dashboard" in Group.objects.get(name="listener").permissions.values_list(
        "codename", flat=True
    )


def test_roles_grant_permissions(user_with_roles):
    listener = user_with_roles("listener")
    responder = user_with_roles("responder")
    assert listener.has_perm(perm("view_dashboard"))
    assert not listener.has_perm(perm("triage_inbox"))
    assert responder.has_perm(perm("triage_inbox"))
    assert not responder.has_perm(perm("view_dashboard"))


def test_unknown_roles_and_permissions_are_refused(user_with_roles):
    user = user_with_roles("listener")
    with pytest.raises(ValueError, match="unknown role"):
        set_roles(user, ["listener", "overlord"])
    assert list(user.groups.values_list("name", flat=True)) == ["listener"]
    with pytest.raises(ValueError, match="unknown console permission"):
        perm("launch_rockets")
