"""After 5 wrong passwords for one account from one address, that account is locked for
that address for 15 minutes, even with the right password, with a clear message; other
addresses and other accounts are not affected; the admin's login has the same lock."""

from pytest_django.asserts import assertContains

from participation import security
from tests import factories

LOGIN = "/konto/anmelden/"
LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"


def attempt(client, username, password, address="203.0.113.7", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_for_that_address(client, db):
    user = factories.make_user()
    for _ in range(security.LOGIN_FAILURES_PER_ACCOUNT):
        response = attempt(client, user.username, "falsch-geraten")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    # Now even the right password is refused, with a message that says why and what to do.
    response = attempt(client, user.username, factories.PASSWORD)
    assertContains(response, LOCKED)
    assert "_auth_user_id" not in client.session
    # From another address the owner can still sign in.
    assert attempt(client, user.username, factories.PASSWORD, address="198.51.100.9").status_code == 302


def test_unknown_accounts_lock_the_same_way(client, db):
    """The same answer for made-up names: the lock does not tell which accounts exist."""
    for _ in range(security.LOGIN_FAILURES_PER_ACCOUNT):
        attempt(client, "gibt-es-nicht", "falsch")
    assertContains(attempt(client, "gibt-es-nicht", "falsch"), LOCKED)


def test_a_successful_login_resets_the_count(client, db):
    user = factories.make_user()
    for _ in range(security.LOGIN_FAILURES_PER_ACCOUNT - 1):
        attempt(client, user.username, "falsch")
    assert attempt(client, user.username, factories.PASSWORD).status_code == 302
    client.logout()
    for _ in range(security.LOGIN_FAILURES_PER_ACCOUNT - 1):
        attempt(client, user.username, "falsch")
    assert attempt(client, user.username, factories.PASSWORD).status_code == 302


def test_one_address_is_locked_after_many_failures_over_many_accounts(client, db, monkeypatch):
    monkeypatch.setattr(security, "LOGIN_FAILURES_PER_ADDRESS", 6)
    user = factories.make_user()
    for n in range(6):
        attempt(client, f"geraten{n}", "falsch")
    assertContains(attempt(client, user.username, factories.PASSWORD), LOCKED)


def test_the_admin_login_locks_too(client, db):
    admin = factories.make_user(is_staff=True, is_superuser=True)
    for _ in range(security.LOGIN_FAILURES_PER_ACCOUNT):
        attempt(client, admin.username, "falsch", url="/admin/login/")
    response = attempt(client, admin.username, factories.PASSWORD, url="/admin/login/")
    assertContains(response, LOCKED)
