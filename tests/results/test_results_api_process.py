"""Experts beside citizens for a process: workshop polls next to consultation results."""

import pytest

from participation.models import Measure
from tests import factories
from voting import actions as voting_actions
from workshops.models import Poll

from .published import auth, cast, published_consultation
from .test_export_formats import expert_poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def process_with_both(client):
    consultation, facilitator, ids, _, snapshot = published_consultation(client)
    measures = list(Measure.objects.filter(pk__in=ids).order_by("pk"))
    expert_poll(
        consultation.process,
        measures,
        choices=[lambda o: {o[0].pk: 3, o[1].pk: 2}, lambda o: {o[0].pk: 1, o[2].pk: 1}],
    )
    scale = expert_poll(
        consultation.process,
        measures[:2],
        kind="scale",
        choices=[lambda o: {o[0].pk: 5, o[1].pk: 2}, lambda o: {o[0].pk: 3, o[1].pk: 4}],
    )
    return consultation, facilitator, ids, snapshot, scale


def test_experts_and_citizens_side_by_side_per_measure(client, process_with_both):
    consultation, _, (a, b, c, d), snapshot, _ = process_with_both
    body = client.get(f"/api/processes/{consultation.process_id}/results").json()
    by_id = {m["id"]: m for m in body["measures"]}
    # Dots: A 4, B 2, C 1; scale: A mean 4, B mean 3; averaged over the polls that rated them.
    assert by_id[a]["experts"] == 4.0
    assert by_id[b]["experts"] == 2.5
    assert by_id[c]["experts"] == 1.0
    assert by_id[d]["experts"] == 0.0
    assert by_id[a]["citizens"] == {str(consultation.pk): snapshot.result["count"]["schulze"]["scores"][str(a)]}
    [entry] = body["consultations"]
    assert entry["live"] is False
    assert entry["snapshot"]["sha256"] == snapshot.sha256
    assert entry["comparison"] is not None
    assert len(body["experts"]["polls"]) == 2


def test_the_public_sees_no_unpublished_consultation_and_no_hidden_poll(client, process_with_both):
    consultation, facilitator, ids, _, scale = process_with_both
    Poll.objects.filter(pk=scale.pk).update(results_hidden=True, revealed=False)
    data = {"title": "Zweite Runde", "method": "approval", "eligibility": "account", "options": ids}
    live = voting_actions.open_consultation(
        facilitator, voting_actions.create_consultation(facilitator, consultation.process, data)
    )
    cast(client, live, {"approve": [ids[0]]})

    public = client.get(f"/api/processes/{consultation.process_id}/results").json()
    assert [c["id"] for c in public["consultations"]] == [consultation.pk]
    assert [p["poll"] for p in public["experts"]["polls"]] != [] and scale.pk not in [
        p["poll"] for p in public["experts"]["polls"]
    ]

    mine = client.get(f"/api/processes/{consultation.process_id}/results", **auth(facilitator)).json()
    marked = {c["id"]: c["live"] for c in mine["consultations"]}
    assert marked == {consultation.pk: False, live.pk: True}
    assert scale.pk in [p["poll"] for p in mine["experts"]["polls"]]


def test_an_unpublished_process_is_404_for_the_public(client):
    process = factories.make_process(published=False)
    facilitator = factories.make_facilitator(process)
    assert client.get(f"/api/processes/{process.pk}/results").status_code == 404
    assert client.get(f"/api/processes/{process.pk}/results", **auth(facilitator)).status_code == 200
    assert client.get("/api/processes/999999/results").status_code == 404
