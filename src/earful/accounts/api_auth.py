from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from .actions import authenticate_api_token
from .roles import perm


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = authenticate_api_token(token)
        if api_token is None:
            return None
        request.user = api_token.user
        return api_token


def require_permission(request: HttpRequest, *codenames: str) -> None:
    """403 unless the token's user holds one of these console permissions."""
    if not any(request.user.has_perm(perm(codename)) for codename in codenames):
        raise HttpError(403, f"this token's user lacks the {' or '.join(codenames)} permission")
