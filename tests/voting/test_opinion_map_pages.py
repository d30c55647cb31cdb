"""The opinion map's pages without JavaScript: answering one statement after the other,
proposing one, the map with its table, and the facilitators' review on the management page."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests import factories
from voting import actions
from voting.models import Statement, StatementVote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def opinion_map(eligibility="open", statements=("Mehr Grün", "Weniger Autos", "Mehr Bänke")):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    consultation = actions.create_consultation(
        facilitator,
        process,
        {"title": "Innenstadt", "method": "opinion", "eligibility": eligibility, "statements": list(statements)},
    )
    return actions.open_consultation(facilitator, consultation), facilitator


def shown_statement(html):
    return re.search(r'id="statement-text">([^<]*)<', html).group(1)


def test_a_participant_answers_without_javascript_and_gets_the_next_statement(client):
    consultation, _ = opinion_map()
    page = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "Meinungslandkarte" in page and shown_statement(page) == "Mehr Grün"
    assert "0 von 3 Aussagen beantwortet" in page
    first = Statement.objects.get(text="Mehr Grün")
    response = client.post(f"/befragungen/{consultation.pk}/antwort/", {"statement": first.pk, "value": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gespeichert. Hier ist die nächste Aussage." in html
    assert shown_statement(html) == "Weniger Autos" and "1 von 3 Aussagen beantwortet" in html
    # The cookie keeps the participant: the page remembers where they are.
    assert shown_statement(client.get(f"/befragungen/{consultation.pk}/").content.decode()) == "Weniger Autos"
    for pk in Statement.objects.exclude(pk=first.pk).values_list("pk", flat=True):
        html = client.post(f"/befragungen/{consultation.pk}/antwort/", {"statement": pk, "value": "-1"}).content
    assert "Sie haben alle Aussagen beantwortet" in html.decode()
    assert StatementVote.objects.count() == 3


@pytest.mark.parametrize("value", ["2", "", "eins", "--1", "1" * 40])
def test_a_bad_answer_from_the_form_is_said_and_nothing_stored(client, value):
    consultation, _ = opinion_map()
    first = Statement.objects.get(text="Mehr Grün")
    response = client.post(f"/befragungen/{consultation.pk}/antwort/", {"statement": first.pk, "value": value})
    assert response.status_code == 400
    assert "Muss 1 (stimme zu), -1 (stimme nicht zu) oder 0 (weiß nicht) sein." in response.content.decode()
    assert not StatementVote.objects.exists()


def test_a_proposal_waits_for_review_and_the_facilitator_shows_it(client):
    consultation, facilitator = opinion_map()
    response = client.post(f"/befragungen/{consultation.pk}/aussage/", {"text": "Ein Brunnen am Markt"})
    assert "Danke! Ihre Aussage ist eingegangen." in response.content.decode()
    assert "Ein Brunnen am Markt" not in Client().get(f"/befragungen/{consultation.pk}/").content.decode()
    manager = Client()
    manager.force_login(facilitator)
    manage = manager.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert "Ein Brunnen am Markt" in manage and "3 sichtbare Aussagen" in manage
    pending = Statement.objects.get(text="Ein Brunnen am Markt")
    shown = manager.post(f"/befragungen/{consultation.pk}/verwaltung/aussagen/{pending.pk}/zeigen/", follow=True)
    assert "Die Aussage ist sichtbar." in shown.content.decode()
    added = manager.post(
        f"/befragungen/{consultation.pk}/verwaltung/aussagen/",
        {"text": "Mehr Schatten", "text_en": "More shade"},
        follow=True,
    )
    assert "4 sichtbare Aussagen" not in added.content.decode() and "5 sichtbare Aussagen" in added.content.decode()
    english = Client().get(f"/en/befragungen/{consultation.pk}/")
    assert english.status_code == 200
    # Nobody else reviews: a participant's post is no facilitator's.
    assert (
        client.post(f"/befragungen/{consultation.pk}/verwaltung/aussagen/{pending.pk}/ausblenden/").status_code == 404
    )


def test_the_map_and_its_table_are_on_the_page_and_as_a_fragment(client):
    consultation, _ = opinion_map(statements=[f"Aussage {n}" for n in range(8)])
    statements = list(Statement.objects.values_list("pk", flat=True))
    people = [Client() for _ in range(6)]
    for n, person in enumerate(people):
        for index, pk in enumerate(statements):
            value = 1 if (index < 4) == (n < 3) else -1
            person.post(f"/befragungen/{consultation.pk}/antwort/", {"statement": pk, "value": str(value)})
    cache.clear()
    page = people[0].get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "6 Personen, 2 Meinungsgruppen." in page and "Sie gehören zu Gruppe" in page
    assert "Was die Gruppen auszeichnet" in page and "Gruppe A (3 Personen)" in page
    assert 'role="img"' in page and ">Sie</text>" in page
    fragment = Client().get(f"/befragungen/{consultation.pk}/karte/")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.startswith('<div class="opinion-map"') and "<html" not in html and ">Sie</text>" not in html


def test_an_opinion_map_page_of_another_kind_is_not_found(client):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [factories.make_measure(process).pk for _ in range(2)]
    other = actions.create_consultation(
        facilitator, process, {"title": "T", "method": "approval", "eligibility": "open", "options": measures}
    )
    actions.open_consultation(facilitator, other)
    assert client.get(f"/befragungen/{other.pk}/karte/").status_code == 404
    assert client.post(f"/befragungen/{other.pk}/antwort/", {"statement": 1, "value": 1}).status_code == 404
