"""The open-data bundle: anonymous ballots, the published bytes, a manifest of hashes."""

import hashlib
import io
import json
import zipfile

import pytest

from tests.voting.helpers import make_consultation

from .published import auth, closed_consultation, published_consultation

pytestmark = pytest.mark.django_db


def read(raw):
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_bundle_holds_every_file_with_its_hash(client):
    consultation, _, (a, *_), voters, snapshot = published_consultation(client)
    response = client.get(f"/api/consultations/{consultation.pk}/open-data")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = read(response.content)
    assert set(files) == {"ballots.json", "result.json", "consultation.json", "manifest.json", "README.txt"}
    assert files["result.json"] == snapshot.canonical.encode("utf-8")
    assert hashlib.sha256(files["result.json"]).hexdigest() == snapshot.sha256
    manifest = json.loads(files["manifest.json"])
    assert manifest["snapshot_sha256"] == snapshot.sha256
    assert manifest["files"] == {
        name: hashlib.sha256(data).hexdigest() for name, data in files.items() if name != "manifest.json"
    }
    ballots = json.loads(files["ballots.json"])
    assert sorted(row["receipt"] for row in ballots["ballots"]) == sorted(r for _, r in voters)
    info = json.loads(files["consultation.json"])
    assert info["consultation"]["id"] == consultation.pk
    assert info["options"][0] == {**info["options"][0], "id": a, "title": "Maßnahme A"}
    readme = files["README.txt"].decode("utf-8")
    assert "python manage.py recount" in readme
    assert "DEUTSCH" in readme and "ENGLISH" in readme


def test_the_same_snapshot_gives_the_same_bytes(client):
    consultation, *_ = published_consultation(client)
    url = f"/api/consultations/{consultation.pk}/open-data"
    assert client.get(url).content == client.get(url).content


def test_no_open_data_before_publishing(client):
    consultation, facilitator, _ = make_consultation()
    assert client.get(f"/api/consultations/{consultation.pk}/open-data").status_code == 404
    closed, facilitator, _, _ = closed_consultation(client)
    assert client.get(f"/api/consultations/{closed.pk}/open-data").status_code == 404
    assert client.get(f"/api/consultations/{closed.pk}/open-data", **auth(facilitator)).status_code == 404
