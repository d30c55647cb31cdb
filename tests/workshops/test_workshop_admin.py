"""Workshops in the Django admin: created and changed through the same actions as the pages and
the API (audited; open boards hear of a change), and a facilitator sees only their processes."""

import pytest
from django.core.management import call_command

from participation.models import AuditLogEntry, User
from tests import factories
from workshops.actions import create_workshop
from workshops.models import Workshop, WorkshopEvent

pytestmark = pytest.mark.django_db

FORM = {"title": "Werkstatt im Admin", "agenda": "", "dots_per_participant": "4"}


@pytest.fixture
def staff_facilitator(process):
    """A facilitator as create_facilitator makes one: staff, in the "Moderation" group."""
    call_command("create_facilitator", "anna", "--password", "Kessel-Wabe-0815-anna", "--process", process.slug)
    return User.objects.get(username="anna")


def test_a_facilitator_creates_a_workshop_in_the_admin(client, staff_facilitator, process):
    client.force_login(staff_facilitator)
    assert client.get("/admin/workshops/workshop/add/").status_code == 200
    response = client.post("/admin/workshops/workshop/add/", {**FORM, "process": process.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop = Workshop.objects.get()
    assert (workshop.title, workshop.dots_per_participant, workshop.created_by) == (
        "Werkstatt im Admin",
        4,
        staff_facilitator,
    )
    assert len(workshop.code) == 6 and workshop.state == "live"
    assert list(AuditLogEntry.objects.filter(target_type="workshop").values_list("action", flat=True)) == ["create"]


def test_a_change_in_the_admin_reaches_open_boards_and_the_audit_log(client, staff_facilitator, process):
    workshop = create_workshop(staff_facilitator, process, "Alt")
    client.force_login(staff_facilitator)
    response = client.post(
        f"/admin/workshops/workshop/{workshop.pk}/change/", {**FORM, "title": "Neu", "dots_per_participant": "5"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop.refresh_from_db()
    assert workshop.title == "Neu" and workshop.process == process
    event = WorkshopEvent.objects.get(workshop=workshop)
    assert (event.name, event.data) == ("workshop.updated", {"title": "Neu"})
    assert AuditLogEntry.objects.get(action="update", target_type="workshop").details == {"fields": ["title"]}


def test_a_facilitator_sees_and_picks_only_their_processes(client, staff_facilitator, process):
    other = factories.make_process(title="Fremder Prozess")
    foreign = create_workshop(factories.make_facilitator(other), other, "Geheime Werkstatt")
    create_workshop(staff_facilitator, process, "Eigene Werkstatt")
    client.force_login(staff_facilitator)
    listing = client.get("/admin/workshops/workshop/").content.decode()
    assert "Eigene Werkstatt" in listing and "Geheime Werkstatt" not in listing
    assert client.get(f"/admin/workshops/workshop/{foreign.pk}/change/").status_code in (302, 404)
    assert "Fremder Prozess" not in client.get("/admin/workshops/workshop/add/").content.decode()
    response = client.post("/admin/workshops/workshop/add/", {**FORM, "process": other.pk})
    assert response.status_code == 200  # the form again, with the error at the field
    assert not Workshop.objects.filter(process=other, title=FORM["title"]).exists()


def test_deleting_in_the_admin_is_audited(client, process):
    admin = factories.make_user(username="chefin", is_staff=True, is_superuser=True)
    workshop = create_workshop(admin, process, "Weg damit")
    client.force_login(admin)
    client.post(f"/admin/workshops/workshop/{workshop.pk}/delete/", {"post": "yes"})
    assert not Workshop.objects.exists()
    assert AuditLogEntry.objects.filter(action="delete", target_type="workshop").exists()
