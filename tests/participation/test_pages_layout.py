"""The frame around every page: skip link, navigation, account links, language, footer, messages."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from pytest_django.asserts import assertContains, assertNotContains

from participation import views
from tests import factories as f


def test_skip_link_leads_to_the_main_content(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assertContains(response, '<main id="main"')


def test_main_navigation_marks_the_current_page_and_section(client, db):
    f.make_measure(process=f.make_process(slug="p"), slug="m")
    response = client.get("/massnahmen/")
    assertContains(response, '<a href="/massnahmen/" aria-current="page">Maßnahmen</a>', html=True)
    assertContains(response, '<a href="/projekte/">Projekte</a>', html=True)

    response = client.get("/prozesse/p/massnahmen/m/")
    assertContains(response, '<a href="/massnahmen/" aria-current="true">Maßnahmen</a>', html=True)
    for label, path in [
        ("Start", "/"),
        ("Handlungsfelder", "/handlungsfelder/"),
        ("Reallabore", "/reallabore/"),
        ("Über den Prozess", "/ueber/"),
    ]:
        assertContains(response, f'<a href="{path}">{label}</a>', html=True)


def test_anonymous_visitor_sees_login_and_register(client, db):
    response = client.get("/")
    assertContains(response, 'href="/konto/anmelden/"')
    assertContains(response, 'href="/konto/registrieren/"')
    assertNotContains(response, "Abmelden")


def test_signed_in_user_sees_account_link_and_a_logout_form(citizen_client):
    response = citizen_client.get("/")
    html = response.content.decode()
    assertContains(response, '<a href="/konto/">Mein Konto</a>', html=True)
    form = re.search(r'<form[^>]*action="/konto/abmelden/"[^>]*>.*?</form>', html, re.S).group(0)
    assert 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assertNotContains(response, 'href="/konto/anmelden/"')


def test_footer_links_to_data_protection_and_imprint(client, db):
    response = client.get("/massnahmen/")
    assertContains(response, 'href="/ueber/#datenschutz"')
    assertContains(response, 'href="/ueber/#impressum"')


def test_html_lang_follows_the_language(client, db):
    assertContains(client.get("/ueber/"), '<html lang="de">')
    assertContains(client.get("/en/ueber/"), '<html lang="en">')


def test_messages_are_shown_and_escaped(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    messages.success(request, "Ihre Rückmeldung wurde gespeichert <b>sofort</b>.")
    html = views.home(request).content.decode()
    assert 'role="status"' in html
    assert "Ihre Rückmeldung wurde gespeichert &lt;b&gt;sofort&lt;/b&gt;." in html


@pytest.mark.parametrize("path", ["/", "/massnahmen/", "/ueber/"])
def test_pages_link_the_one_stylesheet_and_no_inline_script(client, db, path):
    html = client.get(path).content.decode()
    assert html.count('rel="stylesheet"') == 1
    assert "/static/css/site.css" in html
    # Scripts only from files (the CSP allows no inline script): js/site.js, the menu button.
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert scripts and all(not body.strip() for body in scripts)
    assert re.findall(r"<script\b[^>]*>", html) == ['<script type="module" src="/static/js/site.js">']
    assert "style=" not in html
