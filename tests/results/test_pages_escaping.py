"""Measure titles are shown escaped everywhere on the results pages, chart included."""

import pytest

from participation.models import Measure

from .published import published_consultation

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script> & <b>'


def test_measure_titles_are_escaped(client):
    consultation, facilitator, ids, _, _ = published_consultation(client, ballots=None)
    # The title is changed before publishing again: a new snapshot carries it.
    Measure.objects.filter(pk=ids[0]).update(title=EVIL)
    from results.actions import publish

    publish(facilitator, consultation)
    html = client.get(f"/ergebnisse/{consultation.pk}/", {"receipt": "x"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "&lt;script&gt;" in svg
    client.force_login(facilitator)
    dashboard = client.get(f"/ergebnisse/prozesse/{consultation.process.slug}/moderation/").content.decode()
    assert "<script>alert" not in dashboard
