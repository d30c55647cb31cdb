"""Access codes from printed letters: stored hashed, one ballot per code, guessing locked out."""

from collections import Counter

import pytest

from tests import factories
from voting import actions
from voting.actions import FAILED_ATTEMPTS_LIMIT, normalise_code
from voting.models import AccessCode, Ballot

from .helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db


def codes_for(client, consultation, facilitator, count):
    response = client.post(
        f"/api/consultations/{consultation.pk}/access-codes",
        {"count": count},
        content_type="application/json",
        **token_header(facilitator),
    )
    assert response.status_code == 201, response.content
    return response.json()["codes"]


def test_codes_are_returned_once_and_only_their_hashes_are_stored(client):
    consultation, facilitator, _ = make_consultation(eligibility="access_code")
    codes = codes_for(client, consultation, facilitator, 25)
    assert len(set(codes)) == 25
    assert all(len(normalise_code(code)) == 16 for code in codes)
    stored = list(AccessCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 25
    for code in codes:
        assert normalise_code(code) not in " ".join(stored)


def test_a_code_holder_votes_once_and_may_change_the_ballot(client):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    code = codes_for(client, consultation, facilitator, 2)[0]
    url = f"/api/consultations/{consultation.pk}/ballot"
    typed = code.lower().replace("-", " ")  # as people type it from paper
    first = client.put(url, {"access_code": typed, "ballot": {"approve": [ids[0]]}}, content_type="application/json")
    assert first.status_code == 201
    second = client.put(url, {"access_code": code, "ballot": {"approve": [ids[1]]}}, content_type="application/json")
    # A change gives a new receipt: the first one no longer shows what counts.
    assert second.status_code == 200 and second.json()["receipt"] != first.json()["receipt"]
    assert Ballot.objects.count() == 1
    mine = client.get(url, HTTP_X_ACCESS_CODE=code)
    assert mine.json()["ballot"] == {"approve": [ids[1]]}


def test_wrong_codes_are_refused_and_further_guesses_slowed_but_a_right_code_passes(client):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    good = codes_for(client, consultation, facilitator, 1)[0]
    url = f"/api/consultations/{consultation.pk}/ballot"
    body = {"ballot": {"approve": [ids[0]]}}
    assert client.put(url, body, content_type="application/json").status_code == 400  # no code at all
    for n in range(FAILED_ATTEMPTS_LIMIT):
        response = client.put(url, {**body, "access_code": f"WRONG{n:011d}"}, content_type="application/json")
        assert response.status_code == 403
    slowed = client.put(url, {**body, "access_code": "WRONG-AGAIN-0000"}, content_type="application/json")
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) > 0
    # The right code from the same address is taken all the same.
    assert client.put(url, {**body, "access_code": good}, content_type="application/json").status_code == 201


def test_a_school_class_behind_one_address_can_all_vote(client):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes = codes_for(client, consultation, facilitator, 60)
    url = f"/api/consultations/{consultation.pk}/ballot"
    for n, code in enumerate(codes):
        body = {"access_code": code, "ballot": {"approve": [ids[n % 4]]}}
        assert client.put(url, body, content_type="application/json").status_code == 201
    assert Ballot.objects.count() == 60


def test_codes_only_for_access_code_consultations_and_only_by_facilitators(client):
    consultation, facilitator, _ = make_consultation(eligibility="account")
    response = client.post(
        f"/api/consultations/{consultation.pk}/access-codes",
        {"count": 5},
        content_type="application/json",
        **token_header(facilitator),
    )
    assert response.status_code == 409
    coded, coded_facilitator, _ = make_consultation(eligibility="access_code")
    url = f"/api/consultations/{coded.pk}/access-codes"
    assert client.post(url, {"count": 5}, content_type="application/json").status_code == 401
    citizen = token_header(factories.make_user())
    assert client.post(url, {"count": 5}, content_type="application/json", **citizen).status_code == 403
    for bad in (0, -1, "10", 10**6, None):
        response = client.post(url, {"count": bad}, content_type="application/json", **token_header(coded_facilitator))
        assert response.status_code == 400 and "count" in response.json()
    assert AccessCode.objects.count() == 0


def test_codes_and_receipts_draw_every_letter_equally_often():
    # 240,000 characters: each of the 25 letters is expected 9,600 times (sd about 96);
    # mapping bytes onto 25 letters without skipping would give 6 letters about 10,300
    # and the others about 9,400.
    counts = Counter()
    for _ in range(20_000):
        code = actions._random_code(actions.RECEIPT_LENGTH)
        assert len(code) == actions.RECEIPT_LENGTH
        counts.update(code)
    assert set(counts) == set(actions.CODE_ALPHABET)
    assert max(counts.values()) - min(counts.values()) < 800, counts
