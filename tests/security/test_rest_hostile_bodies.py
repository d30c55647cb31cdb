"""Bodies a hostile or clumsy client sends to every endpoint that takes one: JSON nested
thousands of levels deep (Python's json raises RecursionError there, which the ValueError
handlers missed: a 500), numbers no column holds (10**400 written out, 1e400, which Python
reads as infinity, NaN), odd Unicode where an id belongs, bodies over the size limit and
forms with too many fields. Each is a JSON 400 naming the problem, and no row changes.

Runs on the configured database; on PostgreSQL, tests/security/test_api_fuzz.py runs this
module once more on SQLite (what ``make demo`` serves)."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator
from django.apps import apps
from django.core.cache import cache
from django.test import override_settings

from config.asgi import application
from participation.parsers import MAX_DEPTH
from voting import actions as voting
from voting.models import Ballot, VoterRecord

from ..voting.helpers import make_consultation
from .world import build_world, token

DEEP = {
    "arrays": "[" * 5000 + "]" * 5000,
    "objects": '{"a":' * 5000 + "1" + "}" * 5000,
    "mixed": '[{"a":' * 2500 + "1" + "}]" * 2500,
}
# Written out in the JSON text: a whole number of 401 digits, one beyond 64 bits, numbers
# Python reads as infinity, and the constants JSON does not have.
NUMBERS = ["1" + "0" * 400, str(2**63), str(-(2**63) - 1), "1e400", "-1e400", "NaN", "Infinity", "-Infinity"]
# Where an id belongs: a superscript two (a digit to str.isdigit(), not to int()), an id
# behind a right-to-left override, a digit with a combining accent.
ODD_IDS = ["²", "\u202e1", "1\u0301"]


def endpoints(w):
    """(name, method, path, valid body, the field hostile values go into, auth)."""
    ids = [m.pk for m in w.measures]
    facilitator = {"HTTP_AUTHORIZATION": f"Token {token(w.facilitator)}"}
    return [
        (
            "ballot",
            "put",
            f"/api/consultations/{w.open_codes.pk}/ballot",
            {"access_code": w.codes[0], "ballot": {"approve": ids[:1]}},
            ("ballot", lambda v: {"approve": [v]}),
            {},
        ),
        (
            "workshop",
            "post",
            "/api/workshops/",
            {"process": w.process.pk, "title": "T"},
            ("process", None),
            facilitator,
        ),
        ("join", "post", f"/api/workshops/{w.workshop.code}/join", {"display_name": "Kim"}, ("display_name", None), {}),
        (
            "consultation",
            "post",
            "/api/consultations/",
            {"process": w.process.pk, "title": "T", "method": "approval", "eligibility": "account", "options": ids},
            ("process", None),
            facilitator,
        ),
        (
            "access codes",
            "post",
            f"/api/consultations/{w.open_codes.pk}/access-codes",
            {"count": 2},
            ("count", None),
            facilitator,
        ),
        (
            "pair",
            "post",
            f"/api/consultations/{w.pairwise.pk}/pairs",
            {"left": ids[0], "right": ids[1], "choice": "left"},
            ("left", None),
            {},
        ),
        ("proposal", "post", f"/api/consultations/{w.pairwise.pk}/proposals", {"title": "Bänke"}, ("title", None), {}),
        (
            "measure",
            "post",
            "/api/measures/",
            {"process": w.process.pk, "title": "T", "summary": "S"},
            ("process", None),
            facilitator,
        ),
        ("measure change", "patch", f"/api/measures/{ids[0]}/", {"title": "T"}, ("field", None), facilitator),
    ]


def all_rows():
    """Every row of the platform's own tables (and the sign-in tokens)."""
    rows = {}
    for label in ("participation", "voting", "workshops", "results", "authtoken"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return rows


def with_raw(body, name, raw, wrap=None):
    """``body`` as JSON text with ``name`` set to the JSON text ``raw`` (inside ``wrap``)."""
    marker = "\u2063hostile\u2063"
    value = wrap(marker) if wrap else marker
    return json.dumps({**body, name: value}).replace(json.dumps(marker), raw)


def send(client, method, path, raw, auth, content_type="application/json"):
    return client.generic(method.upper(), path, raw, content_type=content_type, **auth)


@pytest.fixture
def world(db):
    cache.clear()  # rate limits of earlier tests
    return build_world()


def hostile_bodies(body, field):
    name, wrap = field
    for label, text in DEEP.items():
        yield f"deep {label}", text, "verschachtelt", None
        yield f"deep {label} in {name}", with_raw(body, name, text, wrap), "verschachtelt", None
    yield "500 levels", "[" * 500 + "]" * 500, "verschachtelt", None
    too_deep = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    yield f"{MAX_DEPTH + 1} levels in {name}", with_raw(body, name, too_deep, wrap), "verschachtelt", None
    for number in NUMBERS:
        raw = with_raw(body, name, number, wrap)
        if number.lstrip("-") in ("NaN", "Infinity"):
            yield f"{name}={number}", raw, number.lstrip("-"), None  # not JSON at all
        else:
            yield f"{name}={number[:12]}", raw, "außerhalb", name  # names the field
    yield "not UTF-8", b'{"title": "\xff\xfe"}', "JSON", None
    yield "a byte order mark", "\ufeff" + json.dumps(body), "JSON", None


def test_every_body_endpoint_refuses_hostile_json_with_a_400_naming_it_and_changes_nothing(client, world):
    cases = endpoints(world)
    before = all_rows()
    wrong = []
    for name, method, path, body, field, auth in cases:
        for label, raw, expected, key in hostile_bodies(body, field):
            response = send(client, method, path, raw, auth)
            data = response.json() if response["Content-Type"].startswith("application/json") else None
            text = json.dumps(data, ensure_ascii=False) if data is not None else response.content[:200]
            if response.status_code != 400 or data is None:
                wrong.append(f"{name} {label}: {response.status_code} {text}")
            elif expected not in text or (key is not None and key not in data):
                wrong.append(f"{name} {label}: does not name the problem: {text}")
    assert not wrong, "\n".join(wrong)
    assert all_rows() == before


def test_odd_unicode_where_an_id_belongs_is_a_400_and_changes_nothing(client, world):
    cases = endpoints(world)
    before = all_rows()
    wrong = []
    for name, method, path, body, (field, wrap), auth in cases:
        if field in ("display_name", "title"):
            continue  # free text: any storable character is allowed there
        for odd in ODD_IDS:
            raw = json.dumps({**body, field: wrap(odd) if wrap else odd})
            response = send(client, method, path, raw, auth)
            if response.status_code != 400 or field not in response.json():
                wrong.append(f"{name} {field}={odd!r}: {response.status_code} {response.content[:200]}")
    assert not wrong, "\n".join(wrong)
    assert all_rows() == before


def test_huge_numbers_in_form_fields_are_a_400_and_change_nothing(client, world):
    """A form's numbers are text, so the JSON parser's check does not see them: each field must."""
    cases = endpoints(world)
    before = all_rows()
    wrong = []
    for name, method, path, body, (field, wrap), auth in cases:
        if wrap or field in ("display_name", "title"):
            continue
        flat = {k: v for k, v in body.items() if not isinstance(v, dict | list)}
        for number in ("145997136194186280960", str(2**63), "1" * 5000, "²"):
            raw = "&".join(f"{k}={v}" for k, v in {**flat, field: number}.items())
            response = send(client, method, path, raw, auth, "application/x-www-form-urlencoded")
            if response.status_code != 400:
                wrong.append(f"{name} {field}={number[:24]}: {response.status_code} {response.content[:200]}")
    assert not wrong, "\n".join(wrong)
    assert all_rows() == before


def test_nesting_up_to_the_limit_is_read(client, world):
    """The limit refuses what no client of this API sends, nothing more: a body MAX_DEPTH levels
    deep is read (here: a join with an extra field the view ignores)."""
    code = world.workshop.code
    deepest = {"display_name": "Kim", "extra": json.loads("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))}
    response = client.post(f"/api/workshops/{code}/join", deepest, content_type="application/json")
    assert response.status_code == 201, response.content
    one_more = {"display_name": "Kim", "extra": json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)}
    response = client.post(f"/api/workshops/{code}/join", one_more, content_type="application/json")
    assert response.status_code == 400
    assert "verschachtelt" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000, DATA_UPLOAD_MAX_NUMBER_FIELDS=50)
def test_oversized_bodies_and_too_many_fields_are_a_json_400(client, world):
    before = all_rows()
    join = f"/api/workshops/{world.workshop.code}/join"
    big = json.dumps({"display_name": "Kim", "agenda": "x" * 20_000})
    for content_type, raw in [
        ("application/json", big),
        ("application/x-www-form-urlencoded", "display_name=Kim&agenda=" + "x" * 20_000),
        ("multipart/form-data; boundary=zz", "--zz\r\n" + "x" * 20_000),
    ]:
        response = send(client, "post", join, raw, {}, content_type)
        assert response.status_code == 400, (content_type, response.content[:200])
        assert "zu groß" in response.json()["detail"], content_type
    many = "&".join(f"f{i}=1" for i in range(60))
    response = send(client, "post", join, many + "&display_name=Kim", {}, "application/x-www-form-urlencoded")
    assert response.status_code == 400 and "zu viele Felder" in response.json()["detail"]
    response = client.get("/api/measures/?" + many)
    assert response.status_code == 400 and "zu viele Felder" in response.json()["detail"]
    assert all_rows() == before


def test_a_charset_python_does_not_know_is_read_as_utf8(client, world):
    response = send(
        client,
        "post",
        f"/api/workshops/{world.workshop.code}/join",
        '{"display_name": "Kim"}',
        {},
        "application/json; charset=nonsense",
    )
    assert response.status_code == 201


def test_html_forms_take_hostile_numbers_without_a_500(client, world):
    """The pages' forms read numbers too (a process, option ids, a count, a page)."""
    w = world
    client.force_login(w.facilitator)
    wrong = []
    for value in ["145997136194186280960", "1" * 5000, "²", "abc", "-1", "1e400", "\u202e1"]:
        for method, url, data in [
            ("get", "/befragungen/neu/", {"process": value}),
            ("get", f"/befragungen/{w.open_codes.pk}/", {"code": value}),
            ("post", f"/befragungen/{w.open_ranking.pk}/stimme/", {"choice": value, "approve": value, value: value}),
            ("post", f"/befragungen/{w.open_codes.pk}/stimme/", {"access_code": w.codes[1], "approve": value}),
            ("post", f"/befragungen/{w.pairwise.pk}/paar/", {"left": value, "right": value, "choice": "left"}),
            ("post", f"/befragungen/{w.open_codes.pk}/verwaltung/zugangscodes/", {"count": value}),
            ("get", f"/ergebnisse/{w.published.pk}/", {"receipt": value}),
            ("get", "/w/", {"code": value}),
            ("get", "/massnahmen/", {"process": value, "field": value, "page": value, "status": value}),
            ("get", "/projekte/", {"process": value, "field": value, "page": value}),
        ]:
            response = getattr(client, method)(url, data)
            if response.status_code >= 500:
                wrong.append(f"{method.upper()} {url} {value[:24]!r}: {response.status_code}")
        before = all_rows()
        response = client.post("/befragungen/neu/", {"process": value, "title": "T", "method": "approval"})
        if response.status_code != 404 or all_rows() != before:
            wrong.append(f"POST /befragungen/neu/ process={value[:24]!r}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_digits_are_not_a_date(client, world):
    w = world
    body = {
        "process": w.process.pk,
        "title": "T",
        "method": "approval",
        "eligibility": "account",
        "options": [m.pk for m in w.measures],
        "opens_at": "1" * 24,
    }
    auth = {"HTTP_AUTHORIZATION": f"Token {token(w.facilitator)}"}
    response = client.post("/api/consultations/", body, content_type="application/json", **auth)
    assert response.status_code == 400


# --- A hostile ballot through the ASGI application (the demo's server) -------------------------


async def put_ballot(pk, raw):
    body = raw.encode()
    headers = [
        (b"host", b"localhost"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    communicator = HttpCommunicator(application, "PUT", f"/api/consultations/{pk}/ballot", body=body, headers=headers)
    communicator.scope["client"] = ("10.9.8.7", 50000)
    response = await communicator.get_response(timeout=20)
    await communicator.wait(timeout=20)
    return response["status"], json.loads(response["body"])


@pytest.mark.django_db(transaction=True)
async def test_a_hostile_ballot_is_a_400_and_no_ballot():
    """Deep nesting, numbers no column holds, text PostgreSQL cannot store: 400, nothing stored."""
    cache.clear()

    def setup():
        consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
        codes, _batch = voting.generate_access_codes(facilitator, consultation, 3)
        return consultation, ids, codes

    consultation, ids, codes = await sync_to_async(setup)()
    good = {"access_code": codes[0], "ballot": {"approve": ids[:1]}}
    bodies = [
        with_raw(good, "ballot", DEEP["arrays"]),
        with_raw(good, "ballot", DEEP["objects"]),
        with_raw(good, "ballot", DEEP["mixed"]),
        with_raw(good, "ballot", "[" * 500 + "]" * 500),
        with_raw(good, "ballot", "1" + "0" * 400, lambda v: {"approve": [v]}),
        with_raw(good, "ballot", "1e400", lambda v: {"approve": [v]}),
        with_raw(good, "ballot", "NaN", lambda v: {"approve": [v]}),
        json.dumps({**good, "ballot": {"approve": ["²"]}}),
    ]
    for raw in bodies:
        status, data = await put_ballot(consultation.pk, raw)
        assert status == 400, (raw[:60], data)
    counts = await sync_to_async(
        lambda: (
            Ballot.objects.filter(consultation=consultation).count(),
            VoterRecord.objects.filter(consultation=consultation).count(),
        )
    )()
    assert counts == (0, 0)
    # The same code still votes.
    status, data = await put_ballot(consultation.pk, json.dumps(good))
    assert status == 201, data
