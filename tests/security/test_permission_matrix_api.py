"""Who may do what over the REST API: one row per endpoint and method, tried as every role.

The rows are checked against the URL resolver: an endpoint under /api/ without a row
(or a row without an endpoint) fails ``test_every_api_endpoint_has_a_row``, so a new
endpoint cannot slip in without deciding who may call it.

A role in a row's ``allowed`` must succeed (2xx); every other role must be refused with
401, 403 or 404, and the refusal must change nothing. Each role's request runs in a
savepoint that is rolled back, so every role meets the same state.
"""

from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from participation.models import AuditLogEntry, Role
from tests import factories
from voting.models import Ballot, Consultation, ElectionWorker, PaperBallot, PaperEntry, Proposal
from workshops.actions import join_workshop
from workshops.models import ParticipantRole, Workshop

from .world import build_world, token

ROLES = [
    "anonymous",
    "citizen",
    "expert_here",
    "expert_other",
    "observer",
    "facilitator_here",
    "facilitator_other",
    "admin",
    "election_worker",
]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
MANAGERS = {"facilitator_here", "admin"}
# Named by the facilitators to type in the paper ballots of world.paper (a citizen's account).
WORKERS = {"election_worker"}


@dataclass
class Row:
    method: str
    name: str  # URL name in the "api" namespace
    path: object  # world -> path
    allowed: set
    note: str = ""
    body: object = None  # world -> JSON body
    headers: object = None  # world -> extra headers
    ok: set = field(default_factory=lambda: {200, 201})


def c(name):
    return lambda w: f"/api/consultations/{getattr(w, name).pk}"


