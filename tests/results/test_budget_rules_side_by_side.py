"""A participatory budget is counted by the Method of Equal Shares and greedily, side by
side: the result, its uncertainty, the pages, the exports (Pabulib too) and the recount.

The profile: six projects of 1,000 EUR and a budget of 3,000 EUR; six voters approve
A, B and C, four approve D, E and F. Greedy gives the majority everything (A, B, C);
equal shares gives each group its share (A, B for the six, D for the four)."""

import io
import json
import zipfile
from decimal import Decimal

import pytest

from participation.models import Measure
from results.actions import publish
from results.compute import canonical_bytes, sha256_hex
from results.recount import recount_bundle
from tests.results.published import cast, published_consultation
from tests.voting.helpers import make_consultation
from voting import pabulib
from voting.actions import close_consultation

pytestmark = pytest.mark.django_db

BUDGET = {"use_costs": True, "budget": 3000, "budget_ballot": "approval", "budget_rule": "equal_shares"}


def majority_and_minority(ids):
    return [{"points": {str(i): 1 for i in ids[:3]}}] * 6 + [{"points": {str(i): 1 for i in ids[3:]}}] * 4


def publish_budget(client, settings=BUDGET):
    consultation, facilitator, ids = make_consultation(method="points", n_options=6, settings=settings)
    Measure.objects.filter(pk__in=ids).update(estimated_cost=Decimal(1000))
    ballots = majority_and_minority(ids)
    for ballot in ballots:
        cast(client, consultation, ballot)
    consultation = close_consultation(facilitator, consultation)
    snapshot, _created = publish(facilitator, consultation)
    return consultation, facilitator, ids, snapshot


def test_equal_shares_gives_the_minority_its_share_and_greedy_does_not(client):
    consultation, _, ids, snapshot = publish_budget(client)
    a, b, c, d = ids[:4]
    result = snapshot.result
    count = result["count"]
    assert result["main_count"] == "equal_shares"
    assert count["method"] == "budget" and count["main"] == "equal_shares"
    assert sorted(count["equal_shares"]["selected"]) == sorted([a, b, d])
    assert count["greedy"]["selected"] == [a, b, c]
    for rule in ("equal_shares", "greedy"):
        assert count[rule]["spent"] == 3000 and count[rule]["leftover"] == 0
    funding = result["disagreements"]["funding"]
    assert funding["only"] == {"equal_shares": [d], "greedy": [c]}
    assert any("Maßnahme D" in line for line in result["disagreements"]["summary"]["de"])
    # Both rules have their bootstrap, each with how often it funds every measure.
    shares = result["uncertainty"]["counts"]
    assert result["uncertainty"]["primary"] == "equal_shares"
    assert shares["greedy"]["options"][str(c)]["selected_share"] > 0.5
    assert shares["equal_shares"]["options"][str(d)]["selected_share"] > 0.5
    assert shares["equal_shares"]["options"][str(c)]["selected_share"] < 0.5


def test_the_results_page_explains_both_rules_and_marks_what_each_funds(client):
    consultation, _, ids, snapshot = publish_budget(client)
    page = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    assert "Methode der gleichen Anteile" in page
    assert "knappe Mehrheit" in page
    assert "gefördert in wie vielen Nachzählungen" in page
    assert "Nur nach Stimmen (solange das Geld reicht) gefördert: Maßnahme C." in page
    english = client.get(f"/en/ergebnisse/{consultation.pk}/").content.decode()
    assert "Funded only by the Method of Equal Shares: Maßnahme D." in english


def test_the_pabulib_export_reads_back_with_the_funded_projects(client):
    consultation, _, ids, snapshot = publish_budget(client)
    response = client.get(f"/api/consultations/{consultation.pk}/export", {"format": "pb"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.pb"')
    instance = pabulib.read_pb(response.content.decode("utf-8"))
    assert instance.meta["vote_type"] == "approval"
    assert Decimal(instance.meta["budget"]) == 3000
    assert len(instance.votes) == 10
    funded = {int(p["project_id"]) for p in instance.projects if p["selected"] == "1"}
    assert funded == {ids[0], ids[1], ids[3]}
    profile = pabulib.budget_profile(instance)
    assert sorted(map(len, profile.ballots)) == [3] * 10


def test_a_method_without_a_budget_has_no_pabulib_export(client):
    consultation, *_ = published_consultation(client, method="ranking")
    response = client.get(f"/api/consultations/{consultation.pk}/export", {"format": "pb"})
    assert response.status_code == 400
    assert "Bürgerhaushalt" in response.json()["format"][0]


def test_the_open_data_carry_the_pabulib_file_and_the_recount_checks_it(client):
    consultation, _, ids, snapshot = publish_budget(client)
    bundle = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    names = zipfile.ZipFile(io.BytesIO(bundle)).namelist()
    assert "ballots.pb" in names
    report = recount_bundle(bundle)
    assert report.status == "match", report.text()

    # A Pabulib file that says other ballots is found, even with a fitting manifest.
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    files = {name: archive.read(name) for name in archive.namelist()}
    text = files["ballots.pb"].decode()
    lines = text.splitlines()
    last = lines[-1].split(";")
    last[1] = ",".join(str(i) for i in ids[:3])
    lines[-1] = ";".join(last)
    files["ballots.pb"] = ("\n".join(lines) + "\n").encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["ballots.pb"] = sha256_hex(files["ballots.pb"])
    files["manifest.json"] = canonical_bytes(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in files.items():
            out.writestr(name, data)
    tampered = recount_bundle(buffer.getvalue())
    assert "pabulib_differs" in tampered.codes()


def test_greedy_can_be_the_deciding_rule(client):
    consultation, _, ids, snapshot = publish_budget(client, {**BUDGET, "budget_rule": "greedy"})
    result = snapshot.result
    assert result["main_count"] == "greedy"
    assert result["uncertainty"]["primary"] == "greedy"
    page = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    assert "Entschieden wird nach: Nach Stimmen, solange das Geld reicht" in page
