"""A projector is a screen, not a person: console, board and projector count the same people.

The projector page joins with ``screen: true``; presence frames and snapshots then leave it
out, while a person who only watches (an observer) still counts."""

import pytest
from channels.db import database_sync_to_async

from workshops.models import Participant, ParticipantRole

from .wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def names(frame):
    return sorted(p["name"] for p in frame["online"])


async def join_as_projector(client, workshop):
    def post():
        return client.post(
            f"/api/workshops/{workshop.code}/join",
            {"display_name": "Projektor", "role": "observer", "screen": True},
            content_type="application/json",
        )

    response = await database_sync_to_async(post)()
    assert response.status_code == 201, response.content
    return response.json()


async def test_a_projector_is_not_counted_as_a_person_online(client):
    workshop, facilitator = await setup_workshop()
    console, snapshot = await connect_ready(workshop, facilitator)
    assert snapshot["state"]["online_count"] == 1

    joined = await join_as_projector(client, workshop)
    assert joined["role"] == "observer"
    projector = await connect(workshop, ticket=joined["ticket"])
    seen = (await projector.wait_for(lambda f: f["type"] == "snapshot"))["state"]
    assert (seen["online_count"], names(seen)) == (1, ["Moderatorin"])  # the projector says 1 ...

    # ... and so do the console and a board, also once people come and go.
    anna = await add_participant(workshop, "Anna")
    olga = await add_participant(workshop, "Olga", ParticipantRole.OBSERVER)  # a person who watches
    board, board_snapshot = await connect_ready(workshop, anna)
    watcher, _ = await connect_ready(workshop, olga)
    expected = (3, ["Anna", "Moderatorin", "Olga"])
    for client_ in (console, projector, board):
        frame = await client_.wait_for(lambda f: f["type"] == "presence" and f["count"] == 3, timeout=5)
        assert (frame["count"], names(frame)) == expected
        assert "Projektor" not in names(frame)
    assert "Projektor" not in names(board_snapshot["state"])

    # The projector leaving changes nobody's count; a person leaving does.
    await projector.close()
    await watcher.close()
    frame = await console.wait_for(lambda f: f["type"] == "presence" and f["count"] != 3, timeout=5)
    assert (frame["count"], names(frame)) == (2, ["Anna", "Moderatorin"])
    await board.close()
    await console.close()


def test_a_screen_joins_as_an_observer_even_for_a_facilitator(client):
    from rest_framework.authtoken.models import Token

    from tests import factories
    from workshops.actions import create_workshop

    process = factories.make_process()
    user = factories.make_facilitator(process)
    workshop = create_workshop(user, process, "Zukunft der Mobilität")
    token = Token.objects.create(user=user)
    response = client.post(
        f"/api/workshops/{workshop.code}/join",
        {"display_name": "Projektor", "screen": True},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201, response.content
    participant = Participant.objects.get(pk=response.json()["participant"])
    assert (participant.role, participant.screen, participant.user) == ("observer", True, None)
