"""GET /healthz: does the database answer, does the channel layer carry a message?"""

import asyncio
import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        log.exception("health check: database")
        return False


async def _round_trip(layer):
    channel = await layer.new_channel("healthz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    return message.get("token") == token


def _channel_layer_ok():
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        return async_to_sync(_round_trip)(layer)
    except Exception:
        log.exception("health check: channel layer")
        return False


@require_GET
@never_cache
def healthz(request):
    checks = {
        "database": "ok" if _database_ok() else "error",
        "channel_layer": "ok" if _channel_layer_ok() else "error",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
