import json

import pytest

from participation import actions
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions as voting
from voting.models import Ballot

from .gdpr_helpers import LATER_NAME, OTHERS_CARD, OWN_CARDS, OWN_COMMENT, workshop_with_participation


@pytest.mark.django_db
def test_the_export_is_a_json_attachment_with_own_account_feedback_and_reports(citizen_client, citizen, process):
    measure = factories.make_measure(process)
    lab = factories.make_lab(process)
    other = factories.make_user(username="nachbarin", email="nachbarin@example.org")
    others_feedback = actions.post_feedback(other, measure, "Text der Nachbarin")
    mine = actions.post_feedback(citizen, lab, "Mein Text zum Reallabor")
    actions.report_feedback(citizen, others_feedback, "Unpassend")
    actions.report_feedback(other, mine, "Gegenmeldung der Nachbarin")

    response = citizen_client.get("/konto/daten/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="meine-daten-')
    data = json.loads(response.content)
    assert data["account"]["username"] == citizen.username
    assert data["account"]["email"] == citizen.email
    assert data["account"]["email_verified"] is True
    assert [item["text"] for item in data["feedback"]] == ["Mein Text zum Reallabor"]
    assert data["feedback"][0]["target"] == {"kind": "lab", "id": lab.pk, "title": lab.title}
    assert data["feedback"][0]["flagged"] is True
    assert [(r["feedback_id"], r["reason"]) for r in data["reports"]] == [(others_feedback.pk, "Unpassend")]
    raw = response.content.decode()
    for foreign in ("nachbarin", "Text der Nachbarin", "Gegenmeldung der Nachbarin"):
        assert foreign not in raw
    assert citizen.password not in raw
    assert "pbkdf2" not in raw
    assert "password" not in raw


@pytest.mark.django_db
def test_the_export_needs_a_login(client):
    response = client.get("/konto/daten/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


@pytest.mark.django_db
def test_the_export_has_the_workshop_participation_under_every_name_and_nothing_of_others(citizen_client, citizen):
    workshop, erika, _ben, _chief, _host = workshop_with_participation(citizen)
    poll = workshop.polls.get()

    data = json.loads(citizen_client.get("/konto/daten/").content)

    (entry,) = data["workshops"]
    assert entry["workshop"] == {"id": workshop.pk, "title": "Zukunft der Mobilität", "process": workshop.process.title}
    assert entry["display_name"] == LATER_NAME
    assert entry["role"] == "expert"
    assert [card["text"] for card in entry["cards"]] == OWN_CARDS
    assert [(c["card"], c["text"]) for c in entry["comments"]] == [
        (workshop.cards.get(text=OTHERS_CARD).pk, OWN_COMMENT)
    ]
    assert [like["card_text"] for like in entry["likes"]] == [OTHERS_CARD]
    (vote,) = entry["poll_votes"]
    assert vote["question"] == "Was zuerst?"
    assert vote["options"][str(vote["choice"])] == "Rad"
    assert vote["choice"] == poll.options.first().pk
    # Nothing another participant wrote or chose, and no other name.
    raw = json.dumps(data, ensure_ascii=False)
    for foreign in ("Ben", "Moderatorin"):
        assert foreign not in raw
    assert len(raw.split("Busse im Zehn-Minuten-Takt")) == 2  # only as the card she liked


@pytest.mark.django_db
def test_the_export_names_the_consultations_voted_in_and_never_the_ballot(citizen_client, citizen):
    consultation, _facilitator, ids = make_consultation(method="approval", eligibility="account")
    other, _f, _ids = make_consultation(method="approval", eligibility="account")
    cast = voting.cast_ballot(consultation, voting.Voter(consultation.pk, user_id=citizen.pk), {"approve": [ids[2]]})
    voting.cast_ballot(other, voting.Voter(other.pk, user_id=factories.make_user().pk), {"approve": [_ids[0]]})

    response = citizen_client.get("/konto/daten/")

    data = json.loads(response.content)
    assert data["consultations"] == [
        {"id": consultation.pk, "title": consultation.title, "process": consultation.process.title}
    ]
    raw = response.content.decode()
    ballot = Ballot.objects.get(consultation=consultation)
    for secret in (ballot.receipt, str(ballot.pk), ballot.ballot_key, "approve", "Maßnahme C"):
        assert secret not in raw
    assert "ballot" not in raw.lower() and "receipt" not in raw.lower()
    assert cast is not None


@pytest.mark.django_db
def test_the_export_lists_an_opinion_map_taken_part_in_but_no_answer_or_statement(citizen_client, citizen, process):
    from voting import opinion_actions
    from voting.models import Statement

    facilitator = factories.make_facilitator(process)
    consultation = voting.create_consultation(
        facilitator,
        process,
        {"title": "Innenstadt", "method": "opinion", "eligibility": "account", "statements": ["Mehr Grün"]},
    )
    consultation = voting.open_consultation(facilitator, consultation)
    me = voting.Voter(consultation.pk, user_id=citizen.pk)
    statement = Statement.objects.get(consultation=consultation)
    opinion_actions.answer_statement(consultation, me, statement.pk, -1)
    opinion_actions.propose_statement(consultation, me, "Ein Brunnen am Markt")

    data = json.loads(citizen_client.get("/konto/daten/").content)

    assert [entry["title"] for entry in data["consultations"]] == ["Innenstadt"]
    raw = json.dumps(data, ensure_ascii=False)
    # Answers and proposals carry only the ballot key, like ballots: nothing ties them to the account.
    assert "Ein Brunnen am Markt" not in raw and "Mehr Grün" not in raw
