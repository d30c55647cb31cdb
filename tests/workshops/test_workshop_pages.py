"""The workshop pages as served (the live parts are covered by tests/e2e/test_workshop_browser.py)."""

import json
import re

import pytest

from tests import factories
from workshops.actions import create_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(process, facilitator):
    return create_workshop(facilitator, process, "Mobilität <script>alert(1)</script>")


def test_a_code_typed_on_a_phone_leads_to_the_join_page(client, workshop):
    typed = f"{workshop.code[:3].lower()} - {workshop.code[3:].lower()}"
    response = client.get("/w/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/w/{workshop.code}/"


def test_an_unknown_code_is_explained_next_to_the_field(client, workshop):
    response = client.get("/w/", {"code": "zzzzzz"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "Zu diesem Code gibt es keinen Workshop" in html
    assert 'aria-invalid="true"' in html and 'value="zzzzzz"' in html


def test_the_enter_form_is_easy_to_type_a_code_into(client):
    html = client.get("/w/").content.decode()
    field = re.search(r'<input type="text" id="ws-code"[^>]*>', html, re.S).group(0)
    assert 'autocomplete="off"' in field and 'inputmode="text"' in field and 'name="code"' in field
    assert '<label for="ws-code">' in html


def test_pages_escape_the_title_and_carry_no_inline_script(client, workshop):
    for path in ("", "board/", "projector/"):
        html = client.get(f"/w/{workshop.code}/{path}").content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "Mobilität &lt;script&gt;" in html
        for tag in re.findall(r"<script[^>]*>", html):
            assert (
                re.search(r'type="module" src="/static/js/(workshop-[a-z-]+|site)\.js"', tag)
                or 'type="application/json"' in tag
            ), tag
        strings = json.loads(re.search(r'<script id="workshop-strings"[^>]*>(.*?)</script>', html, re.S).group(1))
        assert strings["offline"].startswith("Verbindung unterbrochen")
        assert strings["choices"]["colors"]["yellow"] == "gelb"


def test_the_join_page_posts_to_the_join_endpoint_and_links_facilitators_to_the_console(client, workshop, facilitator):
    html = client.get(f"/w/{workshop.code}/").content.decode()
    assert f'data-api-join="/api/workshops/{workshop.code}/join"' in html
    assert "nur zuschauen" in html
    assert "csrfmiddlewaretoken" in html
    assert f"/w/{workshop.code}/console/" not in html
    client.force_login(facilitator)
    assert f"/w/{workshop.code}/console/" in client.get(f"/w/{workshop.code}/").content.decode()


def test_the_console_is_for_the_process_facilitators_only(client, workshop, facilitator):
    url = f"/w/{workshop.code}/console/"
    assert client.get(url).status_code == 302  # to the login
    client.force_login(factories.make_user())
    assert client.get(url).status_code == 404
    client.force_login(facilitator)
    html = client.get(url).content.decode()
    assert f'<p class="ws-code-big">{workshop.code}</p>' in html
    assert f'src="/api/workshops/{workshop.code}/qr.svg"' in html
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/api/workshops/{workshop.code}/export?format={fmt}&amp;lang=de"' in html


def test_a_draft_workshop_has_no_public_pages(client, process, facilitator):
    draft = create_workshop(facilitator, process, "Entwurf", draft=True)
    for path in ("", "board/", "projector/"):
        assert client.get(f"/w/{draft.code}/{path}").status_code == 404
    assert client.get("/w/", {"code": draft.code}).status_code == 404
    client.force_login(facilitator)
    assert client.get(f"/w/{draft.code}/board/").status_code == 200
