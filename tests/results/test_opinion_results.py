"""An opinion map in the results module: published, it is frozen with its anonymous answers
file, shown on the results page, exported in every format and recomputed from its open
data byte for byte; a changed answer in the bundle is found."""

import csv
import io
import json
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from results.models import ResultSnapshot
from results.recount import recount_bundle
from tests.voting.helpers import token_header
from tests.voting.test_opinion_map_api import TEXTS, answer_all, fresh_cache, make_map  # noqa: F401 (autouse)
from voting.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_map(client):
    """Eight people in two camps answered every statement, one answered only two; closed."""
    consultation, facilitator = make_map(client)
    people = [Client() for _ in range(8)]
    for n, participant in enumerate(people):
        answer_all(participant, consultation, "A" if n < 4 else "B")
    latecomer = Client()
    url = f"/api/consultations/{consultation.pk}"
    for _ in range(2):
        shown = latecomer.get(f"{url}/statements/next").json()["statement"]
        latecomer.post(f"{url}/answers", {"statement": shown["id"], "value": 0}, content_type="application/json")
    live = people[0].get(f"{url}/opinion-map").json()
    assert client.post(f"{url}/close", **token_header(facilitator)).status_code == 200
    return consultation, facilitator, live


def publish(client, consultation, facilitator):
    response = client.post(f"/api/consultations/{consultation.pk}/publish", **token_header(facilitator))
    assert response.status_code in (200, 201), response.content
    return ResultSnapshot.objects.get(pk=response.json()["snapshot"])


def test_the_published_map_is_the_live_map_frozen_with_its_answers_file(client, closed_map):
    consultation, facilitator, live = closed_map
    snapshot = publish(client, consultation, facilitator)
    result = snapshot.result
    count = result["count"]
    assert result["main_count"] == "opinion" and count["method"] == "opinion"
    assert [group["size"] for group in count["groups"]] == [4, 4] and count["k"] == 2
    texts = {option["id"]: option["text"] for option in result["options"]}
    assert sorted(texts.values()) == sorted(TEXTS)
    assert [texts[item["statement"]] for item in count["consensus"]] == ["Alle"]
    assert result["turnout"]["ballots"] == 9 and result["turnout"]["answers"] == 8 * len(TEXTS) + 2
    # The dots the participants saw, numbered and grouped as on the live page.
    assert [(dot["n"], dot["group"]) for dot in count["dots"]] == [(dot["n"], dot["group"]) for dot in live["dots"]]
    assert sum(1 for dot in count["dots"] if dot["group"] is None) == 1

    answers = json.loads(snapshot.ballots)
    assert answers["schema"] == "heilbronn-participation/opinion-answers/1"
    assert sorted({row[0] for row in answers["answers"]}) == list(range(1, 10))
    assert answers["answers"] == sorted(answers["answers"]) and len(answers["answers"]) == 74
    # Nothing in the file or the result leads to a person: no keys, tokens or times.
    for text in (snapshot.ballots, snapshot.canonical):
        assert "ballot_key" not in text and "created" not in text

    # Publishing again without a change gives the same snapshot.
    assert publish(client, consultation, facilitator).pk == snapshot.pk


def test_the_open_data_recompute_the_map_and_a_changed_answer_is_found(client, closed_map):
    consultation, facilitator, _live = closed_map
    snapshot = publish(client, consultation, facilitator)
    bundle = client.get(f"/api/consultations/{consultation.pk}/open-data").content
    report = recount_bundle(bundle, expected_sha256=snapshot.sha256)
    assert report.status == "match", report.text()
    assert report.ballots == 74
    names = zipfile.ZipFile(io.BytesIO(bundle)).namelist()
    assert "Meinungslandkarte" in zipfile.ZipFile(io.BytesIO(bundle)).read("README.txt").decode()
    assert {"ballots.json", "result.json", "consultation.json", "manifest.json"} <= set(names)

    def tampered(change):
        source = zipfile.ZipFile(io.BytesIO(bundle))
        answers = json.loads(source.read("ballots.json"))
        change(answers["answers"])
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                data = source.read(name)
                target.writestr(name, json.dumps(answers).encode() if name == "ballots.json" else data)
        return recount_bundle(out.getvalue())

    def flip_camp(rows):
        # One of the camps' participants now answers every statement the other way round.
        person = next(row[0] for row in rows if row[2] != 0)
        for row in rows:
            if row[0] == person:
                row[2] = -row[2]

    flipped = tampered(flip_camp)
    assert flipped.status == "mismatch" and "result_differs" in flipped.codes()

    def break_rows(rows):
        rows[0][2] = 5
        rows.append([1, rows[1][1], 1])

    broken = tampered(break_rows)
    assert {"invalid_answer", "duplicate_answer"} <= set(broken.codes())


