"""Cells that a spreadsheet would run as formulas are exported as text."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from participation.models import Measure

from .published import published_consultation

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.org","klick")'


def test_a_measure_title_like_a_formula_stays_text(client):
    consultation, _, (a, *_), _, _ = published_consultation(client, ballots=None)
    Measure.objects.filter(pk=a).update(title=FORMULA)
    from results.actions import publish

    publish(consultation.process.facilitators.first(), consultation)
    url = f"/api/consultations/{consultation.pk}/export"

    archive = zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content))
    rows = list(csv.reader(io.StringIO(archive.read("ranking_schulze.csv").decode("utf-8-sig"))))
    assert rows[1][2] == "'" + FORMULA

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
