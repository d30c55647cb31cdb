"""Who may do what over the workshop WebSocket: every command, tried as every role.

Connecting: the facilitator of the process and an administrator (by session), and an
expert or observer of this workshop (by ticket) get in; nobody, a citizen, a facilitator
of another process (by session) and an expert of another workshop (with that workshop's
ticket) are closed with 4401.

Commands: the ``EXPECTED`` table says, per command, which of the roles that got in may
send it. A permitted command is acknowledged; any other is answered with a ``forbidden``
error and leaves the event log and the votes as they were. A command type without a row
fails ``test_every_command_has_a_row``.

Ids of another workshop's cards, clusters and polls (and another process's measures and
fields) are ``not_found`` even for a facilitator, and change nothing in either workshop.
"""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client as HttpClient

from config.asgi import application
from participation.models import Role
from tests import factories
from workshops import actions
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import Card, Cluster, Participant, ParticipantRole, Poll, PollVote, Workshop
from workshops.tickets import issue_ticket

from ..workshops.wsutil import ORIGIN
from ..workshops.wsutil import Client as Socket

pytestmark = pytest.mark.django_db(transaction=True)

CONNECTED = ["facilitator_here", "admin", "expert_here", "observer"]
SHUT_OUT = ["anonymous", "citizen", "facilitator_other", "expert_other"]
MODERATORS = {"facilitator_here", "admin"}
PARTICIPANTS = MODERATORS | {"expert_here"}

# command -> roles (of CONNECTED) that may send it in this set-up (collect phase, board
# open, participants may not cluster; the target card belongs to someone else).
EXPECTED = {
    "card.add": PARTICIPANTS,
    "card.update": MODERATORS,
    "card.delete": MODERATORS,
    "card.like": PARTICIPANTS,
    "card.unlike": PARTICIPANTS,
    "card.promote": MODERATORS,
    "comment.add": PARTICIPANTS,
    "cluster.add": MODERATORS,
    "cluster.update": MODERATORS,
    "cluster.delete": MODERATORS,
    "cluster.promote": MODERATORS,
    "phase.set": MODERATORS,
    "workshop.update": MODERATORS,
    "poll.create": MODERATORS,
    "poll.open": MODERATORS,
    "poll.close": MODERATORS,
    "poll.reveal": MODERATORS,
    "poll.vote": PARTICIPANTS,
    "card.set": MODERATORS,
    "card.merge": MODERATORS,
    "card.react": PARTICIPANTS,
    "brainwriting.start": MODERATORS,
    "brainwriting.reveal": MODERATORS,
    "card.move": PARTICIPANTS,  # experts move any card that is not locked
    "card.drag": PARTICIPANTS,  # transient: acknowledged, never logged
    "cluster.move": MODERATORS,
    "timer.start": MODERATORS,
    "timer.pause": MODERATORS,
    "timer.resume": MODERATORS,
    "timer.extend": MODERATORS,
    "timer.stop": MODERATORS,
    "agenda.add": MODERATORS,
    "agenda.update": MODERATORS,
    "agenda.delete": MODERATORS,
    "agenda.move": MODERATORS,
    "agenda.start": MODERATORS,
    "follow.set": MODERATORS,
    "follow.clear": MODERATORS,
    "projector.show": MODERATORS,
    "breakout.start": MODERATORS,
    "breakout.assign": MODERATORS,
    "breakout.choose": {"expert_here"},  # in choice mode; facilitators see every group
    "breakout.end": MODERATORS,
    "question.ask": PARTICIPANTS,
    "question.upvote": PARTICIPANTS,  # a question of someone else
    "question.unvote": PARTICIPANTS,
    "question.answer": MODERATORS,
    "question.hide": MODERATORS,
    "clusters.suggest": MODERATORS,  # answered to the asking socket only, nothing logged
}


def test_every_command_has_a_row():
    assert set(EXPECTED) == set(actions.HANDLERS) | actions.TRANSIENT


