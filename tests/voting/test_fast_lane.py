"""The ballot box's fast lane (voting/fast_lane.py): the same answers as Django's view,
with the same rows in the box and the register; whatever is unusual is Django's."""

import asyncio
import json
import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from config.asgi import application, django_asgi_app
from voting import actions, fast_lane
from voting.models import AccessCode, Ballot, ConsultationOption, VoterRecord

from .helpers import make_consultation

pytestmark = pytest.mark.django_db(transaction=True)
RECEIPT = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the fast lane works on PostgreSQL only (on SQLite Django takes every ballot)")
    cache.clear()


@pytest.fixture
def django_calls(monkeypatch):
    """Requests that reached Django's view layer (the lane did not answer them)."""
    calls = []
    original = django_asgi_app.get_response

    def recording(request):
        calls.append(request.path)
        return original(request)

    monkeypatch.setattr(django_asgi_app, "get_response", recording)
    return calls


@pytest.fixture
def consultation():
    consultation, facilitator, ids = make_consultation(method="ranking", eligibility="access_code", n_options=4)
    codes, _ = actions.generate_access_codes(facilitator, consultation, 20)
    consultation.facilitator = facilitator
    return consultation, ids, codes


async def put(pk, body, headers=(), client="10.9.8.7", query=""):
    path = f"/api/consultations/{pk}/ballot" + (f"?{query}" if query else "")
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    base = [
        (b"host", b"localhost"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(raw)).encode()),
    ]
    given = {name.lower() for name, _ in headers}
    all_headers = [h for h in base if h[0] not in given] + list(headers)
    communicator = HttpCommunicator(application, "PUT", path, body=raw, headers=all_headers)
    communicator.scope["client"] = (client, 50000)
    response = await communicator.get_response(timeout=20)
    # Let the application finish too: Django closes the request's database connection
    # after the response has gone (request_finished), in the request's thread.
    await communicator.wait(timeout=20)
    headers = {name.decode().lower(): value.decode() for name, value in response["headers"]}
    try:
        data = json.loads(response["body"])
    except ValueError:
        data = response["body"]
    return response["status"], data, headers


def orm(function, *args):
    """Database work of the test itself, in asgiref's one thread (its connection is closed
    before the test database is dropped)."""
    return sync_to_async(function)(*args)


def ranking(ids):
    return {"ranking": [[i] for i in ids]}


async def test_a_new_ballot_gets_the_same_answer_and_rows_as_through_django(consultation, django_calls):
    consultation, ids, codes = consultation
    for language in ("de", "en"):
        extra = [(b"accept-language", language.encode())]
        first, second = (codes[0], codes[2]) if language == "de" else (codes[1], codes[3])
        fast = await put(consultation.pk, {"access_code": first, "ballot": ranking(ids)}, extra)
        assert django_calls == []
        with override_settings(BALLOT_FAST_LANE=False):
            slow = await put(consultation.pk, {"access_code": second, "ballot": ranking(ids)}, extra)
        assert len(django_calls) == 1
        django_calls.clear()

        assert fast[0] == slow[0] == 201, (fast, slow)
        assert set(fast[1]) == set(slow[1]) == {"receipt", "created", "changed"}
        assert RECEIPT.fullmatch(fast[1]["receipt"]) and fast[1]["receipt"] != slow[1]["receipt"]
        assert fast[1]["created"] is slow[1]["created"] is True
        assert fast[1]["changed"] is slow[1]["changed"] is True
        fast_headers = {k: v for k, v in fast[2].items() if k != "content-length"}
        slow_headers = {k: v for k, v in slow[2].items() if k != "content-length"}
        assert fast_headers.pop("vary").split(", ") == slow_headers.pop("vary").split(", ")
        assert fast_headers == slow_headers
        assert fast_headers["content-language"] == language

    def rows():
        ballots = {b.receipt: b for b in Ballot.objects.filter(consultation=consultation)}
        return ballots, list(VoterRecord.objects.filter(consultation=consultation))

    ballots, register = await orm(rows)
    assert len(ballots) == 4 and len(register) == 4
    assert {str(b.content) for b in ballots.values()} == {str(ranking(ids))}
    assert {r.access_code_id for r in register} == set(
        await orm(lambda: list(AccessCode.objects.filter(voter__isnull=False).values_list("pk", flat=True)))
    )
    assert {r.first_voted_hour for r in register} == {register[0].first_voted_hour}
    assert all(r.changes == 0 and r.user_id is None and r.browser_hash == "" for r in register)
    keys = {actions.Voter(consultation.pk, access_code_id=r.access_code_id).ballot_key for r in register}
    assert {b.ballot_key for b in ballots.values()} == keys


