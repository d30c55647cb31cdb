"""Voting without JavaScript: the ballot form posts to the page, which casts the
ballot through the same action as the API and shows the receipt or what went wrong."""

import re

import pytest
from django.core.cache import cache

from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions
from voting.models import Ballot, PairwiseVote, Proposal

RECEIPT = re.compile(r'<code id="receipt-code">([A-Z0-9-]{14})</code>')


def stored(consultation):
    return list(Ballot.objects.filter(consultation=consultation).values_list("content", flat=True))


def receipt_in(response):
    match = RECEIPT.search(response.content.decode())
    return match and match.group(1)


@pytest.mark.django_db
def test_approval_form_casts_the_ballot_and_shows_the_receipt(client):
    consultation, _, ids = make_consultation("approval", "open", settings={"max_approvals": 2})
    response = client.post(f"/befragungen/{consultation.pk}/stimme/", {"approve": [ids[2], ids[0]]})
    assert response.status_code == 200
    assert stored(consultation) == [{"approve": sorted([ids[0], ids[2]])}]
    assert receipt_in(response) == Ballot.objects.get(consultation=consultation).receipt
    # The same browser sees its ballot again on the page, ready to change.
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "Sie haben bereits abgestimmt." in html
    assert f'id="approve-{ids[2]}" name="approve" value="{ids[2]}" checked' in html


@pytest.mark.django_db
def test_score_form_leaves_out_measures_without_a_grade(client):
    consultation, _, ids = make_consultation("score", "open")
    data = {f"score-{ids[0]}": "5", f"score-{ids[1]}": "", f"score-{ids[2]}": "0"}
    assert client.post(f"/befragungen/{consultation.pk}/stimme/", data).status_code == 200
    assert stored(consultation) == [{"scores": {str(ids[0]): 5, str(ids[2]): 0}}]


@pytest.mark.django_db
def test_ranking_form_turns_equal_places_into_ties(client):
    consultation, _, ids = make_consultation("ranking", "open")
    data = {f"rank-{ids[0]}": "2", f"rank-{ids[1]}": "1", f"rank-{ids[2]}": "2", f"rank-{ids[3]}": ""}
    assert client.post(f"/befragungen/{consultation.pk}/stimme/", data).status_code == 200
    assert stored(consultation) == [{"ranking": [[ids[1]], sorted([ids[0], ids[2]])]}]


