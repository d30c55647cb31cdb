"""The results pages in headless Chromium against a real Daphne server.

A published ranking consultation: its page shows the ranking with intervals, and
the chart and the table beside it say the same numbers as the published result; a
citizen finds their ballot by the receipt; every export button downloads a file
that opens with its reader. A closed, unpublished consultation: the facilitator
publishes it from the dashboard and the public page then shows that snapshot.

Uses the Daphne and Chromium fixtures of tests/e2e/conftest.py (its own database).
"""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.workshops.live_site import manage

from .conftest import FACILITATOR, FACILITATOR_PASSWORD

pytestmark = pytest.mark.browser

MEASURES = ["Digitales Bürgeramt", "Offenes WLAN", "Smarte Parkplätze", "Sensoren für Luftqualität"]

# Run once in the server's database: two ranking consultations with 40 ballots each
# (a clear first place, the rest close), one published, one only closed.
SETUP = """
import json
from participation.models import Measure, Process, User
from results.actions import publish
from voting import actions
process = Process.objects.get(slug="live-test")
user = User.objects.get(username="moderation")
ids = [
    Measure.objects.create(process=process, title=title, slug=f"e-{n}", summary="Worum es geht.").pk
    for n, title in enumerate(%(titles)r, start=1)
]
a, b, c, d = ids
shapes = [[[a], [b], [c], [d]], [[a], [c], [b]], [[b], [a], [d], [c]], [[a], [d, b]], [[c], [a], [b], [d]]]
out = {"measures": ids, "consultations": {}, "receipts": {}}
for name in ("published", "closed"):
    consultation = actions.create_consultation(user, process, {
        "title": f"Rangfolge {name}", "method": "ranking", "eligibility": "open", "options": ids,
        "description": "Was zuerst?",
    })
    actions.open_consultation(user, consultation)
    receipts = []
    for i in range(40):
        voter = actions.Voter(consultation.pk, browser_hash=f"{name[0]}{i:063d}")
        receipts.append(actions.cast_ballot(consultation, voter, {"ranking": shapes[i %% len(shapes)]}).receipt)
    actions.close_consultation(user, consultation)
    if name == "published":
        publish(user, consultation)
    out["consultations"][name] = consultation.pk
    out["receipts"][name] = receipts
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def results(live):
    out = manage(live.site.env, "shell", "-c", SETUP % {"titles": MEASURES}, timeout=120)
    data = json.loads(out.strip().splitlines()[-1])
    data["base"] = live.base
    return data


def open_result(context, results, name="published", query=""):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(f"{results['base']}/ergebnisse/{results['consultations'][name]}/{query}")
    page.script_errors = errors
    page.status = response.status
    return page


def api_result(context, results, name="published"):
    response = context.request.get(f"{results['base']}/api/consultations/{results['consultations'][name]}/results")
    assert response.status == 200
    return response.json()


def test_chart_and_table_show_the_same_ranking_with_intervals(results, new_context):
    context = new_context()
    page = open_result(context, results)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rangfolge published")
    chart = page.locator("#ranking-chart")
    expect(chart).to_be_visible()
    table = page.locator("#table-schulze")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(MEASURES))

    chart_titles = chart.locator("g > title").all_text_contents()
    table_rows = [[cell.strip() for cell in row.locator("td, th").all_text_contents()] for row in rows.all()]
    # Chart row: "place. measure: value [low–high]"; table row: place, measure, value, interval, places.
    assert chart_titles == [
        f"{place}. {title}: {value} [{interval}]" for place, title, value, interval, _ in table_rows
    ]
    assert all(interval != "–" and places != "–" for _, _, _, interval, places in table_rows)
    expect(chart.locator("circle")).to_have_count(len(MEASURES))

    # The numbers are those of the published result.
    body = api_result(context, results)
    assert body["live"] is False
    options = body["result"]["uncertainty"]["counts"]["schulze"]["options"]
    titles = dict(zip(results["measures"], MEASURES, strict=True))
    by_title = {row[1]: row for row in table_rows}
    for measure, entry in options.items():
        place, _, value, interval, _ = by_title[titles[int(measure)]]
        assert int(place) == entry["rank"]
        assert value == str(entry["score"])
        low, high = entry["score_interval"]
        assert interval == f"{low}–{high}"
    assert by_title["Digitales Bürgeramt"][0] == "1"
    expect(page.get_by_role("heading", name="Wie sicher ist die Rangfolge?")).to_be_visible()
    assert page.locator("code.hash").first.inner_text() == body["snapshot"]["sha256"]
    assert page.script_errors == []


def test_a_citizen_finds_their_ballot_by_the_receipt(results, new_context):
    page = open_result(new_context(), results)
    receipt = results["receipts"]["published"][1]  # the second shape: A, C, B
    # Typed the way people type: lower case, without the dashes.
    page.get_by_label("Ihre Quittung (z. B. ACDE-FGHJ-KMNP)").fill(receipt.replace("-", "").lower())
    page.get_by_role("button", name="Suchen").click()
    found = page.locator(".receipt-result")
    expect(found).to_contain_text("Ihr Stimmzettel ist enthalten.")
    expect(found.locator("code")).to_have_text(receipt)
    expect(found.locator("li")).to_have_text(["1. Digitales Bürgeramt", "2. Smarte Parkplätze", "3. Offenes WLAN"])

    page.get_by_label("Ihre Quittung (z. B. ACDE-FGHJ-KMNP)").fill("ZZZZ-ZZZZ-ZZZZ")
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator(".receipt-result")).to_contain_text("Diese Quittung wurde nicht gefunden.")


def login(context, results):
    page = context.new_page()
    page.goto(f"{results['base']}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(FACILITATOR)
    page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_label("Benutzername")).to_have_count(0)
    return page


def test_the_dashboard_publishes_a_snapshot_that_the_public_page_then_shows(results, new_context):
    public = open_result(new_context(), results, "closed")
    assert public.status == 404  # nothing published yet: it does not exist for the public

    dashboard = login(new_context(), results)
    dashboard.goto(f"{results['base']}/ergebnisse/prozesse/live-test/moderation/")
    item = dashboard.locator("article.dashboard-consultation").filter(
        has=dashboard.get_by_role("heading", name="Rangfolge closed")
    )
    expect(item.get_by_text("Noch nichts veröffentlicht.")).to_be_visible()
    expect(item).to_contain_text("Vorn: Digitales Bürgeramt")
    # Publishing is irreversible: the box that spells out the consequences must be ticked first.
    item.get_by_role("checkbox", name="Ja, dieses Ergebnis veröffentlichen").check()
    item.get_by_role("button", name="Ergebnis veröffentlichen").click()

    expect(dashboard.get_by_text("Das Ergebnis ist veröffentlicht")).to_be_visible()
    item = dashboard.locator("article.dashboard-consultation").filter(
        has=dashboard.get_by_role("heading", name="Rangfolge closed")
    )
    sha256 = item.locator("ul.snapshots code.hash").first.inner_text()
    assert len(sha256) == 64

    # Publishing again with unchanged data gives no second snapshot.
    item.get_by_role("checkbox", name="Ja, dieses Ergebnis veröffentlichen").check()
    item.get_by_role("button", name="Ergebnis veröffentlichen").click()
    expect(dashboard.get_by_text("Unverändert: Dieses Ergebnis war bereits veröffentlicht.")).to_be_visible()
    expect(
        dashboard.locator("article.dashboard-consultation")
        .filter(has=dashboard.get_by_role("heading", name="Rangfolge closed"))
        .locator("ul.snapshots li")
    ).to_have_count(1)

    public = open_result(new_context(), results, "closed")
    assert public.status == 200
    expect(public.get_by_role("heading", level=1)).to_have_text("Rangfolge closed")
    expect(public.locator("code.hash").first).to_have_text(sha256)
    expect(public.locator("#table-schulze tbody tr").first).to_contain_text("Digitales Bürgeramt")


def download(page, name):
    with page.expect_download() as info:
        page.locator("ul.downloads").get_by_role("link", name=name).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return info.value.suggested_filename, handle.read()


def test_every_export_button_downloads_a_file_that_opens(results, new_context):
    from results.recount import recount_bundle

    page = open_result(new_context(), results)
    sha256 = page.locator("code.hash").first.inner_text()
    n_ballots = len(results["receipts"]["published"])

    name, data = download(page, "CSV (ZIP)")
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        summary = list(csv.reader(io.StringIO(archive.read("summary.csv").decode("utf-8-sig"))))
        ballots = list(csv.reader(io.StringIO(archive.read("ballots.csv").decode("utf-8-sig"))))
    assert ["Platz 1", "Digitales Bürgeramt"] in summary
    assert len(ballots) == 1 + n_ballots
    assert sorted(row[0] for row in ballots[1:]) == sorted(results["receipts"]["published"])

    name, data = download(page, "XLSX")
    assert name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[0] == "Übersicht"
    rows = list(book["Stimmzettel"].iter_rows(values_only=True))
    assert rows[0] == ("Quittung", *(f"{t} (#{pk})" for t, pk in zip(MEASURES, results["measures"], strict=True)))
    assert len(rows) == 1 + n_ballots
    assert all(isinstance(place, int) for row in rows[1:] for place in row[1:] if place is not None)

    name, data = download(page, "JSON")
    assert name.endswith(".json")
    assert hashlib.sha256(data).hexdigest() == sha256
    assert json.loads(data)["turnout"]["ballots"] == n_ballots

    name, data = download(page, "PDF")
    assert name.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Ergebnisbericht" in text and "Rangfolge published" in text

    name, data = download(page, "Offene Daten (ZIP)")
    report = recount_bundle(data, sha256)
    assert report.status == "match", report.text()
    assert report.ballots == n_ballots
