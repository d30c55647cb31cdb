"""After 5 wrong passwords for one account from one address, that account is locked for
that address for 15 minutes, even with the right password, with a clear message; other
addresses and other accounts are not affected; the admin's login has the same lock. A
browser that has signed in to the account before (the known-device cookie) passes both
address locks with the right password and has a brake of its own."""

from django.test import Client
from pytest_django.asserts import assertContains

from participation import login, security
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


# --- the known-device cookie: guessers at the same address do not lock out the owner -------------

SCHOOL = "203.0.113.7"


def sign_in_once(client, user):
    """The owner signs in from this browser, which then carries the known-device cookie."""
    response = attempt(client, user.username, factories.PASSWORD, address=SCHOOL)
    assert response.status_code == 302
    cookie = response.cookies[login.KNOWN_DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    client.logout()  # the test client's logout forgets every cookie; a browser keeps this one
    client.cookies[login.KNOWN_DEVICE_COOKIE] = cookie.value


def guess_from_the_school(user, monkeypatch):
    """Another browser at the same address: wrong passwords for the owner's account and for
    made-up names, past both locks."""
    monkeypatch.setattr(security, "LOGIN_FAILURES_PER_ADDRESS", 6)
    guesser = Client()
    for n in range(security.LOGIN_FAILURES_PER_ACCOUNT):
        attempt(guesser, user.username, f"falsch{n}", address=SCHOOL)
    for n in range(6):
        attempt(guesser, f"geraten{n}", "falsch", address=SCHOOL)
    assertContains(attempt(guesser, user.username, factories.PASSWORD, address=SCHOOL), LOCKED)
    return guesser


def test_a_browser_that_signed_in_before_is_not_locked_out_by_guessers_at_its_address(client, db, monkeypatch):
    user = factories.make_user()
    sign_in_once(client, user)
    guess_from_the_school(user, monkeypatch)
    assert attempt(client, user.username, factories.PASSWORD, address=SCHOOL).status_code == 302
    # A browser that never signed in to the account stays behind the address's lock.
    assertContains(attempt(Client(), user.username, factories.PASSWORD, address=SCHOOL), LOCKED)


def test_a_known_browser_has_its_own_brake(client, db):
    user = factories.make_user()
    sign_in_once(client, user)
    for n in range(security.LOGIN_FAILURES_PER_DEVICE):
        assert LOCKED not in attempt(client, user.username, f"falsch{n}", address=SCHOOL).content.decode()
    assertContains(attempt(client, user.username, factories.PASSWORD, address=SCHOOL), LOCKED)


def test_the_cookie_of_one_account_does_not_help_against_another(client, db, monkeypatch):
    owner, guesser_account = factories.make_user(), factories.make_user()
    sign_in_once(client, guesser_account)  # the guesser's own account on the guesser's browser
    for n in range(security.LOGIN_FAILURES_PER_ACCOUNT):
        attempt(client, owner.username, f"falsch{n}", address=SCHOOL)
    assertContains(attempt(client, owner.username, factories.PASSWORD, address=SCHOOL), LOCKED)


def test_a_forged_cookie_is_ignored(client, db):
    user = factories.make_user()
    for n in range(security.LOGIN_FAILURES_PER_ACCOUNT):
        attempt(client, user.username, f"falsch{n}", address=SCHOOL)
    client.cookies[login.KNOWN_DEVICE_COOKIE] = '{"d": "x", "a": ["' + login._account_tag(user.username) + '"]}'
    assertContains(attempt(client, user.username, factories.PASSWORD, address=SCHOOL), LOCKED)
