"""The README walk: a fresh clone, the README's commands as written, in a fresh environment.

``python -m tests.readme_walk WORKDIR`` clones this repository (its committed HEAD) into
WORKDIR/repo and runs the commands of the README's sections "Set-up" and "Scripts and the
API" there, with nothing in the environment but PATH and HOME (as in a new shell):
``PORT=<free port> make demo`` (kept serving), then ``make test`` on the default set-up
(SQLite, in-memory layer; low priority, in the background), and meanwhile every script
example against the demo server. Each command's exit code, output and answer go to
WORKDIR/report.json, which ``tests/test_readme_walk.py`` reads.

The conftest starts this as soon as the suite is collected, so that the slow part runs
beside the rest of the suite; the test runs last and waits for it. In the clone the walk
test is deselected (the marker file ``.git/readme-walk``), so the inner ``make test`` does
not walk again.
"""

import contextlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
MARKER = Path(".git") / "readme-walk"
SECTIONS = ("## Set-up", "## Scripts and the API")
README_PORT = "127.0.0.1:8000"
PASSWORD = "Walk-Heilbronn-2026!"
DEMO_TIMEOUT = 900  # a first `make demo` creates the environment and installs everything
# The second whole suite, alone once the outer one is done: 26 min on 2026-12-05's CI machine,
# more than 30 on a slower 2-core VM on 2026-12-06 (the outer suite then took 41 min). Both
# together stay within CI's 90 min only while each stays near 40; shortening them is due.
TEST_TIMEOUT = 2700
STEP_TIMEOUT = 120
GO = "go"  # written by finish(): the outer suite has reached the walk's test
GO_TIMEOUT = 5400


def inside_walk(base_dir=BASE_DIR):
    """True in the walk's own clone: its `make test` must not start another walk."""
    return (base_dir / MARKER).exists()


def readme_commands(text):
    """The commands of the README's set-up and script sections, in order: indented code
    lines, a trailing backslash joining the next line."""
    commands, section, pending = [], None, ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line if line.startswith(SECTIONS) else None
            continue
        if section is None or not line.startswith("    "):
            continue
        pending += line.strip()
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip() + " "
            continue
        commands.append(pending)
        pending = ""
    return commands


def readme_pages(text):
    """The site paths the README names before its production section (`/massnahmen/` …),
    without placeholders such as `/w/<code>/console/`."""
    section = text[: text.index("\n## Production")]
    return list(dict.fromkeys(re.findall(r"`(/[^`\s<>]*)`", section)))


def kind(command):
    """Which step a README command is (the walk runs each kind its own way)."""
    words = shlex.split(command, comments=True)
    if words[:2] == ["make", "demo"]:
        return "demo"
    if words[:2] == ["make", "test"]:
        return "test"
    if words[:1] == ["curl"]:
        return "curl"
    if words[:3] == [".venv/bin/python", "manage.py", "create_facilitator"]:
        return "create_facilitator"
    if words[:3] == [".venv/bin/python", "manage.py", "recount"]:
        return "recount"
    return None


def fresh_env():
    """A new shell's environment: PATH (without any virtual environment) and HOME."""
    venv = os.environ.get("VIRTUAL_ENV")
    path = [p for p in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep) if p]
    path = [p for p in path if p != str(Path(sys.executable).parent) and not (venv and p.startswith(venv))]
    return {"PATH": os.pathsep.join(path), "HOME": os.environ.get("HOME", "/root")}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path_or_text, lines=60):
    text = path_or_text.read_text(errors="replace") if isinstance(path_or_text, Path) else path_or_text
    return "\n".join(text.splitlines()[-lines:])


def failures(log, lines=300):
    """The start of pytest's FAILURES and ERRORS sections, which the tail leaves out."""
    text = log.read_text(errors="replace")
    found = re.search(r"^=+ (FAILURES|ERRORS) =+$", text, re.M)
    return "\n".join(text[found.start() :].splitlines()[:lines]) if found else ""


