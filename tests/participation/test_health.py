import socket
import time

import pytest
from channels.layers import channel_layers


@pytest.mark.django_db
def test_healthz_reports_database_and_channel_layer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "channel_layer": "ok"}


def redis_layer_at(settings, url):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "workshops.redis_layer.WorkshopRedisChannelLayer", "CONFIG": {"hosts": [url]}}
    }
    channel_layers.backends.clear()


@pytest.mark.django_db
def test_healthz_is_503_when_the_channel_layer_is_down(client, settings):
    redis_layer_at(settings, "redis://127.0.0.1:1/0")  # a port where nothing listens
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "channel_layer": "error"}


def test_livez_answers_while_shared_services_are_down(client, settings):
    # The load balancer's check: a Redis failover must not take every host out of rotation
    # (no database either: this test may not touch it).
    redis_layer_at(settings, "redis://127.0.0.1:1/0")
    try:
        health, live = client.get("/healthz"), client.get("/livez")
    finally:
        channel_layers.backends.clear()
    assert health.status_code == 503
    assert live.status_code == 200
    assert live.json() == {"process": "ok"}
    assert "no-cache" in live["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_soon_when_redis_accepts_but_never_answers(client, settings):
    # A listener that takes the connection and says nothing, like a hung Redis.
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        redis_layer_at(settings, f"redis://127.0.0.1:{hung.getsockname()[1]}/0")
        started = time.monotonic()
        try:
            response = client.get("/healthz")
        finally:
            channel_layers.backends.clear()
        took = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "channel_layer": "error"}
    assert took < 5, took  # a load balancer's probe gets its answer in time