ROWS = [
    Row("get", "schema", lambda w: "/api/schema/", EVERYONE),
    Row("get", "docs", lambda w: "/api/docs/", EVERYONE),
    # the core domain: published things for everyone, writes for the process's facilitators
    Row("get", "process-list", lambda w: "/api/processes/", EVERYONE),
    Row("get", "process-detail", lambda w: f"/api/processes/{w.process.pk}/", EVERYONE),
    Row("get", "process-detail", lambda w: f"/api/processes/{w.hidden_process.pk}/", set(), "unpublished"),
    Row("get", "process-results", lambda w: f"/api/processes/{w.process.pk}/results", EVERYONE),
    Row("get", "process-results", lambda w: f"/api/processes/{w.hidden_process.pk}/results", {"admin"}, "hidden"),
    Row("get", "field-list", lambda w: "/api/fields/", EVERYONE),
    Row("get", "field-detail", lambda w: f"/api/fields/{w.field.pk}/", EVERYONE),
    Row("get", "measure-list", lambda w: "/api/measures/", EVERYONE),
    Row("get", "measure-detail", lambda w: f"/api/measures/{w.measures[0].pk}/", EVERYONE),
    Row("get", "measure-detail", lambda w: f"/api/measures/{w.hidden_measure.pk}/", MANAGERS, "unpublished"),
    Row(
        "post",
        "measure-list",
        lambda w: "/api/measures/",
        MANAGERS,
        body=lambda w: {"process": w.process.pk, "title": "Neue Maßnahme", "summary": "Kurz"},
    ),
    Row(
        "patch",
        "measure-detail",
        lambda w: f"/api/measures/{w.measures[0].pk}/",
        MANAGERS,
        body=lambda w: {"title": "Geänderter Titel"},
    ),
    Row("get", "project-list", lambda w: "/api/projects/", EVERYONE),
    Row("get", "project-detail", lambda w: f"/api/projects/{w.project.pk}/", EVERYONE),
    Row("get", "project-detail", lambda w: f"/api/projects/{w.internal_project.pk}/", set(), "internal"),
    Row("get", "lab-list", lambda w: "/api/labs/", EVERYONE),
    Row("get", "lab-detail", lambda w: f"/api/labs/{w.lab.pk}/", EVERYONE),
    Row("get", "lab-detail", lambda w: f"/api/labs/{w.hidden_lab.pk}/", set(), "unpublished"),
    Row("get", "feedback-list", lambda w: "/api/feedback/", EVERYONE),
    Row("get", "feedback-detail", lambda w: f"/api/feedback/{w.visible_feedback.pk}/", EVERYONE),
    Row("get", "feedback-detail", lambda w: f"/api/feedback/{w.hidden_feedback.pk}/", set(), "hidden"),
    Row("get", "map", lambda w: "/api/map/", EVERYONE),
    Row("get", "map", lambda w: f"/api/map/?lab={w.lab.pk}", EVERYONE),
    Row("get", "map", lambda w: f"/api/map/?lab={w.hidden_lab.pk}", set(), "unpublished"),
    # live workshops
    Row(
        "post",
        "workshop-create",
        lambda w: "/api/workshops/",
        MANAGERS,
        body=lambda w: {"process": w.process.pk, "title": "Noch ein Workshop"},
    ),
    Row("get", "workshop-detail", lambda w: f"/api/workshops/{w.workshop.code}/", EVERYONE),
    Row("get", "workshop-detail", lambda w: f"/api/workshops/{w.draft_workshop.code}/", MANAGERS, "draft"),
    Row(
        "post",
        "workshop-join",
        lambda w: f"/api/workshops/{w.workshop.code}/join",
        EVERYONE,
        body=lambda w: {"display_name": "Kim"},
    ),
    Row(
        "post",
        "workshop-join",
        lambda w: f"/api/workshops/{w.draft_workshop.code}/join",
        MANAGERS,
        body=lambda w: {"display_name": "Kim"},
        note="draft",
    ),
    Row("get", "workshop-qr", lambda w: f"/api/workshops/{w.workshop.code}/qr.svg", EVERYONE),
    Row("get", "workshop-export", lambda w: f"/api/workshops/{w.workshop.code}/export?format=json", MANAGERS),
    # consultations
    Row("get", "consultation-list", lambda w: "/api/consultations/", EVERYONE),
    Row(
        "post",
        "consultation-list",
        lambda w: "/api/consultations/",
        MANAGERS,
        body=lambda w: {
            "process": w.process.pk,
            "title": "Neue Befragung",
            "method": "approval",
            "eligibility": "account",
            "options": [m.pk for m in w.measures],
        },
    ),
    Row("get", "consultation-detail", lambda w: c("open_ranking")(w) + "/", EVERYONE),
    Row("get", "consultation-detail", lambda w: c("draft")(w) + "/", MANAGERS, "draft"),
    Row("post", "consultation-open", lambda w: c("draft")(w) + "/open", MANAGERS),
    Row("post", "consultation-schedule", lambda w: c("draft")(w) + "/schedule", MANAGERS, ok={400}),
    Row("post", "consultation-close", lambda w: c("open_ranking")(w) + "/close", MANAGERS),
    Row(
        "post",
        "consultation-access-codes",
        lambda w: c("open_codes")(w) + "/access-codes",
        MANAGERS,
        body=lambda w: {"count": 2},
    ),
    Row(
        "put",
        "consultation-ballot",
        lambda w: c("open_ranking")(w) + "/ballot",
        SIGNED_IN,
        body=lambda w: {"ballot": {"ranking": [[w.measures[1].pk], [w.measures[0].pk]]}},
        note="account eligibility: every signed-in, verified account",
    ),
    Row(
        "put",
        "consultation-ballot",
        lambda w: c("open_codes")(w) + "/ballot",
        EVERYONE,
        body=lambda w: {"access_code": w.codes[0], "ballot": {"approve": [w.measures[0].pk]}},
        note="access code: whoever holds a code",
    ),
    Row(
        "put",
        "consultation-ballot",
        lambda w: c("draft")(w) + "/ballot",
        MANAGERS,
        body=lambda w: {"ballot": {"approve": [w.measures[0].pk]}},
        note="a draft exists only for its managers, who then get 409",
        ok={409},
    ),
    Row(
        "get",
        "consultation-ballot",
        lambda w: c("open_codes")(w) + "/ballot",
        set(),
        headers=lambda w: {"HTTP_X_ACCESS_CODE": w.codes[1]},
        note="an unused code has no ballot yet: 404 for everyone",
    ),
    Row("get", "consultation-pair-next", lambda w: c("pairwise")(w) + "/pairs/next", EVERYONE),
    Row(
        "post",
        "consultation-pairs",
        lambda w: c("pairwise")(w) + "/pairs",
        EVERYONE,
        body=lambda w: {"left": w.measures[0].pk, "right": w.measures[1].pk, "choice": "left"},
    ),
    Row("get", "consultation-proposals", lambda w: c("pairwise")(w) + "/proposals", EVERYONE),
    Row(
        "post",
        "consultation-proposals",
        lambda w: c("pairwise")(w) + "/proposals",
        EVERYONE,
        body=lambda w: {"title": "Mehr Sitzbänke", "description": "mit WLAN"},
    ),
    Row(
        "post",
        "consultation-proposal-approve",
        lambda w: c("pairwise")(w) + f"/proposals/{w.proposal.pk}/approve",
        MANAGERS,
    ),
    Row(
        "post",
        "consultation-proposal-reject",
        lambda w: c("pairwise")(w) + f"/proposals/{w.proposal.pk}/reject",
        MANAGERS,
    ),
    # opinion maps: statements and answers for every participant, review for the managers
    Row("get", "consultation-statements", lambda w: c("opinion")(w) + "/statements", EVERYONE),
    Row(
        "post",
        "consultation-statements",
        lambda w: c("opinion")(w) + "/statements",
        EVERYONE,
        body=lambda w: {"text": "Mehr Schatten im Sommer"},
        note="a manager's statement is visible at once, a participant's waits for review",
    ),
    Row("get", "consultation-statement-next", lambda w: c("opinion")(w) + "/statements/next", EVERYONE),
    Row(
        "post",
        "consultation-answers",
        lambda w: c("opinion")(w) + "/answers",
        EVERYONE,
        body=lambda w: {"statement": w.statement.pk, "value": 1},
    ),
    Row("get", "consultation-opinion-map", lambda w: c("opinion")(w) + "/opinion-map", EVERYONE),
    Row(
        "post",
        "consultation-statement-publish",
        lambda w: c("opinion")(w) + f"/statements/{w.proposed_statement.pk}/publish",
        MANAGERS,
    ),
    Row(
        "post",
        "consultation-statement-hide",
        lambda w: c("opinion")(w) + f"/statements/{w.statement.pk}/hide",
        MANAGERS,
    ),
    # results
    Row("get", "consultation-results", lambda w: c("published")(w) + "/results", EVERYONE),
    Row("get", "consultation-results", lambda w: c("closed_unpublished")(w) + "/results", MANAGERS, "unpublished"),
    Row("post", "consultation-publish", lambda w: c("closed_unpublished")(w) + "/publish", MANAGERS),
    Row("get", "consultation-ballots", lambda w: c("published")(w) + "/ballots", EVERYONE),
    Row("get", "consultation-ballots", lambda w: c("closed_unpublished")(w) + "/ballots", set(), "unpublished"),
    Row("get", "consultation-export", lambda w: c("published")(w) + "/export?format=csv", EVERYONE),
    Row("get", "consultation-export", lambda w: c("closed_unpublished")(w) + "/export?format=json", MANAGERS, "live"),
    Row("get", "consultation-open-data", lambda w: c("published")(w) + "/open-data", EVERYONE),
    Row("get", "consultation-open-data", lambda w: c("closed_unpublished")(w) + "/open-data", set(), "unpublished"),
    # paper ballots: the facilitators name election workers, who type in the returned ballots
    Row("get", "consultation-election-workers", lambda w: c("paper")(w) + "/election-workers", MANAGERS),
    Row(
        "post",
        "consultation-election-workers",
        lambda w: c("paper")(w) + "/election-workers",
        MANAGERS,
        body=lambda w: {"username": "buergerin"},
    ),
    Row(
        "delete",
        "consultation-election-worker",
        lambda w: c("paper")(w) + f"/election-workers/{w.election_worker.pk}",
        MANAGERS,
        ok={204},
    ),
    Row(
        "post",
        "consultation-paper-ballots",
        lambda w: c("paper")(w) + "/paper-ballots",
        WORKERS,
        body=lambda w: {"access_code": w.paper_codes[1], "ballot": {"approve": [w.measures[0].pk]}},
        note="election workers only, not even the facilitators",
    ),
    Row(
        "post",
        "consultation-paper-ballots",
        lambda w: c("paper")(w) + "/paper-ballots",
        WORKERS,
        body=lambda w: {"access_code": w.paper_codes[2], "spoiled": True},
        note="a spoiled paper ballot, election workers only",
    ),
    Row(
        "get",
        "consultation-paper-ballots",
        lambda w: c("paper")(w) + "/paper-ballots?state=disputed",
        MANAGERS | WORKERS,
    ),
    Row(
        "post",
        "consultation-paper-ballot-resolve",
        lambda w: c("paper")(w) + "/paper-ballots/resolve",
        MANAGERS | WORKERS,
        body=lambda w: {"access_code": w.paper_codes[0], "ballot": {"approve": [w.measures[0].pk]}},
        note="a third person settles a disputed paper ballot",
    ),
    Row(
        "post",
        "consultation-paper-ballot-resolve",
        lambda w: c("paper")(w) + "/paper-ballots/resolve",
        MANAGERS | WORKERS,
        body=lambda w: {"access_code": w.paper_codes[0], "spoiled": True},
        note="a third person finds a disputed paper ballot spoiled",
    ),
]


