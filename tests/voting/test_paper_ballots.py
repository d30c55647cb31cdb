"""Paper ballots typed in twice by election workers, in the same box as the online ones
(voting/paper_actions.py): what counts, what is refused, and that a refusal writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from participation.errors import Conflict
from participation.models import AuditLogEntry
from results.actions import publish
from tests import factories
from voting import actions, mixing, paper_actions
from voting.models import (
    Ballot,
    Channel,
    Consultation,
    ElectionWorker,
    PaperBallot,
    PaperEntry,
    PaperState,
    VoterRecord,
)

from .helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    """An open approval consultation with access codes, three election workers and five codes."""
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes, _batch = actions.generate_access_codes(facilitator, consultation, 5)
    workers = [factories.make_user(username=f"wahlhelfer{n}") for n in range(3)]
    for worker in workers:
        paper_actions.add_election_worker(facilitator, consultation, worker)
    return consultation, facilitator, ids, codes, workers


def enter(worker, consultation, code, ballot):
    return paper_actions.enter_paper_ballot(worker, consultation, code, ballot).state


def written():
    """Rows a refusal must leave as they were."""
    return (
        Ballot.objects.count(),
        VoterRecord.objects.count(),
        PaperBallot.objects.count(),
        PaperEntry.objects.count(),
        AuditLogEntry.objects.count(),
    )


def test_two_matching_entries_count_once(paper):
    consultation, _f, ids, codes, (a, b, _c) = paper
    assert enter(a, consultation, codes[0], {"approve": [ids[1], ids[0]]}) == PaperState.WAITING
    assert Ballot.objects.count() == 0 and VoterRecord.objects.count() == 0
    # Typed differently (lower case, without dashes, another order): the same ballot once normalised.
    assert enter(b, consultation, codes[0].lower().replace("-", ""), {"approve": [ids[0], ids[1]]}) == "counted"
    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.PAPER and ballot.content == {"approve": sorted([ids[0], ids[1]])}
    record = VoterRecord.objects.get()
    assert record.channel == Channel.PAPER and record.access_code.paper_ballot.state == PaperState.COUNTED
    # The same ballot key as an online ballot of that code: the box allows one per code.
    voter = actions.resolve_voter(consultation, access_code=codes[0])
    assert ballot.ballot_key == voter.ballot_key
    # Once counted, no entry keeps what was typed.
    assert list(PaperEntry.objects.values_list("content", flat=True)) == [None, None]
    assert PaperBallot.objects.get().code_end == codes[0].replace("-", "")[-4:]


def test_different_entries_are_disputed_and_a_third_matching_one_counts(paper):
    consultation, facilitator, ids, codes, (a, b, c) = paper
    enter(a, consultation, codes[0], {"approve": [ids[0]]})
    assert enter(b, consultation, codes[0], {"approve": [ids[1]]}) == PaperState.DISPUTED
    assert Ballot.objects.count() == 0
    # Further plain entries go to the settling instead.
    with pytest.raises(Conflict):
        enter(c, consultation, codes[0], {"approve": [ids[0]]})
    outcome = paper_actions.resolve_paper_ballot(c, consultation, codes[0], {"approve": [ids[1]]})
    assert outcome.state == PaperState.COUNTED
    assert Ballot.objects.get().content == {"approve": [ids[1]]}
    assert PaperBallot.objects.get().decided_by == c


def test_a_third_entry_matching_neither_stays_disputed_until_two_agree(paper):
    consultation, facilitator, ids, codes, (a, b, c) = paper
    enter(a, consultation, codes[0], {"approve": [ids[0]]})
    enter(b, consultation, codes[0], {"approve": [ids[1]]})
    assert paper_actions.resolve_paper_ballot(c, consultation, codes[0], {"approve": [ids[2]]}).state == "disputed"
    assert Ballot.objects.count() == 0
    # A facilitator (not an election worker) settles it as well.
    assert paper_actions.resolve_paper_ballot(facilitator, consultation, codes[0], {"approve": [ids[2]]}).counted
    assert Ballot.objects.get().content == {"approve": [ids[2]]}


def test_settling_is_only_for_disputed_ballots_and_other_people(paper):
    consultation, facilitator, ids, codes, (a, b, _c) = paper
    enter(a, consultation, codes[0], {"approve": [ids[0]]})
    before = written()
    with pytest.raises(Conflict):  # waiting, not disputed
        paper_actions.resolve_paper_ballot(facilitator, consultation, codes[0], {"approve": [ids[0]]})
    enter(b, consultation, codes[0], {"approve": [ids[1]]})
    before = written()
    with pytest.raises(Conflict):  # typed it already
        paper_actions.resolve_paper_ballot(a, consultation, codes[0], {"approve": [ids[1]]})
    assert written() == before
    outsider = factories.make_user()
    with pytest.raises(PermissionDenied):
        paper_actions.resolve_paper_ballot(outsider, consultation, codes[0], {"approve": [ids[1]]})
    assert written() == before


def test_one_worker_cannot_enter_a_code_twice(paper):
    consultation, _f, ids, codes, (a, _b, _c) = paper
    enter(a, consultation, codes[0], {"approve": [ids[0]]})
    before = written()
    with pytest.raises(Conflict):
        enter(a, consultation, codes[0], {"approve": [ids[0]]})
    assert written() == before
    assert Ballot.objects.count() == 0


def test_only_election_workers_enter_not_even_facilitators(paper):
    consultation, facilitator, ids, codes, _workers = paper
    before = written()
    for user in (facilitator, factories.make_user(), factories.make_facilitator()):
        with pytest.raises(PermissionDenied):
            enter(user, consultation, codes[0], {"approve": [ids[0]]})
    assert written() == before


def test_online_first_then_the_paper_ballot_is_refused(paper):
    consultation, _f, ids, codes, (a, b, _c) = paper
    voter = actions.resolve_voter(consultation, access_code=codes[0])
    actions.cast_ballot(consultation, voter, {"approve": [ids[0]]})
    with pytest.raises(Conflict, match="online"):
        enter(a, consultation, codes[0], {"approve": [ids[1]]})
    paper_ballot = PaperBallot.objects.get()
    assert paper_ballot.state == PaperState.REFUSED
    assert PaperEntry.objects.get().content is None  # nothing of the refused paper is kept
    before = written()
    with pytest.raises(Conflict):
        enter(b, consultation, codes[0], {"approve": [ids[1]]})
    assert written() == before
    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.ONLINE and ballot.content == {"approve": [ids[0]]}
    # The online voter may still change their ballot.
    assert actions.cast_ballot(consultation, voter, {"approve": [ids[2]]}).changed
    assert Ballot.objects.get().content == {"approve": [ids[2]]}


def test_paper_first_then_online_is_refused_also_as_a_change(paper):
    consultation, _f, ids, codes, (a, b, _c) = paper
    enter(a, consultation, codes[0], {"approve": [ids[0]]})
    enter(b, consultation, codes[0], {"approve": [ids[0]]})
    voter = actions.resolve_voter(consultation, access_code=codes[0])
    before = written()
    for ballot in ({"approve": [ids[0]]}, {"approve": [ids[1]]}):  # the same (no receipt shown), a change
        with pytest.raises(Conflict, match="Papier"):
            actions.cast_ballot(consultation, voter, ballot)
    with pytest.raises(Conflict, match="Papier"):
        actions.current_ballot(consultation, voter)
    assert written() == before
    stored = Ballot.objects.get()
    assert stored.channel == Channel.PAPER and stored.content == {"approve": [ids[0]]}
    response = Client().put(
        f"/api/consultations/{consultation.pk}/ballot",
        {"access_code": codes[0], "ballot": {"approve": [ids[1]]}},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "Dieser Code wurde schon auf Papier abgegeben."


def test_a_paper_ballot_waiting_for_its_second_entry_holds_the_code_already(paper):
    consultation, _f, ids, codes, (a, _b, _c) = paper
    enter(a, consultation, codes[0], {"approve": [ids[0]]})
    voter = actions.resolve_voter(consultation, access_code=codes[0])
    with pytest.raises(Conflict, match="Papier"):
        actions.cast_ballot(consultation, voter, {"approve": [ids[1]]})
    assert Ballot.objects.count() == 0
    # Other codes vote online as ever.
    other = actions.resolve_voter(consultation, access_code=codes[1])
    assert actions.cast_ballot(consultation, other, {"approve": [ids[1]]}).created


def test_after_the_close_until_the_publication(paper):
    consultation, facilitator, ids, codes, (a, b, _c) = paper
    actions.cast_ballot(consultation, actions.resolve_voter(consultation, access_code=codes[1]), {"approve": [ids[2]]})
    consultation = actions.close_consultation(facilitator, consultation)
    mixing.seal_ballot_box(consultation.pk)  # after the close's commit (not run inside a test's transaction)
    assert Consultation.objects.get(pk=consultation.pk).box_mixed_at is not None
    enter(a, consultation, codes[0], {"approve": [ids[0]]})
    assert enter(b, consultation, codes[0], {"approve": [ids[0]]}) == PaperState.COUNTED
    # A ballot written after the seal: the box is mixed again before the publication.
    assert Consultation.objects.get(pk=consultation.pk).box_mixed_at is None
    snapshot, _created = publish(facilitator, consultation)
    assert snapshot.result["turnout"]["paper"] == 1 and snapshot.result["turnout"]["online"] == 1
    assert Consultation.objects.get(pk=consultation.pk).box_mixed_at is not None
    before = written()
    with pytest.raises(Conflict, match="veröffentlicht"):
        enter(a, consultation, codes[2], {"approve": [ids[0]]})
    assert written() == before


def test_not_before_the_opening(paper):
    consultation, facilitator, ids, _codes, (a, _b, _c) = paper
    draft, draft_facilitator, draft_ids = make_consultation(method="score", eligibility="access_code", open_now=False)
    codes, _batch = actions.generate_access_codes(draft_facilitator, draft, 1)
    paper_actions.add_election_worker(draft_facilitator, draft, a)
    with pytest.raises(Conflict, match="nicht geöffnet"):
        enter(a, draft, codes[0], {"scores": {str(i): 1 for i in draft_ids}})
    assert PaperBallot.objects.count() == 0


def test_wrong_codes_and_ballots_are_refused_and_write_nothing(paper):
    consultation, _f, ids, codes, (a, _b, _c) = paper
    before = written()
    with pytest.raises(ValidationError) as missing:
        enter(a, consultation, "", {"approve": [ids[0]]})
    assert "access_code" in missing.value.message_dict
    with pytest.raises(PermissionDenied, match="gibt es nicht"):
        enter(a, consultation, "AAAA-BBBB-CCCC-DDDD", {"approve": [ids[0]]})
    for ballot in (None, {"approve": [10**9]}, {"ranking": [[ids[0]]]}, "x", {"approve": [ids[0], ids[0], "1"]}):
        with pytest.raises(ValidationError) as bad:
            enter(a, consultation, codes[0], ballot)
        assert "ballot" in bad.value.message_dict
    assert written() == before


def test_only_access_code_consultations_with_a_ballot_take_paper():
    for method, eligibility in (("approval", "account"), ("pairwise", "access_code"), ("ranking", "open")):
        consultation, facilitator, _ids = make_consultation(method=method, eligibility=eligibility)
        with pytest.raises(Conflict):
            paper_actions.add_election_worker(facilitator, consultation, factories.make_user())
    assert ElectionWorker.objects.count() == 0


def test_the_api(paper):
    consultation, facilitator, ids, codes, (a, b, c) = paper
    base = f"/api/consultations/{consultation.pk}"
    client = Client()

    def post(user, path, body):
        return client.post(base + path, body, content_type="application/json", **token_header(user))

    newcomer = factories.make_user(username="neu")
    assert post(facilitator, "/election-workers", {"username": "neu"}).status_code == 201
    assert post(facilitator, "/election-workers", {"user": newcomer.pk}).status_code == 200
    assert post(facilitator, "/election-workers", {"user": 2**63}).status_code == 400
    assert post(a, "/election-workers", {"user": newcomer.pk}).status_code == 403
    listed = client.get(base + "/election-workers", **token_header(facilitator)).json()
    assert "neu" in [row["username"] for row in listed]
    delete = client.delete(base + f"/election-workers/{newcomer.pk}", **token_header(facilitator))
    assert delete.status_code == 204
    assert client.delete(base + f"/election-workers/{newcomer.pk}", **token_header(facilitator)).status_code == 404

    first = post(a, "/paper-ballots", {"access_code": codes[0], "ballot": {"approve": [ids[0]]}})
    assert first.status_code == 201 and first.json() == {"state": "waiting"}
    second = post(b, "/paper-ballots", {"access_code": codes[0], "ballot": {"approve": [ids[1]]}})
    assert second.json() == {"state": "disputed"}  # nothing of the other entry
    assert post(facilitator, "/paper-ballots", {"access_code": codes[1], "ballot": {}}).status_code == 403
    wrong = post(a, "/paper-ballots", {"access_code": "X", "ballot": {"approve": [ids[0]]}})
    assert wrong.status_code == 403
    assert post(a, "/paper-ballots", {"access_code": codes[1], "ballot": {"approve": "x"}}).status_code == 400

    as_worker = client.get(base + "/paper-ballots", **token_header(c)).json()
    assert as_worker == [
        {"id": as_worker[0]["id"], "code_end": codes[0][-4:], "state": "disputed", "entries": 2, "contents": None}
    ]
    as_manager = client.get(base + "/paper-ballots?state=disputed", **token_header(facilitator)).json()
    assert as_manager[0]["contents"] == [{"approve": [ids[0]]}, {"approve": [ids[1]]}]
    assert client.get(base + "/paper-ballots?state=nope", **token_header(c)).status_code == 400
    assert client.get(base + "/paper-ballots", **token_header(factories.make_user())).status_code == 403

    settled = post(c, "/paper-ballots/resolve", {"access_code": codes[0], "ballot": {"approve": [ids[0]]}})
    assert settled.status_code == 200 and settled.json() == {"state": "counted"}
    assert client.get(base + "/paper-ballots", **token_header(c)).json() == []
    counted = client.get(base + "/paper-ballots?state=counted", **token_header(facilitator)).json()
    assert counted[0]["contents"] is None
    assert client.get(base + "/", **token_header(facilitator)).json()["turnout"] == 1


def test_the_form_without_javascript_refuses_a_code_that_came_on_paper(paper):
    consultation, _f, ids, codes, (a, b, _c) = paper
    enter(a, consultation, codes[0], {"approve": [ids[3]]})
    enter(b, consultation, codes[0], {"approve": [ids[3]]})
    client = Client()
    assert client.get(consultation.get_absolute_url(), {"code": codes[0]}).status_code == 200
    sent = client.post(
        reverse("consultations:cast", args=[consultation.pk]), {"access_code": codes[0], "approve": [str(ids[0])]}
    )
    assert sent.status_code == 409
    assert "Dieser Code wurde schon auf Papier abgegeben." in sent.content.decode()
    assert Ballot.objects.get().content == {"approve": [ids[3]]}


# --- spoiled paper ballots ----------------------------------------------------------------


def spoil(worker, consultation, code, resolve=False):
    act = paper_actions.resolve_paper_ballot if resolve else paper_actions.enter_paper_ballot
    return act(worker, consultation, code, None, spoiled=True).state


def test_two_people_agree_a_paper_ballot_is_spoiled_nothing_is_counted_and_the_code_is_spent(paper):
    consultation, _f, ids, codes, (a, b, c) = paper
    assert spoil(a, consultation, codes[0]) == PaperState.WAITING
    assert spoil(b, consultation, codes[0].lower()) == PaperState.SPOILED
    assert Ballot.objects.count() == 0 and VoterRecord.objects.count() == 0
    paper_ballot = PaperBallot.objects.get()
    assert paper_ballot.state == PaperState.SPOILED and paper_ballot.decided_by is None
    assert list(PaperEntry.objects.values_list("content", "spoiled")) == [(None, True), (None, True)]
    assert AuditLogEntry.objects.filter(action="paper_ballot.spoiled").count() == 1
    # Decided: no more entries, spoiled or not.
    before = written()
    with pytest.raises(Conflict, match="ungültig"):
        spoil(c, consultation, codes[0])
    with pytest.raises(Conflict, match="ungültig"):
        enter(c, consultation, codes[0], {"approve": [ids[0]]})
    assert written() == before
    # The code is spent: online it is refused, as after a counted paper ballot.
    voter = actions.resolve_voter(consultation, access_code=codes[0])
    with pytest.raises(Conflict, match="Papier"):
        actions.cast_ballot(consultation, voter, {"approve": [ids[1]]})
    response = Client().put(
        f"/api/consultations/{consultation.pk}/ballot",
        {"access_code": codes[0], "ballot": {"approve": [ids[1]]}},
        content_type="application/json",
    )
    assert response.status_code == 409 and Ballot.objects.count() == 0


def test_a_spoiled_and_a_valid_entry_differ_and_a_third_person_settles_either_way(paper):
    consultation, facilitator, ids, codes, (a, b, c) = paper
    for code in codes[:2]:
        spoil(a, consultation, code)
        assert enter(b, consultation, code, {"approve": [ids[0]]}) == PaperState.DISPUTED
    listed = paper_actions.paper_ballots(facilitator, consultation, PaperState.DISPUTED)
    assert [row["contents"] for row in listed] == [[{"spoiled": True}, {"approve": [ids[0]]}]] * 2
    assert Ballot.objects.count() == 0
    # Settled as spoiled: nothing in the box, the typed marks of the other entry are cleared.
    assert spoil(c, consultation, codes[0], resolve=True) == PaperState.SPOILED
    assert Ballot.objects.count() == 0
    assert PaperBallot.objects.get(code_end=codes[0][-4:]).decided_by == c
    # Settled as valid: the ballot counts.
    outcome = paper_actions.resolve_paper_ballot(facilitator, consultation, codes[1], {"approve": [ids[0]]})
    assert outcome.counted and Ballot.objects.get().content == {"approve": [ids[0]]}
    assert set(PaperEntry.objects.values_list("content", flat=True)) == {None}
    assert paper_actions.paper_ballots(facilitator, consultation) == []


def test_online_first_then_a_spoiled_paper_ballot_is_refused(paper):
    consultation, _f, ids, codes, (a, b, _c) = paper
    spoil(a, consultation, codes[1])
    voter = actions.resolve_voter(consultation, access_code=codes[0])
    actions.cast_ballot(consultation, voter, {"approve": [ids[0]]})
    with pytest.raises(Conflict, match="online"):
        spoil(a, consultation, codes[0])
    assert PaperBallot.objects.get(code_end=codes[0][-4:]).state == PaperState.REFUSED
    assert Ballot.objects.get().channel == Channel.ONLINE
    # A spoiled paper ballot waiting for its second entry holds the code already.
    other = actions.resolve_voter(consultation, access_code=codes[1])
    with pytest.raises(Conflict, match="Papier"):
        actions.cast_ballot(consultation, other, {"approve": [ids[0]]})


def test_spoiled_is_said_plainly_and_a_wrong_one_writes_nothing(paper):
    consultation, _f, ids, codes, (a, _b, _c) = paper
    before = written()
    for spoiled in ("yes", 1, None, [True]):
        with pytest.raises(ValidationError) as bad:
            paper_actions.enter_paper_ballot(a, consultation, codes[0], None, spoiled=spoiled)
        assert "spoiled" in bad.value.message_dict
    with pytest.raises(ValidationError) as both:  # marks and spoiled at once
        paper_actions.enter_paper_ballot(a, consultation, codes[0], {"approve": [ids[0]]}, spoiled=True)
    assert "ballot" in both.value.message_dict
    assert written() == before


def test_a_spoiled_paper_ballot_after_the_close_leaves_the_sealed_box_as_it_is(paper):
    consultation, facilitator, ids, codes, (a, b, _c) = paper
    consultation = actions.close_consultation(facilitator, consultation)
    mixing.seal_ballot_box(consultation.pk)
    spoil(a, consultation, codes[0])
    assert spoil(b, consultation, codes[0]) == PaperState.SPOILED
    assert Consultation.objects.get(pk=consultation.pk).box_mixed_at is not None
    snapshot, _created = publish(facilitator, consultation)
    turnout = snapshot.result["turnout"]
    assert (turnout["voters"], turnout["paper"], turnout["ballots"]) == (0, 0, 0)


def test_the_api_takes_spoiled_paper_ballots(paper):
    consultation, facilitator, ids, codes, (a, b, c) = paper
    base = f"/api/consultations/{consultation.pk}"
    client = Client()

    def post(user, path, body):
        return client.post(base + path, body, content_type="application/json", **token_header(user))

    assert post(a, "/paper-ballots", {"access_code": codes[0], "spoiled": True}).json() == {"state": "waiting"}
    assert post(b, "/paper-ballots", {"access_code": codes[0], "spoiled": True}).json() == {"state": "spoiled"}
    before = written()
    for body in (
        {"access_code": codes[1], "spoiled": "true"},
        {"access_code": codes[1], "spoiled": True, "ballot": {"approve": [ids[0]]}},
        {"access_code": codes[1], "spoiled": False},  # no marks either
    ):
        answer = post(a, "/paper-ballots", body)
        assert answer.status_code == 400, answer.content
    assert written() == before
    assert post(c, "/paper-ballots", {"access_code": codes[0], "spoiled": True}).status_code == 409
    post(a, "/paper-ballots", {"access_code": codes[1], "ballot": {"approve": [ids[0]]}, "spoiled": False})
    assert post(b, "/paper-ballots", {"access_code": codes[1], "spoiled": True}).json() == {"state": "disputed"}
    settled = post(c, "/paper-ballots/resolve", {"access_code": codes[1], "spoiled": True})
    assert settled.status_code == 200 and settled.json() == {"state": "spoiled"}
    spoiled = client.get(base + "/paper-ballots?state=spoiled", **token_header(facilitator)).json()
    assert [row["state"] for row in spoiled] == ["spoiled", "spoiled"] and spoiled[0]["contents"] is None
    assert Ballot.objects.count() == 0
