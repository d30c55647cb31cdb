"""The whole REST API fuzzed from its own OpenAPI schema with schemathesis.

Every operation of /api/schema/ gets generated requests (valid and invalid ones,
with ids of real objects and random ids) as each role: nobody, a citizen and the
facilitator of the process with a token, a facilitator of another process with a
browser session (no CSRF token, so every write must be refused as documented), and
an administrator with a token. No answer may be a 500, and every answer must be
one the schema documents: its status code, content type and body.

schemathesis writes what the schema describes, so what a hostile client writes instead
is added: every operation also gets deeply nested JSON bodies (arrays, objects, mixed),
numbers no column holds (10**400 as a literal, 1e400, beyond 64 bits, NaN) in the body,
path and query, and odd Unicode in the query; each refusal must be documented and must
change no row. The random fuzz mixes such values into some of its requests too.

The module runs on the configured database; on PostgreSQL it also runs itself once more
on SQLite (what ``make demo`` serves) in a child pytest without DATABASE_URL.
"""

import json
import os
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import readme_walk

from .world import build_world, session_cookie, token

# Examples per operation, role and mode: 40 operations, 5 roles, 2 modes (1 for join codes).
# FUZZ_EXAMPLES=50 for a long run by hand. The run on SQLite beside PostgreSQL takes
# FUZZ_SQLITE_EXAMPLES (default: the same).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
SQLITE_EXAMPLES = int(os.environ.get("FUZZ_SQLITE_EXAMPLES", str(EXAMPLES)))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ROLES = ["anonymous", "citizen", "facilitator", "other_facilitator", "admin"]

# Query values the random fuzz mixes in: whole numbers beyond 64 bits, and short texts of
# digits other than 0-9, format characters, combining marks, spaces, symbols, private use.
HOSTILE_QUERY_VALUE = st.one_of(
    st.integers(min_value=2**63, max_value=10**40).map(str),
    st.integers(min_value=-(10**40), max_value=-(2**63) - 1).map(str),
    st.text(st.characters(categories=("Nd", "No", "Nl", "Cf", "Mn", "Zs", "So", "Co"), codec="utf-8"), min_size=1),
)

# Counted by the test and printed at the end, for docs/security.md.
TRIED = {"requests": 0, "statuses": {}}
SECONDS = {}


@pytest.fixture
def app(db):
    # Requests run in the test's transaction, as with Django's own test client.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_ids(world):
    """Path values that name real objects, so requests reach the code behind the 404."""
    consultations = [
        world.open_ranking,
        world.open_codes,
        world.pairwise,
        world.opinion,
        world.published,
        world.closed_unpublished,
        world.draft,
        world.paper,
    ]
    return {
        "/api/consultations/": [c.pk for c in consultations],
        "/api/processes/": [world.process.pk, world.other_process.pk, world.hidden_process.pk],
        "/api/fields/": [world.field.pk],
        "/api/measures/": [m.pk for m in world.measures] + [world.hidden_measure.pk],
        "/api/projects/": [world.project.pk, world.internal_project.pk],
        "/api/labs/": [world.lab.pk, world.hidden_lab.pk],
        "/api/feedback/": [world.visible_feedback.pk, world.hidden_feedback.pk],
        "code": [world.workshop.code, world.draft_workshop.code, world.other_workshop.code],
        "proposal_id": [world.proposal.pk],
        "statement_id": [world.statement.pk, world.proposed_statement.pk],
        "user_id": [world.election_worker.pk, world.citizen.pk],
    }


def path_strategy(operation, ids):
    """Fixed path parameters drawn from real objects; None lets schemathesis generate them."""
    path = operation.path
    names = [p.name for p in operation.path_parameters]
    if not names:
        return st.just(None)
    choices = {}
    for name in names:
        if name == "id":
            prefix = next((p for p in ids if p.startswith("/") and path.startswith(p)), None)
            values = ids.get(prefix, [])
        else:
            values = ids.get(name, [])
        if values:
            choices[name] = st.sampled_from(values)
    if len(choices) != len(names):
        return st.just(None)
    return st.one_of(st.just(None), st.fixed_dictionaries(choices))


def credentials(role, world):
    """Scripts use tokens, browsers sessions (whose writes without a CSRF token must be refused, as documented)."""
    if role == "anonymous":
        return {}, {}
    if role == "other_facilitator":
        return {}, {"sessionid": session_cookie(world.other_facilitator)}
    user = {"citizen": world.citizen, "facilitator": world.facilitator, "admin": world.admin}[role]
    return {"Authorization": f"Token {token(user)}"}, {}