class Setup:
    """Two processes, a workshop in each, and an account or ticket per role."""

    def __init__(self):
        process = factories.make_process()
        other_process = factories.make_process()
        self.facilitator = factories.make_facilitator(process)
        self.other_facilitator = factories.make_facilitator(other_process)
        self.admin = factories.make_user(role=Role.FACILITATOR, is_superuser=True, is_staff=True)
        self.citizen = factories.make_user()
        self.here = create_workshop(self.facilitator, process, "Hier")
        self.there = create_workshop(self.other_facilitator, other_process, "Dort")
        self.moderator = join_workshop(self.here, self.facilitator, "Moderation", ParticipantRole.FACILITATOR)
        self.other_moderator = join_workshop(self.there, self.other_facilitator, "Dort", ParticipantRole.FACILITATOR)
        self.author = join_workshop(self.here, None, "Autorin", ParticipantRole.EXPERT)
        self.expert = join_workshop(self.here, None, "Expertin", ParticipantRole.EXPERT)
        self.observer = join_workshop(self.here, None, "Beamer", ParticipantRole.OBSERVER)
        self.expert_other = join_workshop(self.there, None, "Fremd", ParticipantRole.EXPERT)
        self.foreign_measure = factories.make_measure(other_process)
        self.foreign_field = factories.make_field(other_process)
        self.n = 0

    def run(self, participant, command):
        self.n += 1
        return apply_command(participant.pk, {"id": f"setup-{self.n}", **command})

    def card(self, workshop=None, author=None):
        author = author or (self.author if workshop is None else self.other_moderator)
        self.run(author, {"type": "card.add", "text": "Idee"})
        return Card.objects.filter(author=author).latest("pk").pk

    def cluster(self, moderator=None):
        moderator = moderator or self.moderator
        self.run(moderator, {"type": "cluster.add", "title": "Thema"})
        return Cluster.objects.filter(workshop=moderator.workshop).latest("pk").pk

    def poll(self, opened=False, moderator=None):
        moderator = moderator or self.moderator
        self.run(moderator, {"type": "poll.create", "question": "Was?", "kind": "single", "options": ["a", "b"]})
        poll = Poll.objects.filter(workshop=moderator.workshop).latest("pk")
        if opened:
            self.run(moderator, {"type": "poll.open", "poll": poll.pk})
        return poll.pk, list(poll.options.values_list("pk", flat=True))

    def question(self, asker=None):
        asker = asker or self.author
        self.run(asker, {"type": "question.ask", "text": "Warum?"})
        return asker.workshop.questions.latest("pk").pk

    def breakouts(self, mode=None):
        """Breakout groups running (in ``mode``, if given) or, with ``mode`` "", none; the running groups' ids."""
        from workshops.models import BreakoutGroup

        running = Workshop.objects.get(pk=self.here.pk).breakout_mode
        if running and (mode == "" or (mode and running != mode)):
            self.run(self.moderator, {"type": "breakout.end"})
            running = ""
        if mode != "" and not running:
            self.run(self.moderator, {"type": "breakout.start", "count": 2, "mode": mode or "manual"})
        return list(BreakoutGroup.objects.filter(workshop=self.here, active=True).values_list("pk", flat=True))

    def agenda_item(self):
        self.run(self.moderator, {"type": "agenda.add", "title": "Runde", "minutes": 5})
        return self.here.agenda_items.latest("pk").pk

    def tools_command(self, name):
        """Timer, agenda, follow me and projector: the state each needs, then the command."""
        if name == "timer.start":
            return {"minutes": 5}
        if name.startswith("timer."):
            self.run(self.moderator, {"type": "timer.start", "minutes": 5})
            if name == "timer.resume":
                self.run(self.moderator, {"type": "timer.pause"})
            return {"seconds": 60} if name == "timer.extend" else {}
        if name == "agenda.add":
            return {"title": "Neue Runde", "minutes": 10}
        if name == "agenda.update":
            return {"item": self.agenda_item(), "title": "Umbenannt"}
        if name == "agenda.move":
            self.agenda_item()
            return {"item": self.agenda_item(), "position": 0}
        if name in ("agenda.delete", "agenda.start"):
            return {"item": self.agenda_item()}
        if name == "follow.set":
            return {"kind": "card", "target": self.card()}
        if name == "follow.clear":
            self.run(self.moderator, {"type": "follow.set", "kind": "board"})
            return {}
        if name == "projector.show":
            current = Workshop.objects.get(pk=self.here.pk).projector_view
            return {"view": "timer" if current != "timer" else "board"}
        raise AssertionError(name)

    def cardtools_command(self, name):
        """Brainwriting on for its reveal and off for its start (and for every other command,
        so that their fresh cards are not private); card.set, card.merge, card.react."""
        if Workshop.objects.get(pk=self.here.pk).brainwriting != (name == "brainwriting.reveal"):
            self.run(
                self.moderator,
                {"type": "brainwriting.start" if name == "brainwriting.reveal" else "brainwriting.reveal"},
            )
        if name == "card.set":
            return {"card": self.card(), "pinned": True, "color": "blue"}
        if name == "card.merge":
            return {"card": self.card(), "cards": [self.card(), self.card()]}
        if name == "card.react":
            return {"card": self.card(), "emoji": "💡", "on": True}
        return {}

    def command(self, name, participant):
        """A well-formed command of this type, with a fresh target in this workshop."""
        fields = self.cardtools_command(name)
        if fields or name.startswith("brainwriting."):
            return fields
        if name.split(".")[0] in ("timer", "agenda", "follow", "projector"):
            return self.tools_command(name)
        if name.startswith("breakout."):
            if name == "breakout.start":
                self.breakouts("")
                return {"count": 2, "mode": "manual"}
            groups = self.breakouts("choice" if name == "breakout.choose" else None)
            if name == "breakout.end":
                return {}
            who = participant if name == "breakout.choose" else self.author
            current = Participant.objects.get(pk=who.pk).group_id
            group = next(pk for pk in groups if pk != current)
            return {"group": group} if name == "breakout.choose" else {"participant": who.pk, "group": group}
        if name == "question.ask":
            return {"text": "Wie geht es weiter?"}
        if name == "question.unvote":
            question = self.question()
            if participant.may_write:
                self.run(participant, {"type": "question.upvote", "question": question})
            return {"question": question}
        if name == "question.upvote":
            return {"question": self.question()}
        if name == "question.answer":
            return {"question": self.question(), "answered": True}
        if name == "question.hide":
            return {"question": self.question(), "hidden": True}
        if name in ("card.move", "card.drag"):
            return {"card": self.card(), "x": 240, "y": -60}
        if name == "cluster.move":
            return {"cluster": self.cluster(), "x": 500, "y": 80, "w": 600, "h": 400}
        if name == "card.add":
            return {"text": "Neue Idee"}
        if name == "card.update":
            return {"card": self.card(), "text": "geändert"}
        if name in ("card.delete", "card.like", "card.promote"):
            return {"card": self.card()}
        if name == "card.unlike":
            card = self.card()
            if participant.may_write:
                self.run(participant, {"type": "card.like", "card": card})
            return {"card": card}
        if name == "comment.add":
            return {"card": self.card(), "text": "Kommentar"}
        if name == "cluster.add":
            return {"title": "Neues Thema"}
        if name == "clusters.suggest":
            return {}
        if name == "cluster.update":
            return {"cluster": self.cluster(), "title": "Umbenannt"}
        if name in ("cluster.delete", "cluster.promote"):
            return {"cluster": self.cluster()}
        if name == "phase.set":
            current = Workshop.objects.get(pk=self.here.pk).phase
            return {"phase": "cluster" if current == "collect" else "collect"}
        if name == "workshop.update":
            return {"hide_authors": not Workshop.objects.get(pk=self.here.pk).hide_authors}
        if name == "poll.create":
            return {"question": "Welche zuerst?", "kind": "multiple", "options": ["x", "y"]}
        if name == "poll.open":
            return {"poll": self.poll()[0]}
        if name in ("poll.close", "poll.reveal"):
            return {"poll": self.poll(opened=True)[0]}
        if name == "poll.vote":
            poll, options = self.poll(opened=True)
            return {"poll": poll, "choice": options[0]}
        raise AssertionError(name)


