"""Several hosts on one machine, for real: Linux network namespaces on a virtual bridge,
each "host" with its own address, running the real servers of a multi-host deployment.

    lb      10.77.0.10  HAProxy (deploy/haproxy.cfg): TLS on :443, health-checked upstreams;
                        a Redis Sentinel on :26379
    app1/2  10.77.0.31/32  gunicorn :8001 (pages, API, ballots), Daphne :8002 (WebSockets),
                        db_worker (mail), a Redis Sentinel on :26379
    db1     10.77.0.11  PostgreSQL 15 primary
    db2     10.77.0.12  PostgreSQL 15 streaming replica (pg_basebackup -R)
    redis1  10.77.0.21  Redis primary        redis2  10.77.0.22  Redis replica

The application hosts get the settings of deploy/env.example: DATABASE_URL to db1,
DATABASE_REPLICA_URL to db2, REDIS_SENTINELS to the three Sentinels, TRUSTED_PROXIES the
load balancer. Sentinels sit beside the load balancer and the applications, not beside
the Redis servers, so that losing a Redis host leaves all three to vote. Every server
listens only on its namespace's address; this machine reaches them over the bridge
(10.77.0.1).

    sudo .venv/bin/python deploy/netns_topology.py up      # builds it, prints the addresses, waits for Ctrl-C
    sudo .venv/bin/python deploy/netns_topology.py status  # which hosts and servers are up
    sudo .venv/bin/python deploy/netns_topology.py down    # removes whatever an earlier run left

Needs root (ip netns), iproute2, HAProxy (apt-get install haproxy), Redis 7 (redis-server),
PostgreSQL 15's server binaries in /usr/lib/postgresql/15/bin, and openssl. The tests and
the benchmark use the class: ``with NetnsTopology(workdir) as site: ...``.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
HAPROXY_CONF = Path(__file__).resolve().parent / "haproxy.cfg"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_MASTER = "participation"
DATABASE = "participation"

# name: last byte of the address
HOSTS = {"lb": 10, "db1": 11, "db2": 12, "redis1": 21, "redis2": 22, "app1": 31, "app2": 32}
APP_HOSTS = ("app1", "app2")
SENTINEL_HOSTS = ("lb", "app1", "app2")
WEB_PORT, WS_PORT, PG_PORT, REDIS_PORT, SENTINEL_PORT = 8001, 8002, 5432, 6379, 26379


def tool(name):
    """The full path of a program, also where root's PATH alone would find it."""
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin")


