"""Long measure names in the ranking chart: they wrap within the label column (at
most three lines, the last ending in "…" when even that is too short), start at the
chart's left edge instead of running past it, and each row's <title> keeps the whole
name. The PDF report draws the same shapes."""

import io
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from participation.models import Measure
from results.actions import publish
from results.charts import LABEL_WIDTH, chart_data, ranking_svg, text_width

from .published import closed_consultation

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Mängelmelder für Schlaglöcher, Müll und defekte Laternen"
VERY_LONG = " ".join(["Digitalisierungsstrategie für Verwaltung, Schulen und Stadtwerke"] * 3)  # 193 of 200


def rows_of(svg):
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG
    rows = []
    for group in root.iter(f"{SVG}g"):
        texts = group.findall(f"{SVG}text")
        rows.append({"title": group.find(f"{SVG}title").text, "labels": texts[:-1]})
    return rows


def test_long_names_wrap_inside_the_chart_and_keep_their_full_text(client):
    consultation, facilitator, (a, b, *_), _ = closed_consultation(client)
    Measure.objects.filter(pk=a).update(title=LONG)
    Measure.objects.filter(pk=b).update(title=VERY_LONG)
    snapshot, _ = publish(facilitator, consultation)
    rows = rows_of(ranking_svg(chart_data(snapshot.result)))

    for row in rows:
        for text in row["labels"]:
            assert text.get("text-anchor") == "start" and float(text.get("x")) >= 0
            assert text_width(text.text) <= LABEL_WIDTH

    by_title = {row["title"].split(": ")[0].split(". ", 1)[1]: row for row in rows}
    long = by_title[LONG]
    assert len(long["labels"]) == 2
    assert " ".join(t.text for t in long["labels"]).split(". ", 1)[1] == LONG

    very_long = by_title[VERY_LONG]
    assert len(very_long["labels"]) == 3
    assert very_long["labels"][-1].text.endswith("…")

    pdf = client.get(f"/api/consultations/{consultation.pk}/export", {"format": "pdf"})
    assert pdf.status_code == 200
    assert PdfReader(io.BytesIO(pdf.content)).pages