def log_and_votes(*workshops):
    seqs = [Workshop.objects.get(pk=w.pk).last_seq for w in workshops]
    return seqs, sorted(PollVote.objects.values_list("poll_id", "participant_id", "choice"), key=repr)


def session_header(user):
    client = HttpClient()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def open_socket(setup, role):
    """(communicator, connected?, close code) for a role trying to join ``setup.here``."""
    headers = list(ORIGIN)
    query = ""
    if role in ("expert_here", "observer", "expert_other"):
        participant = {"expert_here": setup.expert, "observer": setup.observer, "expert_other": setup.expert_other}
        query = "ticket=" + await database_sync_to_async(issue_ticket)(participant[role])
    elif role != "anonymous":
        user = {
            "citizen": setup.citizen,
            "facilitator_here": setup.facilitator,
            "facilitator_other": setup.other_facilitator,
            "admin": setup.admin,
        }[role]
        headers.append(await database_sync_to_async(session_header)(user))
    ws = WebsocketCommunicator(application, f"/ws/workshops/{setup.here.code}/?{query}", headers=headers)
    connected, _ = await ws.connect(timeout=5)
    assert connected  # the consumer accepts first, then closes with a reason code
    first = await ws.receive_output(timeout=5)
    if first["type"] == "websocket.close":
        return ws, None, first.get("code")
    socket = Socket(ws)
    socket.frames.append(json.loads(first["text"]))
    return ws, socket, None


