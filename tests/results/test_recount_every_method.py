"""For every method: the published result recounts exactly from its open-data bundle,
and every export of it opens."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from results.actions import publish
from results.recount import recount_bundle
from tests.voting.helpers import make_consultation
from voting.actions import close_consultation

from .published import published_consultation

pytestmark = pytest.mark.django_db

CASES = {
    "approval": ({"max_approvals": 2}, [lambda i: {"approve": [i[0], i[2]]}, lambda i: {"approve": [i[2]]}]),
    "score": (
        {"labels": "words"},
        [lambda i: {"scores": {str(i[0]): 5, str(i[1]): 0}}, lambda i: {"scores": {str(i[1]): 3}}],
    ),
    "ranking": ({}, [lambda i: {"ranking": [[i[1]], [i[0], i[2]]]}, lambda i: {"ranking": [[i[3]]]}]),
    "points": (
        {"budget_points": 10},
        [lambda i: {"points": {str(i[0]): 7, str(i[3]): 3}}, lambda i: {"points": {str(i[3]): 10}}],
    ),
    # Costs 1000, 2000, 3000, 4000 EUR; a budget of 5000 EUR.
    "budget": (
        {"use_costs": True, "budget": 5000},
        [lambda i: {"points": {str(i[0]): 1, str(i[3]): 1}}, lambda i: {"points": {str(i[1]): 1, str(i[2]): 1}}],
    ),
}


def check_exports(client, consultation):
    url = f"/api/consultations/{consultation.pk}/export"
    assert zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content)).testzip() is None
    assert load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).sheetnames[0] == "Übersicht"
    assert client.get(url, {"format": "json"}).json()["consultation"]["id"] == consultation.pk
    pdf = PdfReader(io.BytesIO(client.get(url, {"format": "pdf"}).content))
    return "\n".join(page.extract_text() for page in pdf.pages)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_method_recounts_exactly(client, case):
    settings, ballots = CASES[case]
    method = "points" if case == "budget" else case
    consultation, _, _, _, snapshot = published_consultation(client, method=method, ballots=ballots, settings=settings)
    report = recount_bundle(client.get(f"/api/consultations/{consultation.pk}/open-data").content)
    assert report.status == "match", report.text()
    assert report.recomputed_sha256 == snapshot.sha256
    text = check_exports(client, consultation)
    assert "1. Das Verfahren" in text
    if case == "budget":
        assert "Im Budget von 5.000 Euro" in text


def test_a_pairwise_wiki_survey_recounts_exactly(client):
    consultation, facilitator, (a, b, c, d) = make_consultation(method="pairwise", eligibility="open")
    for left, right, choice in [(a, b, "left"), (a, c, "left"), (b, c, "right"), (d, a, "skip"), (d, b, "left")]:
        client.post(
            f"/api/consultations/{consultation.pk}/pairs",
            {"left": left, "right": right, "choice": choice},
            "application/json",
        )
    snapshot, _ = publish(facilitator, close_consultation(facilitator, consultation))
    report = recount_bundle(client.get(f"/api/consultations/{consultation.pk}/open-data").content)
    assert report.status == "match", report.text()
    assert report.ballots == 4
    assert "Bradley-Terry" in check_exports(client, consultation)


def test_a_consultation_without_ballots_publishes_and_recounts(client):
    consultation, facilitator, _ = make_consultation(method="ranking")
    publish(facilitator, close_consultation(facilitator, consultation))
    report = recount_bundle(client.get(f"/api/consultations/{consultation.pk}/open-data").content)
    assert report.status == "match", report.text()
    assert report.ballots == 0
    check_exports(client, consultation)
