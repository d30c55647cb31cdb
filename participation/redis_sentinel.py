"""Redis behind Sentinel: the primary is whichever server the Sentinels name now.

With ``REDIS_SENTINELS`` (see config/settings.py) the channel layer and the cache ask the
Sentinels for the primary instead of connecting to a fixed address, and again after a
connection to it fails, so a failover needs no restart of any process:

- the channel layer through channels_redis, whose hosts take ``master_name`` and
  ``sentinels`` as they are;
- Django's Redis cache through :class:`SentinelCachePool`: Django makes its pools with
  ``pool_class.from_url(LOCATION, **OPTIONS)``, and with Sentinel the location names no
  server;
- the health check through :func:`primary_client`.
"""

import redis
from redis.sentinel import Sentinel, SentinelConnectionPool


def _sentinel(sentinels, sentinel_kwargs, timeout):
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, **(sentinel_kwargs or {})}
    return Sentinel([tuple(address) for address in sentinels], sentinel_kwargs=options)


class SentinelCachePool(SentinelConnectionPool):
    """A pool of connections to the primary the Sentinels name, for Django's RedisCache."""

    @classmethod
    def from_url(cls, url, *, master_name, sentinels, sentinel_kwargs=None, **options):
        timeout = options.get("socket_connect_timeout") or options.get("socket_timeout")
        return cls(master_name, _sentinel(sentinels, sentinel_kwargs, timeout), **options)


def primary_client(host, timeout):
    """A client of the primary for a channel-layer host with ``master_name``; every call
    asks the Sentinels where the primary is, each within ``timeout`` seconds."""
    sentinel = _sentinel(host["sentinels"], host.get("sentinel_kwargs"), timeout)
    return sentinel.master_for(
        host["master_name"],
        redis_class=redis.Redis,
        password=host.get("password"),
        db=host.get("db", 0),
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        max_connections=4,
        retry=None,
    )
