"""Sign in with the city's account, in real Chromium, against a real OpenID Connect provider
started here on 127.0.0.1 (oidc-provider-mock, built on Authlib): a new citizen comes back
signed in with a confirmed account and votes in a consultation for confirmed accounts; a
second person is linked to their existing account by the confirmed address, and found again
by the provider's id after changing it there; a refused login (Deny) and a provider that
confirms no address come back to the login page with a message, signed out."""

import json
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import LiveSite, free_port, manage

from .test_axe_pages import AXE, assert_accessible

pytestmark = pytest.mark.browser

SETUP = """
import json
from participation.models import Measure, Process, User
from voting import actions
process = Process.objects.get(pk={process})
facilitator = User.objects.filter(facilitated_processes=process).first()
ids = [Measure.objects.create(process=process, title=f"Maßnahme {{c}}", slug=f"m-{{c}}").pk for c in "ABC"]
consultation = actions.create_consultation(facilitator, process, {{
    "title": "Nur für bestätigte Konten", "method": "approval", "eligibility": "account", "options": ids,
}})
actions.open_consultation(facilitator, consultation)
User.objects.create_user("karla", email="karla@example.org", password="Altes-Passwort-123", email_verified=True)
print(json.dumps({{"consultation": consultation.pk}}))
"""


class Provider:
    """``python -m oidc_provider_mock`` on 127.0.0.1, with its endpoints from its discovery document."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                discovery = f"{self.base}/.well-known/openid-configuration"
                with urllib.request.urlopen(discovery, timeout=2) as answer:  # noqa: S310 (http://127.0.0.1 only)
                    self.config = json.load(answer)
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the OpenID provider did not start") from None
                time.sleep(0.2)

    def user(self, sub, **claims):
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
            f"{self.base}/users/{sub}",
            data=json.dumps(claims).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            assert answer.status == 204

    def env(self):
        return {
            "OIDC_RP_CLIENT_ID": "beteiligung-heilbronn",
            "OIDC_RP_CLIENT_SECRET": "geheim-im-test",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.config["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.config["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.config["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.config["jwks_uri"],
            "CITY_LOGIN_LABEL": "Mit dem Servicekonto anmelden",
            # The test provider publishes one key, without a "kid".
            "OIDC_VERIFY_KID": "0",
        }

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def city(browser):
    provider = Provider()
    site = LiveSite()
    site.env.update(provider.env())
    try:
        (server,) = site.setup(names=("city-login",))
        out = json.loads(manage(site.env, "shell", "-c", SETUP.format(process=site.process_id)).splitlines()[-1])
        yield provider, server, out
    finally:
        site.close()
        provider.stop()


def start(browser, server, path="/konto/anmelden/"):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(AXE.axe_script)
    # Nothing leaves the machine: the test provider's page asks a CDN for its stylesheet,
    # which is refused here (the page works unstyled). ``hosts`` keeps what our pages asked for.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    hosts = []

    def note(request):
        if request.frame.url.startswith(server.base):
            hosts.append(urllib.request.urlparse(request.url).hostname)

    context.on("request", note)
    page = context.new_page()
    page.goto(f"{server.base}{path}")
    return context, page, hosts


def at_provider(page, sub, choice="Authorize"):
    page.get_by_role("link", name="Mit dem Servicekonto anmelden").click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    if choice == "Authorize":
        page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name=choice).click()


def test_a_new_citizen_signs_in_with_the_city_account_and_votes(browser, city):
    provider, server, out = city
    provider.user("bund-4711", email="neu@example.org", email_verified=True)
    context, page, hosts = start(browser, server, f"/befragungen/{out['consultation']}/")
    try:
        page.get_by_role("link", name="Anmelden").first.click()
        assert_accessible(page, "login page with the city's account")
        at_provider(page, "bund-4711")
        # Back on the consultation, signed in, allowed to vote.
        expect(page).to_have_url(f"{server.base}/befragungen/{out['consultation']}/")
        expect(page.get_by_role("button", name="Abmelden")).to_be_attached()
        page.get_by_label("Maßnahme A").check()
        page.get_by_role("button", name="Stimme abgeben").click()
        # The ballot is stored: the confirmation with its receipt code.
        expect(page.locator("#confirmation-title")).to_be_visible()
        expect(page.locator("#receipt-code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$"))
        page.goto(f"{server.base}/konto/")
        expect(page.locator(".facts")).to_contain_text("neu@example.org")
        expect(page.locator(".facts")).to_contain_text("bestätigt")
        assert set(hosts) == {"127.0.0.1"}
    finally:
        context.close()


def test_an_existing_account_is_linked_by_its_confirmed_address_and_found_again(browser, city):
    provider, server, out = city
    provider.user("land-0815", email="Karla@Example.org", email_verified=True)
    for _ in range(2):
        context, page, _hosts = start(browser, server)
        try:
            at_provider(page, "land-0815")
            page.goto(f"{server.base}/konto/")
            expect(page.locator(".facts")).to_contain_text("karla")
        finally:
            context.close()
        # Karla changes her address at the provider: the link by its id still finds her account.
        provider.user("land-0815", email="karla.neu@example.org", email_verified=True)


def test_a_refused_login_and_an_unconfirmed_address_come_back_signed_out(browser, city):
    provider, server, out = city
    context, page, _hosts = start(browser, server)
    try:
        at_provider(page, "", choice="Deny")
        expect(page).to_have_url(f"{server.base}/konto/anmelden/")
        expect(page.get_by_text("Sie haben die Anmeldung mit dem Konto der Stadt abgebrochen.")).to_be_visible()
        expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)

        provider.user("ohne-bestaetigung", email="offen@example.org", email_verified=False)
        at_provider(page, "ohne-bestaetigung")
        expect(page).to_have_url(f"{server.base}/konto/anmelden/")
        expect(page.get_by_text("Ihr Konto der Stadt nennt keine bestätigte E-Mail-Adresse.")).to_be_visible()
        expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)
        assert_accessible(page, "login page with the refusal")
    finally:
        context.close()
    users = manage(
        server.env,
        "shell",
        "-c",
        "from participation.models import User; print(sorted(User.objects.values_list('email', flat=True)))",
    )
    assert "offen@example.org" not in users
