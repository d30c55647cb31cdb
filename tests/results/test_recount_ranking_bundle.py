"""A ranking bundle (read as arrays) recounts exactly and names every kind of tampering,
as the generic path does for the other methods."""

import hashlib
import io
import json
import zipfile

import pytest

from results.ballotfile import canonical_json, parse_rankings
from results.recount import recount_bundle

from .published import published_consultation

pytestmark = pytest.mark.django_db


def rankings():
    return [
        lambda ids: {"ranking": [[ids[0]], [ids[1]], [ids[2]], [ids[3]]]},
        lambda ids: {"ranking": [[ids[1], ids[0]], [ids[3]]]},
        lambda ids: {"ranking": [[ids[2]]]},
        lambda ids: {"ranking": [[ids[0]], [ids[2]], [ids[1]]]},
    ]


@pytest.fixture
def bundle(client):
    consultation, _, ids, _, _ = published_consultation(client, ballots=rankings())
    response = client.get(f"/api/consultations/{consultation.pk}/open-data")
    assert response.status_code == 200
    return response.content, ids


def files_of(raw):
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_ballots(raw, change):
    """The bundle with ballots.json changed (canonical again) and the manifest updated,
    as a careful forger would: only the recount can tell."""
    files = files_of(raw)
    ballots = json.loads(files["ballots.json"])
    change(ballots)
    files["ballots.json"] = canonical_json(ballots)
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["ballots.json"] = hashlib.sha256(files["ballots.json"]).hexdigest()
    files["manifest.json"] = canonical_json(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue(), files["ballots.json"]


def test_an_untouched_ranking_bundle_is_read_as_arrays_and_matches(bundle):
    raw, _ = bundle
    assert parse_rankings(files_of(raw)["ballots.json"]) is not None
    report = recount_bundle(raw)
    assert report.status == "match", report.text()
    assert report.ballots == 4


def test_a_reordered_ranking_is_found(bundle):
    raw, ids = bundle

    def change(ballots):
        # No ballot cast this order: the first ballot (by receipt) now says something else.
        ballots["ballots"][0]["content"]["ranking"] = [[ids[3]], [ids[2]], [ids[1]], [ids[0]]]

    changed, data = with_ballots(raw, change)
    assert parse_rankings(data) is not None
    report = recount_bundle(changed)
    assert report.status == "mismatch"
    assert "result_differs" in report.codes()


def test_a_removed_ballot_is_found(bundle):
    raw, _ = bundle
    changed, _ = with_ballots(raw, lambda ballots: ballots["ballots"].pop())
    report = recount_bundle(changed)
    assert report.status == "mismatch"
    assert report.ballots == 3
    assert any("turnout" in line or "ballot" in line for f in report.findings for line in f.details)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda b, ids: b["ballots"][0]["content"].update(ranking=[[ids[0]], [999_999]]), "invalid_ballot"),
        (lambda b, ids: b["ballots"][0]["content"].update(ranking=[[ids[0]], [ids[0]]]), "invalid_ballot"),
        (lambda b, ids: b["ballots"][1]["content"].update(ranking=[[ids[1], ids[0]]]), "invalid_ballot"),
        (lambda b, ids: b["ballots"][1].update(receipt=b["ballots"][0]["receipt"]), "duplicate_receipt"),
        (lambda b, ids: b["ballots"].reverse(), "not_sorted"),
    ],
)
def test_each_kind_of_bad_ballot_is_named(bundle, change, code):
    raw, ids = bundle
    changed, data = with_ballots(raw, lambda ballots: change(ballots, ids))
    assert parse_rankings(data) is not None  # still canonical: the fast path judges it
    report = recount_bundle(changed)
    assert report.status == "mismatch", report.text()
    assert code in report.codes()


def reformatted(raw, change=None):
    """ballots.json written with indentation (same ballots, other bytes), manifest updated."""
    files = files_of(raw)
    ballots = json.loads(files["ballots.json"])
    if change:
        change(ballots)
    files["ballots.json"] = json.dumps(ballots, indent=2).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["ballots.json"] = hashlib.sha256(files["ballots.json"]).hexdigest()
    files["manifest.json"] = canonical_json(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue(), files["ballots.json"]


def test_an_indented_ballot_file_is_recounted_from_its_canonical_form(bundle):
    raw, ids = bundle
    same, data = reformatted(raw)
    assert parse_rankings(data) is None
    report = recount_bundle(same)
    assert report.status == "match", report.text()
    assert report.ballots == 4

    def change(ballots):
        ballots["ballots"][2]["content"]["ranking"] = [[ids[2]], [ids[2]]]

    changed, _ = reformatted(raw, change)
    report = recount_bundle(changed)
    assert report.status == "mismatch"
    assert "invalid_ballot" in report.codes()
    assert report.ballots == 3
