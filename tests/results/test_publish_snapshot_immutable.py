"""A published snapshot never changes: not through the model, a queryset or raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from results.models import ResultSnapshot, SnapshotImmutable

from .published import published_consultation

pytestmark = pytest.mark.django_db


def test_saving_a_changed_snapshot_is_refused_and_the_stored_result_stays(client):
    *_, snapshot = published_consultation(client)
    published = ResultSnapshot.objects.get(pk=snapshot.pk)
    snapshot.content["count"]["schulze"]["winners"] = [0]
    snapshot.canonical = snapshot.canonical.replace("schulze", "borda")
    with pytest.raises(SnapshotImmutable):
        snapshot.save()
    with pytest.raises(SnapshotImmutable):
        snapshot.save(update_fields=["canonical"])
    stored = ResultSnapshot.objects.get(pk=snapshot.pk)
    assert stored.canonical == published.canonical
    assert stored.content == published.content
    assert stored.sha256 == published.sha256


def test_queryset_updates_are_refused(client):
    *_, snapshot = published_consultation(client)
    with pytest.raises(SnapshotImmutable):
        ResultSnapshot.objects.filter(pk=snapshot.pk).update(sha256="0" * 64)
    assert ResultSnapshot.objects.get(pk=snapshot.pk).sha256 == snapshot.sha256


def test_the_database_refuses_an_update_past_the_orm(client):
    *_, snapshot = published_consultation(client)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE results_resultsnapshot SET sha256 = %s WHERE id = %s", ["0" * 64, snapshot.pk])
    assert ResultSnapshot.objects.get(pk=snapshot.pk).sha256 == snapshot.sha256