class Walk:
    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.repo = self.workdir / "repo"
        self.env = fresh_env()
        self.port = free_port()
        self.report = {"port": self.port, "steps": [], "error": None}
        self.demo = self.tests = None
        self.token = None

    def run(self):
        started = time.monotonic()
        try:
            self.clone()
            self.readme = (self.repo / "README.md").read_text()
            commands = readme_commands(self.readme)
            self.report["commands"] = commands
            unknown = [c for c in commands if kind(c) is None]
            if unknown:
                raise RuntimeError(f"the walk does not know how to run these README commands: {unknown}")
            test_command = None
            for command in commands:
                step = kind(command)
                if step == "demo":
                    self.start_demo(command)
                elif step == "test":
                    test_command = command
                    if self.demo is None:
                        raise RuntimeError("the README runs `make test` before `make demo`")
                else:
                    self.step(command, step)
            if test_command is None:
                raise RuntimeError("the README has no `make test`")
            # The second whole suite runs alone, once the outer one has reached the walk's
            # test: two suites side by side on a small machine made timing-bound browser
            # tests fail in either.
            self.stop(self.demo)
            self.wait_for_go()
            self.start_tests(test_command)
            self.finish_tests()
        except Exception as error:  # reported by the test with everything collected so far
            self.report["error"] = f"{type(error).__name__}: {error}"
        finally:
            self.stop(self.tests)
            self.stop(self.demo)
            if self.demo is not None:
                self.report["demo_log"] = tail(self.workdir / "demo.log", 40)
            self.report["seconds"] = round(time.monotonic() - started)
            target = self.workdir / "report.json"
            target.with_suffix(".tmp").write_text(json.dumps(self.report, indent=1))
            target.with_suffix(".tmp").replace(target)

    def clone(self):
        subprocess.run(["git", "clone", "-q", str(BASE_DIR), str(self.repo)], check=True, timeout=120)
        (self.repo / MARKER).write_text("the README walk's clone: its `make test` leaves out the walk\n")

    def spawn(self, command, log):
        argv = ["bash", "-c", command]
        with open(self.workdir / log, "wb") as out:
            # A session of its own: no terminal (getpass reads stdin), and one group to stop.
            return subprocess.Popen(
                argv, cwd=self.repo, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start_demo(self, command):
        # The README's own way to another port: `PORT=8080 make demo`.
        started = time.monotonic()
        self.demo = self.spawn(f"PORT={self.port} {command}", "demo.log")
        deadline = started + DEMO_TIMEOUT
        while time.monotonic() < deadline:
            if self.demo.poll() is not None:
                raise RuntimeError(
                    f"`{command}` exited with {self.demo.returncode}:\n{tail(self.workdir / 'demo.log')}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError(f"`{command}` did not serve within {DEMO_TIMEOUT} s:\n{tail(self.workdir / 'demo.log')}")
        self.report["steps"].append(
            {"command": command, "kind": "demo", "seconds": round(time.monotonic() - started), "serving": True}
        )
        self.report["pages"] = {path: self.status(path) for path in readme_pages(self.readme)}

    def status(self, path):
        """The status of a page the README names, as a browser ends up (after redirects)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as answer:  # noqa: S310
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError as error:
            return str(error)

    def wait_for_go(self):
        deadline = time.monotonic() + GO_TIMEOUT
        while not (self.workdir / GO).exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the outer suite did not reach the walk's test within {GO_TIMEOUT} s")
            time.sleep(1)

    def start_tests(self, command):
        self.tests_started = time.monotonic()
        self.tests_command = command
        self.tests = self.spawn(command, "make-test.log")

    def finish_tests(self):
        try:
            code = self.tests.wait(timeout=TEST_TIMEOUT)
        except subprocess.TimeoutExpired:
            code = None
        self.report["steps"].append(
            {
                "command": self.tests_command,
                "kind": "test",
                "returncode": code,
                "seconds": round(time.monotonic() - self.tests_started),
                "output": tail(self.workdir / "make-test.log", 150),
                "failures": failures(self.workdir / "make-test.log"),
            }
        )

    def step(self, command, step):
        started = time.monotonic()
        script = command.replace(README_PORT, f"127.0.0.1:{self.port}")
        if self.token:
            script = f"TOKEN={shlex.quote(self.token)}\n{script}"
        stdin = f"{PASSWORD}\n{PASSWORD}\n" if step == "create_facilitator" else ""
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=self.repo,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
            start_new_session=True,  # no terminal: getpass reads the password from stdin
            check=False,
        )
        record = {
            "command": command,
            "kind": step,
            "returncode": result.returncode,
            "stdout": result.stdout[-200_000:],
            "stderr": result.stderr[-4000:],
            "seconds": round(time.monotonic() - started, 1),
        }
        if step == "create_facilitator" and result.returncode == 0:
            self.token = result.stdout.strip().splitlines()[-1]
        outputs = re.findall(r"-o\s+(\S+)", command) if step == "curl" else []
        record["files"] = {name: (self.repo / name).stat().st_size for name in outputs if (self.repo / name).exists()}
        self.report["steps"].append(record)

    def stop(self, process):
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


# --- in the suite: started after collection, awaited by tests/test_readme_walk.py ------------

WALK_TEST = "tests/test_readme_walk.py::test_the_readme_works_as_written_in_a_fresh_clone_and_shell"
background = {}


def wanted():
    """The walk costs a clone, `make demo` and a second whole `make test`: CI runs it
    (REQUIRE_SERVICES=1); elsewhere README_WALK=1 asks for it."""
    return os.environ.get("REQUIRE_SERVICES") == "1" or os.environ.get("README_WALK") == "1"


def arrange(config, items):
    """The walk test last (it waits for the background walk); inside the walk's clone,
    deselected, so that the inner `make test` does not walk again."""
    walk = [item for item in items if item.nodeid == WALK_TEST]
    if not walk:
        return
    others = [item for item in items if item.nodeid != WALK_TEST]
    if inside_walk():
        config.hook.pytest_deselected(items=walk)
        items[:] = others
    else:
        items[:] = others + walk


def start(session):
    """Start the walk at once if its test is going to run, so it runs beside the suite."""
    if session.config.option.collectonly or inside_walk() or not wanted():
        return
    if not any(i.nodeid == WALK_TEST for i in session.items):
        return
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="readme-walk-"))
    log = open(workdir / "walk.log", "wb")  # noqa: SIM115 - the child writes to it
    background["workdir"] = workdir
    background["started"] = time.monotonic()
    background["process"] = subprocess.Popen(
        [sys.executable, "-m", "tests.readme_walk", str(workdir)],
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()


def finish(timeout):
    """Wait for the walk; its report, or an error naming what is missing."""
    process, workdir = background.get("process"), background.get("workdir")
    if process is None:
        raise RuntimeError("the walk was not started (see tests/readme_walk.py start)")
    (workdir / GO).write_text("the outer suite is done: run the inner `make test` now\n")
    process.wait(timeout=timeout)
    report = workdir / "report.json"
    if not report.exists():
        raise RuntimeError(f"the walk wrote no report:\n{tail(workdir / 'walk.log')}")
    return json.loads(report.read_text())


def cleanup():
    """At the end of the session: stop a walk still running, remove its folder."""
    import shutil

    process, workdir = background.pop("process", None), background.pop("workdir", None)
    if process is not None and process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    if workdir is not None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    # Stopped by the suite (SIGTERM): stop the demo server and the inner run too, whose
    # sessions are their own.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    Walk(sys.argv[1]).run()
