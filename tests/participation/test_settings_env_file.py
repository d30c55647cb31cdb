"""A development machine's `.env` (written by `make demo`) makes manage.py work in any
shell; without it, production still stops at start without SECRET_KEY."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = "import runpy; s = runpy.run_path('config/settings.py'); print(s['DEBUG'], s['PORT'], s['SITE_URL'])"


def settings_in(folder, env_file=None, **environ):
    """Load a copy of settings.py whose checkout is ``folder`` (so its .env is ``folder/.env``)."""
    (folder / "config").mkdir()
    shutil.copy(ROOT / "config" / "settings.py", folder / "config" / "settings.py")
    if env_file is not None:
        (folder / ".env").write_text(env_file)
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/"), **environ}
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=folder, env=env, capture_output=True, text=True, timeout=60
    )


def test_without_a_file_and_without_debug_the_start_fails_asking_for_a_secret_key(tmp_path):
    result = settings_in(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is required when DEBUG is off" in result.stderr


def test_the_file_make_demo_writes_turns_on_development_mode(tmp_path):
    makefile = (ROOT / "Makefile").read_text()
    (tmp_path / "Makefile").write_text(makefile)
    made = subprocess.run(
        ["make", "--no-print-directory", ".env"],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert made.returncode == 0, made.stderr
    (tmp_path / "Makefile").unlink()
    written = (tmp_path / ".env").read_text()
    (tmp_path / ".env").unlink()

    result = settings_in(tmp_path, written)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "8000", "http://127.0.0.1:8000"]


def test_the_environment_wins_over_the_file(tmp_path):
    result = settings_in(tmp_path, "DEBUG=1\nPORT=8080\n", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_comments_quotes_and_export_are_understood(tmp_path):
    text = "# local\n\nexport DEBUG=1\nPORT='8081'\nSITE_URL=\"http://localhost:8081\"\n"
    result = settings_in(tmp_path, text)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "8081", "http://localhost:8081"]


def test_a_line_that_is_not_name_equals_value_stops_the_start_naming_file_and_line(tmp_path):
    result = settings_in(tmp_path, "DEBUG=1\nthis is not a setting\n")
    assert result.returncode != 0
    assert ".env, line 2: 'this is not a setting' is not NAME=value." in result.stderr.splitlines()[-1]
