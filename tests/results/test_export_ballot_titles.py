"""The ballot columns of the CSV and XLSX exports name each measure by its title, its
id kept beside it ("Offenes WLAN (#12)"), in the language of the export; the
open-data ballot file for recounting keeps its ids."""

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from participation.models import Measure
from results.actions import publish
from tests.voting.helpers import make_consultation
from voting.actions import close_consultation

from .published import closed_consultation

pytestmark = pytest.mark.django_db


def test_ballot_columns_are_headed_by_measure_titles_with_their_ids(client):
    consultation, facilitator, ids, _ = closed_consultation(client)
    Measure.objects.filter(pk=ids[0]).update(title_en="Measure A in English")
    publish(facilitator, consultation)
    url = f"/api/consultations/{consultation.pk}/export"
    german = [f"Maßnahme {letter} (#{pk})" for letter, pk in zip("ABCD", ids, strict=True)]

    with zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content)) as archive:
        header = next(csv.reader(io.StringIO(archive.read("ballots.csv").decode("utf-8-sig"))))
    assert header == ["Quittung", *german]

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content), read_only=True)
    assert next(book["Stimmzettel"].iter_rows(values_only=True)) == ("Quittung", *german)

    english = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx", "lang": "en"}).content), read_only=True)
    assert next(english["Ballots"].iter_rows(values_only=True))[:2] == ("Receipt", f"Measure A in English (#{ids[0]})")

    # The file for recounting is machine-readable and unchanged: ids only.
    with zipfile.ZipFile(io.BytesIO(client.get(f"/api/consultations/{consultation.pk}/open-data").content)) as bundle:
        ballots = json.loads(bundle.read("ballots.json"))
    assert {pk for row in ballots["ballots"] for group in row["content"]["ranking"] for pk in group} <= set(ids)


def test_pairwise_comparisons_name_both_measures(client):
    consultation, facilitator, ids = make_consultation(method="pairwise", eligibility="open")
    base = f"/api/consultations/{consultation.pk}"
    answer = {"left": ids[0], "right": ids[1], "choice": "right"}
    assert client.post(f"{base}/pairs", answer, "application/json").status_code < 300
    publish(facilitator, close_consultation(facilitator, consultation))
    with zipfile.ZipFile(io.BytesIO(client.get(f"{base}/export", {"format": "csv"}).content)) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("ballots.csv").decode("utf-8-sig"))))
    assert rows == [["bevorzugt", "gegenüber"], [f"Maßnahme B (#{ids[1]})", f"Maßnahme A (#{ids[0]})"]]
