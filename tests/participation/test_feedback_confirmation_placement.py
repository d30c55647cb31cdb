"""The "Danke!" after posting (or reporting) feedback is where the page lands: in the new
piece of feedback the browser is sent to, as a status that takes the focus, and not at the
top of the page above it. Other messages stay at the top."""

import re

import pytest
from django.test import Client

from participation.models import Feedback
from tests import factories

THANKS = "Danke! Ihre Rückmeldung ist veröffentlicht."


@pytest.fixture
def measure(process):
    return factories.make_measure(process)


def landed(client, response):
    """The page the redirect leads to, and the id of the element the browser scrolls to."""
    path, _, anchor = response["Location"].partition("#")
    return client.get(path).content.decode(), anchor


def element(html, element_id):
    """The <li> with this id, up to its end."""
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</li>", start)]


@pytest.mark.django_db
def test_the_thanks_after_posting_is_in_the_new_feedback_the_page_lands_on(citizen_client, measure):
    Feedback.objects.create(author=factories.make_user(), measure=measure, text="Schon da.")
    response = citizen_client.post(f"/rueckmeldungen/measure/{measure.pk}/", {"text": "Bitte auch in Böckingen."})
    feedback = Feedback.objects.get(text="Bitte auch in Böckingen.")

    html, anchor = landed(citizen_client, response)
    assert anchor == f"rueckmeldung-{feedback.pk}"
    target = element(html, anchor)
    assert THANKS in target and "Bitte auch in Böckingen." in target
    # The confirmation comes first in the element the page scrolls to, announced and focusable.
    note = re.search(r'<p class="feedback-note[^"]*"([^>]*)>([^<]*)</p>', target)
    assert note and note.group(2) == THANKS
    assert 'role="status"' in note.group(1) and 'tabindex="-1"' in note.group(1)
    assert target.index(THANKS) < target.index("Bitte auch in Böckingen.")
    # Not (also) at the top of the page, where nobody would see it.
    assert html.count(THANKS) == 1 and 'class="messages"' not in html
    # Said once: the next visit shows the feedback without it.
    assert THANKS not in citizen_client.get(measure.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_thanks_for_a_report_is_in_the_reported_feedback(citizen_client, measure):
    author = Client()
    author.force_login(factories.make_user())
    author.post(f"/rueckmeldungen/measure/{measure.pk}/", {"text": "Unsinn."})
    feedback = Feedback.objects.get()

    response = citizen_client.post(f"/rueckmeldungen/{feedback.pk}/melden/", {"reason": "Beleidigend"})
    html, anchor = landed(citizen_client, response)
    assert anchor == f"rueckmeldung-{feedback.pk}"
    assert "Danke, die Rückmeldung ist gemeldet." in element(html, anchor)
    assert 'class="messages"' not in html


@pytest.mark.django_db
def test_other_messages_stay_at_the_top_of_the_page(client):
    user = factories.make_user(verified=False)
    client.force_login(user)
    response = client.post("/konto/bestaetigung-anfordern/")
    html = client.get(response["Location"]).content.decode()
    top = html[html.index('class="messages"') : html.index("<h1")]
    assert "Wir haben Ihnen einen neuen Bestätigungslink geschickt." in top
