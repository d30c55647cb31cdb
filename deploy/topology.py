"""The production topology on 127.0.0.1, for the tests and the ballot benchmark: nginx
(deploy/nginx.conf) in front, gunicorn with ``workers`` processes (Django over WSGI,
config/wsgi.py) for plain HTTP and one Daphne (config/asgi.py) for WebSockets.

    site = Topology(env, workdir, ports=range(8400, 8500), workers=3).start()
    ...  # site.origin, site.cpu()
    site.stop()

Needs nginx on the PATH or in /usr/sbin (Debian: apt-get install nginx-light) and gunicorn
in the virtual environment (requirements.txt).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
NGINX_CONF = Path(__file__).resolve().parent / "nginx.conf"


def nginx_binary():
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def free_ports(count, ports):
    """``count`` ports of ``ports`` nobody listens on now."""
    found = []
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free ports in {ports}")


def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(root):
    """The pid and the pids of its children (gunicorn and nginx fork their workers)."""
    pids = [root]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == root:
                    pids.append(int(entry.name))
    return pids


class Topology:
    def __init__(self, env, workdir, ports=range(8400, 8500), workers=3, threads=1):
        self.env = env
        self.workdir = Path(workdir)
        self.workers = workers
        self.threads = threads
        self.proxy_port, self.django_port, self.daphne_port = free_ports(3, ports)
        self.origin = f"http://127.0.0.1:{self.proxy_port}"
        self.processes = {}

    def _start(self, name, argv):
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 (open while the process runs)
        self.processes[name] = subprocess.Popen(  # noqa: S603 (our own commands)
            argv, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def start(self, timeout=60):
        nginx = nginx_binary()
        if nginx is None:
            raise RuntimeError("the topology needs nginx (Debian: apt-get install nginx-light)")
        prefix = self.workdir / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        conf = (
            NGINX_CONF.read_text()
            .replace("@PREFIX@", str(prefix))
            .replace("@LISTEN@", f"127.0.0.1:{self.proxy_port}")
            .replace("@DJANGO@", f"127.0.0.1:{self.django_port}")
            .replace("@DAPHNE@", f"127.0.0.1:{self.daphne_port}")
            # As root nginx hands its workers to "nobody", who may not write into our directory.
            .replace("@USER@", "user root;" if os.geteuid() == 0 else "")
        )
        (prefix / "nginx.conf").write_text(conf)
        gunicorn = [
            str(BIN_DIR / "gunicorn"),
            "--bind",
            f"127.0.0.1:{self.django_port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread" if self.threads > 1 else "sync",
            "--threads",
            str(self.threads),
            "config.wsgi:application",
        ]
        self._start("gunicorn", gunicorn)
        self._start(
            "daphne",
            [str(BIN_DIR / "daphne"), "-b", "127.0.0.1", "-p", str(self.daphne_port), "config.asgi:application"],
        )
        self._start(
            "nginx", [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "nginx-error.log")]
        )
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self, timeout):
        """Every part answers: Django through the proxy and Daphne directly."""
        deadline = time.monotonic() + timeout
        pending = [f"{self.origin}/healthz", f"http://127.0.0.1:{self.daphne_port}/healthz"]
        while pending:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{self.log_tail(name)}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(pending[0], timeout=2) as response,  # noqa: S310
            ):
                if response.status == 200:
                    pending.pop(0)
                    continue
            if time.monotonic() > deadline:
                raise TimeoutError(f"{pending[0]} not ready within {timeout}s:\n{self.log_tail('gunicorn')}")
            time.sleep(0.1)

    def pids(self):
        return {name: process_tree(process.pid) for name, process in self.processes.items()}

    def cpu(self):
        """CPU seconds so far of each part, its forked workers included."""
        return {name: sum(cpu_seconds(pid) for pid in pids) for name, pids in self.pids().items()}

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def log_tail(self, name):
        with contextlib.suppress(OSError):
            return (self.workdir / f"{name}.log").read_text(errors="replace")[-3000:]
        return ""
