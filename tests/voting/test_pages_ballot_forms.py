"""The consultation page shows the ballot of each method while open, and says when
voting starts or that it has ended otherwise; the measures are always listed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.voting.helpers import make_consultation
from voting import actions

METHODS = {
    "approval": {"max_approvals": 2},
    "score": {"labels": "words"},
    "ranking": {},
    "points": {"budget_points": 10},
    "pairwise": {},
}


def in_phase(method, phase, eligibility="open", settings=None):
    settings = METHODS[method] if settings is None else settings
    if phase == "scheduled":
        consultation, facilitator, ids = make_consultation(
            method, eligibility, settings=settings, open_now=False, opens_at=timezone.now() + timedelta(days=3)
        )
        actions.schedule_consultation(facilitator, consultation)
    else:
        consultation, facilitator, ids = make_consultation(method, eligibility, settings=settings)
        if phase == "closed":
            actions.close_consultation(facilitator, consultation)
    return consultation, ids


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("phase", ["open", "scheduled", "closed"])
def test_page_renders_for_each_method_and_phase(client, method, phase):
    consultation, ids = in_phase(method, phase)
    response = client.get(f"/befragungen/{consultation.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for letter in "ABCD":
        assert f"Maßnahme {letter}" in html
    has_ballot = 'id="stimmzettel"' in html
    assert has_ballot == (phase == "open")
    if phase == "scheduled":
        assert "Die Abstimmung hat noch nicht begonnen" in html
    if phase == "closed":
        assert "Diese Befragung ist beendet" in html


@pytest.mark.django_db
def test_approval_ballot_shows_the_limit_and_a_checkbox_per_measure(client):
    consultation, ids = in_phase("approval", "open")
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "Sie können bis zu 2 Maßnahmen wählen." in html
    for pk in ids:
        assert f'<input type="checkbox" id="approve-{pk}" name="approve" value="{pk}"' in html
        assert f'<label for="approve-{pk}">' in html


@pytest.mark.django_db
def test_score_ballot_in_words_is_one_labelled_radio_group_per_measure(client):
    consultation, ids = in_phase("score", "open")
    response = client.get(f"/befragungen/{consultation.pk}/")
    html = response.content.decode()
    assert html.count('<fieldset class="score-item"') == len(ids)
    assert "<legend>Maßnahme A</legend>" in html
    for word in ("nicht wichtig", "kaum wichtig", "etwas wichtig", "ziemlich wichtig", "sehr wichtig"):
        assert f'<label for="score-{ids[0]}-' in html and f">{word}</label>" in html
    # "keine Angabe" is chosen until the voter grades.
    assert f'id="score-{ids[0]}-none" value="" checked' in html


@pytest.mark.django_db
def test_score_ballot_in_numbers_explains_the_scale(client):
    consultation, ids = in_phase("score", "open", settings={})
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "0 heißt „nicht wichtig“, 5 heißt „sehr wichtig“" in html
    assert f'<label for="score-{ids[0]}-5">5</label>' in html


@pytest.mark.django_db
def test_ranking_ballot_has_a_place_per_measure_for_browsers_without_scripts(client):
    consultation, ids = in_phase("ranking", "open")
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "Platz für „Maßnahme B“" in html
    assert f'<select id="rank-{ids[1]}" name="rank-{ids[1]}"' in html
    assert '<option value="">nicht einordnen</option>' in html


@pytest.mark.django_db
def test_points_ballot_shows_the_budget_of_points(client):
    consultation, ids = in_phase("points", "open")
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "Verteilen Sie 10 Punkte" in html
    assert f'<input type="number" id="points-{ids[0]}" name="points-{ids[0]}" min="0" max="10"' in html
    assert 'id="points-left" aria-live="polite"' in html


@pytest.mark.django_db
def test_participatory_budget_shows_costs_and_the_budget(client):
    consultation, ids = in_phase("points", "open", settings={"use_costs": True, "budget": 5000})
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "Wählen Sie Maßnahmen für ein Budget von 5.000\N{NO-BREAK SPACE}€" in html
    assert 'Maßnahme B – <span class="ballot-cost">2.000\N{NO-BREAK SPACE}€</span>' in html
    assert f'name="choose" value="{ids[1]}"' in html
    assert 'id="budget-total" aria-live="polite"' in html


@pytest.mark.django_db
def test_pairwise_shows_two_measures_and_the_proposal_form(client):
    consultation, ids = in_phase("pairwise", "open")
    response = client.get(f"/befragungen/{consultation.pk}/")
    html = response.content.decode()
    assert html.count('class="pair__choice"') == 2
    assert "Kann mich nicht entscheiden" in html
    assert "Eigenen Vorschlag einreichen" in html
    assert "Die Moderation prüft jeden Vorschlag" in html
    # An open consultation remembers the browser from its first page on.
    assert "consultation_voter" in response.cookies


@pytest.mark.django_db
def test_access_code_ballot_takes_the_code_from_the_letters_link(client):
    consultation, ids = in_phase("approval", "open", eligibility="access_code")
    html = client.get(f"/befragungen/{consultation.pk}/?code=abcd efgh-jkmn-pqrt").content.decode()
    assert '<label for="access-code">Zugangscode aus Ihrem Brief</label>' in html
    assert 'value="ABCD-EFGH-JKMN-PQRT"' in html


@pytest.mark.django_db
def test_account_consultation_asks_to_sign_in_first(client):
    consultation, ids = in_phase("approval", "open", eligibility="account")
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "Um abzustimmen, melden Sie sich bitte mit Ihrem Konto an." in html
    assert f'href="/konto/anmelden/?next=/befragungen/{consultation.pk}/"' in html


@pytest.mark.django_db
def test_measures_link_to_their_pages_with_the_feedback(client):
    consultation, ids = in_phase("approval", "open")
    measure = consultation.options.first().measure
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert f'href="{measure.get_absolute_url()}#rueckmeldungen"' in html
    assert measure.summary in html
