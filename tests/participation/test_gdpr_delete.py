import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.test import override_settings

from config.retention import purge_personal_data
from participation import actions
from participation.models import AuditLogEntry, Feedback, FeedbackReport, User
from tests import factories
from workshops import selectors
from workshops.models import CardLike, Comment, PollVote

from .gdpr_helpers import FIRST_NAME, LATER_NAME, OTHERS_CARD, OWN_CARDS, OWN_COMMENT, workshop_with_participation


@pytest.fixture
def measure(process):
    return factories.make_measure(process)


@pytest.mark.django_db
def test_the_delete_page_asks_for_the_password_and_says_what_goes(citizen_client):
    html = citizen_client.get("/konto/loeschen/").content.decode()

    assert 'type="password"' in html
    assert "alle Ihre Rückmeldungen" in html
    assert "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_a_wrong_password_deletes_nothing(citizen_client, citizen, measure):
    actions.post_feedback(citizen, measure, "Bleibt")

    response = citizen_client.post("/konto/loeschen/", {"password": "falsch"})

    assert response.status_code == 400
    assert "Das Passwort ist nicht richtig." in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()
    assert Feedback.objects.filter(author=citizen).exists()
    assert citizen_client.get("/konto/").status_code == 200


@pytest.mark.django_db
def test_the_right_password_deletes_account_feedback_and_reports_and_logs_out(
    citizen_client, citizen, measure, facilitator
):
    own = actions.post_feedback(citizen, measure, "Meine persönliche Meinung")
    actions.moderate_feedback(facilitator, own, hide=True)
    # An entry as older code wrote it, naming the author and quoting the text.
    AuditLogEntry.objects.create(
        actor_name="admin", action="feedback.hide", target_type="feedback", target_id=str(own.pk), target_repr=str(own)
    )
    others = actions.post_feedback(factories.make_user(), measure, "Bleibt stehen")
    actions.report_feedback(citizen, others)
    username = citizen.username

    response = citizen_client.post("/konto/loeschen/", {"password": factories.PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/konto/geloescht/"
    assert not User.objects.filter(username=username).exists()
    assert not Feedback.objects.filter(pk=own.pk).exists()
    assert not FeedbackReport.objects.exists()
    assert Feedback.objects.filter(pk=others.pk).exists()
    assert "_auth_user_id" not in citizen_client.session
    assert citizen_client.get("/konto/").status_code == 302
    assert "Konto gelöscht" in citizen_client.get("/konto/geloescht/").content.decode()
    # The moderation log keeps what the facilitator did, but nothing personal of the citizen.
    for entry in AuditLogEntry.objects.all():
        assert username not in f"{entry.actor_name} {entry.target_repr} {entry.details}"
        assert "Meine persönliche Meinung" not in entry.target_repr


@pytest.mark.django_db
def test_deleting_needs_a_login(client):
    response = client.post("/konto/loeschen/", {"password": factories.PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def _counts(workshop):
    poll = workshop.polls.get()
    return {
        "cards": workshop.cards.count(),
        "comments": Comment.objects.filter(card__workshop=workshop).count(),
        "likes": CardLike.objects.filter(card__workshop=workshop).count(),
        "votes": PollVote.objects.filter(poll=poll).count(),
        "tally": selectors.poll_tally(poll),
        "participants": workshop.participants.count(),
    }


def _exports(client, workshop, lang="de"):
    """The workshop's exports as text: the JSON, and every file inside the CSV and XLSX archives."""
    texts = {}
    for fmt in ("json", "csv", "xlsx"):
        response = client.get(f"/api/workshops/{workshop.code}/export?format={fmt}&lang={lang}")
        assert response.status_code == 200
        if fmt == "json":
            texts[fmt] = response.content.decode()
        else:
            archive = zipfile.ZipFile(io.BytesIO(response.content))
            texts[fmt] = "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    return texts


@pytest.mark.django_db
def test_deleting_the_account_takes_its_names_out_of_workshops_and_keeps_the_board(citizen_client, citizen, client):
    workshop, erika, ben, _chief, host = workshop_with_participation(citizen)
    before = _counts(workshop)
    events_before = json.dumps(selectors.events_since(workshop.pk, 0), ensure_ascii=False)
    assert FIRST_NAME in events_before and LATER_NAME in events_before

    response = citizen_client.post("/konto/loeschen/", {"password": factories.PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    workshop.refresh_from_db()
    snapshot = json.dumps(selectors.snapshot(workshop, ben), ensure_ascii=False)
    events = selectors.events_since(workshop.pk, 0)
    client.force_login(host)
    exports = _exports(client, workshop)
    for where, text in {"snapshot": snapshot, "events": json.dumps(events, ensure_ascii=False), **exports}.items():
        for name in (FIRST_NAME, LATER_NAME, "Erika"):
            assert name not in text, f"{name!r} is still in the {where}"
        for content in (*OWN_CARDS, OWN_COMMENT, OTHERS_CARD):
            assert content in text or where == "csv" and content.replace(",", "") in text, (content, where)
    assert _counts(workshop) == before
    erika.refresh_from_db()
    assert erika.user_id is None and erika.display_name == "Gelöschtes Konto"
    # Her cards and comment say so wherever a name was shown; the others keep theirs.
    state = json.loads(snapshot)
    assert {c["text"]: c["author_name"] for c in state["cards"]} == {
        OWN_CARDS[0]: "Gelöschtes Konto",
        OWN_CARDS[1]: "Gelöschtes Konto",
        OTHERS_CARD: "Ben",
    }
    assert [c["author_name"] for c in state["comments"]] == ["Gelöschtes Konto"]
    named = [(e["name"], e["data"]["author_name"]) for e in events if "author_name" in e["data"]]
    assert named == [
        ("card.added", "Gelöschtes Konto"),
        ("card.added", "Gelöschtes Konto"),
        ("card.added", "Ben"),
        ("card.updated", "Gelöschtes Konto"),
        ("comment.added", "Gelöschtes Konto"),
    ]
    # The spreadsheets say it in the language asked for.
    english = _exports(client, workshop, lang="en")
    assert "Deleted account" in english["xlsx"] and "Deleted account" in english["csv"]
    assert "Gelöschtes Konto" in english["json"]


@pytest.mark.django_db
def test_the_delete_page_and_the_privacy_notice_say_what_stays_and_why(citizen_client):
    page = citizen_client.get("/konto/loeschen/").content.decode()
    privacy = citizen_client.get("/ueber/").content.decode()

    assert "Ohne Ihren Namen bleibt" in page and "„Gelöschtes Konto“" in page
    assert "bleibt ohne Ihren Namen stehen: Andere haben darauf aufgebaut" in privacy
    assert "Von Befragungen bleibt im Verzeichnis nur, dass abgestimmt wurde" in privacy


@pytest.mark.django_db
@override_settings(PERSONAL_DATA_RETENTION_DAYS=30)
def test_the_retention_purge_takes_the_names_out_of_the_stored_events_too(citizen, client):
    workshop, erika, ben, _chief, host = workshop_with_participation(citizen)
    workshop.process.ends_on = date.today() - timedelta(days=31)
    workshop.process.save()
    before = _counts(workshop)

    purge_personal_data()

    ben.refresh_from_db()
    events = json.dumps(selectors.events_since(workshop.pk, 0), ensure_ascii=False)
    snapshot = json.dumps(selectors.snapshot(workshop, ben), ensure_ascii=False)
    for name in (FIRST_NAME, LATER_NAME, '"Ben"'):
        assert name not in events and name not in snapshot
    assert f"Teilnehmende {erika.pk}" in events and f"Teilnehmende {ben.pk}" in events
    assert _counts(workshop) == before
    client.force_login(host)
    assert f"Participant {erika.pk}" in _exports(client, workshop, lang="en")["xlsx"]
