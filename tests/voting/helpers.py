"""Building consultations for tests."""

from decimal import Decimal

from rest_framework.authtoken.models import Token

from tests import factories
from voting import actions


def make_consultation(method="ranking", eligibility="account", n_options=4, settings=None, open_now=True, **extra):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [
        factories.make_measure(process, title=f"Maßnahme {chr(65 + i)}", estimated_cost=Decimal(1000 * (i + 1)))
        for i in range(n_options)
    ]
    data = {
        "title": "Welche Maßnahmen zuerst?",
        "method": method,
        "eligibility": eligibility,
        "options": [m.pk for m in measures],
        "settings": settings or {},
        **extra,
    }
    consultation = actions.create_consultation(facilitator, process, data)
    if open_now:
        consultation = actions.open_consultation(facilitator, consultation)
    return consultation, facilitator, [m.pk for m in measures]


def token_header(user):
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}