def api_endpoints():
    """(method, url name) of every view under /api/, from the URL resolver."""
    found = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern) and route.startswith("api/") and namespace == "api":
                found.update((method, pattern.name) for method in view_methods(pattern.callback))

    walk(get_resolver().url_patterns, "", None)
    return found


def view_methods(callback):
    actions = getattr(callback, "actions", None)
    if actions:  # a ViewSet route: {"get": "list", "post": "create"}
        return set(actions) - {"head"}  # HEAD is GET without the body
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    names = {"get", "post", "put", "patch", "delete"}
    return {m for m in names if view_class is not None and hasattr(view_class, m)}


def test_every_api_endpoint_has_a_row():
    rows = {(row.method, row.name) for row in ROWS}
    endpoints = api_endpoints()
    assert endpoints - rows == set(), "endpoints without a row in the permission matrix"
    assert rows - endpoints == set(), "rows for endpoints that do not exist"


def role_users(world):
    """The account behind each role; experts and observers joined a workshop with their account."""
    expert_here = factories.make_user(role=Role.EXPERT, username="expertin-hier")
    expert_other = factories.make_user(role=Role.EXPERT, username="experte-anderswo")
    observer = factories.make_user(role=Role.EXPERT, username="beobachterin")
    join_workshop(world.workshop, expert_here, "Expertin", ParticipantRole.EXPERT)
    join_workshop(world.other_workshop, expert_other, "Experte", ParticipantRole.EXPERT)
    join_workshop(world.workshop, observer, "Beamer", ParticipantRole.OBSERVER)
    return {
        "anonymous": None,
        "citizen": world.citizen,
        "expert_here": expert_here,
        "expert_other": expert_other,
        "observer": observer,
        "facilitator_here": world.facilitator,
        "facilitator_other": world.other_facilitator,
        "admin": world.admin,
        "election_worker": world.election_worker,
    }