def fuzz_operation(operation, mode, ids, headers, cookies):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        path_parameters = data.draw(path_strategy(operation, ids))
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
        case = data.draw(strategy)
        case.headers = {**(case.headers or {}), **headers}
        query_names = [p.name for p in operation.query]
        if query_names and data.draw(st.booleans()):
            # What the schema does not describe: a number beyond 64 bits or odd Unicode.
            name = data.draw(st.sampled_from(query_names))
            case.query = {**(case.query or {}), name: data.draw(HOSTILE_QUERY_VALUE)}
        response = case.call(cookies=cookies)
        TRIED["requests"] += 1
        TRIED["statuses"][response.status_code] = TRIED["statuses"].get(response.status_code, 0) + 1
        case.validate_response(response, checks=CHECKS)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_documented(app, role):
    world = build_world()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    ids = real_ids(world)
    headers, cookies = credentials(role, world)
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        # Any text is a well-formed join code: nothing negative can be generated for it.
        free_text_path = any(p.name == "code" for p in operation.path_parameters)
        modes = [GenerationMode.POSITIVE] if free_text_path else [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
        for mode in modes:
            started = time.perf_counter()
            try:
                fuzz_operation(operation, mode, ids, headers, cookies)
            except Unsatisfiable:
                # Nothing invalid can be written for this operation (e.g. a free-text path value).
                continue
            # schemathesis raises a BaseExceptionGroup; collect every operation's failure, not just the first.
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"--- {role} {mode.value} {operation.method.upper()} {operation.path}\n{exc}")
            finally:
                key = f"{operation.method.upper()} {operation.path}"
                SECONDS[key] = SECONDS.get(key, 0) + time.perf_counter() - started
    print(f"\nfuzz {role}: {operations} operations, {TRIED['requests']} requests so far, statuses {TRIED['statuses']}")
    slowest = sorted(SECONDS.items(), key=lambda kv: -kv[1])[:8]
    print("slowest: " + ", ".join(f"{k} {v:.1f}s" for k, v in slowest))
    assert operations >= 37
    assert not failures, "\n".join(failures)


# --- What a hostile client writes instead of what the schema describes ---------------------

# Nested far beyond the API's limit (MAX_DEPTH) and beyond what Python's json reads (~1,000):
# arrays, objects and both mixed; 500 levels are read by json but too deep for the API.
DEEP_BODIES = {
    "deep arrays": "[" * 5000 + "]" * 5000,
    "deep objects": '{"a":' * 5000 + "1" + "}" * 5000,
    "deep mixed": '[{"a":' * 2500 + "1" + "}]" * 2500,
    "500 levels": "[" * 500 + "]" * 500,
}
DEEP_VALUE = '{"a":[' * 250 + "1" + "]}" * 250
# JSON numbers beyond a 32-bit column (PostgreSQL's integer) and beyond any column, and the
# constants JSON does not have.
NUMBER_LITERALS = [
    str(2**31),
    str(-(2**31) - 1),
    str(2**63 - 1),
    "1" + "0" * 400,
    "1e400",
    "-1e400",
    str(2**63),
    str(-(2**63) - 1),
    "1" * 5000,
    "NaN",
    "Infinity",
    "-Infinity",
]
# Whole numbers as text (paths, queries, form fields): beyond 64 bits, just inside, thousands of digits.
HUGE_INTS = ["145997136194186280960", str(2**63), str(2**63 - 1), "1" * 5000]
# Query values: the huge numbers, numbers Python reads but SQL does not, digits int() reads
# (Arabic-Indic, mathematical, full-width) or refuses ("²"), invisible and combining marks.
ODD_QUERY = [
    *HUGE_INTS,
    str(-(2**63) - 1),
    "1e400",
    "NaN",
    "-0",
    "²",
    "١٢٣",
    "𝟙",
    "１",
    "\u202e1",
    "\ufeff1",
    "e\u0301",
    "\U0010ffff",
    "\x00",
    "%",
    " 1 ",
]
# Query parameters some views read without documenting them on every operation.
EXTRA_QUERY = ["process", "page", "page_size"]
HOSTILE_ROLES = ["anonymous", "admin"]


