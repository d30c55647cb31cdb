"""Consultations with cast ballots, closed and published, for the results tests."""

from rest_framework.authtoken.models import Token

from results.actions import publish
from tests import factories
from tests.voting.helpers import make_consultation
from voting.actions import close_consultation

# Voters get ids far from every other id in a test, so a leaked user id is found by a search.
VOTER_ID_BASE = 7_300_000


def make_voter():
    n = factories._n()
    return factories.make_user(id=VOTER_ID_BASE + n, username=f"waehlerin{n}", email=f"waehlerin{n}@example.org")


def cast(client, consultation, ballot):
    """One citizen casts one ballot; returns (user, receipt)."""
    user = make_voter()
    client.force_login(user)
    response = client.put(
        f"/api/consultations/{consultation.pk}/ballot", {"ballot": ballot}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    client.logout()
    return user, response.json()["receipt"]


def ranking_ballots(a, b, c, d):
    """Five rankings: A wins under Schulze (and every other count)."""
    return [
        {"ranking": [[a], [b], [c], [d]]},
        {"ranking": [[a], [c], [b], [d]]},
        {"ranking": [[b], [a], [d], [c]]},
        {"ranking": [[a], [b], [d]]},
        {"ranking": [[c], [a], [b], [d]]},
    ]


def closed_consultation(client, method="ranking", ballots=None, **extra):
    """A consultation with ballots cast and closed: (consultation, facilitator, option ids, [(user, receipt)])."""
    consultation, facilitator, ids = make_consultation(method=method, **extra)
    ballots = ranking_ballots(*ids) if ballots is None else [b(ids) if callable(b) else b for b in ballots]
    voters = [cast(client, consultation, ballot) for ballot in ballots]
    consultation = close_consultation(facilitator, consultation)
    return consultation, facilitator, ids, voters


def published_consultation(client, method="ranking", ballots=None, **extra):
    consultation, facilitator, ids, voters = closed_consultation(client, method, ballots, **extra)
    snapshot, _created = publish(facilitator, consultation)
    return consultation, facilitator, ids, voters, snapshot


def auth(user):
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}
