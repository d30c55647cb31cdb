"""Changes made through the Django admin are written to the audit log."""

import pytest

from participation.models import AuditLogEntry, Measure
from tests import factories


@pytest.fixture
def admin_client(client, db):
    admin = factories.make_user(username="chefin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_creating_changing_and_deleting_a_measure_in_the_admin_is_audited(admin_client):
    process = factories.make_process()
    response = admin_client.post(
        "/admin/participation/measure/add/",
        {
            "process": process.pk,
            "title": "Digitale Bürgerdienste",
            "slug": "digitale-buergerdienste",
            "status": "proposed",
            "origin": "catalogue",
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content
    measure = Measure.objects.get(slug="digitale-buergerdienste")
    admin_client.post(
        f"/admin/participation/measure/{measure.pk}/change/",
        {
            "process": process.pk,
            "title": "Digitale Bürgerdienste rund um die Uhr",
            "slug": "digitale-buergerdienste",
            "status": "planned",
            "origin": "catalogue",
            "published": "on",
        },
    )
    admin_client.post(f"/admin/participation/measure/{measure.pk}/delete/", {"post": "yes"})

    entries = list(AuditLogEntry.objects.order_by("id").values_list("actor_name", "action", "target_repr"))
    assert entries == [
        ("chefin", "create", "Digitale Bürgerdienste"),
        ("chefin", "update", "Digitale Bürgerdienste rund um die Uhr"),
        ("chefin", "delete", "Digitale Bürgerdienste rund um die Uhr"),
    ]
    # The status of an existing measure is not changed here but on its page, with a reason
    # and a dated entry in its history (actions.change_status): the admin leaves it as it was.
    assert AuditLogEntry.objects.get(action="update").details == {"fields": ["title"]}


# The process form carries its phases (an inline): none here.
NO_PHASES = {"phases-TOTAL_FORMS": "0", "phases-INITIAL_FORMS": "0"}


def test_the_audit_log_cannot_be_edited_in_the_admin(admin_client):
    process = factories.make_process()
    admin_client.post(
        "/admin/participation/process/add/",
        {"title": "Neu", "slug": "neu", "facilitators": [], "published": "", **NO_PHASES},
    )
    entry = AuditLogEntry.objects.get()
    assert entry.target_type == "process"
    assert admin_client.get(f"/admin/participation/auditlogentry/{entry.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/participation/auditlogentry/add/").status_code == 403
    assert process.pk
