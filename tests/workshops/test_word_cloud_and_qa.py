"""Audience formats: open-text answers as a word cloud (poll kind ``words``) and a Q&A where
participants upvote questions and the facilitator marks them answered or hides them."""

import json

import pytest
from channels.db import database_sync_to_async

from workshops import exports, selectors
from workshops.models import Participant, ParticipantRole, Phase, Question, QuestionVote
from workshops.tally import tally
from workshops.wordcloud import CLOUD_SIZE, check_answer, word_tally

from .wsutil import add_participant, connect_ready, setup_workshop

# --- the word cloud's count, a pure function ----------------------------------------


def test_words_are_counted_case_folded_trimmed_and_with_spaces_collapsed():
    choices = [["Klima", "mehr  Grün"], ["klima ", "Mehr grün!"], ["KLIMA"], ["Busse"]]
    result = word_tally(choices)
    assert result["votes"] == 4
    assert result["options"] == [
        {"word": "Klima", "value": 3},  # the spelling most people used
        {"word": "mehr Grün", "value": 2},  # a phrase stays a phrase
        {"word": "Busse", "value": 1},
    ]
    # The tally of the poll kind is this count.
    assert tally("words", [], choices) == result


def test_stop_words_are_dropped_only_as_single_words():
    result = word_tally([["und", "The", "Radwege"], ["und so weiter"], ["the city"], ["über"]])
    words = {row["word"] for row in result["options"]}
    assert words == {"Radwege", "und so weiter", "the city"}


def test_one_answer_counts_a_word_once_and_the_cloud_keeps_the_top_50():
    assert word_tally([["Bus", "bus", "BUS"]])["options"] == [{"word": "Bus", "value": 1}]
    choices = [[f"Wort{n:03d}"] * 1 for n in range(80)] + [["Wort079"], ["Wort079"], ["Wort005"]]
    options = word_tally(choices)["options"]
    assert len(options) == CLOUD_SIZE == 50
    assert options[0] == {"word": "Wort079", "value": 3}
    assert options[1] == {"word": "Wort005", "value": 2}
    assert options[2]["word"] == "Wort000"  # ties in alphabetical order


def test_an_answer_is_one_to_three_texts_of_one_to_forty_characters():
    assert check_answer(["  Klima  ", "klima", "mehr   Grün"]) == ["Klima", "mehr Grün"]
    for bad in ([], ["a", "b", "c", "d"], ["   "], ["x" * 41], [3], "Klima", None, {"a": 1}):
        with pytest.raises(ValueError):
            check_answer(bad)
    assert check_answer(["x" * 40]) == ["x" * 40]


# --- word cloud polls over the socket ---------------------------------------------------

db = pytest.mark.django_db(transaction=True)


async def _words_poll(f, **fields):
    ack = await f.command("poll.create", question="Was fällt Ihnen ein?", kind="words", **fields)
    assert ack["type"] == "ack", ack
    poll = (await f.event("poll.created"))["data"]
    assert poll["options"] == [] and poll["kind"] == "words"
    assert (await f.command("poll.open", poll=poll["id"]))["type"] == "ack"
    return poll


