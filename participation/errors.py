"""Domain errors that actions raise and the API turns into HTTP answers
(see ``api_exception_handler``). Django's ValidationError (400) and
PermissionDenied (403) are used as they are."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, ValidationError
from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from .replica import reading_from_replica

log = logging.getLogger(__name__)


class Conflict(Exception):
    """The object's state does not allow this now (409)."""


class RateLimited(Exception):
    """Too many attempts (429, with Retry-After)."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class Unauthenticated(Exception):
    """Sign in first (401)."""


# A lost database connection (restart, failover, terminated backend) is not the client's
# fault: a JSON 503 the client can retry, never an HTML 500. Ballots are idempotent per
# voter, so sending the same ballot again counts it once (tests/reliability).
DATABASE_RETRY_AFTER = 1
DATABASE_UNAVAILABLE = gettext_lazy(
    "Die Datenbank ist kurz nicht erreichbar; senden Sie dieselbe Anfrage gleich noch einmal."
)


def database_unavailable(exc):
    log.warning("database unavailable, answered 503: %s: %s", type(exc).__name__, exc)
    # Drop a broken connection now so this thread's next request opens a fresh one; one in
    # an atomic block is left to the block, which rolls back and closes it on the way out.
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.in_atomic_block and not conn.is_usable():
            conn.close()
    return Response(
        {"detail": str(DATABASE_UNAVAILABLE), "retry": True},
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
    )


def bad_request(request, exception):
    """Django's 400 (``handler400``): for what Django refuses before or outside DRF's parsers
    (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many query or form fields, a bad Host), a
    JSON answer under /api/ like the API's other errors, naming the problem."""
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        message = _("Die Anfrage ist zu groß (höchstens %(limit)d Bytes).") % {
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        }
    elif isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message = _("Die Anfrage enthält zu viele Felder.")
    else:
        message = _("Ungültige Anfrage.")
    return JsonResponse(
        {"detail": message}, status=status.HTTP_400_BAD_REQUEST, json_dumps_params={"ensure_ascii": False}
    )


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
    if isinstance(exc, OperationalError | InterfaceError):
        if reading_from_replica():
            return None  # raised on: ReplicaMiddleware runs the view again on the primary
        return database_unavailable(exc)
    return exception_handler(exc, context)
