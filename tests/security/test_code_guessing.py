"""Guessing access codes from a school's or town hall's address: the guesser is slowed
(429 with Retry-After once past the limit), the 30 pupils behind the same address all vote
with their right codes."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator

from config.asgi import application
from tests.voting.helpers import make_consultation
from voting import actions
from voting.models import Ballot, VoterRecord

SCHOOL = "192.0.2.44"
PUPILS = 30
WRONG = actions.FAILED_ATTEMPTS_LIMIT + 50  # beyond the old lockout of the whole address


def test_thirty_pupils_vote_while_the_same_address_guesses_codes(client, db):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes, _batch = actions.generate_access_codes(facilitator, consultation, PUPILS)
    url = f"/api/consultations/{consultation.pk}/ballot"

    def put(code):
        body = {"access_code": code, "ballot": {"approve": [ids[0]]}}
        return client.put(url, body, content_type="application/json", REMOTE_ADDR=SCHOOL)

    wrong, counted = [], 0
    per_pupil = WRONG // PUPILS + 1
    for n, code in enumerate(codes):
        wrong.extend(put(f"RATEN{n:05d}{k:06d}") for k in range(per_pupil))
        response = put(code)
        assert response.status_code == 201, (n, response.status_code, response.content)
        counted += 1
    statuses = [r.status_code for r in wrong]
    assert len(statuses) > actions.FAILED_ATTEMPTS_LIMIT
    assert statuses[: actions.FAILED_ATTEMPTS_LIMIT] == [403] * actions.FAILED_ATTEMPTS_LIMIT
    slowed = wrong[actions.FAILED_ATTEMPTS_LIMIT :]
    assert {r.status_code for r in slowed} == {429}
    assert all(0 < int(r["Retry-After"]) <= actions.LOCKOUT_SECONDS for r in slowed)
    assert "richtiger Code wird weiterhin angenommen" in slowed[0].json()["detail"]
    assert counted == PUPILS == consultation.ballots.count() == VoterRecord.objects.count()


async def lane_put(pk, body, client):
    raw = json.dumps(body).encode()
    headers = [(b"host", b"localhost"), (b"content-type", b"application/json"), (b"content-length", b"%d" % len(raw))]
    communicator = HttpCommunicator(application, "PUT", f"/api/consultations/{pk}/ballot", body=raw, headers=headers)
    communicator.scope["client"] = (client, 50000)
    response = await communicator.get_response(timeout=20)
    await communicator.wait(timeout=20)
    return response["status"]


@pytest.mark.django_db(transaction=True)
async def test_thirty_pupils_vote_while_the_same_address_guesses():
    consultation, facilitator, ids = await sync_to_async(make_consultation)("approval", "access_code")
    codes, _batch = await sync_to_async(actions.generate_access_codes)(facilitator, consultation, PUPILS)

    async def guess():
        answers = []
        for n in range(WRONG):
            answers.append(await lane_put(consultation.pk, {"access_code": f"RATEN{n:011d}", "ballot": {}}, SCHOOL))
        return answers

    async def pupils():
        answers = []
        for code in codes:
            await asyncio.sleep(0.01)
            answers.append(
                await lane_put(consultation.pk, {"access_code": code, "ballot": {"approve": [ids[1]]}}, SCHOOL)
            )
        return answers

    guessed, voted = await asyncio.gather(guess(), pupils())
    assert voted == [201] * PUPILS
    assert guessed.count(429) == WRONG - actions.FAILED_ATTEMPTS_LIMIT
    assert await sync_to_async(Ballot.objects.filter(consultation=consultation).count)() == PUPILS
