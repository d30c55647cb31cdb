"""The suite runs against the real services when CI provides them.

Locally (no DATABASE_URL / REDIS_URL) these tests skip; in CI (REQUIRE_SERVICES=1)
a skip counts as a failure, so CI cannot silently fall back to SQLite or memory.
"""

import os

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection


@pytest.mark.django_db
def test_database_is_postgresql_when_database_url_says_so():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0]


def test_channel_layer_round_trip_through_redis():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set")
    layer = get_channel_layer()
    from channels_redis.core import RedisChannelLayer

    assert isinstance(layer, RedisChannelLayer)

    async def round_trip():
        channel = await layer.new_channel()
        await layer.group_add("test-services", channel)
        await layer.group_send("test-services", {"type": "hello", "text": "über Redis"})
        message = await layer.receive(channel)
        await layer.group_discard("test-services", channel)
        return message

    assert async_to_sync(round_trip)() == {"type": "hello", "text": "über Redis"}


def test_a_connection_pool_is_used_when_the_database_url_asks_for_it():
    """Production runs many requests in threads; ?pool=true keeps PostgreSQL's connections bounded."""
    import subprocess
    import sys
    from pathlib import Path

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    pooled = url + ("&" if "?" in url else "?") + "pool=true"
    code = (
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection(); print(type(connection.pool).__name__, connection.settings_dict['OPTIONS'])"
    )
    env = {**os.environ, "DATABASE_URL": pooled, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ConnectionPool")
