import re

import pytest
from django.core import mail
from django.test import Client

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


def _page_without_csrf(response):
    """The page a person sees, with the per-request CSRF tokens blanked out."""
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html)


def _register_in_a_fresh_browser(**overrides):
    return Client().post(REGISTER_URL, _form(**overrides), follow=True)


@pytest.mark.django_db
def test_a_registered_address_gets_the_same_page_as_a_new_one_and_its_owner_a_mail():
    owner = factories.make_user(username="erste", email="biene@example.org")

    new = _register_in_a_fresh_browser(username="neckarbiene", email="frisch@example.org")
    taken = _register_in_a_fresh_browser(username="zweite", email="BIENE@example.ORG")

    assert new.redirect_chain == taken.redirect_chain == [("/konto/bestaetigung-gesendet/", 302)]
    assert new.status_code == taken.status_code == 200
    assert _page_without_csrf(new) == _page_without_csrf(taken)
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto" not in _page_without_csrf(taken)
    # No second account, and the owner's account is as it was.
    assert User.objects.filter(email__iexact="biene@example.org").count() == 1
    assert not User.objects.filter(username="zweite").exists()
    owner.refresh_from_db()
    assert owner.check_password(factories.PASSWORD)
    verification, attempt = mail.outbox
    assert verification.to == ["frisch@example.org"]
    assert attempt.to == ["biene@example.org"]
    assert attempt.subject == "Neue Registrierung mit Ihrer E-Mail-Adresse bei „Heilbronn gestaltet digital“"
    assert attempt.body.startswith("Hallo erste,")
    assert re.search(r"https?://[^/\s]+/konto/anmelden/", attempt.body)
    assert re.search(r"https?://[^/\s]+/konto/passwort-vergessen/", attempt.body)
    assert "/konto/bestaetigen/" not in attempt.body


@pytest.mark.django_db
def test_a_taken_username_is_said_alike_whether_or_not_the_address_is_registered():
    factories.make_user(username="neckarbiene", email="biene@example.org")

    fresh_address = _register_in_a_fresh_browser(username="Neckarbiene", email="frisch@example.org")
    owners_address = _register_in_a_fresh_browser(username="Neckarbiene", email="biene@example.org")

    assert fresh_address.status_code == owners_address.status_code == 400
    assert "username" in owners_address.context["form"].errors
    assert "email" not in owners_address.context["form"].errors
    # The same page but for the address typed in, which the form shows again.
    assert _page_without_csrf(fresh_address).replace("frisch@", "X@") == _page_without_csrf(owners_address).replace(
        "biene@", "X@"
    )
    assert User.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_owner_is_told_in_the_language_of_the_page(client):
    factories.make_user(username="erste", email="biene@example.org")

    response = client.post("/en/konto/registrieren/", _form(email="biene@example.org"))

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "New registration with your email address at “Heilbronn gestaltet digital”"
    assert message.body.startswith("Hello erste,")
    assert "/en/konto/anmelden/" in message.body and "/en/konto/passwort-vergessen/" in message.body


@pytest.mark.django_db
def test_attempts_per_email_address_are_limited_alike_for_new_and_registered_addresses():
    factories.make_user(username="erste", email="biene@example.org")
    answers = {}
    for email in ("biene@example.org", "frisch@example.org"):
        answers[email] = [
            _register_in_a_fresh_browser(username=f"n{n}{email[0]}", email=email).status_code for n in range(6)
        ]

    # The owner gets at most five mails an hour; the sixth attempt is refused, as for a new address.
    assert answers["biene@example.org"] == answers["frisch@example.org"] == [200] * 5 + [429]
    assert answers["frisch@example.org"] == [200] * 5 + [429]
    assert len([m for m in mail.outbox if m.to == ["biene@example.org"]]) == 5
    assert User.objects.filter(email__iexact="biene@example.org").count() == 1


@pytest.mark.django_db
def test_registrations_from_one_address_are_limited_and_say_when_to_come_back(client, monkeypatch):
    monkeypatch.setattr("participation.account_views.REGISTRATIONS_PER_ADDRESS", 3)
    for n in range(3):
        assert Client().post(REGISTER_URL, _form(username=f"nutzer{n}", email=f"n{n}@example.org")).status_code == 302

    response = client.post(REGISTER_URL, _form(username="nutzer9", email="n9@example.org"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Zu viele Registrierungen in kurzer Zeit" in response.content.decode()
    assert not User.objects.filter(username="nutzer9").exists()


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


@pytest.mark.django_db
def test_a_mail_server_failure_reads_the_same_for_a_registered_address(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("participation.account_actions.send_mail", refuse)
    factories.make_user(username="erste", email="biene@example.org")

    new = _register_in_a_fresh_browser(username="neckarbiene", email="frisch@example.org")
    taken = _register_in_a_fresh_browser(username="zweite", email="biene@example.org")

    assert new.status_code == taken.status_code == 200
    assert "Die E-Mail konnte gerade nicht verschickt werden" in _page_without_csrf(taken)
    assert _page_without_csrf(new) == _page_without_csrf(taken)
