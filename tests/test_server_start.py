"""A server process starts without loading scikit-learn: it takes seconds to import
(more than the rest of the project together), which every Daphne and gunicorn process,
and every test server, would pay at start for a command a facilitator sends now and
then (suggested clusters, ``workshops.suggest``). It is imported where it is used."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, sys, django; django.setup(); import config.asgi, config.wsgi, config.urls; "
    "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn')))"
)


def test_starting_a_server_process_does_not_load_scikit_learn():
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
