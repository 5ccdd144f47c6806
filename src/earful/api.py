"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .accounts.api_auth import TokenAuth
from .board.api import router as board_router
from .community.api import router as community_router
from .inbox.api import router as inbox_router
from .river.api import router as river_router

api = NinjaAPI(
    title="Earful API",
    version="1",
    description="Push mentions into the river and read what it heard. "
    "Authenticate with `Authorization: Bearer <token>` (create one with `earful tokens add`).",
    auth=TokenAuth(),
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(
        request, {"error": "invalid request", "detail": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc: AuthenticationError):
    return api.create_response(
        request, {"error": "a valid API token is required (Authorization: Bearer …)"}, status=401
    )


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc: RequestDataTooBig):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return api.create_response(
        request,
        {"error": f"the request body is larger than {limit} MB; send smaller batches"},
        status=413,
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"error": str(exc)}, status=exc.status_code)


api.add_router("/", river_router)
api.add_router("/", inbox_router)
api.add_router("/", board_router)
api.add_router("/", community_router)
