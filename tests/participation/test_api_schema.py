"""The OpenAPI schema describes the API, and its docs page works without the internet."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

CORE_PATHS = [
    "/api/processes/",
    "/api/processes/{id}/",
    "/api/fields/",
    "/api/fields/{id}/",
    "/api/measures/",
    "/api/measures/{id}/",
    "/api/projects/",
    "/api/projects/{id}/",
    "/api/labs/",
    "/api/labs/{id}/",
]


def test_schema_is_valid_openapi_3_with_the_core_paths(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    for path in CORE_PATHS:
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/measures/"]) == {"get", "post"}
    assert set(schema["paths"]["/api/measures/{id}/"]) == {"get", "patch"}
    assert set(schema["paths"]["/api/labs/"]) == {"get"}
    list_params = {p["name"] for p in schema["paths"]["/api/measures/"]["get"]["parameters"]}
    assert {"process", "field", "status", "origin", "search", "page", "page_size"} <= list_params
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_schema_generates_without_warnings(tmp_path):
    # The same check as `manage.py spectacular --validate --fail-on-warn`.
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/measures/{id}/" in target.read_text()


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            else:
                self.inline_scripts += 1
        elif tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def test_docs_page_uses_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)

    assets = _Assets()
    assets.feed(html)
    assert assets.inline_scripts == 0
    static = [url for url in assets.urls if url.startswith(settings.STATIC_URL)]
    assert any(url.endswith("swagger-ui-bundle.js") for url in static)
    assert any(url.endswith("swagger-ui.css") for url in static)
    for url in static:
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url

    # The set-up script is served by the docs view itself and points at the local schema.
    [script] = [url for url in assets.urls if url.startswith("/api/docs/")]
    setup = client.get(script)
    assert setup.status_code == 200
    assert setup["Content-Type"].startswith("application/javascript")
    assert '"/api/schema/"' in setup.content.decode()