@pytest.mark.parametrize("role", SHUT_OUT)
async def test_who_may_not_join_is_closed_with_4401(role):
    setup = await database_sync_to_async(Setup)()
    _ws, socket, code = await open_socket(setup, role)
    assert socket is None and code == 4401


@pytest.mark.parametrize("role", CONNECTED)
async def test_each_command_as_each_role(role, monkeypatch):
    # Every command goes over one socket, faster than its rate limit allows (tested on its own).
    from workshops.consumers import consumer

    monkeypatch.setattr(consumer, "RATE_BURST", 1000)
    setup = await database_sync_to_async(Setup)()
    ws, socket, code = await open_socket(setup, role)
    assert socket is not None, f"{role} was closed with {code}"
    assert socket.frames[0]["type"] == "snapshot"
    # The administrator's participant was made when the session connected.
    participant = await database_sync_to_async(
        lambda: {
            "facilitator_here": setup.moderator,
            "admin": Participant.objects.filter(workshop=setup.here, user=setup.admin).first(),
            "expert_here": setup.expert,
            "observer": setup.observer,
        }[role]
    )()
    wrong = []
    for name in sorted(EXPECTED):
        fields = await database_sync_to_async(setup.command)(name, participant)
        before = await database_sync_to_async(log_and_votes)(setup.here, setup.there)
        answer = await socket.command(name, **fields)
        after = await database_sync_to_async(log_and_votes)(setup.here, setup.there)
        if role in EXPECTED[name]:
            if answer["type"] != "ack":
                wrong.append(f"{name}: expected ack, got {answer}")
        elif answer["type"] != "error" or answer["code"] != "forbidden":
            wrong.append(f"{name}: expected a forbidden error, got {answer}")
        elif after != before:
            wrong.append(f"{name}: refused, but the workshop changed")
    await ws.disconnect()
    assert not wrong, "\n".join(wrong)


def foreign_tools(setup):
    """An agenda round and a breakout group of the other workshop."""
    from workshops.models import BreakoutGroup

    setup.run(setup.other_moderator, {"type": "agenda.add", "title": "Dort", "minutes": 5})
    group = BreakoutGroup.objects.create(workshop=setup.there, name="Dort")
    return setup.there.agenda_items.latest("pk").pk, group.pk


