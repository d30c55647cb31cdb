"""Dates, numbers and euros as the reader writes them: 12.03.2026 and 1.234,5 in German,
12 March 2026 and 1,234.5 in English; ISO dates for machines in datetime attributes."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from tests import factories


@pytest.fixture
def project(db):
    process = factories.make_process(slug="digital", starts_on=datetime.date(2026, 3, 12))
    return factories.make_project(
        process=process,
        slug="portal",
        starts_on=datetime.date(2026, 3, 12),
        ends_on=datetime.date(2027, 1, 5),
    )


def test_dates_on_german_and_english_pages(client, project):
    german = client.get("/prozesse/digital/projekte/portal/").content.decode()
    english = client.get("/en/prozesse/digital/projekte/portal/").content.decode()
    assert '<time datetime="2026-03-12">12.03.2026</time>' in german
    assert '<time datetime="2027-01-05">05.01.2027</time>' in german
    assert '<time datetime="2026-03-12">12 March 2026</time>' in english
    assert '<time datetime="2027-01-05">5 January 2027</time>' in english


def test_date_and_time_of_feedback_in_both_languages(citizen_client, citizen, project):
    from participation.models import Feedback

    feedback = Feedback.objects.create(author=citizen, project=project, text="Gute Idee")
    moment = datetime.datetime(2026, 3, 12, 14, 5, tzinfo=datetime.UTC)  # 15:05 in Heilbronn
    Feedback.objects.filter(pk=feedback.pk).update(created=moment)
    german = citizen_client.get("/prozesse/digital/projekte/portal/").content.decode()
    english = citizen_client.get("/en/prozesse/digital/projekte/portal/").content.decode()
    assert "12.03.2026, 15:05 Uhr" in german
    assert "12 March 2026, 3:05 p.m." in english


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "1.234,5 · 1.000.000 · 3,14 · 7 · 1.250.000,50\N{NO-BREAK SPACE}€"),
        ("en", "1,234.5 · 1,000,000 · 3.14 · 7 · €1,250,000.50"),
    ],
)
def test_numbers_and_money_in_templates(language, expected):
    template = Template(
        "{% load pages %}{{ a|number }} · {{ b|number }} · {{ c|number }} · {{ d|number }} · {{ e|money }}"
    )
    context = Context({"a": 1234.5, "b": 1_000_000, "c": 3.14159, "d": 7, "e": Decimal("1250000.50")})
    with translation.override(language):
        assert template.render(context) == expected
