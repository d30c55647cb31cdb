"""E-mails go out in the language the person used on the site, with links back to that language."""

import re

import pytest
from django.core import mail

from tests import factories

PASSWORD = "Neckarufer-Sonnenschein-7"
FORM = {
    "username": "neckarbiene",
    "email": "biene@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "privacy_consent": "on",
}
UMLAUTS = re.compile(r"[äöüÄÖÜß]")


@pytest.mark.django_db
def test_verification_mail_in_english_from_the_english_form(client):
    response = client.post("/en/konto/registrieren/", FORM)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Please verify your email address for “Heilbronn gestaltet digital”"
    assert message.body.startswith("Hello neckarbiene,")
    assert "/en/konto/bestaetigen/" in message.body
    # The platform's German name is the only German left in the English mail.
    assert not UMLAUTS.search(message.body.replace("Heilbronn gestaltet digital", ""))


@pytest.mark.django_db
def test_verification_mail_in_german_from_the_german_form(client):
    client.post("/konto/registrieren/", FORM)
    (message,) = mail.outbox
    assert message.subject.startswith("Bitte bestätigen Sie Ihre E-Mail-Adresse")
    assert message.body.startswith("Hallo neckarbiene,")
    assert re.search(r"https?://[^/\s]+/konto/bestaetigen/", message.body)


@pytest.mark.django_db
def test_password_reset_mail_follows_the_page_language(client):
    factories.make_user(username="erika", email="erika@example.org")
    client.post("/en/konto/passwort-vergessen/", {"email": "erika@example.org"})
    client.post("/konto/passwort-vergessen/", {"email": "erika@example.org"})
    english, german = mail.outbox
    assert english.subject == "New password for “Heilbronn gestaltet digital”"
    assert english.body.startswith("Hello erika,")
    assert "/en/konto/passwort-neu/" in english.body
    assert german.subject == "Neues Passwort für „Heilbronn gestaltet digital“"
    assert german.body.startswith("Hallo erika,")
    assert re.search(r"https?://[^/\s]+/konto/passwort-neu/", german.body)
