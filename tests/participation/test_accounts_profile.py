import pytest

from participation import actions
from tests import factories


@pytest.mark.django_db
def test_the_profile_needs_a_login(client):
    response = client.get("/konto/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/?next=/konto/")


@pytest.mark.django_db
def test_the_profile_shows_the_account_and_links_to_export_and_delete(citizen_client, citizen):
    html = citizen_client.get("/konto/").content.decode()

    assert citizen.username in html
    assert citizen.email in html
    assert "bestätigt" in html
    assert "noch nicht bestätigt" not in html
    assert "Bürgerin/Bürger" in html
    assert 'href="/konto/daten/"' in html
    assert 'href="/konto/loeschen/"' in html
    assert 'action="/konto/abmelden/"' in html


@pytest.mark.django_db
def test_the_profile_lists_own_feedback_with_its_status_and_nothing_of_others(citizen_client, citizen, process):
    facilitator = factories.make_facilitator(process)
    measure = factories.make_measure(process)
    mine = actions.post_feedback(citizen, measure, "Bitte mehr Ladesäulen am Bahnhof.")
    actions.post_feedback(citizen, measure, "Das hier wird ausgeblendet.")
    hidden = measure.feedback.get(text="Das hier wird ausgeblendet.")
    actions.moderate_feedback(facilitator, hidden, hide=True, reason="Doppelt")
    actions.post_feedback(factories.make_user(), measure, "Fremde Meinung")

    html = citizen_client.get("/konto/").content.decode()

    assert mine.text in html
    assert "Von der Moderation ausgeblendet" in html
    assert "Doppelt" in html
    assert "Fremde Meinung" not in html
    assert measure.get_absolute_url() in html
