"""Every answer carries the browser protections, the pages work under a CSP without inline
scripts, production cookies are Secure/HttpOnly/SameSite with HSTS, sessions rotate on
login, and WebSockets from foreign origins are refused."""

import json
import re

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests import factories

from ..participation.test_settings import GOOD_SECRET, run_django
from .world import build_world

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def pages(w):
    return [
        "/",
        "/massnahmen/",
        f"/prozesse/{w.process.slug}/",
        f"/prozesse/{w.process.slug}/reallabore/{w.lab.slug}/",
        "/karte/",
        f"/befragungen/{w.open_ranking.pk}/",
        f"/befragungen/{w.pairwise.pk}/",
        f"/ergebnisse/{w.published.pk}/",
        f"/w/{w.workshop.code}/",
        f"/w/{w.workshop.code}/board/",
        f"/w/{w.workshop.code}/console/",
        f"/w/{w.workshop.code}/projector/",
        "/konto/anmelden/",
        "/admin/login/",
        "/api/docs/",
    ]


def test_every_page_carries_the_protections_and_has_no_inline_script(client, db):
    world = build_world()
    client.force_login(world.facilitator)
    checked = 0
    for url in pages(world) + ["/api/processes/", "/api/nicht-da/"]:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        policy = response["Content-Security-Policy"]
        script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        if not url.startswith("/api/docs/"):  # Swagger UI alone needs inline styles
            assert "style-src 'self';" in policy, url
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            # What the policy would block must not be in our own pages.
            assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
            assert not INLINE_HANDLER.search(html), (url, INLINE_HANDLER.search(html).group(0))
            assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html).group(0))
            checked += 1
    assert checked >= 12


def test_a_404_under_the_api_is_json(client, db):
    response = client.get("/api/consultations/keine-zahl/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'session_httponly': s.SESSION_COOKIE_HTTPONLY,"
        "'session_samesite': s.SESSION_COOKIE_SAMESITE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'csrf_samesite': s.CSRF_COOKIE_SAMESITE, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'language_secure': s.LANGUAGE_COOKIE_SECURE}))"
    )
    result = run_django({"DEBUG": "0", "SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "beteiligung.example.org"}, code)
    assert result.returncode == 0, result.stderr
    flags = json.loads(result.stdout.strip().splitlines()[-1])
    assert flags["session_secure"] and flags["session_httponly"] and flags["csrf_secure"]
    assert flags["session_samesite"] == "Lax" and flags["csrf_samesite"] == "Lax"
    assert flags["hsts"] >= 31536000 and flags["ssl_redirect"]


def test_the_session_key_changes_at_login(client, db):
    user = factories.make_user()
    session = client.session
    session["vorher"] = True
    session.save()
    before = session.session_key
    response = client.post("/konto/anmelden/", {"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "accepted"), [(b"http://127.0.0.1:8000", True), (b"https://boese.example", False), (None, False)]
)
async def test_websockets_from_foreign_origins_are_refused(origin, accepted):
    headers = [(b"host", b"127.0.0.1:8000")] + ([(b"origin", origin)] if origin else [])
    ws = WebsocketCommunicator(application, "/ws/workshops/ABCDEF/", headers=headers)
    connected, _ = await ws.connect(timeout=5)
    if accepted:
        # Past the origin check; the unknown workshop is closed with 4404.
        assert connected
        assert (await ws.receive_output(timeout=5))["code"] == 4404
    else:
        assert not connected
    await ws.disconnect()