async def test_the_same_ballot_again_is_answered_in_the_lane_and_changes_nothing(consultation, django_calls):
    consultation, ids, codes = consultation
    first = await put(consultation.pk, {"access_code": codes[0], "ballot": ranking(ids)})
    again = await put(consultation.pk, {"ballot": ranking(ids)}, [(b"x-access-code", codes[0].encode())])
    assert first[0] == 201 and again[0] == 200
    assert again[1] == {"receipt": first[1]["receipt"], "created": False, "changed": False}
    assert django_calls == []
    assert await orm(Ballot.objects.count) == 1
    assert await orm(VoterRecord.objects.count) == 1


async def test_a_changed_ballot_is_replaced_in_the_lane_as_django_would(consultation, django_calls):
    consultation, ids, codes = consultation
    lane_first = await put(consultation.pk, {"access_code": codes[0], "ballot": ranking(ids)})
    lane_change = await put(consultation.pk, {"access_code": codes[0], "ballot": ranking(ids[::-1])})
    assert django_calls == []
    with override_settings(BALLOT_FAST_LANE=False):
        django_first = await put(consultation.pk, {"access_code": codes[1], "ballot": ranking(ids)})
        django_change = await put(consultation.pk, {"access_code": codes[1], "ballot": ranking(ids[::-1])})
    assert len(django_calls) == 2

    assert lane_change[0] == django_change[0] == 200
    assert lane_change[1]["created"] is False and lane_change[1]["changed"] is True
    assert django_change[1]["created"] is False and django_change[1]["changed"] is True
    # Both paths give a changed ballot a new receipt, which is the one in the box.
    assert lane_change[1]["receipt"] != lane_first[1]["receipt"]
    assert django_change[1]["receipt"] != django_first[1]["receipt"]
    receipts = await orm(lambda: set(Ballot.objects.values_list("receipt", flat=True)))
    assert receipts == {lane_change[1]["receipt"], django_change[1]["receipt"]}
    drop = {"content-length", "vary"}
    assert {k: v for k, v in lane_change[2].items() if k not in drop} == {
        k: v for k, v in django_change[2].items() if k not in drop
    }
    ballots = await orm(lambda: sorted(map(str, Ballot.objects.values_list("content", flat=True))))
    assert ballots == [str(ranking(ids[::-1]))] * 2
    assert await orm(lambda: sorted(VoterRecord.objects.values_list("changes", flat=True))) == [1, 1]


async def test_changes_over_the_limit_are_refused_by_django(consultation, django_calls):
    consultation, ids, codes = consultation
    await put(consultation.pk, {"access_code": codes[0], "ballot": ranking(ids)})
    voter_key = await orm(lambda: Ballot.objects.get().ballot_key)
    await orm(cache.set, actions._changes_key(voter_key), actions.CHANGES_PER_HOUR, 3600)
    status, data, _ = await put(consultation.pk, {"access_code": codes[0], "ballot": ranking(ids[::-1])})
    assert status == 429, data
    assert len(django_calls) == 1
    assert (await orm(Ballot.objects.get)).content == ranking(ids)
    assert (await orm(VoterRecord.objects.get)).changes == 0


