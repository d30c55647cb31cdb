"""Exports of unpublished results: 404 for the public, audit-logged for facilitators."""

import io

import pytest
from pypdf import PdfReader

from participation.models import AuditLogEntry
from tests import factories

from .published import auth, closed_consultation, published_consultation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "pdf"])
def test_the_public_gets_404_for_an_unpublished_result(client, fmt):
    consultation, _, _, voters = closed_consultation(client)
    url = f"/api/consultations/{consultation.pk}/export"
    assert client.get(url, {"format": fmt}).status_code == 404
    assert client.get(url, {"format": fmt}, **auth(voters[0][0])).status_code == 404
    other = factories.make_facilitator(factories.make_process())
    assert client.get(url, {"format": fmt}, **auth(other)).status_code == 404
    assert not AuditLogEntry.objects.filter(action="result.export").exists()


def test_a_facilitators_live_export_is_logged(client):
    consultation, facilitator, _, _ = closed_consultation(client)
    response = client.get(f"/api/consultations/{consultation.pk}/export", {"format": "pdf"}, **auth(facilitator))
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Nicht veröffentlichter Live-Stand" in text
    entry = AuditLogEntry.objects.get(action="result.export")
    assert entry.actor == facilitator
    assert entry.target_id == str(consultation.pk)
    assert entry.details == {"format": "pdf", "source": "live", "snapshot": None, "sha256": None}


def test_after_publishing_everyone_exports_the_snapshot_and_facilitators_are_still_logged(client):
    consultation, facilitator, _, _, snapshot = published_consultation(client)
    url = f"/api/consultations/{consultation.pk}/export"
    assert client.get(url, {"format": "json"}).content == snapshot.canonical.encode()
    assert not AuditLogEntry.objects.filter(action="result.export").exists()
    assert client.get(url, {"format": "json"}, **auth(facilitator)).content == snapshot.canonical.encode()
    live = client.get(url, {"format": "csv", "source": "live"}, **auth(facilitator))
    assert live.status_code == 200
    sources = list(AuditLogEntry.objects.filter(action="result.export").values_list("details__source", flat=True))
    assert sorted(sources) == ["live", "published"]
    assert client.get(url, {"format": "csv", "source": "live"}).status_code == 404


def test_unknown_formats_and_sources_are_400(client):
    consultation, *_ = published_consultation(client)
    url = f"/api/consultations/{consultation.pk}/export"
    response = client.get(url, {"format": "docx"})
    assert response.status_code == 400
    assert "format" in response.json()
    assert client.get(url, {"source": "gestern"}).status_code == 400