async def test_ids_of_another_workshop_are_not_found_even_for_its_facilitator(monkeypatch):
    from workshops.consumers import consumer

    monkeypatch.setattr(consumer, "RATE_BURST", 1000)  # many commands on one socket, as above
    setup = await database_sync_to_async(Setup)()
    card = await database_sync_to_async(setup.card)(workshop=setup.there)
    cluster = await database_sync_to_async(setup.cluster)(setup.other_moderator)
    poll, options = await database_sync_to_async(setup.poll)(True, setup.other_moderator)
    foreign = [
        ("card.add", {"text": "x", "cluster": cluster}),
        ("card.update", {"card": card, "text": "gekapert"}),
        ("card.delete", {"card": card}),
        ("card.like", {"card": card}),
        ("card.unlike", {"card": card}),
        ("card.promote", {"card": card}),
        ("comment.add", {"card": card, "text": "hallo"}),
        ("cluster.update", {"cluster": cluster, "title": "gekapert"}),
        ("cluster.delete", {"cluster": cluster}),
        ("cluster.promote", {"cluster": cluster}),
        ("poll.open", {"poll": poll}),
        ("poll.close", {"poll": poll}),
        ("poll.reveal", {"poll": poll}),
        ("poll.vote", {"poll": poll, "choice": options[0]}),
        ("poll.create", {"question": "?", "kind": "single", "options": [{"card": card}, "b"]}),
        ("poll.create", {"question": "?", "kind": "single", "options": [{"cluster": cluster}, "b"]}),
        ("poll.create", {"question": "?", "kind": "single", "options": [{"measure": setup.foreign_measure.pk}, "b"]}),
    ]
    own_card = await database_sync_to_async(setup.card)()
    foreign.append(("card.promote", {"card": own_card, "field": setup.foreign_field.pk}))
    foreign += [
        ("card.set", {"card": card, "pinned": True}),
        ("card.merge", {"card": card, "cards": [own_card]}),
        ("card.merge", {"card": own_card, "cards": [card]}),
        ("card.react", {"card": card, "emoji": "👍", "on": True}),
        ("card.move", {"card": card, "x": 1, "y": 1}),
        ("card.move", {"card": own_card, "x": 1, "y": 1, "cluster": cluster}),
        ("card.drag", {"card": card, "x": 1, "y": 1}),
        ("cluster.move", {"cluster": cluster, "x": 1, "y": 1}),
    ]
    foreign_item, foreign_group = await database_sync_to_async(foreign_tools)(setup)
    foreign_question = await database_sync_to_async(setup.question)(setup.other_moderator)
    foreign += [
        ("question.upvote", {"question": foreign_question}),
        ("question.unvote", {"question": foreign_question}),
        ("question.answer", {"question": foreign_question, "answered": True}),
        ("question.hide", {"question": foreign_question, "hidden": True}),
    ]
    foreign += [
        ("timer.start", {"minutes": 1, "group": foreign_group}),
        ("agenda.update", {"item": foreign_item, "title": "gekapert"}),
        ("agenda.delete", {"item": foreign_item}),
        ("agenda.move", {"item": foreign_item, "position": 0}),
        ("agenda.start", {"item": foreign_item}),
        ("follow.set", {"kind": "card", "target": card}),
        ("follow.set", {"kind": "poll", "target": poll}),
        ("follow.set", {"kind": "cluster", "target": cluster}),
        ("follow.set", {"kind": "group", "target": foreign_group}),
    ]
    ws, socket, _code = await open_socket(setup, "facilitator_here")
    wrong = []
    for name, fields in foreign:
        before = await database_sync_to_async(log_and_votes)(setup.here, setup.there)
        answer = await socket.command(name, **fields)
        after = await database_sync_to_async(log_and_votes)(setup.here, setup.there)
        if answer["type"] != "error" or answer["code"] != "not_found":
            wrong.append(f"{name} {fields}: expected not_found, got {answer}")
        elif after != before:
            wrong.append(f"{name}: refused, but a workshop changed")
    await ws.disconnect()
    assert not wrong, "\n".join(wrong)
