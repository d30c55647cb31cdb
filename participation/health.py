"""GET /healthz: can this process serve? Does the database answer, is the channel layer reachable?
GET /livez: does this process answer at all? (the load balancer's check, below)

The channel layer is checked with a PING to each of its Redis servers on a connection of
this check's own, not with a message sent through the layer and received back: such a
receive competes with the process's own sockets and hubs (channels_redis lets one event
loop at a time receive, and one receiver at a time poll), so with sockets open it failed
although fan-out worked (tests/participation/test_health_live.py). The in-memory layer
lives inside the process and is there whenever the process is.
"""

import logging
import threading

import redis
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import redis_sentinel

log = logging.getLogger(__name__)

# A load balancer polls every few seconds: answer within about this long however Redis fails.
TIMEOUT = 1.0
# Host options channels_redis passes to redis-py that this check sets itself.
_OWN_OPTIONS = {"address", "socket_timeout", "socket_connect_timeout", "max_connections", "retry_on_timeout"}

_clients = {}
_clients_lock = threading.Lock()


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        log.exception("health check: database")
        return False


def _client(host):
    """One small client per Redis server of the layer, kept for the next probes."""
    key = repr(sorted(host.items(), key=repr))
    with _clients_lock:
        client = _clients.get(key)
        if client is None and "master_name" in host:
            # Behind Sentinel: the primary they name now (asked again on every probe).
            client = _clients[key] = redis_sentinel.primary_client(host, TIMEOUT)
        if client is None:
            options = {name: value for name, value in host.items() if name not in _OWN_OPTIONS}
            # No retries: a probe reports what it finds within TIMEOUT.
            options.update(socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT, max_connections=4, retry=None)
            address = host.get("address")  # else {"host": …, "port": …}
            client = redis.Redis.from_url(address, **options) if address else redis.Redis(**options)
            _clients[key] = client
        return client


def _channel_layer_ok():
    layer = get_channel_layer()
    if layer is None:
        return False
    hosts = getattr(layer, "hosts", None)
    if hosts is None:
        return True  # in-memory: part of this process
    try:
        return all(_client(host).ping() for host in hosts)
    except Exception as error:
        log.warning("health check: channel layer unreachable (%s)", error)
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


@require_GET
@never_cache
def livez(request):
    """The load balancer's check: 200 whenever this process answers, without asking the
    database or Redis. Those are shared by every host: checked here, a Redis failover or a
    slow database would mark every host down at once, and the balancer would cut every
    live socket although each host could serve again seconds later. A host that is cut
    off, stopped or hung fails this check by not answering; /healthz is for monitoring."""
    return JsonResponse({"process": "ok"})
