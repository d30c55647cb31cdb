"""The rules of the sign-in with the city's account that the browser test does not walk:
an unconfirmed account with the same address is taken over (its password no longer works);
the callback answers junk with the login page and a message, never a 500; without
configuration the addresses do not exist; the link is in the data export and goes with the
account. (The whole sign-in against a real provider: tests/e2e/test_city_login_browser.py.)"""

import pytest
from django.test import Client, override_settings

from participation.city_login import CityAccountBackend
from participation.models import CityAccountLink, User
from tests import factories

CITY = {
    "CITY_LOGIN": True,
    "OIDC_RP_CLIENT_ID": "beteiligung",
    "OIDC_RP_CLIENT_SECRET": "geheim",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "http://127.0.0.1:9/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "http://127.0.0.1:9/token",
    "OIDC_OP_USER_ENDPOINT": "http://127.0.0.1:9/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "http://127.0.0.1:9/jwks",
}


@pytest.mark.django_db
@override_settings(**CITY)
def test_an_unconfirmed_account_with_the_address_is_taken_over_by_its_owner():
    squatter = factories.make_user(username="vorweg", email="anna@example.org", verified=False)
    assert squatter.has_usable_password()
    user = CityAccountBackend()._account("https://id.example.org", "sub-1", "anna@example.org")
    assert user.pk == squatter.pk
    user.refresh_from_db()
    assert user.email_verified and not user.has_usable_password()
    assert not Client().login(username="vorweg", password=factories.PASSWORD)
    # A new person gets a new account with a free name.
    factories.make_user(username="bert", email="bert.alt@example.org")
    fresh = CityAccountBackend()._account("https://id.example.org", "sub-2", "bert@example.org")
    assert fresh.username == "bert2" and fresh.email_verified and fresh.role == "citizen"
    assert CityAccountLink.objects.count() == 2


@pytest.mark.django_db
@override_settings(**CITY)
def test_the_callback_answers_junk_with_the_login_page():
    client = Client()
    for query in ("", "?code=x", "?state=y", "?code=x&state=y", "?error=server_error&state=z", "?error=" + "x" * 500):
        response = client.get(f"/stadtkonto/zurueck/{query}")
        assert response.status_code in (302, 400), (query, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == "/konto/anmelden/"
    page = client.get("/konto/anmelden/").content.decode()
    assert "Fehler: server_error" in page
    assert not User.objects.exists()
    # Off to the provider, with the way back kept.
    response = client.get("/stadtkonto/anmelden/?next=/befragungen/")
    assert response.status_code == 302 and response["Location"].startswith("http://127.0.0.1:9/authorize?")
    assert "code_challenge=" in response["Location"] and "nonce=" in response["Location"]


@pytest.mark.django_db
def test_without_configuration_there_is_no_city_login(client):
    assert client.get("/stadtkonto/anmelden/").status_code == 404
    assert client.get("/stadtkonto/zurueck/?code=x&state=y").status_code == 404
    assert "Konto der Stadt" not in client.get("/konto/anmelden/").content.decode()


@pytest.mark.django_db
@override_settings(**CITY)
def test_the_link_is_in_the_data_export_and_goes_with_the_account():
    user = CityAccountBackend()._account("https://id.example.org", "sub-9", "clara@example.org")
    client = Client()
    client.force_login(user)
    profile = client.get("/konto/").content.decode()
    assert "Ihr Konto hier hat kein Passwort" in profile and "Passwort ändern" not in profile
    (link,) = client.get("/konto/daten/").json()["city_account_links"]
    assert (link["issuer"], link["subject"]) == ("https://id.example.org", "sub-9")
    # Without a password, the user name confirms the deletion.
    assert client.post("/konto/loeschen/", {"password": "falsch"}).status_code == 400
    assert client.post("/konto/loeschen/", {"password": user.username}).status_code == 302
    assert not CityAccountLink.objects.exists() and not User.objects.filter(pk=user.pk).exists()