@db
async def test_word_cloud_poll_live_tally_hidden_reveal_close_and_export():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    bad = await f.command("poll.create", question="?", kind="words", options=["a", "b"])
    assert bad["type"] == "error" and bad["code"] == "invalid"
    poll = await _words_poll(f, hidden=True)
    anna, _ = await connect_ready(workshop, await add_participant(workshop, "Anna"))
    ben, _ = await connect_ready(workshop, await add_participant(workshop, "Ben"))
    observer = await add_participant(workshop, "Olga", ParticipantRole.OBSERVER)
    olga, _ = await connect_ready(workshop, observer)

    for choice, code in (([], "invalid"), (["x" * 41], "invalid"), (["a", "b", "c", "d"], "invalid"), (7, "invalid")):
        refused = await anna.command("poll.vote", poll=poll["id"], choice=choice)
        assert refused["type"] == "error" and refused["code"] == code, refused
    assert (await olga.command("poll.vote", poll=poll["id"], choice=["Nein"]))["code"] == "forbidden"

    assert (await anna.command("poll.vote", poll=poll["id"], choice=["Klima", " mehr  Grün "]))["type"] == "ack"
    assert (await ben.command("poll.vote", poll=poll["id"], choice=["klima", "und"]))["type"] == "ack"

    def counted(frame):
        return frame["type"] == "tally" and frame["poll"] == poll["id"] and frame["votes"] == 2

    # Hidden results: the facilitator sees the words, the others only the number of answers.
    seen = await f.wait_for(counted)
    assert seen["options"] == [{"word": "Klima", "value": 2}, {"word": "mehr Grün", "value": 1}]
    assert (await anna.wait_for(counted))["options"] is None

    assert (await f.command("poll.reveal", poll=poll["id"]))["type"] == "ack"
    revealed = await anna.event("poll.revealed")
    assert revealed["data"]["results"]["options"][0] == {"word": "Klima", "value": 2}

    # A changed answer replaces the earlier one.
    assert (await ben.command("poll.vote", poll=poll["id"], choice=["Busse"]))["type"] == "ack"
    assert (await f.command("poll.close", poll=poll["id"]))["type"] == "ack"
    closed = await ben.event("poll.closed")
    assert closed["data"]["results"]["options"] == [
        {"word": "Busse", "value": 1},
        {"word": "Klima", "value": 1},
        {"word": "mehr Grün", "value": 1},
    ]

    def exported():
        from workshops.models import Workshop

        data = exports.tables(Workshop.objects.get(pk=workshop.pk))
        rows = exports.poll_results(data)
        return rows, exports.readable(data)

    rows, readable = await database_sync_to_async(exported)()
    assert {row["label"]: row["value"] for row in rows} == {"Busse": 1, "Klima": 1, "mehr Grün": 1}
    assert "Abstimmungsergebnisse" in {title for title, _c, _r in readable.values()}
    for client in (f, anna, ben, olga):
        await client.close()


# --- Q&A ------------------------------------------------------------------------------


@db
async def test_questions_are_asked_upvoted_and_answered_with_rights_and_errors():
    workshop, facilitator = await setup_workshop(anonymous_posting=True)
    f, _ = await connect_ready(workshop, facilitator)
    anna_p = await add_participant(workshop, "Anna")
    ben_p = await add_participant(workshop, "Ben")
    anna, _ = await connect_ready(workshop, anna_p)
    ben, _ = await connect_ready(workshop, ben_p)
    olga, _ = await connect_ready(workshop, await add_participant(workshop, "Olga", ParticipantRole.OBSERVER))

    assert (await olga.command("question.ask", text="Darf ich?"))["code"] == "forbidden"
    assert (await anna.command("question.ask", text="   "))["code"] == "invalid"
    assert (await anna.command("question.ask", text="x" * 301))["code"] == "too_long"
    assert (await anna.command("question.ask", text="Wer?", anonymous="ja"))["code"] == "invalid"

    assert (await anna.command("question.ask", text="Wann kommt die Tram?"))["type"] == "ack"
    added = (await ben.event("question.added"))["data"]
    assert added == {
        "id": added["id"],
        "text": "Wann kommt die Tram?",
        "author": anna_p.pk,
        "author_name": "Anna",
        "votes": 0,
        "answered": False,
        "hidden": False,
    }
    assert (await ben.command("question.ask", text="Und die Radwege?", anonymous=True))["type"] == "ack"
    anonymous = (
        await anna.wait_for(lambda fr: fr.get("name") == "question.added" and fr["data"]["text"] == "Und die Radwege?")
    )["data"]
    assert anonymous["author"] is None
    assert anonymous["author_name"] is None
    tram = added["id"]

    assert (await anna.command("question.upvote", question=tram))["code"] == "conflict"  # her own
    assert (await olga.command("question.upvote", question=tram))["code"] == "forbidden"
    assert (await ben.command("question.upvote", question=999999))["code"] == "not_found"
    assert (await ben.command("question.upvote", question="x"))["code"] == "invalid"
    assert (await ben.command("question.upvote", question=tram))["type"] == "ack"
    voted = await anna.event("question.voted")
    assert voted["data"] == {"question": tram, "votes": 1, "participant": ben_p.pk, "on": True}
    assert (await ben.command("question.upvote", question=tram))["code"] == "conflict"  # twice
    assert (await f.command("question.upvote", question=tram))["type"] == "ack"
    assert (await anna.event("question.voted"))["data"]["votes"] == 2
    assert (await ben.command("question.unvote", question=tram))["type"] == "ack"
    assert (await anna.event("question.voted"))["data"] == {
        "question": tram,
        "votes": 1,
        "participant": ben_p.pk,
        "on": False,
    }
    assert (await ben.command("question.unvote", question=tram))["code"] == "conflict"

    assert (await anna.command("question.answer", question=tram, answered=True))["code"] == "forbidden"
    assert (await f.command("question.answer", question=tram, answered="ja"))["code"] == "invalid"
    assert (await f.command("question.answer", question=tram, answered=True))["type"] == "ack"
    updated = (await ben.event("question.updated"))["data"]
    assert updated["answered"] is True and updated["votes"] == 1
    assert (await f.command("question.answer", question=tram, answered=True))["code"] == "conflict"

    # The snapshot: the questions, one's upvotes and one's own questions.
    _again, snapshot = await connect_ready(workshop, anna_p)
    state = snapshot["state"]
    assert [q["id"] for q in state["questions"]] == [tram, anonymous["id"]]
    assert state["questions"][0]["answered"] is True
    assert state["my_questions"] == [tram] and state["my_upvotes"] == []
    _f2, fsnap = await connect_ready(workshop, facilitator)
    assert fsnap["state"]["my_upvotes"] == [tram]

    # Closed workshop: no more questions or upvotes.
    assert (await f.command("phase.set", phase=Phase.CLOSED))["type"] == "ack"
    assert (await ben.command("question.ask", text="Noch eine?"))["code"] == "wrong_phase"
    assert (await ben.command("question.upvote", question=tram))["code"] == "wrong_phase"
    assert (await f.command("question.hide", question=tram, hidden=True))["code"] == "wrong_phase"
    for client in (f, anna, ben, olga, _again, _f2):
        await client.close()