def test_the_results_page_shows_the_frozen_map_its_groups_and_every_statement(client, closed_map):
    consultation, facilitator, _live = closed_map
    snapshot = publish(client, consultation, facilitator)
    page = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    assert "Die Meinungslandkarte" in page and "sie ändert sich nicht mehr" in page
    assert "Gruppe A" in page and "Gruppe B" in page and "Worin sich alle Gruppen einig sind" in page
    assert "ohne Gruppe" in page and "noch ohne Gruppe" not in page
    assert page.count('<tr><th scope="row">') >= len(TEXTS)  # the table of all statements
    assert snapshot.sha256 in page
    assert "Ist mein Stimmzettel dabei?" not in page  # no receipts on a map
    # The consultation page points to the published map.
    consultation_page = client.get(consultation.get_absolute_url()).content.decode()
    assert f'/ergebnisse/{consultation.pk}/"' in consultation_page and "Intervalle" not in consultation_page
    assert "Die Karte ist mit SHA-256-Prüfsumme veröffentlicht" in consultation_page
    english = client.get(f"/en/ergebnisse/{consultation.pk}/").content.decode()
    assert "The opinion map" in english and "All statements" in english


def test_every_export_of_a_published_map_opens_and_says_what_the_page_says(client, closed_map):
    consultation, facilitator, _live = closed_map
    snapshot = publish(client, consultation, facilitator)
    url = f"/api/consultations/{consultation.pk}/export"
    archive = zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content))
    names = set(archive.namelist())
    assert {"summary.csv", "statements.csv", "groups.csv", "consensus.csv", "participants.csv", "answers.csv"} <= names
    # The answers as Polis publishes them: a participant per row, a statement per column.
    answers = list(csv.reader(io.StringIO(archive.read("answers.csv").decode("utf-8-sig"))))
    assert len(answers) == 1 + 9 and len(answers[0]) == 1 + len(TEXTS)
    assert [row[0] for row in answers[1:]] == [str(n) for n in range(1, 10)]
    cells = [cell for row in answers[1:] for cell in row[1:]]
    assert sum(cell != "" for cell in cells) == 74 and set(cells) == {"1", "-1", "0", ""}
    everyone = answers[0].index(next(name for name in answers[0] if name.startswith("Alle (#")))
    # Both camps agreed with "Alle"; the latecomer answered only the first two statements.
    assert sorted(row[everyone] for row in answers[1:]) == [""] + ["1"] * 8
    consensus = archive.read("consensus.csv").decode("utf-8-sig")
    assert "Alle" in consensus
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert book.sheetnames[0] == "Übersicht" and "Gruppen" in book.sheetnames
    assert client.get(url, {"format": "json"}).content == snapshot.canonical.encode()
    pdf = PdfReader(io.BytesIO(client.get(url, {"format": "pdf"}).content))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Die Meinungslandkarte" in text and "Gruppe A" in text and "Alle Aussagen" in text
    assert snapshot.sha256 in text
    assert client.get(url, {"format": "pb"}).status_code == 400  # a map is no budget


def test_facilitators_see_the_live_map_in_the_results_api_and_the_dashboard(client, closed_map):
    consultation, facilitator, _live = closed_map
    body = client.get(f"/api/consultations/{consultation.pk}/results", **token_header(facilitator)).json()
    assert body["live"] is True and body["result"]["count"]["k"] == 2
    # The public sees nothing before the publication.
    assert Client().get(f"/api/consultations/{consultation.pk}/results").status_code == 404
    client.force_login(facilitator)
    dashboard = client.get(f"/ergebnisse/prozesse/{consultation.process.slug}/moderation/").content.decode()
    assert "9 Personen, 2 Meinungsgruppen." in dashboard


def test_a_statement_hidden_after_the_publication_gives_a_new_snapshot_the_old_stays(client, closed_map):
    consultation, facilitator, _live = closed_map
    first = publish(client, consultation, facilitator)
    hidden = Statement.objects.get(consultation=consultation, text="Alle")
    response = client.post(
        f"/api/consultations/{consultation.pk}/statements/{hidden.pk}/hide", **token_header(facilitator)
    )
    assert response.status_code == 200, response.content
    second = publish(client, consultation, facilitator)
    assert second.pk != first.pk
    assert hidden.pk not in [option["id"] for option in second.result["options"]]
    assert hidden.pk in [option["id"] for option in ResultSnapshot.objects.get(pk=first.pk).result["options"]]
    assert recount_bundle(client.get(f"/api/consultations/{consultation.pk}/open-data").content).ok
