"""The public process results page: experts beside citizens, with Kendall's tau."""

import pytest

from participation.models import Measure

from .published import published_consultation
from .test_export_formats import expert_poll

pytestmark = pytest.mark.django_db


def test_process_page_shows_places_and_tau(client):
    consultation, _, ids, _, _ = published_consultation(client)
    measures = list(Measure.objects.filter(pk__in=ids).order_by("pk"))
    # Experts: D, C, B, A - the citizens' order reversed.
    expert_poll(
        consultation.process,
        measures,
        choices=[lambda o: {o[3].pk: 4, o[2].pk: 3, o[1].pk: 2, o[0].pk: 1}],
    )
    body = client.get(f"/api/processes/{consultation.process_id}/results").json()
    tau = body["consultations"][0]["comparison"]["tau"]
    html = client.get(f"/ergebnisse/prozesse/{consultation.process.slug}/").content.decode()
    assert "Kendalls Tau insgesamt" in html
    shown = html[html.index("Kendalls Tau insgesamt") :]
    assert shown[: shown.index("</p>")].endswith(f"{tau:.2f}".replace(".", ",") + "</span>")
    assert tau < 0
    section = html[html.index(f'id="consultation-{consultation.pk}"') :]
    assert '<th scope="row">Maßnahme A</th><td>–</td><td>4</td><td>1</td>' in section
    assert "Hier liegen sie am weitesten auseinander" in section


def test_process_page_without_experts_says_so(client):
    consultation, *_ = published_consultation(client)
    html = client.get(f"/ergebnisse/prozesse/{consultation.process.slug}/").content.decode()
    assert "Zu wenige Maßnahmen wurden von beiden Seiten bewertet" in html