@db
async def test_a_hidden_question_reaches_facilitators_only_also_after_a_resync():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna_p = await add_participant(workshop, "Anna")
    anna, _ = await connect_ready(workshop, anna_p)
    ben, snap = await connect_ready(workshop, await add_participant(workshop, "Ben"))
    since = snap["seq"]

    assert (await anna.command("question.ask", text="Was kostet das? Geheimnis-7"))["type"] == "ack"
    question = (await ben.event("question.added"))["data"]["id"]
    assert (await f.command("question.hide", question=question, hidden=True))["type"] == "ack"
    hidden_for_f = await f.event("question.updated")
    assert hidden_for_f["data"]["hidden"] is True
    removed = await ben.wait_for(lambda fr: fr.get("type") == "event" and fr["seq"] == hidden_for_f["seq"])
    assert removed["name"] == "question.removed" and removed["data"] == {"id": question}

    # Hidden: not to be found, upvoted or answered by others; the facilitator may answer it.
    assert (await ben.command("question.upvote", question=question))["code"] == "not_found"
    assert (await f.command("question.upvote", question=question))["code"] == "conflict"
    assert (await f.command("question.hide", question=question, hidden=True))["code"] == "conflict"
    assert (await f.command("question.answer", question=question, answered=True))["type"] == "ack"
    answered = await f.event("question.updated")
    quiet = await ben.wait_for(lambda fr: fr.get("type") == "event" and fr["seq"] == answered["seq"])
    assert quiet["name"] == "question.removed" and "Geheimnis" not in json.dumps(quiet)

    # Neither a snapshot nor a resync from the log gives it away.
    _b2, bsnap = await connect_ready(workshop, await add_participant(workshop, "Cem"))
    assert bsnap["state"]["questions"] == []
    _f2, fsnap = await connect_ready(workshop, facilitator)
    assert [q["id"] for q in fsnap["state"]["questions"]] == [question]
    await ben.ws.send_json_to({"type": "sync", "id": "s1", "since": since})
    await ben.wait_for(lambda fr: fr.get("type") == "synced")
    replayed = [fr for fr in ben.frames if fr.get("type") == "event" and fr["seq"] > since]
    assert "Geheimnis" not in json.dumps([fr for fr in replayed if fr["name"] != "question.added"])
    shown = [fr for fr in replayed if fr["seq"] >= hidden_for_f["seq"]]
    assert shown and "Geheimnis" not in json.dumps(shown)

    # Shown again: the others get it as a new question, with its state.
    assert (await f.command("question.hide", question=question, hidden=False))["type"] == "ack"
    back = await ben.event("question.added")
    assert back["data"]["id"] == question and back["data"]["answered"] is True and back["data"]["hidden"] is False
    assert (await f.event("question.updated"))["data"]["hidden"] is False
    for client in (f, anna, ben, _b2, _f2):
        await client.close()


