"""Who sees which consultation page: drafts and management pages only for the
facilitators of the process; everyone else gets 404, as if they were not there."""

import pytest

from tests import factories
from tests.voting.helpers import make_consultation


@pytest.fixture
def draft(db):
    consultation, facilitator, ids = make_consultation("approval", "open", open_now=False)
    return consultation, facilitator


@pytest.mark.django_db
def test_a_draft_is_404_for_the_public_and_for_citizens(client, draft):
    consultation, _ = draft
    assert client.get(f"/befragungen/{consultation.pk}/").status_code == 404
    client.force_login(factories.make_user())
    assert client.get(f"/befragungen/{consultation.pk}/").status_code == 404
    assert consultation.title not in client.get("/befragungen/").content.decode()


@pytest.mark.django_db
def test_a_draft_is_404_for_facilitators_of_other_processes(client, draft):
    consultation, _ = draft
    client.force_login(factories.make_facilitator(factories.make_process()))
    assert client.get(f"/befragungen/{consultation.pk}/").status_code == 404
    assert client.get(f"/befragungen/{consultation.pk}/verwaltung/").status_code == 404


@pytest.mark.django_db
def test_the_processs_facilitator_previews_a_draft_without_voting(client, draft):
    consultation, facilitator = draft
    client.force_login(facilitator)
    response = client.get(f"/befragungen/{consultation.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "nur für die Moderation sichtbar" in html
    assert "Vorschau für die Moderation" in html
    assert '<button type="submit" id="ballot-submit" disabled>' in html
    assert "Ihre Entwürfe" in client.get("/befragungen/").content.decode()


@pytest.mark.django_db
def test_management_page_is_404_for_citizens_and_other_facilitators(client):
    consultation, facilitator, ids = make_consultation("approval", "open")
    url = f"/befragungen/{consultation.pk}/verwaltung/"
    client.force_login(factories.make_user())
    assert client.get(url).status_code == 404
    client.force_login(factories.make_facilitator(factories.make_process()))
    assert client.get(url).status_code == 404
    for action in ("schliessen/", "oeffnen/", "zugangscodes/"):
        assert client.post(url + action, {"confirm": "yes", "count": 3}).status_code == 404
    client.force_login(facilitator)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_management_page_sends_anonymous_visitors_to_sign_in(client):
    consultation, facilitator, ids = make_consultation("approval", "open")
    response = client.get(f"/befragungen/{consultation.pk}/verwaltung/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


@pytest.mark.django_db
def test_create_page_is_only_for_facilitators(client, process):
    client.force_login(factories.make_user())
    assert client.get("/befragungen/neu/").status_code == 404
    client.force_login(factories.make_facilitator(process))
    assert client.get("/befragungen/neu/").status_code == 200


@pytest.mark.django_db
def test_list_groups_consultations_by_phase_and_marks_open_polls(client):
    running, *_ = make_consultation("approval", "open", title="Laufende offene Umfrage")
    account, facilitator, _ = make_consultation("ranking", "account", title="Befragung mit Konto")
    html = client.get("/befragungen/").content.decode()
    running_at = html.index("Laufende Befragungen")
    assert html.index("Laufende offene Umfrage") > running_at
    assert html.index("Befragung mit Konto") > running_at
    card = html[html.index("Laufende offene Umfrage") :].split("</li>")[0]
    assert "unverbindliches Stimmungsbild" in card
    card = html[html.index("Befragung mit Konto") :].split("</li>")[0]
    assert "unverbindliches Stimmungsbild" not in card


@pytest.mark.django_db
def test_open_consultation_is_labelled_a_non_binding_poll_and_others_not(client):
    poll, *_ = make_consultation("approval", "open")
    vote, *_ = make_consultation("approval", "access_code")
    assert "Unverbindliches Stimmungsbild" in client.get(f"/befragungen/{poll.pk}/").content.decode()
    assert "Unverbindliches Stimmungsbild" not in client.get(f"/befragungen/{vote.pk}/").content.decode()


def test_the_language_switch_does_not_carry_an_access_code(client, db):
    from .helpers import make_consultation

    consultation, _, _ = make_consultation(eligibility="access_code")
    html = client.get(f"/befragungen/{consultation.pk}/?code=ABCD-EFGH-JKLM-NPQR").content.decode()
    assert f'href="/en/befragungen/{consultation.pk}/"' in html
    assert "ABCD-EFGH" not in html.split("<main", 1)[0]
