import pytest

from participation import actions
from participation.models import AuditLogEntry, Feedback, FeedbackReport, User
from tests import factories


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
