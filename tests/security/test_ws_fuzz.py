"""The workshop WebSocket fuzzed with hypothesis: whatever a client sends, it gets one
answer, a refusal changes nothing and reaches nobody else, and the socket stays open.

Frames are drawn from: any text, binary data, frames over the size limit, JSON that is
not an object, and commands of every type (known or not) with fields of every JSON type,
ids of this workshop's and of another workshop's cards, clusters and polls, texts over
their limits, NUL characters and lone surrogates. The sender is an expert or an observer
(so facilitator-only commands are "of another role"); a second expert watches.

Hostile JSON as raw text, the way ``json.dumps`` never writes it: nesting of arrays and
objects (mixed) from a few levels to thousands (one such frame crashed the socket and,
through it, the worker's /healthz), number literals such as ``1e400``, ``10**400`` written
out, ``-0``, ``NaN`` and ``Infinity``, duplicate keys, keys that look like numbers, and odd
Unicode: escaped lone surrogates, noncharacters, right-to-left marks, combining characters,
long strings. ``test_frame_parser_answers_everything`` runs the frame parser alone on many
more of these (no sockets, so it is fast).

For every frame:
- exactly one answer comes back (ack, error, pong, synced or snapshot), and an error has a
  code from docs/protocol.md; ``server_error`` (an unforeseen exception) fails the test;
- after an error, the database is as before (both workshops' event logs, votes, likes);
- the watching expert receives the events of acknowledged commands and nothing else.
"""

import json
import os

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import factories
from workshops import actions
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.frames import FrameError, parse_frame
from workshops.models import CardLike, ParticipantRole, PollVote, Workshop

from ..workshops.wsutil import connect

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("WS_FUZZ_EXAMPLES", "20"))
FRAMES_PER_EXAMPLE = 25  # below the per-socket burst of 30, so no frame is rate-limited
DOCUMENTED_ERRORS = {
    "bad_json",
    "bad_frame",
    "too_large",
    "unknown_type",
    "invalid",
    "too_long",
    "not_found",
    "forbidden",
    "wrong_phase",
    "locked",
    "conflict",
    "poll_not_open",
    "too_many_dots",
    "over_cap",
    "rate_limited",
}
ANSWERS = {"ack", "error", "pong", "synced", "snapshot"}
COMMANDS = sorted(actions.HANDLERS) + sorted(actions.TRANSIENT) + ["sync", "ping"]
FIELDS = [
    "text",
    "card",
    "cluster",
    "poll",
    "choice",
    "phase",
    "question",
    "kind",
    "options",
    "title",
    "x",
    "y",
    "color",
    "since",
    "dots",
    "max_per_option",
    "hidden",
    "field",
    "anonymous",
    "board_locked",
    "dots_per_participant",
    "w",
    "h",
    "answered",
    "emoji",
    "on",
    "cards",
    "locked",
    "pinned",
    "count",
    "mode",
    "names",
    "group",
    "participant",
    "minutes",
    "seconds",
    "item",
    "position",
    "target",
    "view",
]
TOTALS = {"frames": 0, "acks": 0, "errors": {}}


def world():
    process = factories.make_process()
    user = factories.make_facilitator(process)
    here = create_workshop(user, process, "Hier")
    there = create_workshop(user, process, "Anderswo")
    facilitator = join_workshop(here, user, "Moderation", ParticipantRole.FACILITATOR)
    other_facilitator = join_workshop(there, user, "Moderation", ParticipantRole.FACILITATOR)
    expert = join_workshop(here, None, "Expertin", ParticipantRole.EXPERT)
    observer = join_workshop(here, None, "Beamer", ParticipantRole.OBSERVER)
    watcher = join_workshop(here, None, "Zuschauer", ParticipantRole.EXPERT)
    ids = {}
    for workshop, moderator in ((here, facilitator), (there, other_facilitator)):
        apply_command(moderator.pk, {"type": "card.add", "id": "c", "text": "Eine Karte"})
        apply_command(moderator.pk, {"type": "cluster.add", "id": "k", "title": "Ein Cluster"})
        card = workshop.cards.get()
        cluster = workshop.clusters.get()
        poll = {"type": "poll.create", "id": "p", "question": "Welche?", "kind": "single", "options": ["a", "b"]}
        apply_command(moderator.pk, poll)
        poll = workshop.polls.get()
        apply_command(moderator.pk, {"type": "poll.open", "id": "o", "poll": poll.pk})
        options = list(poll.options.values_list("pk", flat=True))
        ids[workshop.pk] = [card.pk, cluster.pk, poll.pk, *options]
    return here, expert, observer, watcher, ids[here.pk] + ids[there.pk], ids[here.pk]


