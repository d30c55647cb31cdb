"""An opinion map through the API: facilitators set it up with statements, participants
answer them one after the other and propose their own (reviewed first), and the map groups
the participants by their answers without naming anyone."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests import factories
from voting.models import Consultation, Statement, StatementVote, VoterRecord

from .helpers import token_header

pytestmark = pytest.mark.django_db

# Two camps of four: the first agrees with A1..A4 and not with B1..B4, the second the other
# way round; everyone agrees with "Alle" and nobody decided "Offen" yet.
TEXTS = ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "Alle"]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def make_map(client, **extra):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    payload = {
        "process": process.pk,
        "title": "Wie soll die Innenstadt werden?",
        "method": "opinion",
        "eligibility": "open",
        "statements": TEXTS,
        **extra,
    }
    response = client.post("/api/consultations/", payload, content_type="application/json", **token_header(facilitator))
    assert response.status_code == 201, response.content
    consultation = Consultation.objects.get(pk=response.json()["id"])
    opened = client.post(f"/api/consultations/{consultation.pk}/open", **token_header(facilitator))
    assert opened.status_code == 200
    return consultation, facilitator


def answer_all(participant, consultation, camp):
    """Answer every statement as shown, one after the other, as the page does."""
    url = f"/api/consultations/{consultation.pk}"
    shown = participant.get(f"{url}/statements/next").json()
    answered = 0
    while shown["statement"]:
        text = shown["statement"]["text"]
        value = 1 if text == "Alle" or text.startswith(camp) else -1
        response = participant.post(
            f"{url}/answers", {"statement": shown["statement"]["id"], "value": value}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
        answered += 1
        shown = response.json()
        assert shown["answered"] == answered
    return answered


def test_participants_answer_and_the_map_shows_two_camps_and_their_common_ground(client):
    consultation, _ = make_map(client)
    people = [Client() for _ in range(8)]
    for n, participant in enumerate(people):
        assert answer_all(participant, consultation, "A" if n < 4 else "B") == len(TEXTS)
    assert VoterRecord.objects.filter(consultation=consultation).count() == 8
    assert StatementVote.objects.filter(consultation=consultation).count() == 8 * len(TEXTS)

    body = people[0].get(f"/api/consultations/{consultation.pk}/opinion-map").json()
    assert body["participants"] == 8 and body["answers"] == 72
    assert body["k"] == 2 and [group["size"] for group in body["groups"]] == [4, 4]
    texts = body["statements"]
    consensus = [texts[str(item["statement"])] for item in body["consensus"]]
    assert consensus == ["Alle"]
    camps = []
    for group in body["groups"]:
        # What sets a group apart: agreeing with its own camp's statements, or rejecting the other's.
        own = {
            texts[str(item["statement"])][0]
            if item["direction"] == "agree"
            else "AB".replace(texts[str(item["statement"])][0], "")
            for item in group["representative"]
        }
        assert len(own) == 1 and group["representative"]
        camps.append(own.pop())
    assert sorted(camps) == ["A", "B"]
    # My own dot, and nobody else's identity: dots are numbers.
    me = body["me"]
    assert isinstance(me, int) and {dot["n"] for dot in body["dots"]} == set(range(1, 9))
    mine = next(dot for dot in body["dots"] if dot["n"] == me)
    first_camp_group = mine["group"]
    others = [p.get(f"/api/consultations/{consultation.pk}/opinion-map").json()["me"] for p in people[1:4]]
    assert all(next(d for d in body["dots"] if d["n"] == n)["group"] == first_camp_group for n in others)
    flat = str(body)
    for vote in StatementVote.objects.filter(consultation=consultation)[:3]:
        assert vote.ballot_key not in flat
    # Somebody who has not answered sees the map without a dot of their own.
    assert Client().get(f"/api/consultations/{consultation.pk}/opinion-map").json()["me"] is None


def test_a_new_answer_replaces_the_old_one(client):
    consultation, _ = make_map(client)
    participant = Client()
    url = f"/api/consultations/{consultation.pk}/answers"
    statement = Statement.objects.filter(consultation=consultation).first()
    first = participant.post(url, {"statement": statement.pk, "value": 1}, content_type="application/json")
    assert first.json()["changed"] is True
    same = participant.post(url, {"statement": statement.pk, "value": 1}, content_type="application/json")
    assert same.json()["changed"] is False
    other = participant.post(url, {"statement": statement.pk, "value": -1}, content_type="application/json")
    assert other.json()["changed"] is True
    assert list(StatementVote.objects.values_list("value", flat=True)) == [-1]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"statement": 10**12, "value": 1}, "statement"),
        ({"statement": "1", "value": 1}, "statement"),
        ({"statement": None, "value": 1}, "statement"),
        ({"value": 2}, "value"),
        ({"value": True}, "value"),
        ({"value": "1"}, "value"),
    ],
)
def test_a_bad_answer_is_refused_and_changes_nothing(client, body, field):
    consultation, _ = make_map(client)
    statement = Statement.objects.filter(consultation=consultation).first()
    body = {"statement": statement.pk, **body}
    response = Client().post(f"/api/consultations/{consultation.pk}/answers", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not StatementVote.objects.exists() and not VoterRecord.objects.exists()


def test_participants_propose_statements_that_count_only_once_shown(client):
    consultation, facilitator = make_map(client)
    participant = Client()
    url = f"/api/consultations/{consultation.pk}/statements"
    proposed = participant.post(url, {"text": "  Mehr   Bäume  "}, content_type="application/json")
    assert proposed.status_code == 201 and proposed.json()["state"] == "pending"
    assert proposed.json()["text"] == "Mehr Bäume"
    public = [item["text"] for item in Client().get(url).json()]
    assert "Mehr Bäume" not in public
    pk = proposed.json()["id"]
    refused = participant.post(
        f"/api/consultations/{consultation.pk}/answers", {"statement": pk, "value": 1}, content_type="application/json"
    )
    assert refused.status_code == 400
    shown = client.post(f"{url}/{pk}/publish", **token_header(facilitator))
    assert shown.status_code == 200 and shown.json()["state"] == "published"
    assert "Mehr Bäume" in [item["text"] for item in Client().get(url).json()]
    assert (
        participant.post(
            f"/api/consultations/{consultation.pk}/answers",
            {"statement": pk, "value": 1},
            content_type="application/json",
        ).status_code
        == 201
    )
    # Hidden again: its answers no longer count on the map.
    client.post(f"{url}/{pk}/hide", **token_header(facilitator))
    cache.clear()
    body = Client().get(f"/api/consultations/{consultation.pk}/opinion-map").json()
    assert str(pk) not in body["statements"] and body["answers"] == 0


def test_only_facilitators_review_and_add_and_participants_are_limited(client):
    consultation, facilitator = make_map(client)
    url = f"/api/consultations/{consultation.pk}/statements"
    participant = Client()
    pk = participant.post(url, {"text": "Eine"}, content_type="application/json").json()["id"]
    assert participant.post(f"{url}/{pk}/publish").status_code in (401, 403)
    stranger = factories.make_user()
    assert client.post(f"{url}/{pk}/publish", **token_header(stranger)).status_code == 403
    added = client.post(
        url,
        {"text": "Von der Stadt", "text_en": "From the city"},
        content_type="application/json",
        **token_header(facilitator),
    )
    assert added.status_code == 201 and added.json()["state"] == "published"
    for n in range(9):
        participant.post(url, {"text": f"Vorschlag {n}"}, content_type="application/json")
    too_many = participant.post(url, {"text": "Noch einer"}, content_type="application/json")
    assert too_many.status_code == 429
    assert participant.post(url, {"text": "x" * 281}, content_type="application/json").status_code == 400


def test_no_statements_from_participants_when_the_map_does_not_take_them(client):
    consultation, _ = make_map(client, settings={"allow_statements": False})
    response = Client().post(
        f"/api/consultations/{consultation.pk}/statements", {"text": "Neu"}, content_type="application/json"
    )
    assert response.status_code == 409


def test_answers_end_with_the_close(client):
    consultation, facilitator = make_map(client)
    client.post(f"/api/consultations/{consultation.pk}/close", **token_header(facilitator))
    statement = Statement.objects.filter(consultation=consultation).first()
    response = Client().post(
        f"/api/consultations/{consultation.pk}/answers",
        {"statement": statement.pk, "value": 1},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert not StatementVote.objects.exists()


def test_other_methods_have_no_statements(client):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [factories.make_measure(process).pk for _ in range(2)]
    payload = {
        "process": process.pk,
        "title": "T",
        "method": "approval",
        "options": measures,
        "eligibility": "open",
        "statements": ["Nein"],
    }
    response = client.post("/api/consultations/", payload, content_type="application/json", **token_header(facilitator))
    assert response.status_code == 400 and "statements" in response.json()
