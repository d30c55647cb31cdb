"""Facilitators manage the measure catalogue through the API: who may, what is checked,
and that every change lands in the audit log."""

import pytest
from rest_framework.authtoken.models import Token

from participation.models import AuditLogEntry, Measure
from tests import factories

pytestmark = pytest.mark.django_db


def token_header(user):
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def post(client, data, user=None):
    headers = token_header(user) if user else {}
    return client.post("/api/measures/", data, content_type="application/json", **headers)


def patch(client, measure, data, user=None):
    headers = token_header(user) if user else {}
    return client.patch(f"/api/measures/{measure.id}/", data, content_type="application/json", **headers)


def test_facilitator_creates_a_measure_with_a_token(client, process, field, facilitator):
    response = post(
        client,
        {
            "process": process.id,
            "field": field.id,
            "title": "Intelligente Straßenbeleuchtung",
            "title_en": "Smart street lighting",
            "summary": "Laternen dimmen, wenn niemand unterwegs ist.",
            "status": "planned",
            "estimated_cost": "250000.00",
        },
        facilitator,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    measure = Measure.objects.get(pk=body["id"])
    assert measure.process == process
    assert measure.field == field
    assert measure.title_en == "Smart street lighting"
    assert measure.status == "planned"
    assert body["slug"] == "intelligente-strassenbeleuchtung"
    assert body["estimated_cost"] == 250000.0
    assert body["published"] is True
    # The new measure is public straight away.
    assert client.get(f"/api/measures/{measure.id}/").status_code == 200


def test_create_writes_an_audit_log_entry(client, process, facilitator):
    response = post(client, {"process": process.id, "title": "Open-Data-Portal"}, facilitator)
    assert response.status_code == 201
    entry = AuditLogEntry.objects.get(action="create", target_type="measure")
    assert entry.actor == facilitator
    assert entry.target_id == str(response.json()["id"])
    assert entry.target_repr == "Open-Data-Portal"


def test_facilitator_updates_a_measure_and_the_audit_log_names_the_fields(client, process, facilitator):
    measure = factories.make_measure(process, status="proposed")

    response = patch(client, measure, {"status": "in_progress", "title_en": "Sensors"}, facilitator)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    assert response.json()["status_label"] == "in Umsetzung"
    measure.refresh_from_db()
    assert measure.status == "in_progress"
    assert measure.title_en == "Sensors"
    entry = AuditLogEntry.objects.get(action="update", target_type="measure", target_id=str(measure.id))
    assert entry.actor == facilitator
    assert entry.details == {"fields": ["status", "title_en"]}


def test_facilitator_can_unpublish_and_still_see_it_while_the_public_cannot(client, process, facilitator):
    measure = factories.make_measure(process)
    assert patch(client, measure, {"published": False}, facilitator).status_code == 200

    assert client.get(f"/api/measures/{measure.id}/").status_code == 404
    assert client.get(f"/api/measures/{measure.id}/", **token_header(facilitator)).status_code == 200
    assert patch(client, measure, {"published": True}, facilitator).status_code == 200
    assert client.get(f"/api/measures/{measure.id}/").status_code == 200


def test_session_login_works_for_writes(facilitator_client, process):
    response = facilitator_client.post(
        "/api/measures/", {"process": process.id, "title": "WLAN in Bürgerämtern"}, content_type="application/json"
    )
    assert response.status_code == 201


def test_superuser_may_manage_any_process(client, process):
    admin = factories.make_user(is_superuser=True, is_staff=True)
    assert post(client, {"process": process.id, "title": "Digitale Schule"}, admin).status_code == 201


def test_anonymous_gets_401(client, process):
    measure = factories.make_measure(process)
    response = post(client, {"process": process.id, "title": "Ohne Anmeldung"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")
    assert patch(client, measure, {"title": "Geändert"}).status_code == 401
    assert (
        client.post(
            "/api/measures/", {"process": process.id, "title": "X"}, HTTP_AUTHORIZATION="Token falsch"
        ).status_code
        == 401
    )
    assert Measure.objects.count() == 1
    measure.refresh_from_db()
    assert measure.title != "Geändert"


def test_citizen_gets_403(client, process, citizen):
    measure = factories.make_measure(process)
    assert post(client, {"process": process.id, "title": "Bürgeridee"}, citizen).status_code == 403
    assert patch(client, measure, {"title": "Geändert"}, citizen).status_code == 403
    measure.refresh_from_db()
    assert measure.title != "Geändert"


def test_facilitator_of_another_process_gets_403(client, process):
    outsider = factories.make_facilitator(factories.make_process())
    measure = factories.make_measure(process)

    assert post(client, {"process": process.id, "title": "Fremde Maßnahme"}, outsider).status_code == 403
    assert patch(client, measure, {"title": "Geändert"}, outsider).status_code == 403
    assert Measure.objects.filter(process=process).count() == 1
    measure.refresh_from_db()
    assert measure.title != "Geändert"
    assert not AuditLogEntry.objects.filter(target_type="measure").exists()


def test_facilitator_cannot_move_a_measure_into_a_process_they_do_not_manage(client, process, facilitator):
    measure = factories.make_measure(process)
    foreign = factories.make_process()
    assert patch(client, measure, {"process": foreign.id}, facilitator).status_code == 403
    measure.refresh_from_db()
    assert measure.process == process


def test_unpublished_measure_of_another_process_is_404_for_patch(client, facilitator):
    hidden = factories.make_measure(factories.make_process(), published=False)
    assert patch(client, hidden, {"title": "Geändert"}, facilitator).status_code == 404


def test_put_and_delete_are_not_offered(client, process, facilitator):
    measure = factories.make_measure(process)
    headers = token_header(facilitator)
    assert client.delete(f"/api/measures/{measure.id}/", **headers).status_code == 405
    put = client.put(f"/api/measures/{measure.id}/", {"title": "X"}, content_type="application/json", **headers)
    assert put.status_code == 405
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_read_only_endpoints_refuse_writes(client, process, facilitator):
    headers = token_header(facilitator)
    assert client.post("/api/processes/", {}, content_type="application/json", **headers).status_code == 405
    assert client.post("/api/projects/", {}, content_type="application/json", **headers).status_code == 405


@pytest.mark.parametrize(
    ("data", "field_name"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Null\x00Byte"}, "title"),
        ({"description": "x" * 20001}, "description"),
        ({"estimated_cost": "-1"}, "estimated_cost"),
        ({"estimated_cost": "viel"}, "estimated_cost"),
        ({"status": "vielleicht"}, "status"),
        ({"origin": "irgendwo"}, "origin"),
        ({"slug": "kein slug!"}, "slug"),
        ({"field": 999999}, "field"),
        ({"process": "abc"}, "process"),
        ({"published": "vielleicht"}, "published"),
        ({"summary": "x" * 501}, "summary"),
    ],
)
def test_validation_errors_are_400_field_by_field(client, process, facilitator, data, field_name):
    response = post(client, {"process": process.id, "title": "Gültiger Titel", **data}, facilitator)
    assert response.status_code == 400
    assert field_name in response.json()
    assert not Measure.objects.exists()


def test_missing_or_unknown_process_is_400(client, facilitator):
    assert "process" in post(client, {"title": "Ohne Prozess"}, facilitator).json()
    response = post(client, {"process": 999999, "title": "Ohne Prozess"}, facilitator)
    assert response.status_code == 400
    assert "process" in response.json()


def test_field_of_another_process_is_400_on_field(client, process, facilitator):
    foreign_field = factories.make_field(factories.make_process())
    response = post(client, {"process": process.id, "field": foreign_field.id, "title": "Quer"}, facilitator)
    assert response.status_code == 400
    assert list(response.json()) == ["field"]

    measure = factories.make_measure(process)
    response = patch(client, measure, {"field": foreign_field.id}, facilitator)
    assert response.status_code == 400
    assert list(response.json()) == ["field"]


def test_negative_cost_on_patch_is_400(client, process, facilitator):
    measure = factories.make_measure(process)
    response = patch(client, measure, {"estimated_cost": -5}, facilitator)
    assert response.status_code == 400
    assert "estimated_cost" in response.json()
    measure.refresh_from_db()
    assert measure.estimated_cost is None


def test_slug_clash_in_the_process_is_400_on_slug(client, process, facilitator):
    existing = factories.make_measure(process, slug="open-data")
    other = factories.make_measure(process, slug="smart-parking")

    response = post(client, {"process": process.id, "title": "Offene Daten", "slug": "open-data"}, facilitator)
    assert response.status_code == 400
    assert list(response.json()) == ["slug"]

    response = patch(client, other, {"slug": existing.slug}, facilitator)
    assert response.status_code == 400
    assert list(response.json()) == ["slug"]
    other.refresh_from_db()
    assert other.slug == "smart-parking"


def test_same_slug_in_another_process_is_fine(client, process, facilitator):
    factories.make_measure(factories.make_process(), slug="open-data")
    response = post(client, {"process": process.id, "title": "Offene Daten", "slug": "open-data"}, facilitator)
    assert response.status_code == 201
    assert response.json()["slug"] == "open-data"


def test_generated_slugs_stay_unique_within_the_process(client, process, facilitator):
    slugs = [
        post(client, {"process": process.id, "title": "Smarte Mülleimer"}, facilitator).json()["slug"] for _ in range(3)
    ]
    assert slugs == ["smarte-muelleimer", "smarte-muelleimer-2", "smarte-muelleimer-3"]


def test_title_without_letters_still_gets_a_slug(client, process, facilitator):
    response = post(client, {"process": process.id, "title": "!!!"}, facilitator)
    assert response.status_code == 201
    assert response.json()["slug"] == "massnahme"


def test_malformed_json_is_400(client, process, facilitator):
    response = client.post("/api/measures/", "{not json", content_type="application/json", **token_header(facilitator))
    assert response.status_code == 400
