"""A citizen finds their ballot on the result page by its receipt."""

import pytest

from .published import published_consultation

pytestmark = pytest.mark.django_db


def test_receipt_found_shows_the_ballot(client):
    consultation, _, ids, voters, _ = published_consultation(client)
    receipt = voters[2][1]  # ranked B, A, D, C
    html = client.get(
        f"/ergebnisse/{consultation.pk}/", {"receipt": receipt.lower().replace("-", " ")}
    ).content.decode()
    assert "Ihr Stimmzettel ist enthalten." in html
    found = html[html.index('class="receipt-result"') :]
    assert receipt in found
    assert found.index("1. Maßnahme B") < found.index("2. Maßnahme A") < found.index("4. Maßnahme C")


@pytest.mark.parametrize("receipt", ["AAAA-CCCC-3333", "kein-code"])
def test_unknown_receipt_not_found(client, receipt):
    consultation, *_ = published_consultation(client)
    response = client.get(f"/ergebnisse/{consultation.pk}/", {"receipt": receipt})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Diese Quittung wurde nicht gefunden." in html
    assert "Ihr Stimmzettel ist enthalten." not in html