@db
def test_snapshot_selectors_give_questions_by_role():
    from tests import factories
    from workshops.actions import create_workshop, join_workshop

    process = factories.make_process()
    user = factories.make_facilitator(process)
    workshop = create_workshop(user, process, "Q&A")
    facilitator = join_workshop(workshop, user, "Mo", ParticipantRole.FACILITATOR)
    expert = join_workshop(workshop, None, "Eva", ParticipantRole.EXPERT)
    shown = Question.objects.create(workshop=workshop, author=expert, text="Offen?")
    Question.objects.create(workshop=workshop, author=expert, text="Versteckt", hidden=True)
    QuestionVote.objects.create(question=shown, participant=facilitator)
    assert [q["text"] for q in selectors.snapshot(workshop, expert)["questions"]] == ["Offen?"]
    mod = selectors.snapshot(workshop, facilitator)
    assert [q["text"] for q in mod["questions"]] == ["Offen?", "Versteckt"]
    assert mod["questions"][0]["votes"] == 1 and mod["my_upvotes"] == [shown.pk]
    assert Participant.objects.count() == 2


@db
def test_a_deleted_account_is_renamed_in_the_questions_and_their_logged_events():
    from tests import factories
    from workshops.actions import anonymise_participants, apply_command, create_workshop, join_workshop
    from workshops.models import WorkshopEvent

    process = factories.make_process()
    user = factories.make_facilitator(process)
    workshop = create_workshop(user, process, "Q&A")
    facilitator = join_workshop(workshop, user, "Mo", ParticipantRole.FACILITATOR)
    eva = join_workshop(workshop, None, "Eva Echtname", ParticipantRole.EXPERT)
    apply_command(eva.pk, {"type": "question.ask", "id": "q1", "text": "Wer plant das?"})
    question = Question.objects.get()
    apply_command(facilitator.pk, {"type": "question.hide", "id": "h1", "question": question.pk, "hidden": True})
    apply_command(facilitator.pk, {"type": "question.hide", "id": "h2", "question": question.pk, "hidden": False})
    anonymise_participants(Participant.objects.filter(pk=eva.pk), "Gelöschtes Konto")
    logged = json.dumps(list(WorkshopEvent.objects.values_list("data", "public")), ensure_ascii=False)
    assert "Echtname" not in logged
    assert selectors.snapshot(workshop, facilitator)["questions"][0]["author_name"] == "Gelöschtes Konto"


@db
def test_words_votes_in_one_batch_are_checked_and_stored_cleaned():
    from tests import factories
    from workshops.actions import CommandError, apply_command, apply_votes, create_workshop, join_workshop
    from workshops.models import Poll, PollVote

    process = factories.make_process()
    user = factories.make_facilitator(process)
    workshop = create_workshop(user, process, "Batch")
    facilitator = join_workshop(workshop, user, "Mo", ParticipantRole.FACILITATOR)
    anna = join_workshop(workshop, None, "Anna", ParticipantRole.EXPERT)
    ben = join_workshop(workshop, None, "Ben", ParticipantRole.EXPERT)
    apply_command(facilitator.pk, {"type": "poll.create", "id": "p", "question": "Wort?", "kind": "words"})
    poll = Poll.objects.get()
    apply_command(facilitator.pk, {"type": "poll.open", "id": "o", "poll": poll.pk})
    results = apply_votes(
        [
            (anna.pk, {"type": "poll.vote", "id": "a1", "poll": poll.pk, "choice": ["  Klima ", "KLIMA", "Bus!"]}),
            (ben.pk, {"type": "poll.vote", "id": "b1", "poll": poll.pk, "choice": ["x" * 41]}),
            (ben.pk, {"type": "poll.vote", "id": "b2", "poll": poll.pk, "choice": ["Klima"]}),
        ]
    )
    assert [type(r).__name__ for r in results] == ["Outcome", "CommandError", "Outcome"]
    assert isinstance(results[1], CommandError) and results[1].code == "invalid"
    assert PollVote.objects.get(participant=anna).choice == ["Klima", "Bus"]
    assert selectors.poll_tally(poll)["options"] == [{"word": "Klima", "value": 2}, {"word": "Bus", "value": 1}]
