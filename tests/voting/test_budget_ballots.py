"""Participatory budgets: the set-up of the ballot style and the deciding rule is checked
field by field, and each style's ballots are checked as the voter sends them."""

from decimal import Decimal

import pytest

from tests import factories
from voting.models import Ballot, Consultation

from .helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db

BUDGET = {"use_costs": True, "budget": 5000}


def create(client, settings):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [factories.make_measure(process, estimated_cost=Decimal(1000)).pk for _ in range(3)]
    payload = {
        "process": process.pk,
        "title": "Bürgerhaushalt",
        "method": "points",
        "options": measures,
        "eligibility": "open",
        "settings": settings,
    }
    return client.post("/api/consultations/", payload, content_type="application/json", **token_header(facilitator))


@pytest.mark.parametrize(
    ("setup", "stored"),
    [
        (BUDGET, {**BUDGET, "budget_ballot": "knapsack", "budget_rule": "equal_shares"}),
        (
            {**BUDGET, "budget_ballot": "approval", "max_projects": 2, "budget_rule": "greedy"},
            {**BUDGET, "budget_ballot": "approval", "max_projects": 2, "budget_rule": "greedy"},
        ),
        (
            {**BUDGET, "budget_ballot": "points", "budget_points": 10},
            {**BUDGET, "budget_ballot": "points", "budget_points": 10, "budget_rule": "equal_shares"},
        ),
    ],
)
def test_a_budget_is_set_up_with_its_ballot_and_rule(client, setup, stored):
    response = create(client, setup)
    assert response.status_code == 201, response.content
    assert Consultation.objects.get().settings == stored


@pytest.mark.parametrize(
    ("setup", "said"),
    [
        ({**BUDGET, "budget_rule": "majority"}, "budget_rule"),
        ({**BUDGET, "budget_ballot": "ranking"}, "budget_ballot"),
        ({**BUDGET, "max_projects": 2}, "max_projects"),
        ({**BUDGET, "budget_ballot": "approval", "max_projects": 0}, "max_projects"),
        ({**BUDGET, "budget_ballot": "approval", "max_projects": True}, "max_projects"),
        ({**BUDGET, "budget_points": 10}, "budget_points"),
        ({**BUDGET, "budget_ballot": "points", "budget_points": 0}, "budget_points"),
        ({"budget_points": 10, "budget_rule": "greedy"}, "budget_rule"),
        ({"use_costs": False, "budget_ballot": "approval"}, "budget_ballot"),
    ],
)
def test_a_bad_budget_set_up_is_refused_and_nothing_is_stored(client, setup, said):
    response = create(client, setup)
    assert response.status_code == 400, response.content
    assert said in " ".join(response.json()["settings"])
    assert Consultation.objects.count() == 0


def cast(client, consultation, ballot):
    return client.put(
        f"/api/consultations/{consultation.pk}/ballot", {"ballot": ballot}, content_type="application/json"
    )


def test_an_approval_budget_takes_any_supported_projects_up_to_its_limit(client):
    settings = {**BUDGET, "budget_ballot": "approval", "max_projects": 2}
    consultation, _, ids = make_consultation("points", "open", settings=settings)
    # Costs 1,000 to 4,000 EUR and a budget of 5,000: approved projects need not fit together.
    too_many = cast(client, consultation, {"points": {str(i): 1 for i in ids[:3]}})
    assert too_many.status_code == 400
    assert "höchstens 2 Projekte" in str(too_many.json())
    weighted = cast(client, consultation, {"points": {str(ids[0]): 2}})
    assert weighted.status_code == 400
    assert Ballot.objects.count() == 0
    over_budget = cast(client, consultation, {"points": {str(ids[2]): 1, str(ids[3]): 1}})  # 7,000 EUR
    assert over_budget.status_code == 201, over_budget.content
    assert Ballot.objects.get().content == {"points": {str(ids[2]): 1, str(ids[3]): 1}}


def test_a_knapsack_budget_keeps_to_the_money(client):
    consultation, _, ids = make_consultation("points", "open", settings=BUDGET)
    over = cast(client, consultation, {"points": {str(ids[2]): 1, str(ids[3]): 1}})
    assert over.status_code == 400
    assert "mehr als das Budget" in str(over.json())
    assert cast(client, consultation, {"points": {str(ids[0]): 1, str(ids[3]): 1}}).status_code == 201


def test_a_points_budget_spreads_its_points(client):
    consultation, _, ids = make_consultation(
        "points", "open", settings={**BUDGET, "budget_ballot": "points", "budget_points": 10}
    )
    over = cast(client, consultation, {"points": {str(ids[0]): 7, str(ids[1]): 4}})
    assert over.status_code == 400
    assert "10 Punkte" in str(over.json())
    assert Ballot.objects.count() == 0
    spread = cast(client, consultation, {"points": {str(ids[0]): 7, str(ids[3]): 3}})
    assert spread.status_code == 201
    assert Ballot.objects.get().content == {"points": {str(ids[0]): 7, str(ids[3]): 3}}


def test_the_form_without_javascript_casts_each_style(client):
    consultation, _, ids = make_consultation(
        "points", "open", settings={**BUDGET, "budget_ballot": "points", "budget_points": 10}
    )
    page = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert f'name="points-{ids[0]}"' in page and "1.000" in page
    response = client.post(
        f"/befragungen/{consultation.pk}/stimme/", {f"points-{ids[0]}": "6", f"points-{ids[1]}": "4"}
    )
    assert response.status_code == 200
    assert Ballot.objects.get().content == {"points": {str(ids[0]): 6, str(ids[1]): 4}}

    approval, _, others = make_consultation("points", "open", settings={**BUDGET, "budget_ballot": "approval"})
    page = client.get(f"/befragungen/{approval.pk}/").content.decode()
    assert f'id="choose-{others[0]}"' in page
    client.post(f"/befragungen/{approval.pk}/stimme/", {"choose": [str(others[2]), str(others[3])]})
    assert Ballot.objects.get(consultation=approval).content == {"points": {str(others[2]): 1, str(others[3]): 1}}
