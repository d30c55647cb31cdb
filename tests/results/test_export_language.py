"""Exports and the PDF report speak the language of the request: ?lang, the browser's
Accept-Language, or the remembered choice; German otherwise."""

import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import ParticipantRole

from .published import published_consultation

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
GERMAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}


@pytest.fixture
def consultation(client):
    consultation, _facilitator, _ids, _voters, _snapshot = published_consultation(client, title_en="Which first?")
    return consultation


def get_export(client, consultation, fmt, **extra):
    query = {"format": fmt, **{k: v for k, v in extra.items() if not k.startswith("HTTP_")}}
    headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
    response = client.get(f"/api/consultations/{consultation.pk}/export", query, **headers)
    assert response.status_code == 200, response.content[:300]
    return response


def csv_headers(response):
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {
            name: next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))) for name in archive.namelist()
        }


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_csv_headers_follow_lang_and_the_browser(client, consultation):
    assert csv_headers(get_export(client, consultation, "csv"))["summary.csv"] == ["Angabe", "Wert"]
    assert csv_headers(get_export(client, consultation, "csv", lang="en"))["summary.csv"] == ["Item", "Value"]
    assert csv_headers(get_export(client, consultation, "csv", **ENGLISH_BROWSER))["summary.csv"] == ["Item", "Value"]
    # ?lang wins over the browser: the page's download link names the page's language.
    german = csv_headers(get_export(client, consultation, "csv", lang="de", **ENGLISH_BROWSER))
    assert german["summary.csv"] == ["Angabe", "Wert"]


def test_xlsx_sheet_names_and_headers_are_translated(client, consultation):
    german = load_workbook(io.BytesIO(get_export(client, consultation, "xlsx", **GERMAN_BROWSER).content))
    english = load_workbook(io.BytesIO(get_export(client, consultation, "xlsx", lang="en").content))
    assert german.sheetnames[0] == "Übersicht"
    assert german.worksheets[0]["B2"].value == "Welche Maßnahmen zuerst?"
    assert english.worksheets[0]["B2"].value == "Which first?"
    assert english.sheetnames[0] == "Overview"
    assert [c.value for c in english.worksheets[0][1]] == ["Item", "Value"]
    assert not any(ch in "".join(english.sheetnames) for ch in "äöüÄÖÜß")


def test_the_pdf_report_is_english_with_english_numbers_and_dates(client, consultation):
    english = pdf_text(get_export(client, consultation, "pdf", lang="en"))
    assert "Results report" in english and "Ergebnisbericht" not in english
    assert "Which first?" in english and "Welche Maßnahmen zuerst?" not in english
    assert "Participants: 5" in english
    assert "Schulze method" in english
    # Without the content (German titles of the test data) no German is left.
    interface = " ".join(english.split())
    for content in ("Welche Maßnahmen zuerst?", consultation.process.title, "Maßnahme A", "Maßnahme B", "Maßnahme C"):
        interface = interface.replace(content, "")
    interface = interface.replace("Maßnahme D", "")
    assert re.findall(r"\S*[äöüÄÖÜß]\S*", interface) == []
    german = pdf_text(get_export(client, consultation, "pdf", **GERMAN_BROWSER))
    assert "Ergebnisbericht" in german and "Results report" not in german


def test_the_remembered_choice_picks_the_language_of_a_download(client, consultation):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert csv_headers(get_export(client, consultation, "csv", **GERMAN_BROWSER))["summary.csv"] == ["Item", "Value"]


def test_workshop_spreadsheets_are_translated_but_json_keeps_its_keys(client, process, facilitator):
    workshop = create_workshop(facilitator, process, "Export")
    anna = join_workshop(workshop, None, "Anna", ParticipantRole.EXPERT)
    apply_command(anna.pk, {"type": "card.add", "id": "1", "text": "Mehr Radwege"})
    client.force_login(facilitator)
    url = f"/api/workshops/{workshop.code}/export"

    english = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx", "lang": "en"}).content))
    assert {"Cards", "Participants", "Polls", "Votes"} <= set(english.sheetnames)
    assert [c.value for c in english["Cards"][1]][:2] == ["ID", "Text"]
    roles = [row[2].value for row in english["Participants"].iter_rows(min_row=2)]
    assert "Expert" in roles

    german = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}, **GERMAN_BROWSER).content))
    assert {"Karten", "Teilnehmende", "Abstimmungen", "Stimmen"} <= set(german.sheetnames)
    assert "Expertin/Experte" in [row[2].value for row in german["Teilnehmende"].iter_rows(min_row=2)]

    with zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}, **ENGLISH_BROWSER).content)) as archive:
        header = next(csv.reader(io.StringIO(archive.read("cards.csv").decode("utf-8-sig"))))
    assert header[:3] == ["ID", "Text", "Cluster (ID)"]

    data = client.get(url, {"format": "json", "lang": "en"}).json()
    assert data["cards"][0]["text"] == "Mehr Radwege"
    assert data["participants"][-1]["role"] == "expert"
