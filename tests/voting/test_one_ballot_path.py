"""One path for every ballot: whatever the eligibility (access code, account, open), a ballot
goes through the same view and ``actions.cast_ballot`` into the box and the register; on
PostgreSQL in one statement per step (share lock, ballot and register together)."""

import asyncio
import json
import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator
from django.core.cache import cache
from django.db import connection
from django.test import Client

from config.asgi import application
from tests import factories
from voting import actions
from voting.models import AccessCode, Ballot, Consultation, VoterRecord

from .helpers import make_consultation, token_header

RECEIPT = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")
MODES = ["access_code", "account", "open"]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def ranking(ids):
    return {"ranking": [[i] for i in ids]}


class Voters:
    """Clients that are eligible voters of a consultation of ``mode``."""

    def __init__(self, mode, n=4):
        self.mode = mode
        self.consultation, self.facilitator, self.ids = make_consultation(method="ranking", eligibility=mode)
        self.codes = []
        self.headers = [{} for _ in range(n)]
        if mode == "access_code":
            self.codes, _batch = actions.generate_access_codes(self.facilitator, self.consultation, n)
        elif mode == "account":
            self.headers = [token_header(factories.make_user()) for _ in range(n)]
        self.clients = [Client() for _ in range(n)]  # open: each keeps its browser cookie

    def put(self, voter, ballot):
        body = {"ballot": ballot}
        if self.codes:
            body["access_code"] = self.codes[voter]
        response = self.clients[voter].put(
            f"/api/consultations/{self.consultation.pk}/ballot",
            json.dumps(body),
            content_type="application/json",
            **self.headers[voter],
        )
        return response.status_code, response.json()


@pytest.fixture(params=MODES)
def voters(request, db):
    return Voters(request.param)


def register_fields(mode, record):
    values = (record.user_id, record.access_code_id, record.browser_hash)
    if mode == "access_code":
        return values[0] is None and values[1] is not None and values[2] == ""
    if mode == "account":
        return values[0] is not None and values[1] is None and values[2] == ""
    return values[0] is None and values[1] is None and values[2] != ""


def test_a_new_ballot_goes_into_the_box_and_its_voter_into_the_register(voters):
    answers = [voters.put(n, ranking(voters.ids)) for n in range(2)]
    assert [status for status, _ in answers] == [201, 201]
    for _, data in answers:
        assert set(data) == {"receipt", "created", "changed"} and RECEIPT.fullmatch(data["receipt"])
        assert data["created"] is True and data["changed"] is True
    assert answers[0][1]["receipt"] != answers[1][1]["receipt"]
    ballots = Ballot.objects.filter(consultation=voters.consultation)
    register = list(VoterRecord.objects.filter(consultation=voters.consultation))
    assert sorted(ballots.values_list("receipt", flat=True)) == sorted(d["receipt"] for _, d in answers)
    assert {json.dumps(b.content) for b in ballots} == {json.dumps(ranking(voters.ids))}
    assert len(register) == 2 and all(register_fields(voters.mode, r) and r.changes == 0 for r in register)
    assert len({r.first_voted_hour for r in register}) == 1
    if voters.mode == "access_code":
        used = set(AccessCode.objects.filter(voter__isnull=False).values_list("pk", flat=True))
        assert {r.access_code_id for r in register} == used
    # The box's keys are the voters' keyed hashes, nothing the register holds.
    keys = {
        actions.Voter(voters.consultation.pk, r.user_id, r.access_code_id, r.browser_hash).ballot_key for r in register
    }
    assert set(ballots.values_list("ballot_key", flat=True)) == keys


def test_the_same_ballot_again_changes_nothing(voters):
    status, first = voters.put(0, ranking(voters.ids))
    again = voters.put(0, ranking(voters.ids))
    assert status == 201
    assert again == (200, {"receipt": first["receipt"], "created": False, "changed": False})
    assert Ballot.objects.count() == VoterRecord.objects.count() == 1


def test_a_changed_ballot_is_replaced_under_a_new_receipt_and_counted(voters):
    _, first = voters.put(0, ranking(voters.ids))
    status, changed = voters.put(0, ranking(voters.ids[::-1]))
    assert status == 200 and changed["created"] is False and changed["changed"] is True
    assert changed["receipt"] != first["receipt"]
    ballot = Ballot.objects.get()
    assert (ballot.receipt, ballot.content) == (changed["receipt"], ranking(voters.ids[::-1]))
    assert VoterRecord.objects.get().changes == 1


def test_changes_over_the_limit_are_refused_and_change_nothing(voters):
    voters.put(0, ranking(voters.ids))
    cache.set(actions._changes_key(Ballot.objects.get().ballot_key), actions.CHANGES_PER_HOUR, 3600)
    status, data = voters.put(0, ranking(voters.ids[::-1]))
    assert status == 429, data
    assert Ballot.objects.get().content == ranking(voters.ids)
    assert VoterRecord.objects.get().changes == 0


