"""Times in the exports for people are in the city's local time (settings.TIME_ZONE,
Europe/Berlin), as the pages show them, with the zone named; the result JSON and the
open data keep UTC."""

import csv
import io
import zipfile

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import ParticipantRole

from .published import published_consultation

pytestmark = pytest.mark.django_db


def berlin(moment):
    local = timezone.localtime(moment)
    zone = {"CET": "MEZ", "CEST": "MESZ"}[local.tzname()]
    return f"{date_format(local, 'SHORT_DATETIME_FORMAT')} {zone}"


def test_result_exports_show_local_times_with_their_zone(client):
    consultation, _, _, _, snapshot = published_consultation(client)
    consultation.refresh_from_db()
    url = f"/api/consultations/{consultation.pk}/export"
    with zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content)) as archive:
        summary = dict(csv.reader(io.StringIO(archive.read("summary.csv").decode("utf-8-sig"))))
        turnout = list(csv.reader(io.StringIO(archive.read("turnout.csv").decode("utf-8-sig"))))
    assert summary["Veröffentlicht am"] == berlin(snapshot.published_at)
    assert summary["Beginn"] == berlin(consultation.opens_at)
    assert summary["Zeitzone der Zeitangaben"] == "Europe/Berlin"
    hour = timezone.datetime.fromisoformat(snapshot.result["turnout"]["over_time"][0]["hour"])
    assert turnout[1][0] == berlin(hour)

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx", "lang": "en"}).content), read_only=True)
    rows = {row[0]: row[1] for row in book["Overview"].iter_rows(values_only=True)}
    published = rows["Published on"]
    assert published.endswith((" CET", " CEST")) and "+00:00" not in published
    # The result JSON itself stays in UTC.
    assert snapshot.result["consultation"]["opens_at"].endswith("+00:00")

    pdf = PdfReader(io.BytesIO(client.get(url, {"format": "pdf"}).content))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert f"Veröffentlicht am {berlin(snapshot.published_at)}" in text


def test_workshop_spreadsheets_show_local_times_and_json_keeps_utc(client, process, facilitator):
    workshop = create_workshop(facilitator, process, "Export")
    anna = join_workshop(workshop, None, "Anna", ParticipantRole.EXPERT)
    apply_command(anna.pk, {"type": "card.add", "id": "1", "text": "Mehr Radwege"})
    client.force_login(facilitator)
    url = f"/api/workshops/{workshop.code}/export"

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content), read_only=True)
    header, *rows = book["Karten"].iter_rows(values_only=True)
    created = rows[0][header.index("Erstellt")]
    assert created == berlin(workshop.cards.get().created)
    header, *rows = book["Teilnehmende"].iter_rows(values_only=True)
    assert rows[-1][header.index("Beigetreten")] == berlin(anna.created)

    data = client.get(url, {"format": "json"}).json()
    assert data["cards"][0]["created"] == workshop.cards.get().created.isoformat()