async def test_parallel_changes_of_one_voter_leave_one_of_them_and_count_each_replacement(consultation):
    consultation, ids, codes = consultation
    await put(consultation.pk, {"access_code": codes[0], "ballot": ranking(ids)})
    orders = [ids[n:] + ids[:n] for n in range(1, 4)]
    answers = await asyncio.gather(
        *(put(consultation.pk, {"access_code": codes[0], "ballot": ranking(o)}) for o in orders * 4)
    )
    assert all(status == 200 for status, _, _ in answers), answers
    ballot = await orm(Ballot.objects.get)
    assert ballot.content in [ranking(o) for o in orders]
    changed = sum(1 for _, data, _ in answers if data["changed"])
    assert 1 <= changed <= 12
    assert (await orm(VoterRecord.objects.get)).changes == changed


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong code", 403),
        ("no code", 400),
        ("unknown measure", 400),
        ("measure twice", 400),
        ("not a ballot object", 400),
        ("bad JSON", 400),
        ("NUL in text", 400),
        ("closed", 409),
        ("signed-in session cookie", 201),
        ("token header", 401),
        ("HTML wanted", 201),
        ("language in the query", 201),
        ("form instead of JSON", 201),
        ("unknown consultation", 404),
        ("host not allowed", 400),
    ],
)
async def test_what_is_unusual_is_answered_by_django(consultation, django_calls, case, expected):
    consultation, ids, codes = consultation
    pk = consultation.pk
    body = {"access_code": codes[0], "ballot": ranking(ids)}
    headers = []
    query = ""
    if case == "wrong code":
        body["access_code"] = "AAAA-BBBB-CCCC-DDDD"
    elif case == "no code":
        del body["access_code"]
    elif case == "unknown measure":
        body["ballot"] = {"ranking": [[ids[0]], [999_999]]}
    elif case == "measure twice":
        body["ballot"] = {"ranking": [[ids[0]], [ids[0]]]}
    elif case == "not a ballot object":
        body["ballot"] = [ids[0]]
    elif case == "bad JSON":
        body = b'{"ballot": '
    elif case == "NUL in text":
        body["comment"] = "a\u0000b"
    elif case == "closed":
        await orm(actions.close_consultation, consultation.facilitator, consultation)
    elif case == "signed-in session cookie":
        headers = [(b"cookie", b"sessionid=not-a-session")]
    elif case == "token header":
        headers = [(b"authorization", b"Token not-a-token")]
    elif case == "HTML wanted":
        headers = [(b"accept", b"text/html,application/json;q=0.9")]
    elif case == "language in the query":
        query = "lang=en"
    elif case == "form instead of JSON":
        body = f"access_code={codes[0]}&ballot=x".encode()
        headers = [(b"content-type", b"text/plain")]
        expected = 415
    elif case == "unknown consultation":
        pk = pk + 1000
    elif case == "host not allowed":
        headers = [(b"host", b"evil.example")]
    status, data, _ = await put(pk, body, headers, query=query)
    assert status == expected, data
    assert len(django_calls) == 1
    stored = await orm(Ballot.objects.count)
    assert stored == (1 if expected in (200, 201) else 0)


async def test_a_good_code_passes_the_lane_from_an_address_full_of_wrong_codes(consultation, django_calls):
    """Others' wrong guesses from the same address never refuse a right code."""
    consultation, ids, codes = consultation
    await orm(cache.set, actions._failure_key("10.9.8.7"), actions.FAILED_ATTEMPTS_LIMIT + 50, 900)
    wrong = await put(consultation.pk, {"access_code": "AAAA-AAAA-AAAA-AAAA", "ballot": ranking(ids)})
    assert wrong[0] == 429 and int(wrong[2]["retry-after"]) > 0 and len(django_calls) == 1
    status, _, _ = await put(consultation.pk, {"access_code": codes[0], "ballot": ranking(ids)})
    assert status == 201 and len(django_calls) == 1


async def test_many_parallel_requests_of_one_voter_end_as_one_ballot(consultation):
    consultation, ids, codes = consultation
    body = {"access_code": codes[5], "ballot": ranking(ids)}
    answers = await asyncio.gather(*(put(consultation.pk, body) for _ in range(24)))
    assert sorted(status for status, _, _ in answers) == [200] * 23 + [201]
    assert len({data["receipt"] for _, data, _ in answers}) == 1
    assert await orm(Ballot.objects.count) == 1
    assert await orm(VoterRecord.objects.count) == 1


async def test_parallel_voters_are_each_counted_once(consultation):
    consultation, ids, codes = consultation
    bodies = [{"access_code": code, "ballot": ranking(ids[n % 4 :] + ids[: n % 4])} for n, code in enumerate(codes)]
    answers = await asyncio.gather(*(put(consultation.pk, body) for body in bodies + bodies[::4]))
    assert sum(1 for status, _, _ in answers if status == 201) == 20
    assert all(status in (200, 201) for status, _, _ in answers)
    contents = sorted(map(str, await orm(lambda: list(Ballot.objects.values_list("content", flat=True)))))
    assert contents == sorted(str(b["ballot"]) for b in bodies)
    assert await orm(VoterRecord.objects.count) == 20


def test_the_lanes_sql_names_the_models_tables():
    from participation.models import Measure, Process
    from voting.models import Consultation

    for model in (AccessCode, Ballot, Consultation, ConsultationOption, Measure, Process, VoterRecord):
        assert re.search(rf"\b{model._meta.db_table}\b", fast_lane.CONSULTATION_SQL + fast_lane.CAST_SQL), model
