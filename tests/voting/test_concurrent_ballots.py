"""One person, one ballot, under parallel submissions against PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from tests import factories
from voting.models import Ballot, PairwiseVote, VoterRecord

from .helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db(transaction=True)


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("parallel writes need PostgreSQL (SQLite serialises them)")


def submit(url, headers, ballot):
    try:
        response = Client().put(url, {"ballot": ballot}, content_type="application/json", **headers)
        return response.status_code, response.json()
    finally:
        connections.close_all()


def test_many_parallel_requests_of_one_voter_end_as_one_ballot():
    needs_postgres()
    consultation, _, ids = make_consultation(method="approval")
    headers = token_header(factories.make_user())
    url = f"/api/consultations/{consultation.pk}/ballot"
    ballots = [{"approve": [ids[n % 3]]} for n in range(40)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda b: submit(url, headers, b), ballots))
    assert all(status in (200, 201) for status, _ in results), results
    assert sum(1 for status, _ in results if status == 201) == 1
    assert Ballot.objects.count() == 1 and VoterRecord.objects.count() == 1
    stored = Ballot.objects.get()
    assert stored.content in ballots
    # Every change got a new receipt; the stored one was given only for the stored ballot.
    given = [ballot for ballot, (_, body) in zip(ballots, results, strict=True) if body["receipt"] == stored.receipt]
    assert given and all(ballot == stored.content for ballot in given)


def test_parallel_voters_with_duplicated_requests_are_each_counted_once():
    needs_postgres()
    consultation, _, ids = make_consultation(method="approval")
    voters = [token_header(factories.make_user()) for _ in range(60)]
    url = f"/api/consultations/{consultation.pk}/ballot"
    jobs = [(h, {"approve": [ids[n % 4]]}) for n, h in enumerate(voters)]
    jobs += jobs[::3]  # every third request is sent twice
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda job: submit(url, *job), jobs))
    assert all(status in (200, 201) for status, _ in results)
    assert Ballot.objects.count() == 60 and VoterRecord.objects.count() == 60
    counts = sorted(Ballot.objects.values_list("content", flat=True), key=str)
    assert sorted(({"approve": [ids[n % 4]]} for n in range(60)), key=str) == counts


def test_parallel_retries_of_one_pairwise_answer_count_once():
    needs_postgres()
    consultation, _, ids = make_consultation(method="pairwise")
    headers = token_header(factories.make_user())
    url = f"/api/consultations/{consultation.pk}/pairs"
    answer = {"left": ids[0], "right": ids[1], "choice": "left", "id": "paar-7f3a"}

    def send(_):
        try:
            return Client().post(url, answer, content_type="application/json", **headers).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(send, range(24)))
    assert sorted(set(statuses)) == [200, 201] and statuses.count(201) == 1, statuses
    assert PairwiseVote.objects.count() == 1 and VoterRecord.objects.count() == 1