@pytest.mark.django_db
def test_points_form_over_the_budget_is_refused_and_nothing_stored(client):
    consultation, _, ids = make_consultation("points", "open", settings={"budget_points": 10})
    response = client.post(
        f"/befragungen/{consultation.pk}/stimme/", {f"points-{ids[0]}": "7", f"points-{ids[1]}": "5"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Sie haben 10 Punkte; dieser Stimmzettel vergibt 12." in html
    # The voter's numbers stay in the form to be corrected.
    assert f'name="points-{ids[0]}" min="0" max="10" step="1" inputmode="numeric" value="7"' in html
    assert stored(consultation) == []


@pytest.mark.django_db
def test_points_form_with_words_instead_of_numbers_is_a_400_not_a_500(client):
    consultation, _, ids = make_consultation("points", "open", settings={"budget_points": 10})
    response = client.post(f"/befragungen/{consultation.pk}/stimme/", {f"points-{ids[0]}": "viele"})
    assert response.status_code == 400
    assert "„viele“ ist keine ganze Zahl" in response.content.decode()


@pytest.mark.django_db
def test_participatory_budget_form_casts_the_chosen_measures(client):
    consultation, _, ids = make_consultation("points", "open", settings={"use_costs": True, "budget": 5000})
    response = client.post(f"/befragungen/{consultation.pk}/stimme/", {"choose": [ids[0], ids[2]]})
    assert response.status_code == 200
    assert stored(consultation) == [{"points": {str(ids[0]): 1, str(ids[2]): 1}}]


@pytest.mark.django_db
def test_account_consultation_without_sign_in_says_401_with_a_login_link(client):
    consultation, _, ids = make_consultation("approval", "account")
    response = client.post(f"/befragungen/{consultation.pk}/stimme/", {"approve": [ids[0]]})
    assert response.status_code == 401
    assert "Jetzt anmelden" in response.content.decode()
    assert stored(consultation) == []


@pytest.mark.django_db
def test_signed_in_citizen_votes_and_changes_the_ballot_and_gets_a_new_receipt(client):
    consultation, _, ids = make_consultation("approval", "account")
    client.force_login(factories.make_user())
    first = receipt_in(client.post(f"/befragungen/{consultation.pk}/stimme/", {"approve": [ids[0]]}))
    response = client.post(f"/befragungen/{consultation.pk}/stimme/", {"approve": [ids[1]]})
    assert receipt_in(response) not in (None, first)
    assert "Ihre geänderte Stimme ist gespeichert." in response.content.decode()
    assert stored(consultation) == [{"approve": [ids[1]]}]


@pytest.mark.django_db
def test_wrong_access_code_is_403_and_marks_the_field(client):
    consultation, facilitator, ids = make_consultation("approval", "access_code")
    response = client.post(
        f"/befragungen/{consultation.pk}/stimme/", {"approve": [ids[0]], "access_code": "AAAA-AAAA-AAAA-AAAA"}
    )
    assert response.status_code == 403
    assert 'aria-invalid="true"' in response.content.decode()
    assert stored(consultation) == []


@pytest.mark.django_db
def test_access_code_votes(client):
    consultation, facilitator, ids = make_consultation("approval", "access_code")
    (code,), _ = actions.generate_access_codes(facilitator, consultation, 1)
    response = client.post(
        f"/befragungen/{consultation.pk}/stimme/", {"approve": [ids[3]], "access_code": code.lower()}
    )
    assert response.status_code == 200
    assert stored(consultation) == [{"approve": [ids[3]]}]


@pytest.mark.django_db
def test_voting_after_closing_is_409_and_changes_nothing(client):
    consultation, facilitator, ids = make_consultation("approval", "open")
    actions.close_consultation(facilitator, consultation)
    response = client.post(f"/befragungen/{consultation.pk}/stimme/", {"approve": [ids[0]]})
    assert response.status_code == 409
    assert stored(consultation) == []


@pytest.mark.django_db
def test_pairwise_form_records_the_answer_and_shows_the_next_pair(client):
    consultation, _, ids = make_consultation("pairwise", "open")
    client.get(f"/befragungen/{consultation.pk}/")  # the browser cookie
    response = client.post(
        f"/befragungen/{consultation.pk}/paar/", {"left": ids[0], "right": ids[1], "choice": "right"}
    )
    assert response.status_code == 200
    assert "Gespeichert. Hier ist das nächste Paar." in response.content.decode()
    assert response.content.decode().count('class="pair__choice"') == 2
    vote = PairwiseVote.objects.get(consultation=consultation)
    assert (vote.left_id, vote.right_id, vote.choice) == (ids[0], ids[1], "right")


@pytest.mark.django_db
def test_the_same_pairwise_form_sent_twice_counts_once(client):
    """The form carries the shown pair's id: sending it again (reload, retry) changes nothing."""
    consultation, _, ids = make_consultation("pairwise", "open")
    page = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert 'name="request_id"' in page
    shown = client.post(f"/befragungen/{consultation.pk}/paar/", {}).content.decode()  # "start"
    request_id = re.search(r'name="request_id" id="pair-request-id" value="([^"]+)"', shown).group(1)
    form = {"left": ids[0], "right": ids[1], "choice": "left", "request_id": request_id}
    for _ in range(2):
        assert client.post(f"/befragungen/{consultation.pk}/paar/", form).status_code == 200
    assert PairwiseVote.objects.filter(consultation=consultation).count() == 1


@pytest.mark.django_db
def test_proposal_form_waits_for_the_facilitators_check(client):
    consultation, _, ids = make_consultation("pairwise", "open")
    response = client.post(
        f"/befragungen/{consultation.pk}/vorschlag/", {"title": "Digitale Sprechstunde", "description": "Per Video."}
    )
    assert response.status_code == 200
    assert "Ihr Vorschlag „Digitale Sprechstunde“ ist eingegangen" in response.content.decode()
    proposal = Proposal.objects.get(consultation=consultation)
    assert (proposal.title, proposal.status) == ("Digitale Sprechstunde", "pending")
    assert consultation.options.count() == len(ids)


@pytest.mark.django_db
def test_proposal_without_title_is_refused(client):
    consultation, _, ids = make_consultation("pairwise", "open")
    response = client.post(f"/befragungen/{consultation.pk}/vorschlag/", {"title": " "})
    assert response.status_code == 400
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_wrong_code_on_the_pairwise_form_counts_as_one_failed_attempt(client):
    consultation, _, ids = make_consultation("pairwise", "access_code")
    response = client.post(
        f"/befragungen/{consultation.pk}/paar/",
        {"left": ids[0], "right": ids[1], "choice": "left", "access_code": "AAAA-AAAA-AAAA-AAAA"},
    )
    assert response.status_code == 403
    assert cache.get(actions._failure_key("127.0.0.1")) == 1
    assert not PairwiseVote.objects.exists()
