"""Every export opens with its reader and holds the numbers of the result."""

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from participation.models import Measure
from workshops.models import Poll, PollOption, Workshop
from workshops.tally import tally

from .published import published_consultation

pytestmark = pytest.mark.django_db


def expert_poll(process, measures, kind="dots", choices=()):
    """A closed workshop poll that rated these measures."""
    workshop = Workshop.objects.create(process=process, title="Expertenworkshop Mobilität")
    poll = Poll.objects.create(workshop=workshop, question="Was zuerst?", kind=kind, state="closed")
    options = [
        PollOption.objects.create(poll=poll, position=i, label=f"Option {i}", measure=measure)
        for i, measure in enumerate(measures)
    ]
    poll.final_results = tally(kind, [(o.pk, o.label) for o in options], [c(options) for c in choices])
    poll.save()
    return poll


@pytest.fixture
def published(client):
    consultation, facilitator, ids, voters, snapshot = published_consultation(client)
    measures = list(Measure.objects.filter(pk__in=ids).order_by("pk"))
    # Experts put D first, A second: the opposite of the citizens at the top.
    expert_poll(
        consultation.process,
        measures,
        choices=[lambda o: {o[3].pk: 3, o[0].pk: 2}, lambda o: {o[3].pk: 2, o[0].pk: 1, o[1].pk: 1}],
    )
    return consultation, ids, snapshot


def export(client, consultation, fmt):
    response = client.get(f"/api/consultations/{consultation.pk}/export", {"format": fmt})
    assert response.status_code == 200, response.content[:300]
    return response


def test_csv_is_a_zip_of_one_file_per_table(client, published):
    consultation, (a, b, c, d), snapshot = published
    response = export(client, consultation, "csv")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        tables = {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))) for name in archive.namelist()
        }
    assert {"summary.csv", "ranking_schulze.csv", "ranking_borda.csv", "turnout.csv", "ballots.csv"} <= set(tables)
    schulze = tables["ranking_schulze.csv"]
    assert schulze[1][:3] == ["1", str(a), "Maßnahme A"]
    assert len(schulze[0]) == 8  # place, id, title, value, score interval, rank interval
    borda = {row[1]: float(row[3]) for row in tables["ranking_borda.csv"][1:]}
    assert borda == snapshot.result["count"]["borda"]["scores"]
    assert len(tables["ballots.csv"]) == 1 + 5
    assert tables["turnout.csv"][-1][2] == "5"
    assert ["Platz 1", "Maßnahme A"] in tables["summary.csv"]
    assert ["SHA-256 des Ergebnisses", snapshot.sha256] in tables["summary.csv"]


def test_xlsx_opens_with_the_summary_first_then_methods_polls_and_ballots(client, published):
    consultation, (a, b, c, d), snapshot = published
    book = load_workbook(io.BytesIO(export(client, consultation, "xlsx").content))
    names = book.sheetnames
    assert names[0] == "Übersicht"
    assert names[1].startswith("Schulze")
    assert any(name.startswith("Borda") for name in names)
    assert any(name.startswith("Workshop-Umfrage") for name in names)
    assert names[-1] == "Stimmzettel"
    schulze = list(book[names[1]].iter_rows(values_only=True))
    assert schulze[1][:3] == (1, a, "Maßnahme A")
    poll = list(book[next(n for n in names if n.startswith("Workshop-Umfrage"))].iter_rows(values_only=True))
    assert (d, "Maßnahme D", 5) in [row[2:] for row in poll[1:]]
    ballots = list(book["Stimmzettel"].iter_rows(values_only=True))
    assert ballots[0] == ("Quittung", *(f"Maßnahme {x} (#{pk})" for x, pk in zip("ABCD", (a, b, c, d), strict=True)))
    assert len(ballots) == 6


def test_json_is_the_published_result_byte_for_byte(client, published):
    consultation, _, snapshot = published
    response = export(client, consultation, "json")
    assert response.content == snapshot.canonical.encode("utf-8")
    assert json.loads(response.content)["count"]["schulze"]["winners"] == snapshot.result["count"]["schulze"]["winners"]


def test_the_pdf_report_names_the_winner_its_method_and_the_experts(client, published):
    consultation, (a, b, c, d), snapshot = published
    response = export(client, consultation, "pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ergebnisbericht" in text and consultation.title in text
    assert snapshot.sha256 in text.replace("\n", "")
    assert "Schulze-Methode" in text
    ranking = text[text.index("2. Ergebnis") :]
    assert ranking.index("Maßnahme A") < ranking.index("Maßnahme B")
    assert "Kendalls Tau" in text
    assert "Teilnehmende: 5" in text
    assert len(reader.pages) >= 3
