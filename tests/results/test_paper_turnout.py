"""Paper ballots in the result: turnout online and on paper side by side, the ballot file
marks paper ballots (and nothing else changes without them), and the recount matches."""

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from participation.errors import Conflict
from results.actions import publish
from results.compute import consultation_result, live_ballot_file
from results.recount import recount_bundle
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions, mixing, paper_actions

from .test_recount_bundle import canonical, files_of, tampered

pytestmark = pytest.mark.django_db


def with_paper(method="ranking", online=2, paper=(), **extra):
    """A consultation with ``online`` online ballots and the paper ballots ``paper`` (contents
    by the measure ids), each typed in twice; closed, not published."""
    consultation, facilitator, ids = make_consultation(method=method, eligibility="access_code", **extra)
    codes, _batch = actions.generate_access_codes(facilitator, consultation, online + len(paper))
    workers = [factories.make_user(username=f"wahlhelfer{n}") for n in range(2)]
    for worker in workers:
        paper_actions.add_election_worker(facilitator, consultation, worker)
    for n in range(online):
        voter = actions.resolve_voter(consultation, access_code=codes[n])
        actions.cast_ballot(consultation, voter, paper[n % len(paper)](ids) if paper else online_ballot(method, ids))
    for n, ballot in enumerate(paper):
        for worker in workers:
            paper_actions.enter_paper_ballot(worker, consultation, codes[online + n], ballot(ids))
    consultation = actions.close_consultation(facilitator, consultation)
    mixing.seal_ballot_box(consultation.pk)
    return consultation, facilitator, ids


def online_ballot(method, ids):
    return {"ranking": [[ids[0]], [ids[1]]]} if method == "ranking" else {"approve": [ids[0]]}


RANKINGS = [lambda ids: {"ranking": [[ids[2]], [ids[0]]]}, lambda ids: {"ranking": [[ids[1], ids[3]]]}]


def test_turnout_online_and_paper_side_by_side():
    consultation, _f, _ids = with_paper(online=3, paper=RANKINGS)
    turnout = consultation_result(consultation)["turnout"]
    assert (turnout["voters"], turnout["online"], turnout["paper"], turnout["ballots"]) == (5, 3, 2, 5)
    assert turnout["eligible"] == 5


def test_without_paper_the_turnout_says_none_and_the_ballot_file_is_unmarked():
    consultation, _f, _ids = with_paper(online=2)
    turnout = consultation_result(consultation)["turnout"]
    assert (turnout["online"], turnout["paper"]) == (2, 0)
    ballots = live_ballot_file(consultation)
    assert b"channel" not in ballots.bytes and b"paper" not in ballots.bytes
    assert ballots.rankings() is not None  # the fast canonical ranking form, as before


def test_the_ballot_file_marks_each_paper_ballot():
    consultation, _f, ids = with_paper(online=2, paper=RANKINGS)
    document = live_ballot_file(consultation).document
    marked = [row for row in document["ballots"] if row.get("channel") == "paper"]
    assert sorted(json.dumps(row["content"]) for row in marked) == sorted(json.dumps(b(ids)) for b in RANKINGS)
    assert all(set(row) == {"receipt", "content"} for row in document["ballots"] if row not in marked)
    assert [row["receipt"] for row in document["ballots"]] == sorted(row["receipt"] for row in document["ballots"])


def test_an_unlinked_ballot_file_says_how_many_came_on_paper():
    budget = {"use_costs": True, "budget": 5000, "budget_ballot": "approval"}
    consultation, _f, ids = with_paper(
        method="points", online=1, settings=budget, paper=[lambda ids: {"points": {str(ids[0]): 1}}] * 2
    )
    document = live_ballot_file(consultation).document
    assert document["schema"].endswith("ballots-unlinked/1") and document["paper"] == 2
    assert all("channel" not in content for content in document["contents"])


def test_a_published_budget_with_paper_ballots_recounts_to_a_match(client):
    budget = {"use_costs": True, "budget": 5000, "budget_ballot": "approval"}
    paper = [lambda ids: {"points": {str(ids[0]): 1, str(ids[2]): 1}}, lambda ids: {"points": {str(ids[1]): 1}}]
    consultation, facilitator, _ids = with_paper(method="points", online=2, settings=budget, paper=paper)
    publish(facilitator, consultation)
    raw = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    assert json.loads(files_of(raw)["ballots.json"])["paper"] == 2
    report = recount_bundle(raw)
    assert report.ok, report.text()


@pytest.mark.parametrize("method", ["ranking", "approval"])
def test_a_published_bundle_with_paper_ballots_recounts_to_a_match(client, method):
    paper = RANKINGS if method == "ranking" else [lambda ids: {"approve": [ids[1], ids[2]]}] * 2
    consultation, facilitator, _ids = with_paper(method=method, online=3, paper=paper)
    snapshot, _created = publish(facilitator, consultation)
    assert snapshot.result["turnout"]["paper"] == 2
    raw = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    assert json.loads(files_of(raw)["consultation.json"])["turnout"]["paper"] == 2
    report = recount_bundle(raw)
    assert report.ok, report.text()
    assert report.ballots == 5


