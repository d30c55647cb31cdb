"""The language: the browser's on the first visit, the switch's choice from then on, /en/ addresses always English."""

import pytest

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9,de;q=0.5"}
GERMAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9,en;q=0.8"}


@pytest.fixture
def pages(db):
    from tests import factories

    factories.make_process(slug="digital", title="Digitalstrategie", title_en="Digital strategy")


def test_first_visit_with_an_english_browser_goes_to_the_english_page(client, pages):
    response = client.get("/massnahmen/?q=Tablet", **ENGLISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/en/massnahmen/?q=Tablet"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    page = client.get(response["Location"], **ENGLISH_BROWSER)
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()


def test_first_visit_with_a_german_or_unknown_browser_stays_german(client, pages):
    for header in (GERMAN_BROWSER, {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}, {}):
        response = client.get("/massnahmen/", **header)
        assert response.status_code == 200, header
        assert '<html lang="de">' in response.content.decode()
        assert "Accept-Language" in response["Vary"]


def test_an_english_address_is_english_whatever_the_browser_says(client, pages):
    response = client.get("/en/massnahmen/", **GERMAN_BROWSER)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_the_choice_of_german_is_remembered_over_an_english_browser(client, pages):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/en/massnahmen/"}, **ENGLISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/massnahmen/"
    assert client.cookies["django_language"].value == "de"
    assert client.cookies["django_language"]["max-age"] >= 365 * 24 * 3600

    # Later visits, with the same English browser: German, because the visitor chose it.
    for path in ("/massnahmen/", "/"):
        response = client.get(path, **ENGLISH_BROWSER)
        assert response.status_code == 200, path
        assert '<html lang="de">' in response.content.decode()


def test_the_choice_of_english_is_remembered_over_a_german_browser(client, pages):
    client.post("/i18n/setlang/", {"language": "en", "next": "/massnahmen/"}, **GERMAN_BROWSER)
    response = client.get("/", **GERMAN_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_a_form_posted_to_a_german_address_is_not_redirected(client, pages):
    # A POST cannot follow a redirect with its body; it is answered at its address.
    response = client.post("/konto/anmelden/", {"username": "x", "password": "y"}, **ENGLISH_BROWSER)
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


def test_the_api_answers_in_the_browsers_language(client, pages):
    english = client.get("/api/measures/?status=nonsense", **ENGLISH_BROWSER)
    german = client.get("/api/measures/?status=nonsense", **GERMAN_BROWSER)
    assert english.status_code == german.status_code == 400
    assert english["Content-Language"] == "en"
    assert german["Content-Language"] == "de"
    assert english.json() != german.json()


def test_lang_in_the_query_names_the_language(client, pages):
    response = client.get("/massnahmen/?lang=en", **GERMAN_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/en/massnahmen/?lang=en"
    assert '<html lang="en">' in client.get(response["Location"], **GERMAN_BROWSER).content.decode()
    response = client.get("/en/massnahmen/?lang=de", **ENGLISH_BROWSER)
    assert response["Location"] == "/massnahmen/?lang=de"
    response = client.get(response["Location"], **ENGLISH_BROWSER)
    assert '<html lang="de">' in response.content.decode()
    # It names the language of this visit only; the remembered choice stays as it was.
    assert "django_language" not in response.cookies
    api = client.get("/api/measures/?status=nonsense&lang=en", **GERMAN_BROWSER)
    assert api["Content-Language"] == "en"


def test_the_switch_on_a_page_that_answers_a_form_goes_back_to_the_forms_page(client, db):
    from tests.voting.helpers import make_consultation

    consultation, _facilitator, ids = make_consultation("approval", "open")
    page = f"/en/befragungen/{consultation.pk}/"
    # The ballot without JavaScript: the answer is rendered at …/stimme/, which takes only POSTs.
    response = client.post(f"{page}stimme/", {"approve": [ids[0]]}, HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 200
    assert f'<input type="hidden" name="next" value="{page}">' in response.content.decode()
    switched = client.post("/i18n/setlang/", {"language": "de", "next": page})
    assert switched["Location"] == f"/befragungen/{consultation.pk}/"
    assert client.get(switched["Location"]).status_code == 200
