from ninja.security import HttpBearer

from .actions import authenticate_api_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = authenticate_api_token(token)
        if api_token is None:
            return None
        request.user = api_token.user
        return api_token