def test_a_bundle_whose_paper_marks_were_removed_does_not_match(client):
    consultation, facilitator, _ids = with_paper(method="approval", online=2, paper=[lambda ids: {"approve": [ids[3]]}])
    publish(facilitator, consultation)
    raw = client.get(f"/api/consultations/{consultation.pk}/open-data").content

    def unmark(document):
        for row in document["ballots"]:
            row.pop("channel", None)

    report = recount_bundle(tampered(raw, "ballots.json", unmark, fix_manifest=True))
    assert "paper_count_mismatch" in report.codes()

    def odd_channel(document):
        document["ballots"][0]["channel"] = "fax"

    assert "invalid_channel" in recount_bundle(tampered(raw, "ballots.json", odd_channel, fix_manifest=True)).codes()
    assert canonical  # the helpers of the bundle tests are shared

    def more_received(document):
        document["turnout"]["paper_ballots"]["counted"] += 1

    report = recount_bundle(tampered(raw, "consultation.json", more_received, fix_manifest=True))
    assert "paper_count_mismatch" in report.codes() and "aber 2 gezählte eingegangene" in report.text()


def test_the_results_page_and_the_exports_show_online_and_paper_side_by_side(client):
    consultation, facilitator, _ids = with_paper(online=3, paper=RANKINGS)
    publish(facilitator, consultation)
    page = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    assert "davon online" in page and "davon auf Papier" in page
    url = f"/api/consultations/{consultation.pk}/export"
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))["Übersicht"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert (rows["davon online"], rows["davon auf Papier"]) == (3, 2)
    pdf = PdfReader(io.BytesIO(client.get(url, {"format": "pdf"}).content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "(online: 3, auf Papier: 2)" in text


def test_the_paper_ballots_by_state_in_the_result_the_page_and_the_exports(client):
    """Two counted, one spoiled, one refused (its code voted online first), one disputed and
    one typed only once when the result is published."""
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes, _batch = actions.generate_access_codes(facilitator, consultation, 8)
    a, b = (factories.make_user(username=f"zaehler{n}") for n in range(2))
    for worker in (a, b):
        paper_actions.add_election_worker(facilitator, consultation, worker)
    for code in codes[:2]:
        for worker in (a, b):
            paper_actions.enter_paper_ballot(worker, consultation, code, {"approve": [ids[0]]})
    for worker in (a, b):
        paper_actions.enter_paper_ballot(worker, consultation, codes[2], None, spoiled=True)
    actions.cast_ballot(consultation, actions.resolve_voter(consultation, access_code=codes[3]), {"approve": [ids[1]]})
    with pytest.raises(Conflict):
        paper_actions.enter_paper_ballot(a, consultation, codes[3], {"approve": [ids[0]]})
    paper_actions.enter_paper_ballot(a, consultation, codes[4], {"approve": [ids[0]]})
    paper_actions.enter_paper_ballot(b, consultation, codes[4], None, spoiled=True)
    paper_actions.enter_paper_ballot(a, consultation, codes[5], None, spoiled=True)
    consultation = actions.close_consultation(facilitator, consultation)
    mixing.seal_ballot_box(consultation.pk)
    snapshot, _created = publish(facilitator, consultation)
    turnout = snapshot.result["turnout"]
    assert turnout["paper_ballots"] == {"counted": 2, "spoiled": 1, "refused": 1, "disputed": 1, "waiting": 1}
    # Only counted ones are voters and ballots; the spoiled one is received, not counted.
    assert (turnout["voters"], turnout["online"], turnout["paper"], turnout["ballots"]) == (3, 1, 2, 3)

    page = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    for text in ("Papierstimmzettel eingegangen", "davon ungültig", "davon zurückgewiesen", "davon nicht geklärt"):
        assert text in page, text
    url = f"/api/consultations/{consultation.pk}/export"
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))["Übersicht"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert rows["Papierstimmzettel eingegangen"] == 6
    assert (rows["davon gezählt"], rows["davon ungültig"], rows["davon nur einmal eingegeben"]) == (2, 1, 1)
    archive = zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content))
    summary = next(name for name in archive.namelist() if "bersicht" in name or "summary" in name)
    text = archive.read(summary).decode("utf-8-sig")
    assert "Papierstimmzettel eingegangen" in text and "davon ungültig" in text
    pdf = PdfReader(io.BytesIO(client.get(url, {"format": "pdf"}).content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Papierstimmzettel eingegangen: 6" in text and "davon ungültig: 1" in text
    raw = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    assert json.loads(files_of(raw)["consultation.json"])["turnout"]["paper_ballots"]["spoiled"] == 1
    report = recount_bundle(raw)
    assert report.ok, report.text()


def test_without_paper_ballots_the_result_names_none_and_the_page_shows_none(client):
    consultation, _f, _ids = with_paper(online=2)
    turnout = consultation_result(consultation)["turnout"]
    assert turnout["paper_ballots"] == {"counted": 0, "spoiled": 0, "refused": 0, "disputed": 0, "waiting": 0}
    account, _facilitator, _ids = make_consultation(method="approval", eligibility="account")
    assert "paper_ballots" not in consultation_result(account)["turnout"]
    publish(_f, consultation)
    page = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    assert "Papierstimmzettel eingegangen" not in page
