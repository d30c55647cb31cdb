"""Creating, joining and exporting workshops over REST."""

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from tests import factories
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import Participant, ParticipantRole, Workshop, WorkshopState
from workshops.tickets import read_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(client, facilitator):
    token = Token.objects.create(user=facilitator)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_a_facilitator_creates_a_live_workshop_with_code_links_and_qr(token_client, process):
    response = token_client.post(
        "/api/workshops/", {"process": process.pk, "title": "Smarte Mobilität"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    workshop = Workshop.objects.get(pk=body["id"])
    assert workshop.state == WorkshopState.LIVE and workshop.phase == "collect"
    assert body["code"] == workshop.code and len(workshop.code) == 6
    assert body["join_url"].endswith(f"/w/{workshop.code}/")
    assert body["ws_url"].startswith("ws://") and body["ws_url"].endswith(f"/ws/workshops/{workshop.code}/")
    qr = token_client.get(f"/api/workshops/{workshop.code}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content and b"<path" in qr.content


def test_who_may_create_a_workshop(client, process):
    payload = {"process": process.pk, "title": "X"}
    assert client.post("/api/workshops/", payload, content_type="application/json").status_code == 401
    client.force_login(factories.make_user())
    assert client.post("/api/workshops/", payload, content_type="application/json").status_code == 403
    client.force_login(factories.make_facilitator(factories.make_process()))
    assert client.post("/api/workshops/", payload, content_type="application/json").status_code == 403
    assert Workshop.objects.count() == 0


def test_bad_input_names_the_field(token_client, process):
    cases = [
        ({"title": "ohne Prozess"}, "process"),
        ({"process": 999999, "title": "x"}, "process"),
        ({"process": process.pk, "title": "x" * 201}, "title"),
        ({"process": process.pk, "title": "x", "dots_per_participant": 0}, "dots_per_participant"),
        ({"process": process.pk, "title": "x", "draft": "vielleicht"}, "draft"),
    ]
    for payload, field in cases:
        response = token_client.post("/api/workshops/", payload, content_type="application/json")
        assert response.status_code == 400, payload
        assert field in response.json(), payload


def test_joining_by_code_gives_a_ticket_for_this_workshop(client, process, facilitator):
    workshop = create_workshop(facilitator, process, "Workshop")
    typed = workshop.code.lower()[:3] + "-" + workshop.code.lower()[3:]  # as people type it
    response = client.post(
        f"/api/workshops/{typed}/join", {"display_name": "Dr. Weber"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    participant = Participant.objects.get(pk=body["participant"])
    assert participant.display_name == "Dr. Weber" and participant.role == ParticipantRole.EXPERT
    assert read_ticket(body["ticket"], workshop.pk) == participant.pk
    assert read_ticket(body["ticket"], workshop.pk + 1) is None

    observer = client.post(
        f"/api/workshops/{workshop.code}/join", {"display_name": "Beamer", "role": "observer"}, "application/json"
    )
    assert observer.json()["role"] == "observer"
    bad = client.post(f"/api/workshops/{workshop.code}/join", {"display_name": ""}, "application/json")
    assert bad.status_code == 400 and "display_name" in bad.json()
    chief = client.post(
        f"/api/workshops/{workshop.code}/join", {"display_name": "x", "role": "facilitator"}, "application/json"
    )
    assert chief.status_code == 400 and "role" in chief.json()
    assert client.post("/api/workshops/ZZZZZZ/join", {"display_name": "x"}, "application/json").status_code == 404


def test_the_process_facilitator_gets_a_facilitator_ticket_and_drafts_stay_hidden(client, process, facilitator):
    draft = create_workshop(facilitator, process, "Noch geheim", draft=True)
    assert (
        client.post(f"/api/workshops/{draft.code}/join", {"display_name": "x"}, "application/json").status_code == 404
    )
    assert client.get(f"/api/workshops/{draft.code}/").status_code == 404
    client.force_login(facilitator)
    response = client.post(f"/api/workshops/{draft.code}/join", {"display_name": "Moderation"}, "application/json")
    assert response.status_code == 201 and response.json()["role"] == "facilitator"


def test_closed_workshops_admit_observers_only(client, process, facilitator):
    workshop = create_workshop(facilitator, process, "Vorbei")
    workshop.state = WorkshopState.CLOSED
    workshop.save()
    assert (
        client.post(f"/api/workshops/{workshop.code}/join", {"display_name": "x"}, "application/json").status_code
        == 409
    )
    ok = client.post(
        f"/api/workshops/{workshop.code}/join", {"display_name": "x", "role": "observer"}, "application/json"
    )
    assert ok.status_code == 201


def _workshop_with_content(process, facilitator):
    workshop = create_workshop(facilitator, process, "Export")
    chief = join_workshop(workshop, facilitator, "Moderation", ParticipantRole.FACILITATOR)
    anna = join_workshop(workshop, None, "Anna", ParticipantRole.EXPERT)
    apply_command(anna.pk, {"type": "card.add", "id": "1", "text": '=HYPERLINK("http://evil")'})
    apply_command(anna.pk, {"type": "card.add", "id": "2", "text": "Bürgerportal ausbauen"})
    apply_command(chief.pk, {"type": "comment.add", "id": "3", "card": workshop.cards.last().pk, "text": "Ja!"})
    apply_command(
        chief.pk, {"type": "poll.create", "id": "4", "question": "Q", "kind": "single", "options": ["a", "b"]}
    )
    poll = workshop.polls.get()
    apply_command(chief.pk, {"type": "poll.open", "id": "5", "poll": poll.pk})
    apply_command(anna.pk, {"type": "poll.vote", "id": "6", "poll": poll.pk, "choice": poll.options.first().pk})
    apply_command(chief.pk, {"type": "poll.close", "id": "7", "poll": poll.pk})
    return workshop


def test_export_in_three_formats_has_every_table_and_neutralises_formulas(client, process, facilitator):
    workshop = _workshop_with_content(process, facilitator)
    client.force_login(facilitator)
    data = client.get(f"/api/workshops/{workshop.code}/export?format=json").json()
    assert [c["text"] for c in data["cards"]] == ['=HYPERLINK("http://evil")', "Bürgerportal ausbauen"]
    assert len(data["comments"]) == 1 and len(data["votes"]) == 1
    assert json.loads(data["polls"][0]["final_results"])["votes"] == 1

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/workshops/{workshop.code}/export?format=csv").content))
    assert {"cards.csv", "clusters.csv", "comments.csv", "likes.csv", "polls.csv", "votes.csv"} <= set(
        archive.namelist()
    )
    rows = list(csv.DictReader(io.StringIO(archive.read("cards.csv").decode("utf-8-sig"))))
    assert rows[0]["Text"].startswith("'=")

    book = load_workbook(io.BytesIO(client.get(f"/api/workshops/{workshop.code}/export?format=xlsx").content))
    assert {"Karten", "Kommentare", "Abstimmungen", "Stimmen"} <= set(book.sheetnames)
    assert book["Karten"]["B2"].value.startswith("'=")
    assert client.get(f"/api/workshops/{workshop.code}/export?format=pdf").status_code == 400


def test_only_the_process_facilitators_may_export(client, process, facilitator):
    workshop = create_workshop(facilitator, process, "Export")
    url = f"/api/workshops/{workshop.code}/export?format=json"
    assert client.get(url).status_code == 401
    client.force_login(factories.make_facilitator(factories.make_process()))
    assert client.get(url).status_code == 403
