import re

import pytest
from django.core import mail

from tests import factories


@pytest.mark.django_db
def test_login_with_the_right_password_leads_to_the_profile(client):
    user = factories.make_user(username="hanna")

    response = client.post("/konto/anmelden/", {"username": "hanna", "password": factories.PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_with_a_wrong_password_fails_visibly(client):
    factories.make_user(username="hanna")

    response = client.post("/konto/anmelden/", {"username": "hanna", "password": "falsch"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_follows_a_local_next_but_not_a_foreign_one(client):
    factories.make_user(username="hanna")
    credentials = {"username": "hanna", "password": factories.PASSWORD}

    local = client.post("/konto/anmelden/", {**credentials, "next": "/massnahmen/"})
    client.post("/konto/abmelden/")
    foreign = client.post("/konto/anmelden/", {**credentials, "next": "https://evil.example/"})

    assert local["Location"] == "/massnahmen/"
    assert foreign["Location"] == "/konto/"


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(citizen_client):
    assert citizen_client.get("/konto/abmelden/").status_code == 405

    response = citizen_client.post("/konto/abmelden/")

    assert response.status_code == 302
    assert "_auth_user_id" not in citizen_client.session


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = factories.make_user(email="hanna@example.org")

    response = client.post("/konto/passwort-vergessen/", {"email": "HANNA@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/konto/passwort-vergessen/gesendet/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanna@example.org"]
    path = re.search(r"https?://[^/\s]+(/konto/passwort-neu/\S+/\S+/)", mail.outbox[0].body).group(1)
    # Django swaps the token for a session marker and redirects to the form.
    form_url = client.get(path)["Location"]
    new_password = "Kiliansplatz-Turmuhr-93"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})

    assert done.status_code == 302
    assert done["Location"] == "/konto/passwort-neu/fertig/"
    user.refresh_from_db()
    assert user.check_password(new_password)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post("/konto/passwort-vergessen/", {"email": "niemand@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/konto/passwort-vergessen/gesendet/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_change_needs_the_old_password(citizen_client, citizen):
    new_password = "Wartberg-Aussicht-2024"

    wrong = citizen_client.post(
        "/konto/passwort-aendern/",
        {"old_password": "falsch", "new_password1": new_password, "new_password2": new_password},
    )
    right = citizen_client.post(
        "/konto/passwort-aendern/",
        {"old_password": factories.PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert wrong.status_code == 200
    assert "old_password" in wrong.context["form"].errors
    assert right.status_code == 302
    assert right["Location"] == "/konto/passwort-aendern/fertig/"
    citizen.refresh_from_db()
    assert citizen.check_password(new_password)
