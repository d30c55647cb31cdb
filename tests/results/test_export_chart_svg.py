"""The ranking chart: a clean, accessible SVG with the numbers as text too."""

import xml.etree.ElementTree as ET

import pytest

from participation.models import Measure
from results.charts import chart_data, ranking_svg

from .published import published_consultation

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def test_the_chart_is_labelled_described_and_escaped(client):
    consultation, facilitator, (a, *_), _, snapshot = published_consultation(client)
    Measure.objects.filter(pk=a).update(title='<script>alert("x")</script> & Co')
    from results.actions import publish

    snapshot, _ = publish(facilitator, consultation)
    svg = ranking_svg(chart_data(snapshot.result), chart_id="schulze")
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG; parsing proves every text is escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "schulze-title schulze-desc"
    assert root.find(f"{SVG}title").get("id") == "schulze-title"
    assert "95" in root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").get("id") == "schulze-desc"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert '1. <script>alert("x")</script> & Co' in texts
    assert "<script>" not in svg


def test_one_row_per_measure_best_first_with_its_interval(client):
    consultation, _, (a, b, c, d), _, snapshot = published_consultation(client)
    data = chart_data(snapshot.result)
    assert [row["label"] for row in data["rows"]][0] == "Maßnahme A"
    assert [row["place"] for row in data["rows"]] == [1, 2, 3, 4]
    for row in data["rows"]:
        assert row["low"] <= row["value"] <= row["high"]
    root = ET.fromstring(ranking_svg(data))  # noqa: S314 - our own SVG
    assert len(root.findall(f"{SVG}g")) == 4
    assert len(list(root.iter(f"{SVG}circle"))) == 4
