"""The client's address behind a reverse proxy: X-Forwarded-For counts only when the
direct peer is one of TRUSTED_PROXIES, and then its right-most entry that is not a
trusted proxy. Two clients behind the proxy are told apart (one guessing codes and
passwords does not slow the other); a client talking to Daphne directly cannot choose
its address by writing the header."""

import os
import subprocess
import sys

import pytest
from django.test import override_settings

from participation import security
from participation.security import address_of
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions as voting_actions

PROXY = "10.0.0.1"
GUESSER = "198.51.100.1"
VOTER = "198.51.100.2"
STRANGER = "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24", "2001:db8:ff::/48"])
@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # No trusted peer: the header is the client's own writing.
        (STRANGER, "1.2.3.4", STRANGER),
        (STRANGER, "", STRANGER),
        # The proxy's peer is the right-most entry it appended.
        (PROXY, GUESSER, GUESSER),
        (PROXY, f"6.6.6.6, {GUESSER}", GUESSER),  # whatever the client wrote in front is ignored
        (PROXY, f"{GUESSER}, 10.0.0.7", GUESSER),  # two trusted proxies in a row
        (PROXY, "", PROXY),  # a proxy that sent no header is taken as the client
        (PROXY, "10.0.0.7, 10.0.0.8", "10.0.0.7"),
        (PROXY, "nonsense", PROXY),  # not an address: stay with the last trusted hop
        (PROXY, f"{GUESSER}:5123", GUESSER),
        (PROXY, "[2001:db8:1:2::7]:443", "2001:db8:1:2::/64"),
        # IPv6 clients count per /64; mapped IPv4 is IPv4.
        ("2001:db8:1:2::7", "", "2001:db8:1:2::/64"),
        ("2001:db8:ff::1", "2001:db8:5:6::9", "2001:db8:5:6::/64"),
        ("::ffff:10.0.0.1", GUESSER, GUESSER),
        ("", "", "unknown"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(peer, forwarded, client):
    assert address_of(peer, forwarded) == client


def test_without_trusted_proxies_the_header_is_ignored():
    assert address_of(PROXY, GUESSER) == PROXY


def settings_with(value):
    env = {**os.environ, "TRUSTED_PROXIES": value, "DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "-c", "from config import settings as s; print(s.TRUSTED_PROXIES)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_bad_trusted_proxy_stops_the_start_with_the_variable_named():
    for bad in ("10.0.0.300", "proxy.example", "10.0.0.1/8"):
        result = settings_with(f"10.0.0.2, {bad}")
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and "TRUSTED_PROXIES" in result.stderr, result.stderr
        assert repr(bad) in result.stderr
    good = settings_with(" 10.0.0.2 , 192.168.0.0/16,::1 ")
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == "['10.0.0.2/32', '192.168.0.0/16', '::1/128']"


def behind_proxy(client_ip):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_ip}


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_a_guesser_does_not_slow_a_voter(client, db, monkeypatch):
    monkeypatch.setattr(voting_actions, "FAILED_ATTEMPTS_LIMIT", 5)
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes, _batch = voting_actions.generate_access_codes(facilitator, consultation, 2)
    url = f"/api/consultations/{consultation.pk}/ballot"

    def put(code, who):
        body = {"access_code": code, "ballot": {"approve": [ids[0]]}}
        return client.put(url, body, content_type="application/json", **who)

    answers = [put(f"FALSCH{n:010d}", behind_proxy(GUESSER)).status_code for n in range(8)]
    assert answers == [403] * 5 + [429] * 3
    # The voter behind the same proxy: a typo is an ordinary 403, the right code counts.
    assert put("TIPPFEHLER000000", behind_proxy(VOTER)).status_code == 403
    assert put(codes[0], behind_proxy(VOTER)).status_code == 201
    # And the guesser's own right code passes too.
    assert put(codes[1], behind_proxy(GUESSER)).status_code == 201
    assert consultation.ballots.count() == 2


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_a_direct_client_cannot_escape_the_brake_by_writing_the_header(client, db, monkeypatch):
    monkeypatch.setattr(voting_actions, "FAILED_ATTEMPTS_LIMIT", 5)
    consultation, _facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    url = f"/api/consultations/{consultation.pk}/ballot"
    answers = [
        client.put(
            url,
            {"access_code": f"FALSCH{n:010d}", "ballot": {"approve": [ids[0]]}},
            content_type="application/json",
            REMOTE_ADDR=STRANGER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",  # a new "address" every time
        ).status_code
        for n in range(7)
    ]
    assert answers == [403] * 5 + [429] * 2


LOGIN = "/konto/anmelden/"
LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_a_password_guesser_does_not_lock_out_a_citizen(client, db, monkeypatch):
    monkeypatch.setattr(security, "LOGIN_FAILURES_PER_ADDRESS", 6)
    citizen = factories.make_user()
    # Wrong passwords for the citizen's account and for made-up names, from one client.
    for n in range(security.LOGIN_FAILURES_PER_ACCOUNT):
        client.post(LOGIN, {"username": citizen.username, "password": f"falsch{n}"}, **behind_proxy(GUESSER))
    for n in range(6):
        client.post(LOGIN, {"username": f"geraten{n}", "password": "falsch"}, **behind_proxy(GUESSER))
    refused = client.post(
        LOGIN, {"username": citizen.username, "password": factories.PASSWORD}, **behind_proxy(GUESSER)
    )
    assert LOCKED in refused.content.decode()
    # The citizen, behind the same proxy, signs in at once.
    response = client.post(LOGIN, {"username": citizen.username, "password": factories.PASSWORD}, **behind_proxy(VOTER))
    assert response.status_code == 302


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_workshop_joins_count_per_client_behind_the_proxy(client, db, monkeypatch):
    from workshops import api as workshop_api
    from workshops.actions import create_workshop

    monkeypatch.setattr(workshop_api, "JOINS_PER_ADDRESS", 2)
    facilitator = factories.make_facilitator(factories.make_process())
    workshop = create_workshop(facilitator, facilitator.facilitated_processes.first(), "Klein")
    url = f"/api/workshops/{workshop.code}/join"

    def join(who):
        return client.post(url, {"display_name": "A"}, content_type="application/json", **who).status_code

    assert [join(behind_proxy(GUESSER)) for _ in range(3)] == [201, 201, 429]
    assert join(behind_proxy(VOTER)) == 201


def test_the_readmes_production_start_trusts_its_proxy():
    """The exports of README's production start, loaded as settings: the proxy is trusted."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = re.search(r"^    export (DEBUG=0.*?)(?=\n    \.venv)", readme, re.S | re.M)
    assert block, "README's production start is not where this test looks for it"
    env = dict(item.split("=", 1) for item in shlex.split(block.group(1).replace("\\\n", " ")))
    env["SECRET_KEY"] = "k" * 40 + "abcdefghij1234567890"
    assert env.get("TRUSTED_PROXIES")
    result = subprocess.run(
        [sys.executable, "-c", "from config import settings as s; print(s.TRUSTED_PROXIES)"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1/32', '::1/128']"


@pytest.mark.django_db(transaction=True)
async def test_behind_the_proxy_wrong_and_right_codes_count_the_same_client(monkeypatch):
    """Wrong and right codes take the client from X-Forwarded-For of the trusted proxy, so
    the guesser alone is slowed."""
    import json

    from asgiref.sync import sync_to_async
    from channels.testing import HttpCommunicator

    from config.asgi import application

    monkeypatch.setattr(voting_actions, "FAILED_ATTEMPTS_LIMIT", 3)
    consultation, facilitator, ids = await sync_to_async(make_consultation)("approval", "access_code")
    codes, _batch = await sync_to_async(voting_actions.generate_access_codes)(facilitator, consultation, 2)

    async def put(code, client_ip):
        raw = json.dumps({"access_code": code, "ballot": {"approve": [ids[0]]}}).encode()
        headers = [
            (b"host", b"localhost"),
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(raw)),
            (b"x-forwarded-for", f"6.6.6.6, {client_ip}".encode()),
        ]
        path = f"/api/consultations/{consultation.pk}/ballot"
        communicator = HttpCommunicator(application, "PUT", path, body=raw, headers=headers)
        communicator.scope["client"] = (PROXY, 40000)
        response = await communicator.get_response(timeout=20)
        await communicator.wait(timeout=20)
        return response["status"]

    with override_settings(TRUSTED_PROXIES=[PROXY]):
        guessed = [await put(f"FALSCH{n:010d}", GUESSER) for n in range(5)]
        typo = await put("TIPPFEHLER000000", VOTER)
        voted = await put(codes[0], VOTER)
        guesser_votes = await put(codes[1], GUESSER)
    assert guessed == [403, 403, 403, 429, 429]
    assert (typo, voted, guesser_votes) == (403, 201, 201)