def test_a_closed_consultation_takes_no_ballot(voters):
    voters.put(0, ranking(voters.ids))
    actions.close_consultation(voters.facilitator, Consultation.objects.get(pk=voters.consultation.pk))
    for voter, ballot in ((0, ranking(voters.ids[::-1])), (1, ranking(voters.ids))):
        status, data = voters.put(voter, ballot)
        assert status == 409 and "beendet" in data["detail"]
    assert Ballot.objects.get().content == ranking(voters.ids)
    assert VoterRecord.objects.count() == 1


def test_the_writers_sql_names_the_models_tables_and_columns():
    sql = actions.CAST_SQL + actions.CHANGE_SQL
    for model in (Ballot, Consultation, VoterRecord):
        assert re.search(rf"\b{model._meta.db_table}\b", sql), model
    assert set(actions.REGISTER_COLUMNS) <= {f.attname for f in VoterRecord._meta.fields}


# --- in parallel, through the ASGI application (PostgreSQL: SQLite writes one at a time) ----------


async def asgi_put(pk, body):
    raw = json.dumps(body).encode()
    headers = [(b"host", b"localhost"), (b"content-type", b"application/json"), (b"content-length", b"%d" % len(raw))]
    communicator = HttpCommunicator(application, "PUT", f"/api/consultations/{pk}/ballot", body=raw, headers=headers)
    communicator.scope["client"] = ("10.9.8.7", 50000)
    response = await communicator.get_response(timeout=20)
    await communicator.wait(timeout=20)
    return response["status"], json.loads(response["body"])


@pytest.fixture
def coded():
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL")
    consultation, facilitator, ids = make_consultation(method="ranking", eligibility="access_code")
    codes, _batch = actions.generate_access_codes(facilitator, consultation, 20)
    return consultation, ids, codes


@pytest.mark.django_db(transaction=True)
async def test_parallel_changes_of_one_voter_leave_one_of_them_and_count_each_replacement(coded):
    consultation, ids, codes = coded
    await asgi_put(consultation.pk, {"access_code": codes[0], "ballot": ranking(ids)})
    orders = [ids[n:] + ids[:n] for n in range(1, 4)]
    answers = await asyncio.gather(
        *(asgi_put(consultation.pk, {"access_code": codes[0], "ballot": ranking(o)}) for o in orders * 4)
    )
    assert all(status == 200 for status, _ in answers), answers
    ballot = await sync_to_async(Ballot.objects.get)()
    assert ballot.content in [ranking(o) for o in orders]
    changed = sum(1 for _, data in answers if data["changed"])
    assert 1 <= changed <= 12
    assert (await sync_to_async(VoterRecord.objects.get)()).changes == changed


@pytest.mark.django_db(transaction=True)
async def test_many_parallel_requests_of_one_voter_end_as_one_ballot(coded):
    consultation, ids, codes = coded
    body = {"access_code": codes[5], "ballot": ranking(ids)}
    answers = await asyncio.gather(*(asgi_put(consultation.pk, body) for _ in range(24)))
    assert sorted(status for status, _ in answers) == [200] * 23 + [201]
    assert len({data["receipt"] for _, data in answers}) == 1
    assert await sync_to_async(Ballot.objects.count)() == 1
    assert await sync_to_async(VoterRecord.objects.count)() == 1


@pytest.mark.django_db(transaction=True)
async def test_parallel_voters_are_each_counted_once(coded):
    consultation, ids, codes = coded
    bodies = [{"access_code": code, "ballot": ranking(ids[n % 4 :] + ids[: n % 4])} for n, code in enumerate(codes)]
    answers = await asyncio.gather(*(asgi_put(consultation.pk, body) for body in bodies + bodies[::4]))
    assert sum(1 for status, _ in answers if status == 201) == 20
    assert all(status in (200, 201) for status, _ in answers)
    contents = await sync_to_async(lambda: sorted(map(json.dumps, Ballot.objects.values_list("content", flat=True))))()
    assert contents == sorted(json.dumps(b["ballot"]) for b in bodies)
    assert await sync_to_async(VoterRecord.objects.count)() == 20


@pytest.mark.django_db
def test_an_api_token_is_read_as_drf_reads_it():
    """The lean token authentication (participation/authentication.py) answers as DRF's."""
    from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed

    from participation.authentication import TokenAuthentication

    active, inactive = factories.make_user(), factories.make_user()
    keys = [token_header(u)["HTTP_AUTHORIZATION"].split()[1] for u in (active, inactive)]
    inactive.is_active = False
    inactive.save()

    def answer(authentication, key):
        try:
            user, token = authentication().authenticate_credentials(key)
        except AuthenticationFailed as error:
            return str(error.detail)
        return user.pk, token.key

    for key in [*keys, "0" * 40]:
        assert answer(TokenAuthentication, key) == answer(DrfTokenAuthentication, key)
    assert answer(TokenAuthentication, keys[0]) == (active.pk, keys[0])
