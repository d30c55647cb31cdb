"""The README as written: in a fresh clone and a fresh shell (nothing exported), `make demo`
serves the demo, every script example answers as the README says, and `make test` passes
on the default set-up (SQLite, in-memory layer).

The walk itself (tests/readme_walk.py) starts in the background right after collection and
runs beside the suite; this test runs last and checks what it saw. It clones the committed
HEAD, so uncommitted changes are not part of it."""

import json
import re
import zipfile
from pathlib import Path

import pytest

from . import readme_walk

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
WAIT = readme_walk.DEMO_TIMEOUT + readme_walk.TEST_TIMEOUT + 240


def test_the_walk_knows_every_command_of_the_readme_set_up_and_script_sections():
    commands = readme_walk.readme_commands(README)
    kinds = [readme_walk.kind(c) for c in commands]
    assert kinds == ["demo", "test", "create_facilitator", "curl", "curl", "curl", "recount"], commands
    assert {"/", "/massnahmen/", "/w/", "/api/docs/", "/healthz"} <= set(readme_walk.readme_pages(README))


@pytest.mark.slow
@pytest.mark.timeout(WAIT + 60)
def test_the_readme_works_as_written_in_a_fresh_clone_and_shell():
    if not readme_walk.wanted():
        pytest.skip(
            "the README walk (a fresh clone, `make demo` and a second whole `make test`) runs in CI "
            "(`bash .ci/run`); here README_WALK=1 asks for it"
        )
    report = readme_walk.finish(timeout=WAIT)
    detail = json.dumps(report, indent=1, ensure_ascii=False)[-12000:]
    assert report["error"] is None, detail
    steps = {}
    for step in report["steps"]:
        steps.setdefault(step["kind"], []).append(step)

    (demo,) = steps["demo"]
    assert demo["serving"], detail
    # Every page the README points to answers (sign-in pages for the facilitators' ones).
    assert report["pages"] == dict.fromkeys(readme_walk.readme_pages(README), 200), detail

    (facilitator,) = steps["create_facilitator"]
    assert facilitator["returncode"] == 0, detail
    assert "Created facilitator 'anna' for gesamtkonzept-digitalisierung. API token:" in facilitator["stdout"]
    assert re.fullmatch(r"[0-9a-f]{40}", facilitator["stdout"].strip().splitlines()[-1]), detail

    measures, workshop, bundle = steps["curl"]
    assert measures["returncode"] == 0, detail
    listed = json.loads(measures["stdout"])
    assert listed["count"] > 0, detail
    assert {m["status"] for m in listed["results"]} == {"proposed"}, detail

    # The facilitator just created may create a workshop in the demo process.
    assert workshop["returncode"] == 0, detail
    created = json.loads(workshop["stdout"])
    assert re.fullmatch(r"[A-Z0-9]{6}", created["code"]), detail
    assert created["join_url"].endswith(f"/w/{created['code']}/"), detail

    assert bundle["returncode"] == 0, detail
    with zipfile.ZipFile(readme_walk.background["workdir"] / "repo" / "bundle.zip") as zipped:
        assert "result.json" in zipped.namelist(), detail

    (recount,) = steps["recount"]
    assert recount["returncode"] == 0, detail

    (tests,) = steps["test"]
    assert tests["returncode"] == 0, tests["failures"] + "\n" + tests["output"]
    summary = tests["output"]
    # The inner run leaves out this walk (deselected, not skipped) and says what it skipped.
    assert re.search(r"\d+ passed, \d+ skipped, 1 deselected", summary), summary
    assert "not tested here (CI tests it)" in summary, summary
