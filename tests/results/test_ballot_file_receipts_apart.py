"""With receipt lookup "counted" nothing published ties a receipt to a content: the
ballot file, the CSV and XLSX exports and the open-data bundle list the contents
(sorted by their canonical JSON text) apart from the receipts (sorted). The recount
checks that form as strictly as the linked one; the linked form stays as it was."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from results.ballotfile import canonical_json
from results.recount import recount_bundle

from .published import auth, published_consultation
from .test_recount_bundle import canonical, files_of, tampered

pytestmark = pytest.mark.django_db

BUDGET = {"use_costs": True, "budget": 5000}


def budget_ballots():
    return [
        lambda i: {"points": {str(i[1]): 1, str(i[2]): 1}},
        lambda i: {"points": {str(i[0]): 1, str(i[3]): 1}},
        lambda i: {"points": {str(i[2]): 1}},
        lambda i: {"points": {str(i[0]): 1}},
    ]


@pytest.fixture
def budget(client):
    """A published budget (receipt lookup "counted" by default): (consultation, facilitator, ids, receipts)."""
    consultation, facilitator, ids, voters, _ = published_consultation(
        client, method="points", ballots=budget_ballots(), settings=BUDGET
    )
    assert consultation.receipt_lookup == "counted"
    return consultation, facilitator, ids, [receipt for _, receipt in voters]


def test_the_file_lists_contents_and_receipts_apart_each_sorted(client, budget):
    consultation, _, ids, receipts = budget
    body = client.get(f"/api/consultations/{consultation.pk}/ballots").json()
    assert set(body) == {"schema", "consultation", "method", "contents", "receipts"}
    assert body["schema"] == "heilbronn-participation/ballots-unlinked/1"
    assert body["receipts"] == sorted(receipts)
    cast = [b(ids) for b in budget_ballots()]
    assert body["contents"] == sorted(cast, key=canonical_json)
    # No receipt beside a content: every content is a bare ballot, every receipt a bare string.
    assert all(set(content) == {"points"} for content in body["contents"])
    assert all(isinstance(receipt, str) for receipt in body["receipts"])


def test_the_exports_list_no_receipt_beside_a_content(client, budget):
    consultation, facilitator, ids, receipts = budget
    url = f"/api/consultations/{consultation.pk}/export"
    for headers in ({}, auth(facilitator)):
        for source in ("published", "live"):
            if source == "live" and not headers:
                continue
            raw = client.get(url, {"format": "csv", "source": source}, **headers).content
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                tables = {
                    name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
                    for name in archive.namelist()
                }
            ballots = tables["ballots.csv"]
            # Measures are named for people, their ids kept: "Maßnahme A (#12)".
            assert ballots[0] == [f"Maßnahme {chr(65 + i)} (#{pk})" for i, pk in enumerate(ids)]
            assert len(ballots) == 1 + len(receipts)
            assert tables["receipts.csv"] == [["Quittung"], *([r] for r in sorted(receipts))]
            for name, rows in tables.items():
                if name != "receipts.csv":
                    assert not any(receipt in cell for row in rows for cell in row for receipt in receipts), name

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = list(book["Stimmzettel"].iter_rows(values_only=True))
    assert list(sheet[0]) == [f"Maßnahme {chr(65 + i)} (#{pk})" for i, pk in enumerate(ids)]
    assert len(sheet) == 1 + len(receipts)
    assert [row[0] for row in book["Quittungen"].iter_rows(values_only=True)] == ["Quittung", *sorted(receipts)]
    for name in book.sheetnames:
        if name != "Quittungen":
            cells = [str(c) for row in book[name].iter_rows(values_only=True) for c in row if c is not None]
            assert not any(receipt in cell for cell in cells for receipt in receipts), name
    assert not any(receipt.encode() in client.get(url, {"format": "json"}).content for receipt in receipts)


def test_the_open_data_bundle_recounts_and_explains_the_form(client, budget):
    consultation, _, _, receipts = budget
    raw = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    report = recount_bundle(raw)
    assert report.status == "match", report.text()
    assert report.ballots == len(receipts)
    files = files_of(raw)
    assert json.loads(files["ballots.json"])["receipts"] == sorted(receipts)
    readme = files["README.txt"].decode()
    assert "keine Quittung ist einem Inhalt zugeordnet" in readme and "no receipt is tied to a content" in readme


def test_a_ranking_with_receipts_apart_recounts_too(client):
    consultation, *_ = published_consultation(client, method="ranking", receipt_lookup="counted")
    raw = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    assert "contents" in json.loads(files_of(raw)["ballots.json"])
    report = recount_bundle(raw)
    assert report.status == "match", report.text()
    assert report.ballots == 5


def _ballots_changed(raw, change):
    return tampered(raw, "ballots.json", change, fix_manifest=True)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda f: f["receipts"].append(f["receipts"][0]), "duplicate_receipt"),
        (lambda f: f["receipts"].pop(), "receipt_count_mismatch"),
        (lambda f: f["contents"].append(f["contents"][0]), "receipt_count_mismatch"),
        (lambda f: f["receipts"].reverse(), "not_sorted"),
        (lambda f: f["contents"].reverse(), "not_sorted"),
        (lambda f: f["receipts"].__setitem__(0, 7), "invalid_receipt"),
        (lambda f: f.__setitem__("ballots", [{"receipt": f["receipts"][0], "content": f["contents"][0]}]), None),
    ],
    ids=["duplicate", "receipt-missing", "ballot-added", "receipts-unsorted", "contents-unsorted", "not-text", "link"],
)
def test_the_recount_names_every_flaw_of_the_unlinked_form(client, budget, change, code):
    consultation, *_ = budget
    raw = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    report = recount_bundle(_ballots_changed(raw, change))
    assert report.status == "mismatch", report.text()
    if code is None:  # a file that links receipts to contents again is not the published form
        assert "unexpected_field" in report.codes()
    else:
        assert code in report.codes(), report.text()


def test_the_recount_still_checks_receipts_of_the_linked_form(client):
    ballots = [lambda i: {"approve": [i[0]]}, lambda i: {"approve": [i[1], i[2]]}]
    consultation, *_ = published_consultation(client, method="approval", ballots=ballots)
    raw = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    assert recount_bundle(raw).status == "match"

    def duplicate(f):
        f["ballots"].append(dict(f["ballots"][0]))

    report = recount_bundle(_ballots_changed(raw, duplicate))
    assert "duplicate_receipt" in report.codes()


def test_the_linked_form_is_byte_for_byte_as_before(client):
    """receipt lookup "content": the file is exactly the documented linked form, so the
    hashes of files published before the unlinked form existed are still reproduced."""
    ballots = [lambda i: {"approve": [i[0], i[2]]}, lambda i: {"approve": [i[1]]}, lambda i: {"approve": [i[3]]}]
    consultation, _, ids, voters, snapshot = published_consultation(client, method="approval", ballots=ballots)
    assert consultation.receipt_lookup == "content"
    contents = {receipt: b(ids) for (_, receipt), b in zip(voters, ballots, strict=True)}
    expected = canonical(
        {
            "schema": "heilbronn-participation/ballots/1",
            "consultation": consultation.pk,
            "method": "approval",
            "ballots": [{"receipt": r, "content": contents[r]} for r in sorted(contents)],
        }
    )
    assert snapshot.ballots.encode("utf-8") == expected
    assert snapshot.ballots_sha256 == hashlib.sha256(expected).hexdigest()
    readme = files_of(client.get(f"/api/consultations/{consultation.pk}/open-data").content)["README.txt"].decode()
    assert "nach Quittungscode sortiert" in readme


def pdf_words(client, consultation):
    from pypdf import PdfReader

    raw = client.get(f"/api/consultations/{consultation.pk}/export", {"format": "pdf"}).content
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages).split())


def test_the_pdf_report_promises_only_counted_for_an_unlinked_file(client, budget):
    consultation, *_ = budget
    words = pdf_words(client, consultation)
    assert "eigene Stimmzettel gezählt wurde" in words
    assert "Stimmzettel in der Datei finden" not in words


def test_the_pdf_report_promises_the_ballot_for_a_linked_file(client):
    linked, *_ = published_consultation(client, method="approval", ballots=[lambda i: {"approve": [i[0]]}])
    words = pdf_words(client, linked)
    assert "Stimmzettel in der Datei finden" in words
    assert "eigene Stimmzettel gezählt wurde" not in words
