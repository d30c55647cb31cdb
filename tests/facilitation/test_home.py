"""The facilitators' home /moderation/: reached from the menu and the account page, it lists
the processes someone manages with their workshops, consultations, reported feedback and
results, and nothing of processes they do not manage."""

import re

import pytest

from participation.models import Feedback
from tests import factories
from voting import actions as voting
from workshops.actions import create_workshop

pytestmark = pytest.mark.django_db


def menu(html):
    return re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)


@pytest.fixture
def world(process, facilitator):
    other = factories.make_process(title="Fremder Prozess")
    measures = [factories.make_measure(process) for _ in range(2)]
    workshop = create_workshop(facilitator, process, "Zukunftswerkstatt Mobilität")
    draft = create_workshop(facilitator, process, "Vorbereitung", draft=True)
    consultation = voting.create_consultation(
        facilitator,
        process,
        {"title": "Was zuerst?", "method": "approval", "eligibility": "open", "options": [m.pk for m in measures]},
    )
    foreign = create_workshop(factories.make_facilitator(other), other, "Geheime Werkstatt")
    citizen = factories.make_user()
    Feedback.objects.create(author=citizen, measure=measures[0], text="Gemeldet", flagged=True)
    Feedback.objects.create(author=citizen, process=process, text="Auch gemeldet", flagged=True)
    Feedback.objects.create(author=citizen, process=process, text="Harmlos")
    return {
        "other": other,
        "workshop": workshop,
        "draft": draft,
        "consultation": consultation,
        "foreign": foreign,
    }


def test_the_home_lists_what_a_facilitator_looks_after(client, facilitator, process, world):
    client.force_login(facilitator)
    response = client.get("/moderation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert process.title in html
    for workshop in (world["workshop"], world["draft"]):
        assert workshop.title in html and workshop.code in html
        assert f'href="/w/{workshop.code}/console/"' in html
        assert f'href="/w/{workshop.code}/projector/"' in html
        assert f'href="/w/{workshop.code}/verwaltung/bearbeiten/"' in html
    assert "Entwurf" in html
    assert "Was zuerst?" in html
    assert f'href="/befragungen/{world["consultation"].pk}/verwaltung/"' in html
    assert f'href="/befragungen/{world["consultation"].pk}/verwaltung/bearbeiten/"' in html
    assert "2 gemeldete Rückmeldungen warten auf die Moderation." in html
    assert 'href="/rueckmeldungen/moderation/"' in html
    assert f'href="/ergebnisse/prozesse/{process.slug}/moderation/"' in html
    assert f'href="/w/neu/?process={process.pk}"' in html
    assert f'href="/befragungen/neu/?process={process.pk}"' in html


def test_nothing_of_other_processes_shows(client, facilitator, world):
    client.force_login(facilitator)
    html = client.get("/moderation/").content.decode()
    assert "Fremder Prozess" not in html
    assert "Geheime Werkstatt" not in html and world["foreign"].code not in html


def test_a_superuser_sees_every_process(client, world):
    client.force_login(factories.make_user(username="chefin", is_staff=True, is_superuser=True))
    html = client.get("/moderation/").content.decode()
    assert "Fremder Prozess" in html and "Geheime Werkstatt" in html and "Zukunftswerkstatt Mobilität" in html


def test_a_facilitator_of_no_process_is_told_so(client):
    client.force_login(factories.make_facilitator())
    response = client.get("/moderation/")
    assert response.status_code == 200
    assert "Sie moderieren noch keinen Prozess" in response.content.decode()


def test_others_are_sent_to_sign_in_or_refused(client, world):
    response = client.get("/moderation/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")
    client.force_login(factories.make_user())
    assert client.get("/moderation/").status_code == 403


def test_the_menu_and_the_account_page_lead_facilitators_there(client, facilitator, world):
    client.force_login(facilitator)
    home = client.get("/").content.decode()
    assert 'href="/moderation/"' in menu(home)
    here = menu(client.get("/moderation/").content.decode())
    assert re.search(r'<a href="/moderation/" aria-current="page">Moderation</a>', here)
    assert 'href="/moderation/"' in client.get("/konto/").content.decode()
    english = client.get("/en/").content.decode()
    assert re.search(r'<a href="/en/moderation/"[^>]*>Facilitators</a>', menu(english))


def test_citizens_and_visitors_have_no_such_menu_entry(client, world):
    assert "/moderation/" not in menu(client.get("/").content.decode())
    client.force_login(factories.make_user())
    assert "/moderation/" not in menu(client.get("/").content.decode())
    assert 'href="/moderation/"' not in client.get("/konto/").content.decode()


def test_the_home_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries, facilitator, process, world):
    for n in range(5):
        create_workshop(facilitator, process, f"Workshop {n}")
    client.force_login(facilitator)
    with django_assert_max_num_queries(15):
        assert client.get("/moderation/").status_code == 200
