"""State changes for users and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.utils import timezone

from .models import ApiToken
from .roles import ROLES

TOKEN_PREFIX = "ef_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Make a token; the plain value is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "token", prefix=plain[:10], digest=_digest(plain)
    )
    return token, plain


def authenticate_api_token(plain: str) -> ApiToken | None:
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(plain), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def revoke_api_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_user(username: str) -> AbstractBaseUser:
    """The named user, created without a password (it can only use API tokens) if new."""
    from django.contrib.auth import get_user_model

    username = username.strip()
    if not username:
        raise ValueError("a user name is required")
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def ensure_roles() -> None:
    """Create the role groups and give each exactly its permissions; safe to run again."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    create_permissions(apps.get_app_config("accounts"), verbosity=0)
    permissions = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label="accounts")
    }
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([permissions[codename] for codename in codenames])


def set_roles(user: AbstractBaseUser, roles: list[str]) -> None:
    """Give the user exactly these roles."""
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(unknown)}; roles are {', '.join(ROLES)}")
    groups = Group.objects.filter(name__in=roles)
    if len(groups) < len(set(roles)):  # migrate creates them; a flushed database has none
        ensure_roles()
    user.groups.set(groups.all())


DEMO_USERS = {
    "admin": ["admin"],
    "listener": ["listener"],
    "responder": ["responder"],
    "maya": ["author"],  # the lead blogger on tour
}


def demo_logins(password_file) -> tuple[str, dict[str, str]]:
    """Demo users, one per role, sharing one password kept in `password_file` (created
    with a random password the first time, readable by its owner only). Returns the
    password and {user name: role}. The "admin" user is also a superuser, for /admin/."""
    import os
    from pathlib import Path

    from django.contrib.auth import get_user_model

    path = Path(password_file)
    if path.exists():
        password = path.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(password + "\n")
    users = {}
    for username, roles in DEMO_USERS.items():
        user, _ = get_user_model().objects.get_or_create(username=username)
        if not user.check_password(password):
            user.set_password(password)
        if username == "admin":
            user.is_staff = user.is_superuser = True
        user.save()
        set_roles(user, roles)
        users[username] = roles[0]
    return password, users


def create_console_user(username: str, password: str, roles: list[str], email: str = ""):
    """A person who logs in to the console with these roles; the password must pass the
    configured validators. Raises ValueError saying what is wrong."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.db import transaction

    username = username.strip()
    users = get_user_model()
    if not username or len(username) > 150:
        raise ValueError("a user name of 1 to 150 characters is required")
    if users.objects.filter(username=username).exists():
        raise ValueError(f"there is already a user {username!r}")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValueError(f"{email!r} is not an e-mail address") from exc
    user = users(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        set_roles(user, roles)
    return user