def fingerprint():
    """What a refused request must not change."""
    return (
        list(Consultation.objects.order_by("pk").values_list("pk", "state")),
        Ballot.objects.count(),
        list(PaperBallot.objects.order_by("pk").values_list("pk", "state")),
        PaperEntry.objects.count(),
        ElectionWorker.objects.count(),
        list(Proposal.objects.order_by("pk").values_list("pk", "status")),
        Workshop.objects.count(),
        AuditLogEntry.objects.count(),
        list(factories.Measure.objects.order_by("pk").values_list("pk", "title")),
    )


def send(row, world, user):
    client = Client()
    headers = dict(row.headers(world)) if row.headers else {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {token(user)}"
    kwargs = {"content_type": "application/json", "data": row.body(world)} if row.body else {}
    return getattr(client, row.method)(row.path(world), **kwargs, **headers)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method.upper()} {r.name} {r.note}".strip())
def test_each_role_gets_what_the_matrix_says(db, row):
    world = build_world()
    users = role_users(world)
    wrong = []
    for role in ROLES:
        cache.clear()  # no role inherits another's rate-limit counters
        with transaction.atomic():
            before = fingerprint()
            response = send(row, world, users[role])
            allowed = role in row.allowed
            if allowed and response.status_code not in row.ok:
                wrong.append(f"{role}: expected success {sorted(row.ok)}, got {response.status_code}")
            if not allowed:
                if response.status_code not in (401, 403, 404):
                    wrong.append(f"{role}: expected 401/403/404, got {response.status_code}")
                elif fingerprint() != before:
                    wrong.append(f"{role}: refused with {response.status_code} but the data changed")
            transaction.set_rollback(True)
    assert not wrong, "\n".join(wrong)
