"""Facilitators set up consultations; bad set-ups are refused field by field."""

import pytest

from tests import factories
from voting.models import Consultation

from .helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db


def test_a_facilitator_creates_a_draft_then_opens_and_closes_it(client):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [factories.make_measure(process).pk for _ in range(3)]
    headers = token_header(facilitator)
    response = client.post(
        "/api/consultations/",
        {
            "process": process.pk,
            "title": "Prioritäten 2027",
            "method": "approval",
            "options": measures,
            "settings": {"max_approvals": 2},
            "eligibility": "account",
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["phase"] == "draft" and body["options"] == measures
    assert client.get(f"/api/consultations/{body['id']}/").status_code == 404  # drafts are not public
    opened = client.post(f"/api/consultations/{body['id']}/open", **headers)
    assert opened.status_code == 200 and opened.json()["phase"] == "open"
    assert client.get(f"/api/consultations/{body['id']}/").json()["phase"] == "open"
    assert client.post(f"/api/consultations/{body['id']}/open", **headers).status_code == 409
    closed = client.post(f"/api/consultations/{body['id']}/close", **headers)
    assert closed.status_code == 200 and closed.json()["phase"] == "closed"
    assert client.post(f"/api/consultations/{body['id']}/open", **headers).status_code == 409


def test_opening_and_closing_by_the_clock(client):
    from datetime import timedelta

    from django.utils import timezone

    consultation, facilitator, _ = make_consultation(open_now=False)
    now = timezone.now()
    consultation.opens_at = now + timedelta(hours=1)
    consultation.closes_at = now + timedelta(hours=2)
    consultation.save()
    assert client.post(f"/api/consultations/{consultation.pk}/schedule", **token_header(facilitator)).status_code == 200
    consultation.refresh_from_db()
    assert consultation.phase_at(now) == "scheduled"
    assert consultation.phase_at(now + timedelta(minutes=90)) == "open"
    assert consultation.phase_at(now + timedelta(hours=3)) == "closed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "lottery"}, "method"),
        ({"eligibility": "everyone"}, "eligibility"),
        ({"options": []}, "options"),
        ({"options": "1,2"}, "options"),
        ({"options": [999999, 999998]}, "options"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"settings": {"max_approvals": 0}}, "settings"),
        ({"settings": {"budget": 5}}, "settings"),
        ({"opens_at": "morgen"}, "opens_at"),
        ({"opens_at": "2026-12-02T10:00:00+01:00", "closes_at": "2026-12-01T10:00:00+01:00"}, "closes_at"),
        ({"process": "eins"}, "process"),
        ({"process": 999999}, "process"),
    ],
)
def test_bad_set_up_is_refused_with_the_field(client, change, field):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [factories.make_measure(process).pk for _ in range(3)]
    payload = {"process": process.pk, "title": "T", "method": "approval", "options": measures, "eligibility": "open"}
    payload.update(change)
    response = client.post("/api/consultations/", payload, content_type="application/json", **token_header(facilitator))
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Consultation.objects.count() == 0


def test_measures_of_another_process_cannot_go_on_the_ballot(client):
    process, other = factories.make_process(), factories.make_process()
    facilitator = factories.make_facilitator(process)
    foreign = [factories.make_measure(other).pk for _ in range(2)]
    payload = {"process": process.pk, "title": "T", "method": "score", "options": foreign, "eligibility": "open"}
    response = client.post("/api/consultations/", payload, content_type="application/json", **token_header(facilitator))
    assert response.status_code == 400 and "options" in response.json()


def test_only_facilitators_of_the_process_manage_it(client):
    consultation, _, _ = make_consultation()
    url = f"/api/consultations/{consultation.pk}/close"
    assert client.post(url).status_code == 401
    assert client.post(url, **token_header(factories.make_user())).status_code == 403
    assert client.post(url, **token_header(factories.make_facilitator(factories.make_process()))).status_code == 403
    consultation.refresh_from_db()
    assert consultation.phase == "open"
