"""After an account is deleted, a participant joining the workshop over a real socket sees
neither of its names: not in the snapshot, not in the events replayed from seq 0."""

import json

import pytest
from channels.db import database_sync_to_async

from participation import account_actions
from tests import factories
from tests.workshops.test_facilitator_removed import close_code
from tests.workshops.wsutil import add_participant, connect, connect_ready
from workshops.models import Participant
from workshops.tickets import issue_ticket

from .gdpr_helpers import FIRST_NAME, LATER_NAME, OTHERS_CARD, OWN_CARDS, OWN_COMMENT, workshop_with_participation

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def _workshop_and_deleted_account():
    citizen = factories.make_user()
    workshop, _erika, ben, _chief, _host = workshop_with_participation(citizen)
    account_actions.delete_account(citizen, factories.PASSWORD)
    return workshop, Participant.objects.get(pk=ben.pk)


async def test_a_snapshot_and_a_sync_from_zero_after_the_deletion_name_no_one_deleted():
    workshop, ben = await _workshop_and_deleted_account()

    client, snapshot = await connect_ready(workshop, ben)
    await client.ws.send_json_to({"type": "sync", "id": "s0", "since": 0})
    replayed = []
    while (frame := await client.receive())["type"] != "synced":
        replayed.append(frame)
    await client.close()

    seen = json.dumps([snapshot, *replayed], ensure_ascii=False)
    for name in (FIRST_NAME, LATER_NAME):
        assert name not in seen
    assert [card["text"] for card in snapshot["state"]["cards"]] == [*OWN_CARDS, OTHERS_CARD]
    assert [c["text"] for c in snapshot["state"]["comments"]] == [OWN_COMMENT]
    assert {f["data"].get("author_name") for f in replayed if f["name"] == "card.added"} == {"Gelöschtes Konto", "Ben"}
    assert len(replayed) == snapshot["seq"]


async def test_with_someone_online_the_board_is_told_and_the_next_snapshot_is_read_again():
    citizen = await database_sync_to_async(factories.make_user)()
    workshop, erika, ben, _chief, _host = await database_sync_to_async(workshop_with_participation)(citizen)
    online, before = await connect_ready(workshop, ben)  # this process now caches the board's snapshot
    assert LATER_NAME in json.dumps(before, ensure_ascii=False)

    await database_sync_to_async(account_actions.delete_account)(citizen, factories.PASSWORD)

    renamed = await online.event("participants.renamed")
    assert renamed["seq"] == before["seq"] + 1
    assert renamed["data"]["participants"] == [{"id": erika.pk, "name": "Gelöschtes Konto"}]
    assert [c["name"] for c in renamed["data"]["comments"]] == ["Gelöschtes Konto"]
    carla = await add_participant(workshop, "Carla")
    late, after = await connect_ready(workshop, carla)
    await online.close()
    await late.close()
    text = json.dumps(after, ensure_ascii=False)
    assert FIRST_NAME not in text and LATER_NAME not in text
    assert after["seq"] == renamed["seq"]


async def test_the_deleted_persons_open_socket_is_closed_and_its_ticket_opens_no_other():
    citizen = await database_sync_to_async(factories.make_user)()
    workshop, erika, _ben, _chief, _host = await database_sync_to_async(workshop_with_participation)(citizen)
    ticket = await database_sync_to_async(issue_ticket)(erika)
    socket = await connect(workshop, ticket=ticket)
    await socket.wait_for(lambda f: f["type"] == "snapshot")

    await database_sync_to_async(account_actions.delete_account)(citizen, factories.PASSWORD)

    assert await close_code(socket) == 4401
    # The same ticket, as a phone that reconnects would send it: no snapshot, closed at once.
    again = await connect(workshop, ticket=ticket)
    assert await close_code(again) == 4401
    cards = await database_sync_to_async(lambda: set(workshop.cards.values_list("text", flat=True)))()
    assert set(OWN_CARDS) <= cards  # the contributions stay