def rows_written():
    """Rows inserted, updated or deleted so far on the test's connection (which the requests
    share), to tell that a refusal wrote nothing. One query, where reading every table for
    every request took most of the test's time."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
        return cursor.fetchone()[0]


def default_path(operation, world):
    """Real objects for the path, so that hostile input reaches the code behind the 404."""
    path = operation.path
    values = {}
    for parameter in operation.path_parameters:
        name = parameter.name
        if name == "code":
            values[name] = world.workshop.code
        elif name == "proposal_id":
            values[name] = world.proposal.pk
        elif name == "statement_id":
            values[name] = world.proposed_statement.pk
        elif name == "user_id":
            values[name] = world.election_worker.pk
        elif path.startswith("/api/consultations/"):
            if any(part in path for part in ("/statements", "/answers", "/opinion-map")):
                values[name] = world.opinion.pk
            elif "/pairs" in path or "/proposals" in path:
                values[name] = world.pairwise.pk
            elif "/election-workers" in path or "/paper-ballots" in path:
                values[name] = world.paper.pk
            elif any(part in path for part in ("/ballots", "/results", "/export", "/open-data", "/publish")):
                values[name] = world.published.pk
            else:
                values[name] = world.open_codes.pk
        else:
            prefix = path.split("{")[0]
            values[name] = real_ids(world)[prefix][0]
    return values


def base_body(method, path, world):
    """A body that is valid but for the hostile part put into it."""
    ids = [m.pk for m in world.measures]
    bodies = {
        ("post", "/api/consultations/"): {
            "process": world.process.pk,
            "title": "T",
            "method": "approval",
            "eligibility": "account",
            "options": ids,
        },
        ("post", "/api/consultations/{id}/access-codes"): {"count": 2},
        ("put", "/api/consultations/{id}/ballot"): {"access_code": world.codes[0], "ballot": {"approve": ids[:1]}},
        ("post", "/api/consultations/{id}/pairs"): {"left": ids[0], "right": ids[1], "choice": "left"},
        ("post", "/api/consultations/{id}/proposals"): {"title": "Mehr Bänke"},
        ("post", "/api/consultations/{id}/statements"): {"text": "Mehr Bänke"},
        ("post", "/api/consultations/{id}/answers"): {"statement": world.statement.pk, "value": 1},
        ("post", "/api/consultations/{id}/election-workers"): {"user": world.citizen.pk},
        ("post", "/api/consultations/{id}/paper-ballots"): {
            "access_code": world.paper_codes[1],
            "ballot": {"approve": ids[:1]},
        },
        ("post", "/api/consultations/{id}/paper-ballots/resolve"): {
            "access_code": world.paper_codes[0],
            "ballot": {"approve": ids[:1]},
        },
        ("post", "/api/measures/"): {"process": world.process.pk, "title": "T", "summary": "S"},
        ("patch", "/api/measures/{id}/"): {"title": "T"},
        ("post", "/api/workshops/"): {"process": world.process.pk, "title": "T"},
        ("post", "/api/workshops/{code}/join"): {"display_name": "Kim"},
    }
    return bodies[(method, path)]


def body_properties(schema, method, path):
    """Top-level properties of the JSON body and whether each is an integer (or a list of them)."""
    operation = schema.raw_schema["paths"][path][method]
    definition = operation["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in definition:
        definition = schema.raw_schema["components"]["schemas"][definition["$ref"].rsplit("/", 1)[1]]
    properties = {}
    for name, prop in definition.get("properties", {}).items():
        items = prop.get("items", {})
        properties[name] = "integer" if "integer" in (prop.get("type"), items.get("type")) else prop.get("format")
    return properties


def with_raw(body, name, literal):
    """``body`` as JSON text with ``name`` set to the raw JSON text ``literal``."""
    marker = "\u2063hostile\u2063"
    return json.dumps({**body, name: marker}).replace(json.dumps(marker), literal)


def _odd_inside(value, text):
    """``value`` with every whole number inside a list or object replaced by ``text``."""
    if isinstance(value, dict):
        return {key: text if isinstance(item, int) else _odd_inside(item, text) for key, item in value.items()}
    if isinstance(value, list):
        return [text if isinstance(item, int) else _odd_inside(item, text) for item in value]
    return value


def hostile_requests(schema, operation, world):
    """(label, path parameters, query, raw body, content type) of each hostile request."""
    method, path = operation.method.lower(), operation.path
    raw = schema.raw_schema["paths"][path][method]
    path_values = default_path(operation, world)
    for parameter in operation.path_parameters:
        values = HUGE_INTS if parameter.definition.get("schema", {}).get("type") == "integer" else ODD_QUERY[4:]
        for value in values:
            if value == "\x00" or value == "%":
                continue  # not a path a client can send
            yield f"path {parameter.name}={value[:24]!r}", {**path_values, parameter.name: value}, {}, None, None
    documented = [p["name"] for p in raw.get("parameters", []) if p["in"] == "query"]
    for value in ODD_QUERY:
        for name in documented:
            yield f"query {name}={value[:24]!r}", path_values, {name: value}, None, None
        if method == "get":
            yield f"query {EXTRA_QUERY}={value[:24]!r}", path_values, dict.fromkeys(EXTRA_QUERY, value), None, None
    if "requestBody" not in raw:
        return
    base = base_body(method, path, world)
    json_type = "application/json"
    for text in ODD_QUERY:
        # Where ids sit deeper than the top level: the ballot's content.
        nested = {key: _odd_inside(value, text) for key, value in base.items()}
        if nested != base:
            yield f"body nested {text[:24]!r}", path_values, {}, json.dumps(nested), json_type
    for label, text in DEEP_BODIES.items():
        yield label, path_values, {}, text, json_type
    for name, kind in body_properties(schema, method, path).items():
        yield f"body {name}=deep", path_values, {}, with_raw(base, name, DEEP_VALUE), json_type
        for literal in NUMBER_LITERALS:
            yield f"body {name}={literal[:24]}", path_values, {}, with_raw(base, name, literal), json_type
        for text in ODD_QUERY:
            yield f"body {name}={text[:24]!r}", path_values, {}, json.dumps({**base, name: text}), json_type
        if kind == "integer":
            flat = {k: v for k, v in base.items() if not isinstance(v, dict | list)}
            for value in HUGE_INTS:
                form = urlencode({**flat, name: value})
                yield f"form {name}={value[:24]}", path_values, {}, form, "application/x-www-form-urlencoded"


def send_hostile(operation, headers, cookies, path_values, query, body, content_type):
    case = operation.Case(path_parameters=path_values, query=query, headers=dict(headers))
    if body is None:
        return case, case.call(cookies=cookies)
    return case, case.call(cookies=cookies, data=body.encode(), headers={"Content-Type": content_type})


@pytest.mark.parametrize("role", HOSTILE_ROLES)
def test_hostile_input_is_answered_as_documented_and_changes_nothing(app, role):
    world = build_world()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    headers, cookies = credentials(role, world)
    failures = []
    statuses = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        writes = operation.method.lower() != "get"
        for label, path_values, query, body, content_type in hostile_requests(schema, operation, world):
            where = f"{role} {operation.method.upper()} {operation.path} {label}"
            written = rows_written() if writes else None
            try:
                case, response = send_hostile(operation, headers, cookies, path_values, query, body, content_type)
            except Exception as exc:  # the test client re-raises what the view raised: a 500
                failures.append(f"--- {where}\n{type(exc).__name__}: {exc}"[:2000])
                continue
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"--- {where}: {response.status_code} {response.text[:300]}\n{exc}"[:2000])
            if writes and response.status_code >= 400 and rows_written() != written:
                failures.append(f"--- {where}: {response.status_code}, but rows were written")
    print(f"\nhostile {role} on {connection.vendor}: {sum(statuses.values())} requests, statuses {statuses}")
    assert not failures, f"{len(failures)} failures\n" + "\n".join(failures[:40])


# Run once more on SQLite by a PostgreSQL run: this module and the hostile-input tests.
ON_SQLITE_TOO = [
    "tests/security/test_api_fuzz.py",
    "tests/security/test_rest_hostile_bodies.py",
    "tests/participation/test_api_filters_out_of_range.py",
]


@pytest.mark.timeout(3600)
def test_the_fuzz_passes_on_sqlite_too():
    """``make demo`` serves SQLite, where numbers beyond 64 bits fail differently than on
    PostgreSQL (OverflowError instead of a numeric comparison): on a PostgreSQL run, this
    module and the hostile-input tests run once more in a child pytest without DATABASE_URL
    and REDIS_URL, so on SQLite (in memory) and the in-memory channel layer. One settings
    module, one database per process: no second alias and no router are needed."""
    if connection.vendor == "sqlite":
        return  # this run is the SQLite run
    if readme_walk.background.get("process") is not None:
        # CI: the README walk's whole `make test` beside this run is on SQLite and runs these
        # modules there; tests/test_readme_walk.py fails if it does not pass.
        return
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["FUZZ_EXAMPLES"] = str(SQLITE_EXAMPLES)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "pytest", *ON_SQLITE_TOO, "-q", "-s", "-p", "no:cacheprovider", "-k", "not sqlite_too"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=3000,
    )
    summary = [line for line in child.stdout.splitlines() if line.startswith(("fuzz ", "hostile "))]
    lines = "\n".join(summary)
    print(f"\nSQLite run ({time.perf_counter() - started:.0f} s):\n{lines}")
    assert "on sqlite" in child.stdout, child.stdout[-3000:]
    assert child.returncode == 0, child.stdout[-8000:] + child.stderr[-2000:]
