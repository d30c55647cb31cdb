"""Publishing unchanged data again gives the same snapshot; changed data a new one."""

import pytest

from participation.models import AuditLogEntry, Measure
from results.actions import publish
from results.models import ResultSnapshot

from .published import auth, closed_consultation

pytestmark = pytest.mark.django_db


def test_publishing_twice_without_changes_keeps_one_snapshot(client):
    consultation, facilitator, _, _ = closed_consultation(client)
    first = client.post(f"/api/consultations/{consultation.pk}/publish", **auth(facilitator))
    second = client.post(f"/api/consultations/{consultation.pk}/publish", **auth(facilitator))
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json() == first.json()
    assert set(first.json()) == {"snapshot", "sha256", "published_at"}
    assert ResultSnapshot.objects.filter(consultation=consultation).count() == 1
    assert AuditLogEntry.objects.filter(action="result.publish", target_id=str(consultation.pk)).count() == 1


def test_changed_data_give_a_new_snapshot_and_leave_the_old_one(client):
    consultation, facilitator, (a, *_), _ = closed_consultation(client)
    old, _ = publish(facilitator, consultation)
    Measure.objects.filter(pk=a).update(title="Maßnahme A (neuer Titel)")
    new, created = publish(facilitator, consultation)
    assert created
    assert new.pk != old.pk and new.sha256 != old.sha256
    assert "Maßnahme A (neuer Titel)" in new.canonical
    assert ResultSnapshot.objects.get(pk=old.pk).canonical == old.canonical
    body = client.get(f"/api/consultations/{consultation.pk}/results").json()
    assert body["snapshot"]["sha256"] == new.sha256
    listed = client.get(f"/api/consultations/{consultation.pk}/results", **auth(facilitator)).json()["snapshots"]
    assert [s["sha256"] for s in listed] == [new.sha256, old.sha256]
