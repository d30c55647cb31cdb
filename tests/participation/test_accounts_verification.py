import re

import pytest
from django.core import mail, signing

from participation import account_actions
from participation.models import User
from tests import factories


def _verify_path(user):
    return f"/konto/bestaetigen/{account_actions.verification_token(user)}/"


def _signed_in_as(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_a_tampered_link_is_refused_with_a_page_to_ask_for_a_new_one(client):
    user = factories.make_user(verified=False)
    token = account_actions.verification_token(user)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.get(f"/konto/bestaetigen/{tampered}/")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Dieser Bestätigungslink ist ungültig" in html
    assert 'action="/konto/bestaetigung-anfordern/"' in html
    user.refresh_from_db()
    assert user.email_verified is False
    assert not _signed_in_as(client, user)


@pytest.mark.django_db
def test_an_expired_link_is_refused(client, settings, monkeypatch):
    settings.EMAIL_VERIFICATION_MAX_AGE = 3600
    user = factories.make_user(verified=False)
    # Sign the token two hours in the past.
    past = signing.b62_encode(int(signing.time.time()) - 7200)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: past)
    path = _verify_path(user)
    monkeypatch.undo()

    response = client.get(path)

    assert response.status_code == 400
    assert "Dieser Bestätigungslink ist abgelaufen." in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified is False


@pytest.mark.django_db
def test_a_fresh_link_within_the_max_age_works(client, settings):
    settings.EMAIL_VERIFICATION_MAX_AGE = 3600
    user = factories.make_user(verified=False)

    response = client.get(_verify_path(user))

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email_verified is True
    assert _signed_in_as(client, user)


@pytest.mark.django_db
def test_the_link_signs_in_only_once(client):
    user = factories.make_user(verified=False)
    path = _verify_path(user)
    client.get(path)
    client.post("/konto/abmelden/")

    response = client.get(path)

    assert response.status_code == 200
    assert "Diese E-Mail-Adresse war schon bestätigt." in response.content.decode()
    assert not _signed_in_as(client, user)


@pytest.mark.django_db
def test_a_link_for_an_address_the_account_no_longer_has_is_refused(client):
    user = factories.make_user(verified=False, email="alt@example.org")
    path = _verify_path(user)
    User.objects.filter(pk=user.pk).update(email="neu@example.org")

    response = client.get(path)

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified is False


@pytest.mark.django_db
def test_asking_again_mails_unverified_accounts_and_answers_the_same_for_unknown_addresses(client):
    factories.make_user(verified=False, email="offen@example.org")

    known = client.post("/konto/bestaetigung-anfordern/", {"email": "OFFEN@example.org"})
    unknown = client.post("/konto/bestaetigung-anfordern/", {"email": "niemand@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["offen@example.org"]
    assert re.search(r"/konto/bestaetigen/[^\s]+/", mail.outbox[0].body)


@pytest.mark.django_db
def test_a_signed_in_unverified_user_can_ask_for_a_new_link_from_the_profile(client):
    user = factories.make_user(verified=False)
    client.force_login(user)
    profile = client.get("/konto/").content.decode()
    assert "noch nicht bestätigt" in profile

    response = client.post("/konto/bestaetigung-anfordern/")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


@pytest.mark.django_db
def test_a_bad_email_when_asking_again_is_a_form_error(client):
    response = client.post("/konto/bestaetigung-anfordern/", {"email": "kein-at-zeichen"})

    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert mail.outbox == []
