"""The city answers feedback publicly: a facilitator of the process writes the answer and
what becomes of the feedback (considered, in progress, adopted, not adopted) on the page of
the measure; everyone sees it under the feedback with the date and who answered; changing
it keeps one answer; every answer and change is in the audit log; bad input and other
people change nothing; the answer stays when the facilitator's account goes."""

import json

import pytest
from django.test import Client

from participation import actions
from participation.models import AuditLogEntry, FeedbackAnswer
from tests import factories


@pytest.fixture
def measure(process):
    return factories.make_measure(process)


@pytest.fixture
def feedback(measure):
    return actions.post_feedback(factories.make_user(username="lena"), measure, "Bitte auch an Schulen denken.")


def answer_url(feedback):
    return f"/rueckmeldungen/{feedback.pk}/antworten/"


def page(client, measure):
    return client.get(measure.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_facilitator_answers_and_everyone_sees_the_answer_its_state_and_who_wrote_it(
    facilitator_client, facilitator, feedback, measure
):
    facilitator.first_name, facilitator.last_name = "Jana", "Berger"
    facilitator.save()
    html = page(facilitator_client, measure)
    assert "Öffentlich antworten" in html and f'action="{answer_url(feedback)}"' in html

    text = "Wir nehmen die Schulen in die erste Ausbaustufe auf."
    response = facilitator_client.post(answer_url(feedback), {"text": text, "state": "adopted"})

    assert response.status_code == 302
    assert response["Location"] == f"{measure.get_absolute_url()}#rueckmeldung-{feedback.pk}"
    public = page(Client(), measure)
    assert "Antwort der Stadt" in public and text in public
    assert "übernommen" in public and "Jana Berger" in public
    assert "Bitte auch an Schulen denken." in public  # the citizen's words stay as they were
    assert "Öffentlich antworten" not in public  # the form is the facilitators' only
    assert "Die Antwort ist veröffentlicht." in page(facilitator_client, measure)
    (entry,) = AuditLogEntry.objects.filter(action="feedback.answer")
    assert (entry.actor, entry.target_id, entry.details) == (
        facilitator,
        str(feedback.pk),
        {"state": "adopted", "changed": ["state", "text"]},
    )
    assert entry.target_repr == f"Rückmeldung #{feedback.pk}"


@pytest.mark.django_db
def test_changing_the_answer_keeps_one_answer_and_logs_what_changed(facilitator_client, feedback, measure):
    facilitator_client.post(answer_url(feedback), {"text": "Wir prüfen das.", "state": "considered"})
    facilitator_client.post(answer_url(feedback), {"text": "Wir prüfen das.", "state": "in_progress"})
    facilitator_client.post(answer_url(feedback), {"text": "Wir prüfen das.", "state": "in_progress"})  # no change

    answer = FeedbackAnswer.objects.get()
    assert (answer.feedback_id, answer.state) == (feedback.pk, "in_progress")
    assert [e.details["changed"] for e in AuditLogEntry.objects.filter(action="feedback.answer").order_by("id")] == [
        ["state", "text"],
        ["state"],
    ]
    html = page(Client(), measure)
    assert "in Bearbeitung" in html and "geprüft" not in html
    assert "Antwort ändern" in page(facilitator_client, measure)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"text": "", "state": "adopted"}, "Bitte geben Sie einen Text ein."),
        ({"text": "   ", "state": "adopted"}, "Bitte geben Sie einen Text ein."),
        ({"text": "Gut", "state": "maybe"}, "Bitte wählen Sie, was aus der Rückmeldung wird."),
        ({"text": "Gut"}, "Bitte wählen Sie, was aus der Rückmeldung wird."),
        ({"text": "x" * 4001, "state": "adopted"}, "höchstens 4000 Zeichen"),
        ({"text": "mit \x00 darin", "state": "adopted"}, "Nullzeichen sind nicht erlaubt."),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(facilitator_client, feedback, data, said):
    response = facilitator_client.post(answer_url(feedback), data)

    assert response.status_code == 400
    alert = response.content.decode().split('role="alert">', 1)[1].split("</p>", 1)[0]
    assert said in alert, alert
    assert not FeedbackAnswer.objects.exists()
    assert not AuditLogEntry.objects.filter(action="feedback.answer").exists()


@pytest.mark.django_db
def test_citizens_and_other_facilitators_cannot_answer(client, citizen, feedback):
    for user in (citizen, factories.make_facilitator(factories.make_process()), feedback.author):
        client.force_login(user)
        assert client.post(answer_url(feedback), {"text": "Ja", "state": "adopted"}).status_code == 404
    client.logout()
    response = client.post(answer_url(feedback), {"text": "Ja", "state": "adopted"})
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    assert client.post("/rueckmeldungen/999999/antworten/", {"text": "Ja", "state": "adopted"}).status_code in (
        302,
        404,
    )
    assert not FeedbackAnswer.objects.exists()


@pytest.mark.django_db
def test_the_answer_is_in_both_peoples_data_and_stays_without_a_name_when_the_facilitator_goes(
    client, facilitator, feedback, measure
):
    actions.answer_feedback(facilitator, feedback, "Kommt in den Plan.", "adopted")

    client.force_login(feedback.author)
    mine = json.loads(client.get("/konto/daten/").content)
    assert mine["feedback"][0]["answer"]["text"] == "Kommt in den Plan."
    assert mine["feedback"][0]["answer"]["state"] == "adopted"
    assert facilitator.get_username() not in json.dumps(mine["feedback"])  # not who answered
    client.force_login(facilitator)
    theirs = json.loads(client.get("/konto/daten/").content)
    assert [(a["feedback_id"], a["text"]) for a in theirs["answers_written"]] == [(feedback.pk, "Kommt in den Plan.")]

    facilitator.set_password("geheim-geheim-1")
    facilitator.save()
    from participation.account_actions import delete_account

    name = facilitator.get_username()
    delete_account(facilitator, "geheim-geheim-1")
    html = page(Client(), measure)
    assert "Kommt in den Plan." in html and "Antwort der Stadt" in html
    assert name not in html


@pytest.mark.django_db
def test_the_answer_reads_in_english_on_the_english_page(facilitator, feedback, measure):
    actions.answer_feedback(facilitator, feedback, "Wird geprüft.", "not_adopted")

    html = Client().get(f"/en{measure.get_absolute_url()}").content.decode()

    assert "Answer from the city" in html and "not adopted" in html


@pytest.mark.django_db
def test_the_moderation_queue_lists_what_still_waits_for_an_answer(facilitator_client, facilitator, feedback, measure):
    later = actions.post_feedback(factories.make_user(), measure, "Und die Radwege?")

    html = facilitator_client.get("/rueckmeldungen/moderation/").content.decode()
    waiting = html.split('id="unbeantwortet"', 1)[1].split("</section>", 1)[0]
    assert "(2)" in waiting
    assert waiting.index("Bitte auch an Schulen denken.") < waiting.index("Und die Radwege?")  # oldest first
    assert f'href="{measure.get_absolute_url()}#rueckmeldung-{feedback.pk}"' in waiting

    actions.answer_feedback(facilitator, feedback, "Ja.", "adopted")
    waiting = facilitator_client.get("/rueckmeldungen/moderation/").content.decode().split('id="unbeantwortet"', 1)[1]
    waiting = waiting.split("</section>", 1)[0]
    assert "(1)" in waiting and "Bitte auch an Schulen denken." not in waiting and later.text in waiting
