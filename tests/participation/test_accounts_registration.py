import re

import pytest
from django.core import mail

from participation.models import Role, User
from tests import factories

REGISTER_URL = "/konto/registrieren/"
GOOD_PASSWORD = "Neckarufer-Sonnenschein-7"


def _form(**overrides):
    data = {
        "username": "neckarbiene",
        "email": "Biene@Example.org",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


def _link_path(message):
    match = re.search(r"https?://[^/\s]+(/konto/bestaetigen/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_registration_creates_an_unverified_citizen_and_mails_one_working_link(client):
    response = client.post(REGISTER_URL, _form())

    assert response.status_code == 302
    assert response["Location"] == "/konto/bestaetigung-gesendet/"
    user = User.objects.get(username="neckarbiene")
    assert user.role == Role.CITIZEN
    assert user.email_verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Biene@example.org"]

    page = client.get(_link_path(mail.outbox[0]))

    assert page.status_code == 200
    assert "E-Mail-Adresse bestätigt" in page.content.decode()
    user.refresh_from_db()
    assert user.email_verified is True
    # The link signed the user in.
    assert client.get("/konto/").status_code == 200


@pytest.mark.django_db
def test_the_same_email_in_other_letter_case_is_refused_with_a_message(client):
    factories.make_user(username="erste", email="biene@example.org")

    response = client.post(REGISTER_URL, _form(email="BIENE@example.ORG"))

    assert response.status_code == 400
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto" in response.content.decode()
    assert not User.objects.filter(username="neckarbiene").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_registration_needs_consent_to_the_privacy_notice(client):
    data = _form()
    del data["privacy_consent"]

    response = client.post(REGISTER_URL, data)

    assert response.status_code == 400
    assert "Bitte stimmen Sie den Datenschutzhinweisen zu." in response.content.decode()
    assert not User.objects.filter(username="neckarbiene").exists()


@pytest.mark.django_db
def test_registration_refuses_differing_passwords_and_a_taken_username(client):
    factories.make_user(username="Neckarbiene")

    response = client.post(REGISTER_URL, _form(password2=GOOD_PASSWORD + "x"))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "password2" in errors
    assert "username" in errors
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_registration_page_has_labelled_fields_and_csrf(client):
    response = client.get(REGISTER_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html
    for name in ("username", "email", "password1", "password2", "privacy_consent"):
        assert f'for="id_{name}"' in html
    assert 'href="/ueber/#datenschutz"' in html


@pytest.mark.django_db
def test_a_mail_server_failure_keeps_the_account_and_says_so(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("participation.account_actions.send_mail", refuse)

    response = client.post(REGISTER_URL, _form(), follow=True)

    assert response.status_code == 200
    assert "Die E-Mail konnte gerade nicht verschickt werden" in response.content.decode()
    assert User.objects.filter(username="neckarbiene", email_verified=False).exists()
