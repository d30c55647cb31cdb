"""Measures and inventory projects carry a dated status history: a facilitator of the
process moves one on from its page, with a reason (needed when it ends without being done)
in German and English; everyone sees the history as a timeline on the page and in the API;
each step is in the audit log; a status set through the API joins the history too; bad
input and other people change nothing, and the admin cannot change it behind its back."""

import pytest
from django.test import Client

from participation import actions
from participation.models import AuditLogEntry, Measure, Project, StatusChange
from tests import factories


@pytest.fixture
def measure(process):
    return factories.make_measure(process)


def status_url(target):
    return f"{target.get_absolute_url()}stand/"


def page(client, target, prefix=""):
    return client.get(f"{prefix}{target.get_absolute_url()}").content.decode()


@pytest.mark.django_db
def test_a_facilitator_moves_a_measure_on_and_everyone_sees_the_dated_step_and_its_reason(
    facilitator_client, facilitator, measure
):
    assert "Stand ändern" in page(facilitator_client, measure)
    assert "Stand ändern" not in page(Client(), measure)

    response = facilitator_client.post(
        status_url(measure),
        {"status": "planned", "reason": "Im Haushalt 2027 eingeplant.", "reason_en": "Budgeted for 2027."},
    )

    assert response.status_code == 302 and response["Location"] == f"{measure.get_absolute_url()}#verlauf"
    measure.refresh_from_db()
    assert measure.status == "planned"
    (step,) = StatusChange.objects.all()
    assert (step.measure, step.status, step.changed_by) == (measure, "planned", facilitator)
    html = page(Client(), measure)
    assert "Verlauf" in html and "Im Haushalt 2027 eingeplant." in html
    assert 'class="timeline__item timeline__item--now"' in html and "geplant" in html
    english = page(Client(), measure, "/en")
    assert "Budgeted for 2027." in english and "planned" in english
    (entry,) = AuditLogEntry.objects.filter(action="status.change")
    assert (entry.actor, entry.target_type, entry.details) == (
        facilitator,
        "measure",
        {"from": "proposed", "to": "planned"},
    )


@pytest.mark.django_db
def test_a_project_runs_and_is_dropped_with_a_reason_in_order(facilitator, process):
    project = factories.make_project(process)
    actions.change_status(facilitator, project, "running")
    actions.change_status(facilitator, project, "dropped", "Der Anbieter hat aufgegeben.")

    html = page(Client(), project).split('class="status-history"', 1)[1]
    assert html.index("laufend") < html.index("eingestellt") < html.index("Der Anbieter hat aufgegeben.")
    assert [s.status for s in project.status_changes.all()] == ["running", "dropped"]
    api = Client().get(f"/api/projects/{project.pk}/").json()
    assert [(s["status"], s["status_label_en"], s["reason"]) for s in api["status_history"]] == [
        ("running", "ongoing", ""),
        ("dropped", "dropped", "Der Anbieter hat aufgegeben."),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"status": "rejected"}, "Bitte begründen Sie, warum es nicht weitergeht."),
        ({"status": "rejected", "reason": "   "}, "Bitte begründen Sie, warum es nicht weitergeht."),
        ({"status": "proposed", "reason": "schon so"}, "Bitte wählen Sie einen Stand aus der Liste."),
        ({"status": "somewhere"}, "Bitte wählen Sie einen Stand aus der Liste."),
        ({"status": "planned", "reason": "x" * 1001}, "höchstens 1000 Zeichen"),
        ({"status": "planned", "reason": "mit \x00 darin"}, "Nullzeichen sind nicht erlaubt."),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(facilitator_client, measure, data, said):
    response = facilitator_client.post(status_url(measure), data)

    assert response.status_code == 400
    alert = response.content.decode().split('role="alert">', 1)[1].split("</p>", 1)[0]
    assert said in alert, alert
    measure.refresh_from_db()
    assert measure.status == "proposed"
    assert not StatusChange.objects.exists()
    assert not AuditLogEntry.objects.filter(action="status.change").exists()


@pytest.mark.django_db
def test_only_the_processes_facilitators_may_change_it(client, citizen, measure):
    for user in (citizen, factories.make_facilitator(factories.make_process())):
        client.force_login(user)
        assert client.post(status_url(measure), {"status": "planned"}).status_code == 404
    client.logout()
    response = client.post(status_url(measure), {"status": "planned"})
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    measure.refresh_from_db()
    assert measure.status == "proposed" and not StatusChange.objects.exists()


@pytest.mark.django_db
def test_a_status_set_through_the_api_joins_the_history(client, facilitator, measure):
    client.force_login(facilitator)
    response = client.patch(f"/api/measures/{measure.pk}/", {"status": "in_progress"}, content_type="application/json")

    assert response.status_code == 200
    assert [(s["status"], s["status_label"]) for s in response.json()["status_history"]] == [
        ("in_progress", "in Umsetzung")
    ]
    assert list(Measure.objects.get(pk=measure.pk).status_changes.values_list("status", "changed_by")) == [
        ("in_progress", facilitator.pk)
    ]


@pytest.mark.django_db
def test_the_admin_shows_the_status_of_an_existing_project_but_does_not_change_it(admin_client, process):
    project = factories.make_project(process)
    html = admin_client.get(f"/admin/participation/project/{project.pk}/change/").content.decode()

    assert 'name="status"' not in html
    assert Project.objects.get(pk=project.pk).status == "planned"


@pytest.mark.django_db
def test_the_steps_a_facilitator_set_are_in_their_data_and_stay_when_the_account_goes(client, facilitator, measure):
    import json

    from participation.account_actions import delete_account

    actions.change_status(facilitator, measure, "planned", "Beschlossen.")
    client.force_login(facilitator)
    data = json.loads(client.get("/konto/daten/").content)
    assert [(c["target"]["id"], c["status"], c["reason"]) for c in data["status_changes_made"]] == [
        (measure.pk, "planned", "Beschlossen.")
    ]
    facilitator.set_password("geheim-geheim-1")
    facilitator.save()
    delete_account(facilitator, "geheim-geheim-1")
    (step,) = StatusChange.objects.all()
    assert (step.status, step.reason, step.changed_by) == ("planned", "Beschlossen.", None)
    assert "Beschlossen." in page(Client(), measure)
