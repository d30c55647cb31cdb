"""The facilitators' workshop pages: create (/w/neu/), overview with join code, link and QR
(/w/<code>/verwaltung/), edit, and letting a draft go live. Only the process's facilitators
(and superusers) reach them; the rest of the site answers 404 to others, so do these."""

import re

import pytest
from django.test import Client

from participation.models import AuditLogEntry
from tests import factories
from workshops.actions import create_workshop
from workshops.models import Workshop, WorkshopEvent

pytestmark = pytest.mark.django_db

VALID = {"title": "Zukunftswerkstatt Mobilität", "agenda": "10:00 Ideen\n10:30 Punkte", "dots_per_participant": "3"}


def test_a_facilitator_creates_a_workshop_and_sees_how_people_join(facilitator_client, process):
    form = facilitator_client.get(f"/w/neu/?process={process.pk}").content.decode()
    assert re.search(rf'<option value="{process.pk}" selected>', form)
    assert "csrfmiddlewaretoken" in form

    response = facilitator_client.post(
        "/w/neu/", {**VALID, "process": process.pk, "anonymous_posting": "on", "participants_may_cluster": "on"}
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/w/{workshop.code}/verwaltung/"
    assert (workshop.title, workshop.agenda, workshop.dots_per_participant) == (
        VALID["title"],
        "10:00 Ideen\n10:30 Punkte",
        3,
    )
    assert workshop.anonymous_posting and workshop.participants_may_cluster and workshop.state == "live"
    assert AuditLogEntry.objects.filter(action="create", target_type="workshop", target_id=str(workshop.pk)).exists()

    page = facilitator_client.get(response["Location"]).content.decode()
    assert "Der Workshop ist angelegt." in page
    assert f'<p class="ws-code-big">{workshop.code}</p>' in page
    assert f'href="http://testserver/w/{workshop.code}/"' in page
    assert f'src="/api/workshops/{workshop.code}/qr.svg"' in page
    assert f'href="/w/{workshop.code}/console/"' in page
    assert f'href="/w/{workshop.code}/verwaltung/bearbeiten/"' in page


def test_a_draft_stays_hidden_until_it_is_let_go_live(facilitator_client, process, client):
    facilitator_client.post("/w/neu/", {**VALID, "process": process.pk, "draft": "on"})
    workshop = Workshop.objects.get()
    assert workshop.state == "draft"
    assert Client().get(f"/w/{workshop.code}/").status_code == 404
    page = facilitator_client.get(f"/w/{workshop.code}/verwaltung/").content.decode()
    assert f'action="/w/{workshop.code}/verwaltung/freigeben/"' in page
    response = facilitator_client.post(f"/w/{workshop.code}/verwaltung/freigeben/")
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.state == "live"
    assert Client().get(f"/w/{workshop.code}/").status_code == 200
    event = WorkshopEvent.objects.get(workshop=workshop)
    assert (event.name, event.data) == ("workshop.updated", {"state": "live"})


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"title": "x" * 201}, "höchstens 200 Zeichen"),
        ({"dots_per_participant": "0"}, "größer oder gleich 1"),
        ({"dots_per_participant": "101"}, "kleiner oder gleich 100"),
        ({"dots_per_participant": "viele"}, "ganze Zahl"),
        ({"dots_per_participant": "9" * 40}, "kleiner oder gleich 100"),
        ({"process": "abc"}, "gültige Auswahl"),
        ({"process": str(2**70)}, "gültige Auswahl"),
    ],
)
def test_wrong_input_is_explained_at_its_field(facilitator_client, process, change, message):
    response = facilitator_client.post("/w/neu/", {**VALID, "process": process.pk, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html and 'role="alert"' in html
    assert not Workshop.objects.exists()


def test_a_facilitator_cannot_create_in_a_process_they_do_not_manage(facilitator_client):
    other = factories.make_process(title="Fremder Prozess")
    response = facilitator_client.post("/w/neu/", {**VALID, "process": other.pk})
    assert response.status_code == 400
    assert not Workshop.objects.exists()
    assert "Fremder Prozess" not in facilitator_client.get("/w/neu/").content.decode()


def test_the_form_needs_its_csrf_token(facilitator, process):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    assert client.post("/w/neu/", {**VALID, "process": process.pk}).status_code == 403
    assert not Workshop.objects.exists()


def test_editing_changes_the_board_settings_and_tells_open_boards(facilitator_client, facilitator, process):
    workshop = create_workshop(facilitator, process, "Alt", dots_per_participant=5)
    form = facilitator_client.get(f"/w/{workshop.code}/verwaltung/bearbeiten/").content.decode()
    assert 'value="Alt"' in form and 'name="process"' not in form and 'name="draft"' not in form
    response = facilitator_client.post(
        f"/w/{workshop.code}/verwaltung/bearbeiten/",
        {"title": "Neu", "agenda": "", "dots_per_participant": "7", "participants_may_cluster": "on"},
    )
    assert response.status_code == 302 and response["Location"] == f"/w/{workshop.code}/verwaltung/"
    workshop.refresh_from_db()
    assert (workshop.title, workshop.dots_per_participant, workshop.participants_may_cluster) == ("Neu", 7, True)
    event = WorkshopEvent.objects.get(workshop=workshop)
    assert event.name == "workshop.updated"
    assert event.data == {"title": "Neu", "dots_per_participant": 7, "participants_may_cluster": True}
    assert workshop.last_seq == event.seq
    entry = AuditLogEntry.objects.get(action="update", target_type="workshop")
    assert entry.details == {"fields": ["dots_per_participant", "participants_may_cluster", "title"]}
    assert "Die Änderungen sind gespeichert." in facilitator_client.get(response["Location"]).content.decode()


def test_saving_unchanged_writes_nothing(facilitator_client, facilitator, process):
    workshop = create_workshop(facilitator, process, "Gleich")
    facilitator_client.post(
        f"/w/{workshop.code}/verwaltung/bearbeiten/", {"title": "Gleich", "agenda": "", "dots_per_participant": "5"}
    )
    assert not WorkshopEvent.objects.exists()
    assert not AuditLogEntry.objects.filter(action="update").exists()


@pytest.mark.parametrize("page", ["verwaltung/", "verwaltung/bearbeiten/"])
def test_other_people_do_not_find_the_pages(client, facilitator, process, page):
    workshop = create_workshop(facilitator, process, "Werkstatt")
    draft = create_workshop(facilitator, process, "Entwurf", draft=True)
    for code in (workshop.code, draft.code):
        response = client.get(f"/w/{code}/{page}")
        if code == workshop.code:
            assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
        else:
            assert response.status_code == 404
    for someone in (factories.make_user(), factories.make_facilitator(factories.make_process())):
        client.force_login(someone)
        for code in (workshop.code, draft.code):
            assert client.get(f"/w/{code}/{page}").status_code == 404
            assert client.post(f"/w/{code}/{page}", {"title": "Gekapert", "dots_per_participant": "5"}).status_code in (
                404,
                405,
            )
        assert client.post(f"/w/{draft.code}/verwaltung/freigeben/").status_code == 404
    workshop.refresh_from_db()
    draft.refresh_from_db()
    assert workshop.title == "Werkstatt" and draft.title == "Entwurf" and draft.state == "draft"


def test_the_create_page_is_for_facilitators_only(client, process):
    response = client.get("/w/neu/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    client.force_login(factories.make_user())
    assert client.get("/w/neu/").status_code == 404
    assert client.post("/w/neu/", {**VALID, "process": process.pk}).status_code == 404
    client.force_login(factories.make_facilitator())  # a facilitator of no process
    assert client.get("/w/neu/").status_code == 404
    assert not Workshop.objects.exists()


def test_a_superuser_may_create_in_any_process(client, process):
    client.force_login(factories.make_user(username="chefin", is_staff=True, is_superuser=True))
    response = client.post("/w/neu/", {**VALID, "process": process.pk})
    assert response.status_code == 302
    assert Workshop.objects.get().process == process


def test_the_pages_speak_english_too(facilitator_client, facilitator, process):
    workshop = create_workshop(facilitator, process, "Werkstatt")
    html = facilitator_client.get("/en/w/neu/").content.decode()
    assert "New workshop" in html and "Create workshop" in html
    html = facilitator_client.get(f"/en/w/{workshop.code}/verwaltung/").content.decode()
    assert "Open console" in html and "Access for participants" in html
