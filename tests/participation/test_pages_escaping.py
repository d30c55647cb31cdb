"""Text typed into the admin or into a search box is shown as text, never run as markup."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests import factories as f

EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def evil(db):
    process = f.make_process(slug="p", title=EVIL, summary=EVIL, description=EVIL)
    field = f.make_field(process, slug="f", title=EVIL, summary=EVIL, description=EVIL)
    f.make_measure(field=field, slug="m", title=EVIL, summary=EVIL, description=EVIL)
    project = f.make_project(
        field=field,
        slug="pr",
        title=EVIL,
        summary=EVIL,
        description=EVIL,
        owner_organisation=EVIL,
        contact_name=EVIL,
    )
    lab = f.make_lab(
        process,
        slug="l",
        title=EVIL,
        summary=EVIL,
        description=EVIL,
        area_description=EVIL,
        boundary=[[49.1, 9.2], [49.2, 9.2], [49.2, 9.3]],
    )
    lab.projects.add(project)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/prozesse/p/",
        "/handlungsfelder/",
        "/prozesse/p/handlungsfelder/f/",
        "/massnahmen/",
        "/prozesse/p/massnahmen/m/",
        "/projekte/",
        "/prozesse/p/projekte/pr/",
        "/reallabore/",
        "/prozesse/p/reallabore/l/",
        "/en/prozesse/p/reallabore/l/",
    ],
)
def test_admin_text_is_escaped(client, evil, path):
    response = client.get(path)
    assertContains(response, ESCAPED)
    assertNotContains(response, EVIL)


def test_search_query_is_echoed_escaped(client, db):
    response = client.get("/massnahmen/", {"q": '"><img src=x onerror=alert(1)>'})
    assertContains(response, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
    assertNotContains(response, "<img src=x")


def test_bad_choice_is_echoed_escaped(client, db):
    response = client.get("/massnahmen/", {"status": EVIL})
    assertContains(response, ESCAPED)  # inside the error message
    assertNotContains(response, EVIL)
