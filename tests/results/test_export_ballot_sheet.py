"""The raw ballots in the CSV and XLSX exports: one row per ballot, the place of each
measure (tied measures share it, unranked ones stay empty), whichever way the
ballot file was read."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from participation.models import Measure

from .published import published_consultation

pytestmark = pytest.mark.django_db


def rankings():
    return [
        lambda ids: {"ranking": [[ids[0]], [ids[1]], [ids[2]], [ids[3]]]},
        lambda ids: {"ranking": [[ids[1], ids[0]], [ids[3]]]},
        lambda ids: {"ranking": [[ids[2]]]},
    ]


def expected_rows(voters):
    receipts = [receipt for _user, receipt in voters]
    return {
        receipts[0]: [1, 2, 3, 4],
        receipts[1]: [1, 1, None, 2],
        receipts[2]: [None, None, 1, None],
    }


def headers(ids):
    """The measure columns: titled for people, the id kept beside the title."""
    return [f"Maßnahme {chr(65 + i)} (#{pk})" for i, pk in enumerate(ids)]


def test_csv_and_xlsx_list_each_ballot_with_its_places(client):
    consultation, _, ids, voters, _ = published_consultation(client, ballots=rankings())
    url = f"/api/consultations/{consultation.pk}/export"

    archive = zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content))
    rows = list(csv.reader(io.StringIO(archive.read("ballots.csv").decode("utf-8-sig"))))
    assert rows[0] == ["Quittung", *headers(ids)]
    from_csv = {row[0]: [int(cell) if cell else None for cell in row[1:]] for row in rows[1:]}
    assert from_csv == expected_rows(voters)

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = list(book["Stimmzettel"].iter_rows(values_only=True))
    assert sheet[0] == ("Quittung", *headers(ids))
    assert {row[0]: list(row[1:]) for row in sheet[1:]} == expected_rows(voters)
    assert book["Stimmzettel"].freeze_panes == "A2"


def test_text_that_xml_cannot_hold_still_gives_a_workbook_that_opens(client):
    consultation, facilitator, (a, *_), _, _ = published_consultation(client, ballots=rankings())
    Measure.objects.filter(pk=a).update(title='Straßen & <Wege>\x01 "neu"')
    from results.actions import publish

    publish(facilitator, consultation)
    content = client.get(f"/api/consultations/{consultation.pk}/export", {"format": "xlsx"}).content
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 'Straßen & <Wege> "neu"' in cells


def test_score_ballots_keep_a_zero_apart_from_no_grade(client):
    ballots = [lambda ids: {"scores": {str(ids[0]): 0, str(ids[2]): 5}}]
    consultation, _, ids, voters, _ = published_consultation(client, method="score", ballots=ballots)
    url = f"/api/consultations/{consultation.pk}/export"
    (receipt,) = [receipt for _user, receipt in voters]

    archive = zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content))
    rows = list(csv.reader(io.StringIO(archive.read("ballots.csv").decode("utf-8-sig"))))
    assert rows[1] == [receipt, "0", "", "5", ""]

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert list(book["Stimmzettel"].iter_rows(values_only=True))[1] == (receipt, 0, None, 5, None)
