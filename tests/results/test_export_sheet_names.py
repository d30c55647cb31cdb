"""XLSX sheet names for people: each says what the sheet holds, in whole words, at
most 31 characters (what Excel allows), and no two alike."""

import io

import pytest
from openpyxl import load_workbook

from results.exports import sheet_names

from .published import published_consultation

pytestmark = pytest.mark.django_db


def test_the_sheets_of_a_ranking_are_named_in_whole_words(client):
    consultation, *_ = published_consultation(client)
    url = f"/api/consultations/{consultation.pk}/export"
    german = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content), read_only=True)
    assert german.sheetnames == [
        "Übersicht",
        "Schulze-Methode",
        "Borda-Punkte",
        "Copeland-Punkte",
        "Erste Plätze",
        "Beteiligung",
        "Stimmzettel",
    ]
    english = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx", "lang": "en"}).content), read_only=True)
    assert english.sheetnames == [
        "Overview",
        "Schulze method",
        "Borda points",
        "Copeland points",
        "First places",
        "Participation",
        "Ballots",
    ]


def test_long_titles_are_cut_between_words_and_kept_apart():
    titles = [
        "Schulze-Methode: Zahl der geschlagenen Maßnahmen",
        "Gewinnchance gegen eine zufällige andere Maßnahme (%)",
        "Gewinnchance gegen eine zufällige andere Maßnahme (Vergleich)",
        "Übersicht",
        "übersicht",
        "Donaudampfschifffahrtsgesellschaftskapitänsmütze",
        "[Entwurf] Punkte/Budget?",
    ]
    names = sheet_names(titles)
    assert names == [
        "Schulze-Methode Zahl der",
        "Gewinnchance gegen eine",
        "Gewinnchance gegen eine (2)",
        "Übersicht",
        "übersicht (2)",
        "Donaudampfschifffahrtsgesellsch",  # one word longer than a sheet name: cut where it must be
        "Entwurf Punkte Budget",
    ]
    assert all(len(name) <= 31 for name in names)
    assert len({name.lower() for name in names}) == len(names)
