"""Rate limits and lockouts are brakes, not locks on the door: with the cache's Redis
unreachable (nothing listening, or a Redis that accepts and never answers), ballots, joins
and logins still succeed, quickly, with a logged warning. Where a feature truly needs
Redis, the client gets a 503 with Retry-After in its language, never a 500."""

import logging
import socket
import time

import pytest
import redis
from django.test import override_settings

from participation import login, security
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions as voting_actions
from workshops import api as workshop_api
from workshops.actions import create_workshop


def redis_cache_at(port):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "cache",
            # As in settings.py: a Redis that does not answer costs a request at most these.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture(autouse=True)
def fresh_breaker(monkeypatch):
    monkeypatch.setattr(security, "_cache_paused_until", 0.0, raising=False)


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once closed


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel's backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield sock.getsockname()[1]
    sock.close()


def everything_a_citizen_does(client, expect_fast=True):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes, _batch = voting_actions.generate_access_codes(facilitator, consultation, 2)
    url = f"/api/consultations/{consultation.pk}/ballot"
    started = time.monotonic()
    answers = {
        "code ballot": client.put(
            url, {"access_code": codes[0], "ballot": {"approve": [ids[0]]}}, content_type="application/json"
        ).status_code,
        "changed ballot": client.put(
            url, {"access_code": codes[0], "ballot": {"approve": [ids[1]]}}, content_type="application/json"
        ).status_code,
        "wrong code": client.put(
            url, {"access_code": "FALSCH0000000000", "ballot": {"approve": [ids[0]]}}, content_type="application/json"
        ).status_code,
    }
    open_consultation, _facilitator, open_ids = make_consultation(method="approval", eligibility="open")
    answers["open ballot"] = client.put(
        f"/api/consultations/{open_consultation.pk}/ballot",
        {"ballot": {"approve": [open_ids[0]]}},
        content_type="application/json",
    ).status_code
    workshop = create_workshop(facilitator, facilitator.facilitated_processes.first(), "Werkstatt")
    answers["join"] = client.post(
        f"/api/workshops/{workshop.code}/join", {"display_name": "Ada"}, content_type="application/json"
    ).status_code
    citizen = factories.make_user()
    answers["login"] = client.post(
        "/konto/anmelden/", {"username": citizen.username, "password": factories.PASSWORD}
    ).status_code
    elapsed = time.monotonic() - started
    assert answers == {
        "code ballot": 201,
        "changed ballot": 200,
        "wrong code": 403,
        "open ballot": 201,
        "join": 201,
        "login": 302,
    }
    assert consultation.ballots.count() == 1 and open_consultation.ballots.count() == 1
    return elapsed


def test_nothing_listening_at_the_cache_changes_nothing_for_citizens(client, db, closed_port, caplog):
    with override_settings(CACHES=redis_cache_at(closed_port)), caplog.at_level(logging.WARNING):
        elapsed = everything_a_citizen_does(client)
    assert elapsed < 10
    assert any("cache unreachable" in r.getMessage() for r in caplog.records)


def test_a_silent_cache_costs_one_short_timeout_not_one_per_request(client, db, silent_port, caplog):
    with override_settings(CACHES=redis_cache_at(silent_port)), caplog.at_level(logging.WARNING):
        elapsed = everything_a_citizen_does(client)
    warnings = [r for r in caplog.records if "cache unreachable" in r.getMessage()]
    # One timeout (0.5 s), then the cache is left alone for CACHE_PAUSE_SECONDS.
    assert 1 <= len(warnings) <= 1 + elapsed / security.CACHE_PAUSE_SECONDS
    assert elapsed < 5


def test_the_brakes_come_back_with_the_cache(client, db, monkeypatch):
    monkeypatch.setattr(workshop_api, "JOINS_PER_ADDRESS", 2)
    facilitator = factories.make_facilitator(factories.make_process())
    workshop = create_workshop(facilitator, facilitator.facilitated_processes.first(), "Klein")
    url = f"/api/workshops/{workshop.code}/join"
    statuses = [client.post(url, {"display_name": "A"}, content_type="application/json").status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def fail_with_redis(*args, **kwargs):
    raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_a_feature_that_needs_redis_answers_503_json_in_the_clients_language(client, db, monkeypatch):
    monkeypatch.setattr(workshop_api, "join_workshop", fail_with_redis)
    facilitator = factories.make_facilitator(factories.make_process())
    workshop = create_workshop(facilitator, facilitator.facilitated_processes.first(), "Werkstatt")
    url = f"/api/workshops/{workshop.code}/join"
    for language, words in (("de", "kurz nicht erreichbar"), ("en", "briefly unavailable")):
        response = client.post(
            url, {"display_name": "Ada"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert int(response["Retry-After"]) > 0
        assert words in response.json()["detail"] and response.json()["retry"] is True


def test_a_page_that_needs_redis_answers_503_html_in_the_clients_language(client, db, monkeypatch):
    monkeypatch.setattr(login, "login_locked", fail_with_redis)
    for path, words in (("/konto/anmelden/", "kurz nicht erreichbar"), ("/en/konto/anmelden/", "briefly unavailable")):
        response = client.post(path, {"username": "ada", "password": "x"})
        assert response.status_code == 503, path
        assert response["Content-Type"].startswith("text/html")
        assert int(response["Retry-After"]) > 0
        assert words in response.content.decode()
