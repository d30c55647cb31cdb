"""Settings come from the environment; a bad value stops the start with the variable's name."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k8#Zq2!vLw9@pR4$tY7^uI1&oP3*aS5(dF6)gH0_jK-lZxCvBnM"


def run_django(env_overrides, code="import django; django.setup(); print('started')"):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def run_manage(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": GOOD_SECRET}, "ALLOWED_HOSTS"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://localhost/db"}, "DATABASE_URL"),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://localhost"}, "DATABASE_URL"),
        ({"DEBUG": "1", "REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
        ({"DEBUG": "1", "REDIS_SENTINELS": "10.0.0.1", "REDIS_MASTER": "m"}, "REDIS_SENTINELS"),
        ({"DEBUG": "1", "REDIS_SENTINELS": "10.0.0.1:99999", "REDIS_MASTER": "m"}, "REDIS_SENTINELS"),
        ({"DEBUG": "1", "REDIS_SENTINELS": "10.0.0.1:26379"}, "REDIS_MASTER"),
        (
            {"DEBUG": "1", "REDIS_SENTINELS": "10.0.0.1:26379", "REDIS_MASTER": "m", "REDIS_URL": "redis://x"},
            "REDIS_URL",
        ),
        ({"DEBUG": "1", "DATABASE_REPLICA_URL": "postgres://127.0.0.1/db"}, "DATABASE_REPLICA_URL"),
        (
            {"DEBUG": "1", "DATABASE_URL": "postgres://127.0.0.1/db", "DATABASE_REPLICA_URL": "sqlite:///x"},
            "DATABASE_REPLICA_URL",
        ),
        (
            {"DEBUG": "1", "DATABASE_URL": "postgres://127.0.0.1/db", "DATABASE_REPLICA_URL": "postgres://127.0.0.1"},
            "DATABASE_REPLICA_URL",
        ),
        (
            {"DEBUG": "1", "DATABASE_URL": "postgres://127.0.0.1/db", "DATABASE_REPLICA_URL": "nonsense"},
            "DATABASE_REPLICA_URL",
        ),
        ({"DEBUG": "1", "PORT": "eighty"}, "PORT"),
        ({"DEBUG": "1", "PORT": "70000"}, "PORT"),
        ({"DEBUG": "1", "SITE_URL": "ftp://example.org"}, "SITE_URL"),
    ],
)
def test_bad_value_fails_at_start_naming_the_variable(env, variable):
    result = run_django(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.splitlines()[-1]


def test_development_defaults_start_without_any_variable():
    result = run_django(
        {"DEBUG": "1"},
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], s.PORT)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "8000",
    ]


def test_database_and_redis_urls_select_postgres_and_channels_redis():
    result = run_django(
        {
            "DEBUG": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/somedb",
            "REDIS_URL": "redis://127.0.0.1:6379/2",
        },
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CHANNEL_LAYERS['default']['BACKEND'], s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]['address'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "somedb",
        "workshops.redis_layer.WorkshopRedisChannelLayer",
        "redis://127.0.0.1:6379/2",
    ]


def test_postgres_sessions_let_a_vanished_host_go_within_seconds():
    # Keepalives and tcp_user_timeout, asked for per session, beside the URL's own options.
    result = run_django(
        {"DEBUG": "1", "DATABASE_URL": "postgres://postgres@db/beteiligung?options=-c%20statement_timeout%3D9000"},
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.DATABASES['default']['OPTIONS']))",
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    assert options["options"].split(" -c ")[0] == "-c statement_timeout=9000"
    assert "tcp_user_timeout=5000" in options["options"] and "tcp_keepalives_idle=5" in options["options"]
    assert options["keepalives_idle"] == 5


@pytest.mark.django_db
def test_the_database_server_applies_the_session_timeouts():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing to PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('tcp_user_timeout'), current_setting('tcp_keepalives_count')")
        assert cursor.fetchone() == ("5000", "3")  # milliseconds, probes


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        {"DEBUG": "0", "SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "beteiligung.example.org"},
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_secret_key_is_required_only_without_debug():
    assert run_django({"DEBUG": "1"}).returncode == 0
    assert run_django({"DEBUG": "0", "ALLOWED_HOSTS": "x.example.org"}).returncode != 0


def test_redis_behind_sentinel_configures_the_layer_and_the_cache_without_an_address():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CHANNEL_LAYERS['default']['CONFIG']['hosts'], s.CACHES['default']]))"
    )
    env = {"DEBUG": "1", "REDIS_SENTINELS": "10.0.0.1:26379, [fd00::2]:26380", "REDIS_MASTER": "stadt"}
    result = run_django({**env, "REDIS_PASSWORD": "geheim"}, code)
    assert result.returncode == 0, result.stderr
    hosts, cache = json.loads(result.stdout.splitlines()[-1])
    sentinels = [["10.0.0.1", 26379], ["fd00::2", 26380]]
    assert hosts == [
        {
            "master_name": "stadt",
            "sentinels": sentinels,
            "password": "geheim",
            "socket_timeout": 30,
            "max_connections": 1000,
        }
    ]
    assert cache["OPTIONS"]["pool_class"] == "participation.redis_sentinel.SentinelCachePool"
    assert cache["OPTIONS"]["sentinels"] == sentinels and cache["OPTIONS"]["master_name"] == "stadt"


def test_a_replica_url_adds_the_replica_with_short_timeouts_the_router_and_the_middleware():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['replica'], s.DATABASE_ROUTERS, s.MIDDLEWARE[-1]]))"
    )
    env = {"DEBUG": "1", "DATABASE_URL": "postgres://postgres@10.0.0.1/stadt"}
    result = run_django({**env, "DATABASE_REPLICA_URL": "postgres://leser@10.0.0.2:5433/stadt"}, code)
    assert result.returncode == 0, result.stderr
    replica, routers, last = json.loads(result.stdout.splitlines()[-1])
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == ("10.0.0.2", 5433, "leser", "stadt")
    assert {k: replica["OPTIONS"][k] for k in ("connect_timeout", "tcp_user_timeout")} == {
        "connect_timeout": 2,
        "tcp_user_timeout": 2000,
    }
    assert replica["TEST"]["MIRROR"] == "default"
    assert routers == ["participation.replica.ReplicaRouter"]
    assert last == "participation.replica.ReplicaMiddleware"
    # Without it: no replica, no router.
    result = run_django(
        env,
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS)",
    )
    assert result.stdout.split() == ["['default']", "[]"]


def test_every_replica_view_name_exists():
    code = """
import django
django.setup()
from django.conf import settings
from django.urls import get_resolver

names = set()
def walk(patterns, namespaces):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            walk(pattern.url_patterns, namespaces + ([pattern.namespace] if pattern.namespace else []))
        elif pattern.name:
            names.add(":".join([*namespaces, pattern.name]))
walk(get_resolver().url_patterns, [])
print(sorted(settings.REPLICA_READ_VIEWS - names))
"""
    result = run_django({"DEBUG": "1"}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]"]
