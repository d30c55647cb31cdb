"""recount_bundle accepts an untouched open-data bundle and names every kind of tampering."""

import hashlib
import io
import json
import zipfile

import pytest

from results.recount import recount_bundle

from .published import published_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(client):
    consultation, *_ = published_consultation(client, method="score", ballots=score_ballots())
    response = client.get(f"/api/consultations/{consultation.pk}/open-data")
    assert response.status_code == 200
    return response.content


def score_ballots():
    return [
        lambda ids: {"scores": {str(ids[0]): 5, str(ids[1]): 3, str(ids[2]): 1}},
        lambda ids: {"scores": {str(ids[0]): 4, str(ids[1]): 4, str(ids[3]): 0}},
        lambda ids: {"scores": {str(ids[0]): 2, str(ids[1]): 5, str(ids[2]): 2, str(ids[3]): 1}},
        lambda ids: {"scores": {str(ids[1]): 1, str(ids[2]): 5}},
    ]


def files_of(raw):
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def tampered(raw, name, change, fix_manifest=False):
    """The bundle with one JSON file changed; with fix_manifest the forger also updates its hash."""
    files = files_of(raw)
    value = json.loads(files[name])
    change(value)
    files[name] = canonical(value)
    if fix_manifest:
        manifest = json.loads(files["manifest.json"])
        manifest["files"][name] = hashlib.sha256(files[name]).hexdigest()
        files["manifest.json"] = canonical(manifest)
    return zipped(files)


def test_an_untouched_bundle_matches_exactly(bundle):
    report = recount_bundle(bundle)
    assert report.status == "match", report.text()
    assert report.findings == []
    assert report.exit_code == 0
    assert report.recomputed_sha256 == report.result_sha256 == report.snapshot_sha256
    assert report.ballots == 4


def test_a_changed_ballot_is_found(bundle):
    def change(ballots):
        ballots["ballots"][0]["content"]["scores"] = dict.fromkeys(ballots["ballots"][0]["content"]["scores"], 0)

    report = recount_bundle(tampered(bundle, "ballots.json", change))
    assert report.status == "mismatch"
    assert {"hash_mismatch", "result_differs"} <= set(report.codes())
    assert any(f.code == "hash_mismatch" and f.file == "ballots.json" for f in report.findings)

    forged = recount_bundle(tampered(bundle, "ballots.json", change, fix_manifest=True))
    assert forged.status == "mismatch"
    assert forged.codes() == ["result_differs"]
    assert any(line.startswith("count.mean") for line in forged.findings[0].details)


def test_a_removed_ballot_is_found(bundle):
    report = recount_bundle(tampered(bundle, "ballots.json", lambda b: b["ballots"].pop(), fix_manifest=True))
    assert report.status == "mismatch"
    assert report.codes() == ["result_differs"]
    assert "turnout.ballots: 4 → 3" in report.findings[0].message
    assert report.ballots == 3


def test_a_wrong_hash_in_the_manifest_is_found(bundle):
    def change(manifest):
        manifest["files"]["consultation.json"] = "0" * 64

    report = recount_bundle(tampered(bundle, "manifest.json", change))
    assert report.status == "mismatch"
    assert [(f.code, f.file) for f in report.findings] == [("hash_mismatch", "consultation.json")]


def test_an_edited_result_is_found(bundle):
    def change(result):
        result["count"]["mean"]["ranking"].reverse()

    report = recount_bundle(tampered(bundle, "result.json", change, fix_manifest=True))
    assert report.status == "mismatch"
    assert set(report.codes()) == {"snapshot_hash_mismatch", "result_differs"}
    assert any(line.startswith("count.mean.ranking") for f in report.findings for line in f.details)


def test_a_result_other_than_the_published_one_is_named(bundle):
    report = recount_bundle(bundle, expected_sha256="ab" * 32)
    assert "not_the_published_result" in report.codes()
    assert report.status == "mismatch"


@pytest.mark.parametrize(
    "raw",
    [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40, zipfile.ZipFile.__doc__.encode()],
    ids=["empty", "text", "broken-header", "docstring"],
)
def test_a_malformed_zip_is_unreadable_not_a_crash(raw):
    report = recount_bundle(raw)
    assert report.status == "unreadable"
    assert report.codes() == ["not_a_zip"]
    assert report.exit_code == 2


def test_a_truncated_zip_is_unreadable(bundle):
    report = recount_bundle(bundle[: len(bundle) // 2])
    assert report.status == "unreadable"
    assert report.codes()[0] in {"not_a_zip", "corrupt_file"}


def test_a_missing_file_is_named(bundle):
    files = files_of(bundle)
    del files["ballots.json"]
    report = recount_bundle(zipped(files))
    assert report.status == "unreadable"
    assert ("missing_file", "ballots.json") in [(f.code, f.file) for f in report.findings]


@pytest.mark.parametrize("name", ["ballots.json", "result.json", "consultation.json", "manifest.json"])
def test_non_json_content_is_named(bundle, name):
    files = files_of(bundle)
    files[name] = b"\xff\xfe not json {"
    report = recount_bundle(zipped(files))
    assert report.status == "unreadable"
    assert ("bad_json", name) in [(f.code, f.file) for f in report.findings]


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("ballots.json", lambda b: b.update(ballots={"a": 1})),
        ("ballots.json", lambda b: b["ballots"].append({"receipt": 7, "content": None})),
        ("ballots.json", lambda b: b["ballots"].append({"receipt": "ZZZZ-ZZZZ-ZZZZ", "content": {"scores": "x"}})),
        ("consultation.json", lambda c: c["options"].append({"id": "eins"})),
        ("consultation.json", lambda c: c["consultation"].update(method="dice")),
        ("consultation.json", lambda c: c["options"][0].update(cost="viel")),
        ("manifest.json", lambda m: m.update(files=[])),
    ],
)
def test_wrong_types_become_findings_never_exceptions(bundle, name, change):
    report = recount_bundle(tampered(bundle, name, change, fix_manifest=name != "manifest.json"))
    assert report.status in {"mismatch", "unreadable"}
    assert report.findings
    assert all(f.code in {"bad_structure", "invalid_ballot", "result_differs"} for f in report.findings), report.text()


def test_a_path_that_does_not_exist_is_unreadable(tmp_path):
    report = recount_bundle(tmp_path / "fehlt.zip")
    assert report.codes() == ["cannot_read"]
    assert report.exit_code == 2
