"""python manage.py recount BUNDLE: exit 0 on a match, 1 on a mismatch, 2 on unreadable input."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from .published import published_consultation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run_recount(path, *extra):
    """The command as a citizen runs it: its own process, no database needed."""
    return subprocess.run(
        [sys.executable, "manage.py", "recount", str(path), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"},
    )


@pytest.fixture
def bundle_path(client, tmp_path):
    consultation, *_ = published_consultation(
        client,
        method="approval",
        ballots=[
            lambda ids: {"approve": [ids[0], ids[1]]},
            lambda ids: {"approve": [ids[1]]},
            lambda ids: {"approve": [ids[1], ids[2]]},
        ],
    )
    path = tmp_path / "offene-daten.zip"
    path.write_bytes(client.get(f"/api/consultations/{consultation.pk}/open-data").content)
    return path


def with_ballots_removed(path, target):
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    ballots = json.loads(files["ballots.json"])
    ballots["ballots"] = ballots["ballots"][1:]
    files["ballots.json"] = json.dumps(ballots).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def call_recount(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("recount", *map(str, args), stdout=out, stderr=err)
    return exit_info.value.code, out.getvalue(), err.getvalue()


def test_exit_codes_match_mismatch_unreadable(bundle_path, tmp_path):
    code, out, _ = call_recount(bundle_path)
    assert code == 0
    assert "ÜBEREINSTIMMUNG" in out

    code, _, err = call_recount(with_ballots_removed(bundle_path, tmp_path / "manipuliert.zip"))
    assert code == 1
    assert "hash_mismatch [ballots.json]" in err
    assert "result_differs" in err

    garbage = tmp_path / "kaputt.zip"
    garbage.write_bytes(b"kein zip")
    code, _, err = call_recount(garbage)
    assert code == 2
    assert "not_a_zip" in err


def test_the_exit_code_reaches_the_shell(bundle_path, tmp_path):
    """Run as a citizen would: its own process, no database needed."""
    changed = run_recount(with_ballots_removed(bundle_path, tmp_path / "manipuliert.zip"))
    assert changed.returncode == 1, changed.stderr
    assert "ABWEICHUNG" in changed.stderr
    assert "Traceback" not in changed.stderr


def test_the_published_sha256_can_be_given_to_check_against(bundle_path):
    with zipfile.ZipFile(bundle_path) as archive:
        published = json.loads(archive.read("manifest.json"))["snapshot_sha256"]
    assert call_recount(bundle_path, "--sha256", published)[0] == 0
    code, _, err = call_recount(bundle_path, "--sha256", "0" * 64)
    assert code == 1
    assert "not_the_published_result" in err
