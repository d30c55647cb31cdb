"""Tied measures share a place, and the next place skips the tied ones (1, 2, 2, 4, 4),
the same on the consultation page, the results page, the CSV and the XLSX export as
in the published result ("a place is 1 + the number of measures strictly ahead",
docs/results-schema.md). The consultation page lists the deciding count first."""

import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from .published import published_consultation

pytestmark = pytest.mark.django_db

TIED = [1, 2, 2, 4, 4]


def approvals():
    # A 3 approvals, B and C 2 each, D and E 1 each.
    return [
        lambda ids: {"approve": ids},
        lambda ids: {"approve": ids[:3]},
        lambda ids: {"approve": ids[:1]},
    ]


def places_in(html):
    """The place column of the first results table in this HTML."""
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    return [int(place) for place in re.findall(r"<tr>\s*<td>(\d+)</td>\s*<th scope=\"row\">", table)]


def test_every_page_and_export_numbers_ties_the_same_way(client):
    consultation, _, _ids, _, snapshot = published_consultation(
        client, method="approval", n_options=5, ballots=approvals()
    )
    ranks = snapshot.result["uncertainty"]["counts"]["approval"]["options"]
    assert sorted(entry["rank"] for entry in ranks.values()) == TIED

    page = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert places_in(page[page.index('id="results-title"') :]) == TIED

    page = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    assert places_in(page[page.index('id="table-approval"') :]) == TIED

    url = f"/api/consultations/{consultation.pk}/export"
    with zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content)) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("ranking_approval.csv").decode("utf-8-sig"))))
    assert [int(row[0]) for row in rows[1:]] == TIED

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert [row[0] for row in list(book.worksheets[1].iter_rows(values_only=True))[1:]] == TIED


def test_the_consultation_page_shows_the_deciding_count_first(client):
    consultation, *_ = published_consultation(client)
    page = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    captions = re.findall(r"<caption[^>]*>([^<–]+)", page[page.index('id="results-title"') :])
    assert len(captions) == 4
    assert captions[0].startswith("Schulze-Methode")
