"""Registering from a measure leads back to that measure: the page one came from travels
through the registration, the verification mail's link and the verification (and a link
asked for again), and the confirmation is said where the page lands. Only pages of this
site: any other address is dropped."""

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client

from participation.models import User
from tests import factories

PASSWORD = "Neckarufer-Sonnenschein-7"
VERIFIED = "Danke! Ihre E-Mail-Adresse ist bestätigt und Sie sind angemeldet."


def form(**overrides):
    data = {
        "username": "neckarbiene",
        "email": "biene@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    return {**data, **overrides}


def mailed_link(message):
    match = re.search(r"https?://[^/\s]+(/konto/bestaetigen/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def link_to(html, text):
    """The last link with this text (the header's come first)."""
    found = re.findall(r'<a href="([^"]+)">' + re.escape(text) + "</a>", html)
    assert found, text
    return found[-1].replace("&amp;", "&")


@pytest.fixture
def measure(process):
    return factories.make_measure(process)


@pytest.mark.django_db
def test_registering_from_a_measure_leads_back_to_its_feedback_after_verifying(client, measure):
    page = measure.get_absolute_url()
    register = link_to(client.get(page).content.decode(), "Konto anlegen")
    assert register == f"/konto/registrieren/?next={quote(page)}%23rueckmeldungen"

    form_page = client.get(register).content.decode()
    assert f'name="next" value="{page}#rueckmeldungen"' in form_page
    response = client.post("/konto/registrieren/", form(next=f"{page}#rueckmeldungen"))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/bestaetigung-gesendet/?next=")

    link = mailed_link(mail.outbox[0])
    assert "next=" in link
    verified = client.get(link)
    assert verified.status_code == 302
    assert verified["Location"] == f"{page}#rueckmeldungen"
    assert User.objects.get(username="neckarbiene").email_verified

    landed = client.get(verified["Location"]).content.decode()
    section = landed[landed.index('id="rueckmeldungen"') :]
    # Said in the feedback section where the page lands, not above it, and the form is there.
    assert VERIFIED in section and VERIFIED not in landed[: landed.index('id="rueckmeldungen"')]
    assert 'name="text"' in section


@pytest.mark.django_db
def test_a_link_asked_for_again_leads_back_too(client, measure):
    page = f"{measure.get_absolute_url()}#rueckmeldungen"
    client.post("/konto/registrieren/", form())  # without a page to go back to
    mail.outbox.clear()

    sent = client.post("/konto/bestaetigung-anfordern/", {"email": "biene@example.org", "next": page})
    assert sent.status_code == 302 and "next=" in sent["Location"]
    assert client.get(mailed_link(mail.outbox[0]))["Location"] == page

    # Signed in but not yet verified: the notice on the measure asks for the link and comes back.
    user = factories.make_user(verified=False)
    signed_in = Client()
    signed_in.force_login(user)
    html = signed_in.get(measure.get_absolute_url()).content.decode()
    resend = link_to(html, "Bestätigungslink erneut anfordern")
    assert "next=" in resend
    assert f'name="next" value="{page}"' in signed_in.get(resend).content.decode()
    back = signed_in.post("/konto/bestaetigung-anfordern/", {"next": page})
    assert back["Location"] == page
    assert signed_in.get(mailed_link(mail.outbox[-1]))["Location"] == page


@pytest.mark.django_db
def test_login_and_registration_pages_pass_the_page_on(client, measure):
    page = measure.get_absolute_url()
    login = client.get(f"/konto/anmelden/?next={quote(page)}").content.decode()
    assert link_to(login, "Konto anlegen") == f"/konto/registrieren/?next={quote(page)}"
    register = client.get(f"/konto/registrieren/?next={quote(page)}").content.decode()
    assert link_to(register, "Anmelden") == f"/konto/anmelden/?next={quote(page)}"


@pytest.mark.django_db
def test_an_address_with_an_account_gets_a_login_link_back_to_the_page(client, measure):
    factories.make_user(username="biene", email="biene@example.org")
    client.post("/konto/registrieren/", form(next=measure.get_absolute_url()))
    assert f"/konto/anmelden/?next={quote(measure.get_absolute_url(), safe='')}" in mail.outbox[0].body


@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "https://a.evil.example/", "x/", "/" * 600],
)
@pytest.mark.django_db
def test_other_sites_and_odd_addresses_are_dropped(client, unsafe):
    response = client.post("/konto/registrieren/", form(next=unsafe))
    assert response["Location"] == "/konto/bestaetigung-gesendet/"
    link = mailed_link(mail.outbox[0])
    assert "next" not in link
    verified = client.get(link + "?next=" + quote(unsafe))
    assert verified.status_code == 200 and "E-Mail-Adresse bestätigt" in verified.content.decode()
    assert "Zurück zur Seite, von der Sie kamen" not in verified.content.decode()


@pytest.mark.django_db
def test_the_header_links_come_back_to_the_page_but_drop_a_letters_access_code(client, measure):
    page = measure.get_absolute_url()
    html = client.get(page).content.decode()
    header = html[: html.index("<main")]
    assert f'href="/konto/registrieren/?next={quote(page)}"' in header
    assert f'href="/konto/anmelden/?next={quote(page)}"' in header
    # A consultation opened from a letter's QR code: the code stays out of every link (and mail).
    consultations = client.get("/befragungen/?code=ACDE-FGHJ-KMNP-QRTU&seite=1").content.decode()
    header = consultations[: consultations.index("<main")]
    assert f'href="/konto/registrieren/?next={quote("/befragungen/?seite=1", safe="/")}"' in header
    assert "ACDE" not in header
    # Where the way back leads nowhere new: the start page and the account pages.
    for plain in ("/", "/konto/anmelden/", "/konto/registrieren/"):
        header = client.get(plain).content.decode().split("<main")[0]
        assert 'href="/konto/registrieren/"' in header, plain
