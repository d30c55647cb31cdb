"""A snapshot carries the SHA-256 of its canonical content and its publication time."""

import hashlib
import json

import pytest

from results.compute import SCHEMA

from .published import published_consultation

pytestmark = pytest.mark.django_db


def test_the_sha256_is_that_of_the_canonical_utf8_content(client):
    consultation, _, ids, voters, snapshot = published_consultation(client)
    assert hashlib.sha256(snapshot.canonical.encode("utf-8")).hexdigest() == snapshot.sha256
    content = json.loads(snapshot.canonical)
    assert content == snapshot.content
    # Canonical: sorted keys, no whitespace, umlauts as themselves.
    assert snapshot.canonical == json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert "Maßnahme A" in snapshot.canonical
    assert snapshot.published_at is not None


def test_the_snapshot_holds_the_whole_result(client):
    consultation, _, (a, b, c, d), voters, snapshot = published_consultation(client)
    content = snapshot.result
    assert content["schema"] == SCHEMA
    assert content["consultation"]["id"] == consultation.pk
    assert content["consultation"]["phase"] == "closed"
    assert [option["id"] for option in content["options"]] == [a, b, c, d]
    assert content["options"][0]["title"] == "Maßnahme A"
    assert content["turnout"]["voters"] == len(voters) == content["turnout"]["ballots"]
    assert content["turnout"]["over_time"][-1]["cumulative"] == len(voters)
    assert content["main_count"] == "schulze"
    assert content["count"]["schulze"]["winners"] == [a]
    assert set(content["count"]) >= {"schulze", "borda", "copeland", "first_choices"}
    assert str(a) in json.dumps(content["uncertainty"])


def test_the_public_result_names_the_same_sha256(client):
    consultation, _, _, _, snapshot = published_consultation(client)
    body = client.get(f"/api/consultations/{consultation.pk}/results").json()
    assert body["live"] is False
    assert body["snapshot"]["sha256"] == snapshot.sha256
    canonical = json.dumps(body["result"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == snapshot.sha256
