"""Titles and texts written by facilitators and citizens are shown as text, never as markup."""

import pytest

from participation.models import Measure
from tests.voting.helpers import make_consultation
from voting import actions

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["approval", "score", "ranking", "points", "pairwise"])
def test_titles_descriptions_and_measures_are_escaped(client, method):
    consultation, facilitator, ids = make_consultation(
        method, "open", title=f"Befragung {EVIL}", description=f"Erklärung {EVIL}"
    )
    Measure.objects.filter(pk=ids[0]).update(title=f"Maßnahme {EVIL}", summary=f"Kurz {EVIL}")
    Measure.objects.filter(pk=ids[1]).update(title=f"Maßnahme2 {EVIL}", summary=f"Kurz2 {EVIL}")
    pages = [client.get(f"/befragungen/{consultation.pk}/"), client.get("/befragungen/")]
    client.force_login(facilitator)
    pages.append(client.get(f"/befragungen/{consultation.pk}/verwaltung/"))
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[0].content.decode()


@pytest.mark.django_db
def test_page_data_for_the_scripts_cannot_close_its_script_tag(client):
    consultation, facilitator, ids = make_consultation("ranking", "open")
    Measure.objects.filter(pk=ids[0]).update(title="</script><script>alert(1)</script>")
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


@pytest.mark.django_db
def test_proposals_are_escaped_on_the_management_page(client):
    consultation, facilitator, ids = make_consultation("pairwise", "open")
    voter = actions.Voter(consultation.pk, browser_hash="c" * 64)
    actions.propose_measure(consultation, voter, f"Vorschlag {EVIL}", f"Text {EVIL}")
    client.force_login(facilitator)
    html = client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert "<script>alert" not in html
    assert "Vorschlag &lt;script&gt;" in html