def missing_tools():
    """What this machine lacks to build the topology (empty when it can)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (ip netns)")
    for name in ("ip", "haproxy", "redis-server", "openssl", "runuser"):
        if tool(name) is None:
            missing.append(name)
    if not (PG_BIN / "postgres").exists():
        missing.append(f"PostgreSQL 15 in {PG_BIN}")
    return missing


def command(argv):
    """``argv`` as strings, the program by its full path."""
    return [tool(str(argv[0])) or str(argv[0]), *map(str, argv[1:])]


def run(*argv, timeout=120, env=None, check=True):
    result = subprocess.run(  # noqa: S603 (our own commands)
        command(argv), capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    if check and result.returncode:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def namespaces(prefix):
    listed = run("ip", "netns", "list", check=False)
    return [line.split()[0] for line in listed.splitlines() if line.startswith(f"{prefix}-")]


def remove(prefix):
    """Kill every process in the namespaces of ``prefix``, delete them and the bridge."""
    for namespace in namespaces(prefix):
        for _ in range(3):
            pids = [int(p) for p in run("ip", "netns", "pids", namespace, check=False).split()]
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.3)
        run("ip", "netns", "delete", namespace, check=False)
    # A namespace goes away only once the kernel has let go of it (its sockets); its end of
    # the link pair may outlive it for a while: delete ours, which takes both ends.
    for line in run("ip", "-br", "link", check=False).splitlines():
        name = line.split()[0].split("@")[0] if line.strip() else ""
        if name.startswith(f"{prefix}-"):
            run("ip", "link", "delete", name, check=False)


def free_subnet(first="10.77"):
    """A /24 under ``first`` that no interface of this machine uses, picked at random, so
    that two topologies (two test runs) can stand side by side."""
    import random

    used = run("ip", "-4", "-br", "addr", check=False)
    free = [n for n in range(256) if f" {first}.{n}." not in used]
    if not free:
        raise RuntimeError(f"no free /24 under {first}")
    return f"{first}.{random.choice(free)}"  # noqa: S311 (not a secret)


class NetnsTopology:
    def __init__(self, workdir=None, prefix="bt", subnet="10.77.0", env=None, web_workers=2, down_after_ms=3000):
        self.prefix = prefix
        self.subnet = subnet
        self.own_workdir = workdir is None  # removed by down() only when made here
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="netns-topology-"))
        self.extra_env = dict(env or {})
        self.web_workers = web_workers
        self.down_after_ms = down_after_ms
        self.password = secrets.token_hex(16)
        self.processes = {}  # (host, name): Popen
        self.env = None

    # -- addresses

    def address(self, host):
        return f"{self.subnet}.{HOSTS[host]}"

    def namespace(self, host):
        return f"{self.prefix}-{host}"

    @property
    def origin(self):
        return f"https://{self.address('lb')}"

    @property
    def database_url(self):
        return f"postgres://postgres@{self.address('db1')}:{PG_PORT}/{DATABASE}"

    @property
    def replica_url(self):
        return f"postgres://postgres@{self.address('db2')}:{PG_PORT}/{DATABASE}"

    @property
    def sentinels(self):
        return [(self.address(h), SENTINEL_PORT) for h in SENTINEL_HOSTS]

    def ssl_context(self):
        """A client context that trusts this topology's certificate (and only it)."""
        return ssl.create_default_context(cafile=str(self.workdir / "tls" / "cert.pem"))

    # -- building

    def __enter__(self):
        return self.up()

    def __exit__(self, *exc):
        self.down()

    def up(self, timeout=180):
        missing = missing_tools()
        if missing:
            raise RuntimeError(f"the topology needs {', '.join(missing)}")
        remove(self.prefix)  # whatever a killed run left behind
        try:
            self.workdir.mkdir(parents=True, exist_ok=True)
            self.workdir.chmod(0o755)  # PostgreSQL runs as postgres and must reach its directory
            self._network()
            self._postgres()
            self._redis()
            self.env = self._app_env()
            self._prepare_database()
            for host in APP_HOSTS:
                self.start_app(host)
            self._haproxy()
            self.wait_balanced(timeout)
            (self.workdir / "topology.json").write_text(json.dumps(self.describe(), indent=2))
        except BaseException:
            self.down()
            raise
        return self

    def _network(self):
        bridge = f"{self.prefix}-br"
        run("ip", "link", "add", bridge, "type", "bridge")
        run("ip", "addr", "add", f"{self.subnet}.1/24", "dev", bridge)
        run("ip", "link", "set", bridge, "up")
        for host in HOSTS:
            namespace, outside = self.namespace(host), f"{self.prefix}-{host}"
            run("ip", "netns", "add", namespace)
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", namespace)
            run("ip", "link", "set", outside, "master", bridge)
            run("ip", "link", "set", outside, "up")
            run("ip", "-n", namespace, "addr", "add", f"{self.address(host)}/24", "dev", "eth0")
            run("ip", "-n", namespace, "link", "set", "eth0", "up")
            run("ip", "-n", namespace, "link", "set", "lo", "up")

    def _spawn(self, host, name, argv, env=None, cwd=BASE_DIR):
        log = open(self.workdir / f"{host}-{name}.log", "ab")  # noqa: SIM115 (open while the process runs)
        self.processes[(host, name)] = subprocess.Popen(  # noqa: S603 (our own commands)
            command(["ip", "netns", "exec", self.namespace(host), *command(argv)]),
            cwd=cwd,
            env=env or dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self.processes[(host, name)]

    def _in(self, host, *argv, **kwargs):
        return run("ip", "netns", "exec", self.namespace(host), *command(argv), **kwargs)

    # PostgreSQL

    def _pg_dir(self, host):
        return self.workdir / host / "data"

    def _as_postgres(self, host, *argv, **kwargs):
        return self._in(host, "runuser", "-u", "postgres", "--", *argv, **kwargs)

    def _start_postgres(self, host):
        sockets = self.workdir / host / "sockets"  # outside the data dir: pg_basebackup must not copy the lock
        options = f"-k {sockets} -c listen_addresses={self.address(host)} -c port={PG_PORT} -c max_connections=200"
        log = self.workdir / host / "postgres.log"  # written by postgres
        self._as_postgres(host, PG_BIN / "pg_ctl", "-D", self._pg_dir(host), "-l", log, "-w", "-o", options, "start")

    def _postgres(self):
        for host in ("db1", "db2"):
            (self.workdir / host / "sockets").mkdir(parents=True)
            for path in (self.workdir / host, self.workdir / host / "sockets"):
                shutil.chown(path, "postgres", "postgres")
        self._as_postgres("db1", PG_BIN / "initdb", "-D", self._pg_dir("db1"), "-U", "postgres", "--auth=trust")
        with open(self._pg_dir("db1") / "pg_hba.conf", "a") as hba:
            # Only for this private bridge; real hosts use scram-sha-256 and TLS (docs/operations.md).
            hba.write(f"host all all {self.subnet}.0/24 trust\nhost replication all {self.subnet}.0/24 trust\n")
        self._start_postgres("db1")
        self._as_postgres("db1", PG_BIN / "createdb", "-h", self.address("db1"), "-U", "postgres", DATABASE)
        self._as_postgres(
            "db2",
            *(PG_BIN / "pg_basebackup", "-h", self.address("db1"), "-U", "postgres"),
            *("-D", self._pg_dir("db2"), "-R", "-X", "stream", "-c", "fast"),
        )
        self._start_postgres("db2")

    def stop_replica(self):
        """A crash of the replica's server (SIGKILL to the postmaster)."""
        pid = int((self._pg_dir("db2") / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)

    def start_replica(self, timeout=30):
        deadline = time.monotonic() + timeout
        while True:  # its orphaned children hold the shared memory for a moment
            try:
                return self._start_postgres("db2")
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    # Redis and Sentinel

    def _redis_server(self, host, primary=None):
        directory = self.workdir / host
        directory.mkdir(exist_ok=True)
        argv = ["redis-server", "--bind", self.address(host), "--port", REDIS_PORT, "--dir", directory]
        argv += ["--requirepass", self.password, "--masterauth", self.password]
        argv += ["--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"]
        if primary is not None:
            argv += ["--replicaof", primary, REDIS_PORT]
        self._spawn(host, "redis", argv)

    def _redis(self, timeout=30):
        self._redis_server("redis1")
        self._redis_server("redis2", primary=self.address("redis1"))
        for host in SENTINEL_HOSTS:
            directory = self.workdir / host
            directory.mkdir(exist_ok=True)
            conf = directory / "sentinel.conf"
            conf.write_text(
                f"bind {self.address(host)}\nport {SENTINEL_PORT}\ndir {directory}\n"
                f"sentinel monitor {REDIS_MASTER} {self.address('redis1')} {REDIS_PORT} 2\n"
                f"sentinel auth-pass {REDIS_MASTER} {self.password}\n"
                f"sentinel down-after-milliseconds {REDIS_MASTER} {self.down_after_ms}\n"
                f"sentinel failover-timeout {REDIS_MASTER} 10000\n"
            )
            self._spawn(host, "sentinel", ["redis-server", conf, "--sentinel"])
        self._wait(self.sentinels_settled, timeout, "the Sentinels did not agree on the primary and its replica")

    def _redis_client(self, address, port=REDIS_PORT, password=True):
        import redis

        return redis.Redis(
            host=address,
            port=port,
            password=self.password if password else None,
            socket_timeout=1,
            socket_connect_timeout=1,
        )

    def sentinel_views(self):
        """The primary's address as each Sentinel names it (None where one does not answer)."""
        import redis

        views = []
        for address, port in self.sentinels:
            try:
                answer = self._redis_client(address, port, password=False).execute_command(
                    "SENTINEL", "get-master-addr-by-name", REDIS_MASTER
                )
            except redis.RedisError:
                answer = None
            views.append(answer[0].decode() if answer else None)
        return views

    def redis_primary(self):
        """The Redis host every Sentinel names as primary, or None while they disagree."""
        views = set(self.sentinel_views())
        if len(views) != 1 or None in views:
            return None
        address = views.pop()
        return next(host for host in ("redis1", "redis2") if self.address(host) == address)

    def sentinels_settled(self):
        """All Sentinels name one primary, whose replica is in sync, and know the replica and
        each other (they learn of each other from hello messages every 2 s; before that no
        quorum can form)."""
        import redis

        primary = self.redis_primary()
        if primary is None:
            return False
        try:
            replica = "redis2" if primary == "redis1" else "redis1"
            if self._redis_client(self.address(replica)).info("replication").get("master_link_status") != "up":
                return False
            for address, port in self.sentinels:
                client = self._redis_client(address, port, password=False)
                if len(client.execute_command("SENTINEL", "replicas", REDIS_MASTER)) < 1:
                    return False
                if len(client.execute_command("SENTINEL", "sentinels", REDIS_MASTER)) < len(self.sentinels) - 1:
                    return False
        except redis.RedisError:
            return False
        return True

    def kill_redis(self, host):
        """SIGKILL to a Redis server: its memory is gone."""
        process = self.processes.pop((host, "redis"))
        process.kill()
        process.wait(timeout=10)

    def restart_redis(self, host, timeout=60):
        """Bring a killed Redis server back as a replica of whichever server is primary now
        (as its operator would: it has no data and must not come back as a second primary)."""
        primary = self.redis_primary()
        if primary is None or primary == host:
            raise RuntimeError(f"no other primary to follow for {host}: {self.sentinel_views()}")
        self._redis_server(host, primary=self.address(primary))
        self._wait(self.sentinels_settled, timeout, f"{host} did not rejoin as a replica")

    # The application hosts

    def _app_env(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if key in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "VIRTUAL_ENV")
        }
        lb = self.address("lb")
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            PYTHONUNBUFFERED="1",
            DEBUG="0",
            SECRET_KEY="netns-topology-" + secrets.token_urlsafe(48),
            ALLOWED_HOSTS=lb,
            SITE_URL=self.origin,
            CSRF_TRUSTED_ORIGINS=self.origin,
            DATABASE_URL=self.database_url + "?pool=true",
            DATABASE_REPLICA_URL=self.replica_url,
            REDIS_SENTINELS=",".join(f"{a}:{p}" for a, p in self.sentinels),
            REDIS_MASTER=REDIS_MASTER,
            REDIS_PASSWORD=self.password,
            TRUSTED_PROXIES=lb,
            MAP_TILES_URL="",
            NOTIFICATION_DELAY="0",
        )
        env.update(self.extra_env)
        return env

    def _prepare_database(self):
        manage = [sys.executable, "manage.py"]
        run(*manage, "migrate", "--noinput", "-v0", env=self.env, timeout=600)
        # DEBUG=0 serves the hashed files of the manifest: this checkout's, not an older one's.
        run(*manage, "collectstatic", "--noinput", "-v0", env=self.env, timeout=600)

    def start_app(self, host):
        """gunicorn, Daphne and the mail worker of one application host."""
        address = self.address(host)
        gunicorn = [BIN_DIR / "gunicorn", "--bind", f"{address}:{WEB_PORT}", "--workers", self.web_workers]
        gunicorn += ["--graceful-timeout", "20", "config.wsgi:application"]
        self._spawn(host, "gunicorn", gunicorn, env=self.env)
        daphne = [BIN_DIR / "daphne", "-b", address, "-p", WS_PORT, "config.asgi:application"]
        self._spawn(host, "daphne", daphne, env=self.env)
        self._spawn(host, "worker", [sys.executable, "manage.py", "db_worker"], env=self.env)
        self._wait(lambda: self.app_answers(host), 60, f"{host} did not answer on /livez", host=host)

    def stop_app(self, host, timeout=30):
        """SIGTERM to the host's servers, as systemd stops them: gunicorn finishes its
        requests, Daphne closes its sockets (the clients reconnect elsewhere)."""
        names = ("gunicorn", "daphne", "worker")
        running = [self.processes.pop((host, n)) for n in names if (host, n) in self.processes]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def app_answers(self, host):
        for port in (WEB_PORT, WS_PORT):
            request = urllib.request.Request(  # noqa: S310 (our own address)
                f"http://{self.address(host)}:{port}/livez",
                headers={"Host": self.address("lb"), "X-Forwarded-Proto": "https"},
            )
            try:
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                    if response.status != 200:
                        return False
            except OSError:
                return False
        return True

    # The load balancer

    def _haproxy(self):
        tls = self.workdir / "tls"
        tls.mkdir()
        lb = self.address("lb")
        run(
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={lb}"),
            *("-addext", f"subjectAltName=IP:{lb}", "-keyout", tls / "key.pem", "-out", tls / "cert.pem"),
        )
        (tls / "site.pem").write_text((tls / "cert.pem").read_text() + (tls / "key.pem").read_text())
        (tls / "site.pem").chmod(0o600)
        conf = (
            HAPROXY_CONF.read_text()
            .replace("@RUN@", str(self.workdir))
            .replace("@LISTEN@", lb)
            .replace("@CERT@", str(tls / "site.pem"))
            .replace("@HOST@", lb)
            # the placeholder lines, not their mention in the comment on top
            .replace("\n@WEB_SERVERS@", "\n" + self._server_lines(WEB_PORT))
            .replace("\n@WS_SERVERS@", "\n" + self._server_lines(WS_PORT))
        )
        (self.workdir / "haproxy.cfg").write_text(conf)
        run("haproxy", "-c", "-f", self.workdir / "haproxy.cfg")
        self._spawn("lb", "haproxy", ["haproxy", "-db", "-f", self.workdir / "haproxy.cfg"])

    def _server_lines(self, port):
        return "\n".join(f"    server {host} {self.address(host)}:{port} check" for host in APP_HOSTS)

    def admin(self, command):
        """One command on HAProxy's admin socket; its answer."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(str(self.workdir / "admin.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_stats(self):
        """{(backend, server): row of HAProxy's ``show stat``} for the application hosts: its
        status, open sessions (scur), sessions so far (stot), times marked down (chkdown) …"""
        lines = self.admin("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = (dict(zip(header, line.split(","), strict=False)) for line in lines[1:])
        return {(row["pxname"], row["svname"]): row for row in rows if row.get("svname") in APP_HOSTS}

    def server_states(self):
        """{(backend, server): status} as HAProxy sees them now, e.g. ("web", "app1"): "UP"."""
        return {key: row["status"] for key, row in self.server_stats().items()}

    def set_state(self, host, state):
        """ready, drain or maint, for the host in both backends."""
        for backend in ("web", "websockets"):
            self.admin(f"set server {backend}/{host} state {state}")

    def wait_balanced(self, timeout=60, hosts=APP_HOSTS):
        def up():
            with contextlib.suppress(OSError):
                states = self.server_states()
                return all(states.get((b, h)) == "UP" for b in ("web", "websockets") for h in hosts)
            return False

        self._wait(up, timeout, f"HAProxy did not see {hosts} up")

    # Faults

    def cut(self, host):
        """The host's link goes down: nothing reaches it, nothing leaves it."""
        run("ip", "-n", self.namespace(host), "link", "set", "eth0", "down")

    def heal(self, host):
        run("ip", "-n", self.namespace(host), "link", "set", "eth0", "up")

    # Looking on

    def _wait(self, predicate, timeout, message, host=None):
        deadline = time.monotonic() + timeout
        while not predicate():
            dead = [
                name
                for (h, name), process in self.processes.items()
                if process.poll() is not None and (host is None or h == host)
            ]
            if dead:
                raise RuntimeError(f"{message}: {dead} exited\n{self.log_tails(dead)}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{message} within {timeout}s\n{self.log_tails()}")
            time.sleep(0.1)

    def log_tails(self, names=None):
        tails = []
        for path in sorted(self.workdir.glob("**/*.log")):
            if names is None or any(path.stem.endswith(f"-{n}") for n in names):
                tails.append(f"--- {path.name}\n{path.read_text(errors='replace')[-1500:]}")
        return "\n".join(tails)

    def pids(self, host):
        """Every process in the host's namespace."""
        return [int(p) for p in run("ip", "netns", "pids", self.namespace(host), check=False).split()]

    def cpu(self):
        """CPU seconds so far of everything running in each namespace."""
        from deploy.topology import cpu_seconds

        return {host: sum(cpu_seconds(pid) for pid in self.pids(host)) for host in HOSTS}

    def describe(self):
        return {
            "origin": self.origin,
            "certificate": str(self.workdir / "tls" / "cert.pem"),
            "hosts": {host: self.address(host) for host in HOSTS},
            "database": self.database_url,
            "replica": self.replica_url,
            "redis_sentinels": self.env["REDIS_SENTINELS"] if self.env else None,
            "redis_password": self.password,
            "haproxy_admin": str(self.workdir / "admin.sock"),
            "workdir": str(self.workdir),
        }

    def down(self):
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        self.processes.clear()
        remove(self.prefix)  # and whatever else runs there: the postmasters pg_ctl started
        if self.own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def status(prefix):
    found = namespaces(prefix)
    if not found:
        print(f"no topology with prefix {prefix!r}")
        return 1
    for namespace in sorted(found):
        link = run("ip", "-n", namespace, "-br", "link", "show", "eth0", check=False).split()
        listening = run("ip", "netns", "exec", namespace, "ss", "-Htln", check=False).split("\n")
        ports = sorted({line.split()[3].rsplit(":", 1)[1] for line in listening if line.strip()}, key=int)
        print(f"{namespace:12} link {link[1] if len(link) > 1 else '?':5} listening on {', '.join(ports) or '-'}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("up", "down", "status"))
    parser.add_argument("--prefix", default="bt", help="namespace and bridge names start with it (default bt)")
    parser.add_argument("--subnet", default="10.77.0", help="the bridge's /24 (default 10.77.0)")
    parser.add_argument("--workdir", help="data, logs and certificate (default: a new temporary directory)")
    args = parser.parse_args(argv)
    if args.command == "down":
        remove(args.prefix)
        return 0
    if args.command == "status":
        return status(args.prefix)
    topology = NetnsTopology(args.workdir, prefix=args.prefix, subnet=args.subnet)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        topology.up()
        print(json.dumps(topology.describe(), indent=2), flush=True)
        print("up; Ctrl-C takes it down", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        topology.down()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    sys.exit(main())
