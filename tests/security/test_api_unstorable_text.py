"""Text that PostgreSQL cannot store (a NUL character, a lone UTF-16 surrogate written as
a JSON escape) is refused with a 400 wherever the API takes text, never a 500.

schemathesis generates valid Unicode only, so these two are tried here by hand, in every
text field of every write endpoint."""

import pytest

from .world import build_world, token

UNSTORABLE = ["Karte\x00mit NUL", "halbes Zeichen \ud800"]


def writes(w):
    c = w.open_ranking.pk
    p = w.pairwise.pk
    return [
        ("post", "/api/measures/", {"process": w.process.pk, "title": "T", "summary": "S"}, ["title", "summary"]),
        ("patch", f"/api/measures/{w.measures[0].pk}/", {"title": "T"}, ["title"]),
        ("post", "/api/workshops/", {"process": w.process.pk, "title": "T"}, ["title", "agenda"]),
        ("post", f"/api/workshops/{w.workshop.code}/join", {"display_name": "Kim"}, ["display_name", "role"]),
        (
            "post",
            "/api/consultations/",
            {
                "process": w.process.pk,
                "title": "T",
                "method": "approval",
                "eligibility": "account",
                "options": [m.pk for m in w.measures],
            },
            ["title", "description", "title_en", "description_en", "method", "opens_at"],
        ),
        ("put", f"/api/consultations/{c}/ballot", {"ballot": {"ranking": []}}, ["access_code"]),
        ("post", f"/api/consultations/{p}/proposals", {"title": "T"}, ["title", "description"]),
        ("post", f"/api/consultations/{p}/pairs", {"left": 1, "right": 2}, ["choice"]),
    ]


@pytest.mark.parametrize("text", UNSTORABLE, ids=["nul", "surrogate"])
def test_unstorable_text_is_a_400_in_every_field(client, db, text):
    world = build_world()
    auth = {"HTTP_AUTHORIZATION": f"Token {token(world.facilitator)}"}
    wrong = []
    for method, path, body, fields in writes(world):
        for name in fields:
            response = getattr(client, method)(path, {**body, name: text}, content_type="application/json", **auth)
            if response.status_code != 400:
                wrong.append(f"{method.upper()} {path} {name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
