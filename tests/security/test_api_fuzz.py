"""The whole REST API fuzzed from its own OpenAPI schema with schemathesis.

Every operation of /api/schema/ gets generated requests (valid and invalid ones,
with ids of real objects and random ids) as each role: nobody, a citizen and the
facilitator of the process with a token, a facilitator of another process with a
browser session (no CSRF token, so every write must be refused as documented), and
an administrator with a token. No answer may be a 500, and every answer must be
one the schema documents: its status code, content type and body.
"""

import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
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

from .world import build_world, session_cookie, token

# Examples per operation, role and mode: 38 operations, 5 roles, 2 modes (1 for join codes).
# FUZZ_EXAMPLES=50 for a long run by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ROLES = ["anonymous", "citizen", "facilitator", "other_facilitator", "admin"]

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
        world.published,
        world.closed_unpublished,
        world.draft,
    ]
    return {
        "/api/consultations/": [c.pk for c in consultations],
        "/api/processes/": [world.process.pk, world.other_process.pk, world.hidden_process.pk],
        "/api/fields/": [world.field.pk],
        "/api/measures/": [m.pk for m in world.measures] + [world.hidden_measure.pk],
        "/api/projects/": [world.project.pk, world.internal_project.pk],
        "/api/labs/": [world.lab.pk, world.hidden_lab.pk],
        "code": [world.workshop.code, world.draft_workshop.code, world.other_workshop.code],
        "proposal_id": [world.proposal.pk],
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
