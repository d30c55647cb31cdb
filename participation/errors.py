"""Domain errors that actions raise and the API turns into HTTP answers
(see ``api_exception_handler``). Django's ValidationError (400) and
PermissionDenied (403) are used as they are."""

from django.core.exceptions import ValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


class Conflict(Exception):
    """The object's state does not allow this now (409)."""


class RateLimited(Exception):
    """Too many attempts (429, with Retry-After)."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class Unauthenticated(Exception):
    """Sign in first (401)."""


def api_exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RateLimited):
        return Response(
            {"detail": str(exc)},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, Unauthenticated):
        exc = exceptions.NotAuthenticated(str(exc))
    return exception_handler(exc, context)
