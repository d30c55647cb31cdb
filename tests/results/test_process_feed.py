"""Each process has an Atom feed of what changed: status steps of its published measures
and projects, the city's answers to visible feedback, phases that have begun and published
results, newest first, in German and in English; nothing unpublished or hidden is in it."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from participation import actions
from participation.models import ProcessPhase
from results.actions import publish
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions as voting

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(url):
    response = Client().get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed; parsing proves it is well-formed
    return feed, [
        (e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"), e.findtext(f"{ATOM}summary") or "")
        for e in feed.findall(f"{ATOM}entry")
    ]


def test_the_feed_tells_status_steps_answers_phases_and_results_newest_first():
    consultation, facilitator, ids = make_consultation()
    process = consultation.process
    measure = process.measures.get(pk=ids[0])
    hidden_measure = factories.make_measure(process, published=False)
    ProcessPhase.objects.create(
        process=process, kind="consultation", starts_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    ProcessPhase.objects.create(
        process=process, kind="evaluation", starts_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    actions.change_status(facilitator, measure, "planned", "Im Haushalt.", "In the budget.")
    actions.change_status(facilitator, hidden_measure, "planned", "Geheim geplant.")
    feedback = actions.post_feedback(factories.make_user(), measure, "Gute Sache")
    actions.answer_feedback(facilitator, feedback, "Danke, kommt.", "adopted")
    hidden = actions.post_feedback(factories.make_user(), measure, "Unsachlich")
    actions.answer_feedback(facilitator, hidden, "Antwort auf Verborgenes", "considered")
    actions.moderate_feedback(facilitator, hidden, hide=True)
    voting.cast_ballot(
        consultation, voting.Voter(consultation.pk, user_id=factories.make_user().pk), {"ranking": [[ids[0]]]}
    )
    publish(facilitator, voting.close_consultation(facilitator, consultation))

    feed, items = entries(f"{process.get_absolute_url()}neuigkeiten.atom")

    assert feed.findtext(f"{ATOM}title") == f"{process.title}: Neuigkeiten"
    titles = [title for title, _link, _text in items]
    assert titles[0] == "Ergebnis veröffentlicht: Welche Maßnahmen zuerst?"
    assert f"{measure.title}: geplant" in titles
    assert f"Antwort der Stadt zu „{measure.title}“: übernommen" in titles
    assert "Neue Phase: Befragung" in titles and "Neue Phase: Auswertung" not in titles  # not begun
    text = ET.tostring(feed, encoding="unicode")
    assert "Geheim geplant" not in text and hidden_measure.title not in text
    assert "Antwort auf Verborgenes" not in text
    links = {title: link for title, link, _text in items}
    assert links[f"{measure.title}: geplant"].endswith(f"{measure.get_absolute_url()}#verlauf")
    assert links["Ergebnis veröffentlicht: Welche Maßnahmen zuerst?"].endswith(f"/ergebnisse/{consultation.pk}/")

    _feed, english = entries(f"/en{process.get_absolute_url()}neuigkeiten.atom")
    by_title = {title: summary for title, _link, summary in english}
    assert f"{measure.title}: planned" in by_title and by_title[f"{measure.title}: planned"] == "In the budget."
    assert "New phase: Survey" in by_title


def test_the_process_page_points_to_its_feed_and_an_unpublished_process_has_none(process):
    html = Client().get(process.get_absolute_url()).content.decode()
    assert f'type="application/atom+xml" href="{process.get_absolute_url()}neuigkeiten.atom"' in html

    draft = factories.make_process(published=False)
    assert Client().get(f"{draft.get_absolute_url()}neuigkeiten.atom").status_code == 404