def state(workshop_ids):
    logs = dict(Workshop.objects.filter(pk__in=workshop_ids).values_list("pk", "last_seq"))
    votes = sorted(PollVote.objects.values_list("poll_id", "participant_id", "choice"), key=repr)
    likes = sorted(CardLike.objects.values_list("card_id", "participant_id"))
    return logs, votes, likes


# Texts that are valid Unicode but odd: noncharacters, bidi controls, combining marks, joiners.
ODD_TEXTS = [
    "\ufdd0",
    "\uffff",
    "\ufffe",
    "\U0010ffff",
    "\U0001fffe",
    "\u202eevil.exe\u202c",
    "\u200f\u200e\u2067",
    "e" + "\u0301" * 300,
    "\u200d\u200b\ufeff",
    "\U0001f469\u200d\U0001f4bb",
    "ä" * 5000,
    "\ud83d",  # lone surrogates (json.dumps writes them as \u escapes)
    "\udfff",
    "\udc00\ud800",
]
# Keys that look like numbers (JSON keys are always strings).
NUMBER_KEYS = ["0", "1", "-1", "1e5", "0x10", "01", " 1", "1.0", "9" * 30, "NaN"]
# Number literals json.dumps never writes, and the ones at the edge of a double.
RAW_NUMBERS = [
    "1e400",
    "-1e400",
    "1E308",
    "4.9e-324",
    "0.1e-400",
    "1" + "0" * 400,
    "-" + "9" * 5000,
    "-0",
    "-0.0",
    "NaN",
    "Infinity",
    "-Infinity",
    "9007199254740991",
    "9007199254740992",
    "-9007199254740993",
    "1" * 4301,
]


def odd_text():
    return st.sampled_from(ODD_TEXTS) | st.text(st.characters(codec="utf-8"), max_size=20) | st.text(max_size=20)


def json_values(ids):
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(max_size=30)
        | odd_text()
        | st.sampled_from(ids)
        | st.sampled_from(["\x00", "\ud800", "x" * 501, "<script>alert(1)</script>", "collect", "closed"])
    )
    keys = st.text(max_size=6) | st.sampled_from(NUMBER_KEYS) | st.sampled_from(ODD_TEXTS[:10])
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=3))


def nested(depth, opener):
    """``depth`` levels of arrays (``[``), objects (``{``) or both in turn (``m``) around a 1."""
    openers = {"[": ["["], "{": ['{"a":'], "m": ["[", '{"k":']}[opener]
    closers = {"[": "]", '{"a":': "}", '{"k":': "}"}
    levels = [openers[n % len(openers)] for n in range(depth)]
    return "".join(levels) + "1" + "".join(closers[level] for level in reversed(levels))


RAW = '"__raw__"'


