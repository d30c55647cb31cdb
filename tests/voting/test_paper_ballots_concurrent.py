"""Paper ballots typed at the same moment, against PostgreSQL: one code, one ballot."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from tests import factories
from voting import actions, paper_actions
from voting.models import Ballot, Channel, PaperBallot, PaperState, VoterRecord

from .helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db(transaction=True)


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("parallel writes need PostgreSQL (SQLite serialises them)")


def consultation_with_workers(workers=8, codes=3, close=False):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    printed, _batch = actions.generate_access_codes(facilitator, consultation, codes)
    users = [factories.make_user(username=f"wahlhelferin{n}") for n in range(workers)]
    for user in users:
        paper_actions.add_election_worker(facilitator, consultation, user)
    if close:
        consultation = actions.close_consultation(facilitator, consultation)
    return consultation, ids, printed, users


def post(url, headers, body):
    try:
        response = Client().post(url, body, content_type="application/json", **headers)
        return response.status_code, response.json()
    finally:
        connections.close_all()


def put(url, body):
    try:
        response = Client().put(url, body, content_type="application/json")
        return response.status_code, response.json()
    finally:
        connections.close_all()


@pytest.mark.parametrize("close", [False, True], ids=["open", "closed"])
def test_many_workers_typing_one_code_at_once_give_one_ballot(close):
    needs_postgres()
    consultation, ids, codes, workers = consultation_with_workers(close=close)
    url = f"/api/consultations/{consultation.pk}/paper-ballots"
    body = {"access_code": codes[0], "ballot": {"approve": [ids[0], ids[2]]}}
    jobs = [token_header(worker) for worker in workers]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda headers: post(url, headers, body), jobs))
    states = [answer.get("state", str(status)) for status, answer in results]
    # One first entry, one that made it count; everyone after was told it is counted.
    assert states.count("waiting") == 1 and states.count("counted") == 1, results
    assert [status for status, _ in results].count(409) == len(workers) - 2, results
    assert Ballot.objects.count() == 1 and VoterRecord.objects.count() == 1
    assert Ballot.objects.get().channel == Channel.PAPER
    assert PaperBallot.objects.get().state == PaperState.COUNTED


def test_pairs_of_workers_on_many_codes_count_each_code_once():
    needs_postgres()
    consultation, ids, codes, workers = consultation_with_workers(workers=4, codes=12)
    url = f"/api/consultations/{consultation.pk}/paper-ballots"
    jobs = [
        (token_header(worker), {"access_code": code, "ballot": {"approve": [ids[n % 4]]}})
        for n, code in enumerate(codes)
        for worker in workers[:2]
    ]
    jobs += jobs[::5]  # some sent twice, as after a lost answer: the same worker again
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda job: post(url, *job), jobs))
    assert all(status in (201, 409) for status, _ in results), results
    assert Ballot.objects.count() == len(codes) and VoterRecord.objects.count() == len(codes)
    assert set(PaperBallot.objects.values_list("state", flat=True)) == {PaperState.COUNTED}


def test_online_and_paper_at_the_same_moment_give_one_ballot():
    needs_postgres()
    consultation, ids, codes, workers = consultation_with_workers(workers=6, codes=6)
    base = f"/api/consultations/{consultation.pk}"
    calls = []
    for code in codes:
        calls.append(("paper", token_header(workers[0]), {"access_code": code, "ballot": {"approve": [ids[0]]}}))
        calls.append(("paper", token_header(workers[1]), {"access_code": code, "ballot": {"approve": [ids[0]]}}))
        calls.append(("online", None, {"access_code": code, "ballot": {"approve": [ids[1]]}}))
        calls.append(("online", None, {"access_code": code, "ballot": {"approve": [ids[2]]}}))

    def call(job):
        kind, headers, body = job
        return post(base + "/paper-ballots", headers, body) if kind == "paper" else put(base + "/ballot", body)

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(call, calls))
    assert all(status in (200, 201, 409) for status, _ in results), results
    # Whichever channel came first, each code has exactly one ballot and one register row,
    # and both say the same channel.
    assert Ballot.objects.count() == len(codes) and VoterRecord.objects.count() == len(codes)
    for code in codes:
        voter = actions.resolve_voter(consultation, access_code=code)
        ballot = Ballot.objects.get(ballot_key=voter.ballot_key)
        record = VoterRecord.objects.get(access_code_id=voter.access_code_id)
        assert ballot.channel == record.channel
        paper = PaperBallot.objects.filter(access_code_id=voter.access_code_id).first()
        if ballot.channel == Channel.PAPER:
            assert paper.state == PaperState.COUNTED and ballot.content == {"approve": [ids[0]]}
        else:
            assert paper is None or paper.state in (PaperState.REFUSED, PaperState.WAITING)
            assert ballot.content in ({"approve": [ids[1]]}, {"approve": [ids[2]]})


@pytest.mark.parametrize("close", [False, True], ids=["open", "closed"])
def test_many_workers_marking_one_code_spoiled_at_once_decide_it_once(close):
    needs_postgres()
    consultation, _ids, codes, workers = consultation_with_workers(close=close)
    url = f"/api/consultations/{consultation.pk}/paper-ballots"
    body = {"access_code": codes[0], "spoiled": True}
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda headers: post(url, headers, body), [token_header(w) for w in workers]))
    states = [answer.get("state", str(status)) for status, answer in results]
    assert states.count("waiting") == 1 and states.count("spoiled") == 1, results
    assert [status for status, _ in results].count(409) == len(workers) - 2, results
    assert Ballot.objects.count() == 0 and VoterRecord.objects.count() == 0
    assert PaperBallot.objects.get().state == PaperState.SPOILED


def test_online_and_spoiled_paper_at_the_same_moment_give_one_outcome_per_code():
    needs_postgres()
    consultation, ids, codes, workers = consultation_with_workers(workers=6, codes=8)
    base = f"/api/consultations/{consultation.pk}"
    calls = []
    for code in codes:
        calls.append(("paper", token_header(workers[0]), {"access_code": code, "spoiled": True}))
        calls.append(("paper", token_header(workers[1]), {"access_code": code, "spoiled": True}))
        calls.append(("online", None, {"access_code": code, "ballot": {"approve": [ids[1]]}}))

    def call(job):
        kind, headers, body = job
        return post(base + "/paper-ballots", headers, body) if kind == "paper" else put(base + "/ballot", body)

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(call, calls))
    assert all(status in (200, 201, 409) for status, _ in results), results
    # Each code: either its online ballot (the paper refused or left waiting), or spoiled
    # on paper with nothing in the box; never both.
    for code in codes:
        voter = actions.resolve_voter(consultation, access_code=code)
        ballot = Ballot.objects.filter(ballot_key=voter.ballot_key).first()
        paper = PaperBallot.objects.filter(access_code_id=voter.access_code_id).first()
        if ballot is None:
            assert paper.state == PaperState.SPOILED
            assert not VoterRecord.objects.filter(access_code_id=voter.access_code_id).exists()
        else:
            assert ballot.channel == Channel.ONLINE and ballot.content == {"approve": [ids[1]]}
            assert paper is None or paper.state in (PaperState.REFUSED, PaperState.WAITING)
    assert Ballot.objects.count() == VoterRecord.objects.count()
