"""The city's website can show a measure's status and a consultation's call to vote in a
frame: those two views carry frame-ancestors of this site and EMBED_ORIGINS and no
X-Frame-Options; every other page still refuses to be framed; facilitators find the HTML to
paste; unpublished things have no embed."""

import pytest
from django.test import Client

from participation import actions
from tests import factories
from tests.voting.helpers import make_consultation

pytestmark = pytest.mark.django_db


def frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors"))


def test_a_measures_status_can_be_framed_by_the_configured_sites_only(settings, process, facilitator):
    settings.EMBED_ORIGINS = ["https://www.heilbronn.de"]
    measure = factories.make_measure(process)
    actions.change_status(facilitator, measure, "planned", "Beschlossen im Juni.")

    response = Client().get(f"/einbetten/prozesse/{process.slug}/massnahmen/{measure.slug}/")

    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors 'self' https://www.heilbronn.de"
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert measure.title in html and "geplant" in html and "Beschlossen im Juni." in html
    assert f'href="http://testserver{measure.get_absolute_url()}" target="_top"' in html
    # Every other page keeps refusing frames.
    page = Client().get(measure.get_absolute_url())
    assert frame_ancestors(page) == "frame-ancestors 'none'" and page["X-Frame-Options"] == "DENY"


def test_a_consultations_call_to_vote_and_where_facilitators_find_the_code(settings, client):
    settings.EMBED_ORIGINS = []
    consultation, facilitator, _ids = make_consultation()

    response = Client().get(f"/befragungen/{consultation.pk}/einbetten/")

    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors 'self'"
    html = response.content.decode()
    assert "Jetzt abstimmen" in html and f'href="http://testserver{consultation.get_absolute_url()}"' in html
    english = Client().get(f"/en/befragungen/{consultation.pk}/einbetten/").content.decode()
    assert "Vote now" in english

    client.force_login(facilitator)
    manage = client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert f'&lt;iframe src="http://testserver/befragungen/{consultation.pk}/einbetten/"' in manage


def test_drafts_and_unpublished_measures_have_no_embed(process, facilitator):
    draft, _facilitator, _ids = make_consultation(open_now=False)
    hidden = factories.make_measure(process, published=False)

    assert Client().get(f"/befragungen/{draft.pk}/einbetten/").status_code == 404
    assert Client().get(f"/einbetten/prozesse/{process.slug}/massnahmen/{hidden.slug}/").status_code == 404


def test_embed_origins_must_be_plain_origins(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import env_origins

    monkeypatch.setenv("EMBED_ORIGINS", "https://www.heilbronn.de, http://localhost:8080")
    assert env_origins("EMBED_ORIGINS") == ["https://www.heilbronn.de", "http://localhost:8080"]
    for bad in ("https://a.example/path", "javascript:alert(1)", "https://a.example; script-src *", "*"):
        monkeypatch.setenv("EMBED_ORIGINS", bad)
        with pytest.raises(ImproperlyConfigured):
            env_origins("EMBED_ORIGINS")