def hostile_json(ids):
    """Frames as raw text that json.dumps never writes: a command whose field holds deep
    nesting or a number literal, a command with a key twice, or bare deep nesting."""
    command = commands(ids) | near_valid(ids)
    depth = st.integers(min_value=1, max_value=20) | st.integers(min_value=20, max_value=7000)
    nesting = st.builds(nested, depth, st.sampled_from(["[", "{", "m"]))
    raw_value = nesting | st.sampled_from(RAW_NUMBERS)

    def with_field(command, name, raw):
        return json.dumps({**command, name: "__raw__"}).replace(RAW, raw, 1)

    def with_duplicate(command, name, value):
        return json.dumps(command)[:-1] + f", {json.dumps(name)}: {json.dumps(value)}}}"

    field = st.sampled_from(FIELDS) | st.sampled_from(NUMBER_KEYS)
    duplicated = st.sampled_from(["type", "id", "text", "card", "poll", "choice"]) | field
    return st.one_of(
        st.builds(with_field, command, field, raw_value),
        st.builds(with_duplicate, command, duplicated, json_values(ids)),
        nesting,
        st.builds(lambda text: text[: len(text) // 2], nesting),  # cut off
    )


def commands(ids):
    values = json_values(ids)
    return st.builds(
        lambda kind, command_id, fields: {
            "type": kind,
            **({"id": command_id} if command_id is not None else {}),
            **fields,
        },
        st.sampled_from(COMMANDS) | st.text(max_size=12),
        st.none() | st.text(max_size=70) | st.integers() | st.booleans() | st.floats(),
        st.dictionaries(st.sampled_from(FIELDS), values, max_size=5),
    )


def near_valid(ids):
    """Commands that name fields their type takes, with plausible or slightly wrong values,
    so that frames get past the first checks to rights, phases and ids."""
    wild = json_values(ids)
    any_id = st.sampled_from(ids) | wild
    text = st.text(min_size=1, max_size=40) | st.sampled_from(["\x00", "\ud800", "x" * 1001, "  "]) | wild
    choice = (
        st.sampled_from(ids)
        | st.lists(st.sampled_from(ids), max_size=3)
        | st.dictionaries(st.sampled_from([str(i) for i in ids]), st.integers(min_value=-3, max_value=120), max_size=3)
    )
    good = {
        "text": text,
        "title": text,
        "question": text,
        "card": any_id,
        "cluster": any_id,
        "poll": any_id,
        "field": any_id,
        "choice": choice | wild,
        "phase": st.sampled_from(["collect", "cluster", "vote", "results", "closed", "später"]),
        "kind": st.sampled_from(["single", "multiple", "dots", "scale", "ranking", "words", "quiz"]),
        "options": st.lists(
            text | st.fixed_dictionaries({"card": any_id}) | st.fixed_dictionaries({"measure": any_id})
        ),
        "x": st.floats(allow_nan=True) | wild,
        "y": st.integers() | wild,
        "w": st.integers(min_value=-10, max_value=30_000) | wild,
        "h": st.floats(allow_nan=True) | wild,
        "color": st.sampled_from(["yellow", "blue", "neon"]) | wild,
        "since": st.integers(min_value=-2, max_value=10**12) | wild,
        "dots": st.integers(min_value=-1, max_value=101) | wild,
        "board_locked": st.booleans() | wild,
        "emoji": st.sampled_from(["👍", "❤", "⚠️", "🍕", ""]) | wild,
        "on": st.booleans() | wild,
        "cards": st.lists(any_id, max_size=4) | wild,
        "answered": st.booleans() | wild,
        "count": st.integers(min_value=-1, max_value=25) | wild,
        "mode": st.sampled_from(["random", "choice", "manual", "chaos"]) | wild,
        "names": st.lists(text, max_size=4) | wild,
        "group": any_id | st.none(),
        "participant": any_id,
        "minutes": st.integers(min_value=-1, max_value=200) | st.floats(allow_nan=True) | wild,
        "seconds": st.integers(min_value=-11_000, max_value=11_000) | wild,
        "item": any_id,
        "position": st.integers(min_value=-1, max_value=5) | wild,
        "target": any_id,
        "view": st.sampled_from(["board", "poll", "words", "qa", "timer", "agenda", "kino"]) | wild,
    }
    fields = st.dictionaries(st.sampled_from(sorted(good)), st.none(), max_size=4).flatmap(
        lambda names: st.fixed_dictionaries({name: good[name] for name in names})
    )
    return st.builds(
        lambda kind, command_id, values: {"type": kind, "id": command_id, **values},
        st.sampled_from(COMMANDS),
        st.text(min_size=1, max_size=20) | st.just("\ud800") | st.integers(min_value=0),
        fields,
    )


def valid(here):
    """Commands an expert may send, so that acknowledged changes are among the frames too."""
    card, _cluster, poll, *options = here
    uid = st.uuids().map(str)
    return st.one_of(
        st.builds(lambda i, t: {"type": "card.add", "id": i, "text": t}, uid, st.text(min_size=1, max_size=80)),
        st.builds(lambda i: {"type": "card.like", "id": i, "card": card}, uid),
        st.builds(
            lambda i, x: {"type": "card.move", "id": i, "card": card, "x": x, "y": 40}, uid, st.integers(-500, 500)
        ),
        st.builds(
            lambda i, x: {"type": "card.drag", "id": i, "card": card, "x": x, "y": 40}, uid, st.integers(-500, 500)
        ),
        st.builds(lambda i: {"type": "card.unlike", "id": i, "card": card}, uid),
        st.builds(
            lambda i, e, on: {"type": "card.react", "id": i, "card": card, "emoji": e, "on": on},
            uid,
            st.sampled_from(["👍", "💡"]),
            st.booleans(),
        ),
        st.builds(lambda i, t: {"type": "comment.add", "id": i, "card": card, "text": t}, uid, st.text(min_size=1)),
        st.builds(
            lambda i, o: {"type": "poll.vote", "id": i, "poll": poll, "choice": o}, uid, st.sampled_from(options)
        ),
        st.builds(lambda i, t: {"type": "question.ask", "id": i, "text": t}, uid, st.text(min_size=1, max_size=80)),
    )


def frames(ids, here):
    """(text, bytes) to send: exactly one of them is set."""
    as_json = commands(ids).map(lambda c: (json.dumps(c), None))
    plausible = near_valid(ids).map(lambda c: (json.dumps(c), None))
    allowed = valid(here).map(lambda c: (json.dumps(c), None))
    return st.one_of(
        allowed,
        plausible,
        plausible,
        plausible,
        plausible,
        as_json,
        st.text(min_size=1, max_size=200).map(lambda t: (t, None)),
        st.binary(min_size=1, max_size=200).map(lambda b: (None, b)),
        st.integers(min_value=16_001, max_value=100_000).map(lambda n: ("x" * n, None)),
        json_values(ids).map(lambda v: (json.dumps(v), None)),
        hostile_json(ids).map(lambda t: (t, None)),
        hostile_json(ids).map(lambda t: (t, None)),
    )


async def answer_to(client):
    """Read until this frame's answer; events and presence on the way are the sender's own view."""
    while True:
        frame = await client.receive(timeout=5)
        if frame["type"] in ANSWERS:
            return frame


async def scenario(workshop, sender, watcher, ids, batch):
    hostile = await connect(workshop, sender)
    await hostile.wait_for(lambda f: f["type"] == "snapshot")
    watching = await connect(workshop, watcher)
    await watching.wait_for(lambda f: f["type"] == "snapshot")
    workshop_ids = await database_sync_to_async(lambda: list(Workshop.objects.values_list("pk", flat=True)))()
    acked_seqs = set()
    for text, data in batch:
        before = await database_sync_to_async(state)(workshop_ids)
        await hostile.ws.send_to(text_data=text, bytes_data=data)
        answer = await answer_to(hostile)
        # What comes back must survive a real socket's UTF-8 encoding (an echoed lone surrogate would not).
        json.dumps(answer, ensure_ascii=False).encode("utf-8")
        TOTALS["frames"] += 1
        if answer["type"] == "error":
            TOTALS["errors"][answer["code"]] = TOTALS["errors"].get(answer["code"], 0) + 1
            assert answer["code"] in DOCUMENTED_ERRORS, (answer, text and text[:200])
            after = await database_sync_to_async(state)(workshop_ids)
            assert after == before, ("a refused frame changed the workshop", answer, text and text[:200])
        elif answer["type"] == "ack":
            TOTALS["acks"] += 1
            if answer.get("seq") and not answer.get("duplicate"):
                acked_seqs.add(answer["seq"])
    # The socket is still open and answers.
    await hostile.ws.send_to(text_data=json.dumps({"type": "ping", "id": "still-there"}))
    assert (await answer_to(hostile))["type"] == "pong"
    # The watcher saw the acknowledged changes, and nothing else.
    seen = set()

    def note(frame):
        # ``moving``: acknowledged drags passed on (never logged, no seq).
        assert frame["type"] in {"event", "tally", "presence", "moving"}, frame
        if frame["type"] == "event":
            seen.add(frame["seq"])

    # First every acknowledged change (a loaded machine may take a while), then anything extra.
    while not acked_seqs <= seen:
        note(await watching.receive(timeout=10))
    while not await watching.ws.receive_nothing(timeout=0.3):
        note(await watching.receive())
    assert seen == acked_seqs
    await hostile.close()
    await watching.close()


def test_no_frame_crashes_changes_on_refusal_or_disturbs_others(monkeypatch):
    here, expert, observer, watcher, ids, here_ids = world()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],  # no shrinking: each example opens sockets, and CI time is bounded
    )
    @given(
        sender=st.sampled_from([expert, observer]),
        batch=st.lists(frames(ids, here_ids), min_size=15, max_size=FRAMES_PER_EXAMPLE),
    )
    def run(sender, batch):
        async_to_sync(scenario)(here, sender, watcher, ids, batch)

    run()
    print(f"\nws fuzz: {TOTALS['frames']} frames, {TOTALS['acks']} acks, errors {TOTALS['errors']}")
    assert TOTALS["frames"] >= EXAMPLES


@settings(max_examples=600, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(text=hostile_json([1, 2, 3]) | st.text(max_size=300) | json_values([1, 2, 3]).map(json.dumps))
def test_frame_parser_answers_everything(text):
    """The parser alone: a command (a dict with a string ``type``) or a documented refusal,
    never another exception, and never a value the rest of the server cannot handle."""
    try:
        command = parse_frame(text)
    except FrameError as error:
        assert error.code in DOCUMENTED_ERRORS, error.code
        return
    assert isinstance(command, dict) and isinstance(command["type"], str)
    json.dumps(command, allow_nan=False, ensure_ascii=False).encode("utf-8")  # finite, storable, echoable
