"""A wrong access code says what is wrong with it: a code of another consultation is "not for
this survey" (naming the survey when it is public), a code that exists nowhere is a typo and
the answer says what to look for in the letter. The API, the form without JavaScript and the
fast lane (PostgreSQL) give the same answer; the count of wrong codes is as before."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator
from django.core.cache import cache

from config.asgi import application
from voting import actions

from .helpers import make_consultation

NOT_HERE = "gilt nicht für diese Befragung"
NOWHERE = "Diesen Zugangscode gibt es nicht. Prüfen Sie die Schreibweise"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


def two_consultations(other_title="Radwege 2027", other_open=True):
    here, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    titles = {"title": other_title, "title_en": "Cycle paths 2027"}
    there, other_facilitator, _ = make_consultation("approval", "access_code", open_now=other_open, **titles)
    actions.generate_access_codes(facilitator, here, 2)
    (foreign,), _ = actions.generate_access_codes(other_facilitator, there, 1)
    return here, ids, foreign


def put(client, consultation, ids, code, **extra):
    body = {"access_code": code, "ballot": {"approve": [ids[0]]}}
    return client.put(f"/api/consultations/{consultation.pk}/ballot", body, content_type="application/json", **extra)


@pytest.mark.django_db
def test_a_code_of_another_survey_is_not_for_this_one_and_names_it(client):
    here, ids, foreign = two_consultations()
    response = put(client, here, ids, foreign.lower())
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert NOT_HERE in detail and "„Radwege 2027“" in detail
    assert "gibt es nicht" not in detail
    english = put(client, here, ids, foreign, HTTP_ACCEPT_LANGUAGE="en")
    assert "not valid for this survey" in english.json()["detail"]
    assert "Cycle paths 2027" in english.json()["detail"]


@pytest.mark.django_db
def test_a_code_of_a_survey_in_draft_is_not_for_this_one_without_a_name(client):
    here, ids, foreign = two_consultations(other_title="Noch geheim", other_open=False)
    detail = put(client, here, ids, foreign).json()["detail"]
    assert detail == "Dieser Zugangscode gilt nicht für diese Befragung."


@pytest.mark.django_db
def test_a_code_that_exists_nowhere_is_a_typo_with_help_on_reading_the_letter(client):
    here, ids, _foreign = two_consultations()
    response = put(client, here, ids, "ACDE-FGHJ-KMNP-QRTU")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert detail.startswith(NOWHERE) and NOT_HERE not in detail
    assert "„Ihr Zugangscode“" in detail and "16 Zeichen" in detail
    assert "keine 0 und kein O" in detail
    english = put(client, here, ids, "ACDE-FGHJ-KMNP-QRTU", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert english.startswith("This access code does not exist.")


@pytest.mark.django_db
def test_a_typo_is_pointed_out_characters_that_never_occur_and_a_wrong_length(client):
    here, ids, _foreign = two_consultations()
    detail = put(client, here, ids, "ACD0-FGHJ-KMNO-QRT").json()["detail"]
    assert detail.startswith(NOWHERE)
    assert "Sie haben 15 Zeichen eingegeben." in detail
    assert "Die Zeichen „0“, „O“ kommen in Zugangscodes nicht vor." in detail
    one = put(client, here, ids, "ACDE-FGHJ-KMNP-QRT1").json()["detail"]
    assert "Das Zeichen „1“ kommt in Zugangscodes nicht vor." in one and "eingegeben" not in one


@pytest.mark.django_db
def test_the_form_without_javascript_says_the_same(client):
    here, ids, foreign = two_consultations()
    url = f"/befragungen/{here.pk}/stimme/"
    elsewhere = client.post(url, {"approve": [ids[0]], "access_code": foreign})
    assert elsewhere.status_code == 403
    assert "Dieser Zugangscode gilt nicht für diese Befragung, sondern für die Befragung" in elsewhere.content.decode()
    nowhere = client.post(url, {"approve": [ids[0]], "access_code": "ACDE-FGHJ-KMNP-QRTU"})
    assert nowhere.status_code == 403 and NOWHERE in nowhere.content.decode()


@pytest.mark.django_db
def test_both_kinds_count_as_wrong_codes_and_the_limit_answers_as_before(client):
    here, ids, foreign = two_consultations()
    for n in range(actions.FAILED_ATTEMPTS_LIMIT):
        code = foreign if n % 2 else f"WRONG{n:011d}"
        assert put(client, here, ids, code).status_code == 403
    slowed = put(client, here, ids, foreign)
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) > 0
    assert "richtiger Code wird weiterhin angenommen" in slowed.json()["detail"]


async def through_asgi(pk, code, ids):
    raw = json.dumps({"access_code": code, "ballot": {"approve": [ids[0]]}}).encode()
    headers = [(b"host", b"localhost"), (b"content-type", b"application/json"), (b"content-length", b"%d" % len(raw))]
    communicator = HttpCommunicator(application, "PUT", f"/api/consultations/{pk}/ballot", body=raw, headers=headers)
    communicator.scope["client"] = ("10.20.30.40", 50000)
    response = await communicator.get_response(timeout=20)
    await communicator.wait(timeout=20)
    return response["status"], json.loads(response["body"])["detail"]


@pytest.mark.django_db(transaction=True)
async def test_the_asgi_application_gives_the_same_answers():
    """The demo's single server (Daphne) answers ballots as the production one (WSGI)."""
    here, ids, foreign = await sync_to_async(two_consultations)()
    status, detail = await through_asgi(here.pk, foreign, ids)
    assert status == 403 and NOT_HERE in detail and "„Radwege 2027“" in detail
    status, detail = await through_asgi(here.pk, "ACDE-FGHJ-KMNP-QRTU", ids)
    assert status == 403 and detail.startswith(NOWHERE)
