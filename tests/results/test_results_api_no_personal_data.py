"""No result, ballot file, export or bundle links a ballot to a person: none holds a
voter's user name, e-mail address, user id or ballot key."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from voting.models import Ballot

from .published import auth, published_consultation

pytestmark = pytest.mark.django_db


def as_text(response):
    content_type = response["Content-Type"]
    if content_type == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    if content_type == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return response.content.decode("utf-8")


def test_nothing_published_or_exported_names_a_voter(client):
    consultation, facilitator, _, voters, _ = published_consultation(client)
    base = f"/api/consultations/{consultation.pk}"
    receipt = voters[0][1]
    requests = [
        (f"{base}/results", {}),
        (f"{base}/ballots", {}),
        (f"{base}/ballots", {"receipt": receipt}),
        (f"{base}/open-data", {}),
        (f"/api/processes/{consultation.process_id}/results", {}),
        *[(f"{base}/export", {"format": fmt}) for fmt in ("csv", "xlsx", "json", "pdf")],
    ]
    forbidden = ["ballot_key", '"user"', "user_id", "username", "email"]
    for user, _ in voters:
        forbidden += [user.username, user.email, str(user.pk)]
    forbidden += list(Ballot.objects.filter(consultation=consultation).values_list("ballot_key", flat=True))
    texts = []
    for headers in ({}, auth(facilitator)):
        for url, params in requests:
            response = client.get(url, params, **headers)
            assert response.status_code == 200, (url, params)
            texts.append((url, params, as_text(response)))
        live = client.get(f"{base}/export", {"format": "csv", "source": "live"}, **headers)
        if headers:
            texts.append(("live csv", {}, as_text(live)))
    for url, params, text in texts:
        for needle in forbidden:
            assert needle not in text, f"{needle!r} in {url} {params}"
