"""Ids beyond 64 bits in filters and pages. SQLite (the default database ``make demo``
serves) cannot even compare a column with such a number (``OverflowError``: a 500 on
``GET /api/labs/?field=145997136194186280960``); PostgreSQL compares it as numeric. An
id filter takes 1 to 2**63 - 1, as the schema says: outside that range it is a 400 naming
the parameter on both databases, inside it an id that names nothing is an empty list.

Runs on the configured database; on PostgreSQL, tests/security/test_api_fuzz.py runs this
module once more on SQLite."""

import pytest

from participation.parsers import MAX_INTEGER
from tests import factories

pytestmark = pytest.mark.django_db

BEYOND = ["145997136194186280960", "183292022568124874752", str(MAX_INTEGER + 1), str(-MAX_INTEGER - 2), "1" * 5000]
ODD = ["²", "1e400", "NaN", "\u202e1", "1\u0301", "", " "]
FILTERS = {
    "/api/fields/": ["process"],
    "/api/measures/": ["process", "field"],
    "/api/projects/": ["process", "field"],
    "/api/labs/": ["process", "field"],
    "/api/consultations/": ["process"],
}


@pytest.fixture
def catalogue(db):
    process = factories.make_process()
    field = factories.make_field(process)
    measure = factories.make_measure(process, field, status="proposed")
    project = factories.make_project(process, field=field)
    lab = factories.make_lab(process)
    lab.projects.add(project)
    return measure


def test_the_reported_addresses_answer_400_naming_the_parameter(client, catalogue):
    for url, name in [
        ("/api/labs/?field=145997136194186280960", "field"),
        ("/api/measures/?page=3471&process=183292022568124874752&status=proposed", "process"),
    ]:
        response = client.get(url)
        assert response.status_code == 400, (url, response.content[:200])
        assert list(response.json()) == [name]
        assert "9223372036854775807" in response.json()[name][0]


def test_every_id_filter_beyond_64_bits_is_a_400_naming_it(client, catalogue):
    wrong = []
    for path, names in FILTERS.items():
        for name in names:
            for value in BEYOND:
                response = client.get(path, {name: value})
                if response.status_code != 400 or name not in response.json():
                    wrong.append(f"{path}?{name}={value[:24]}: {response.status_code} {response.content[:120]}")
    assert not wrong, "\n".join(wrong)


def test_odd_values_in_id_filters_are_a_400_naming_them(client, catalogue):
    wrong = []
    for path, names in FILTERS.items():
        for name in names:
            for value in ODD:
                response = client.get(path, {name: value})
                # An empty value is no filter (as in an HTML form): the whole list.
                expected = 200 if value == "" else 400
                if response.status_code != expected:
                    wrong.append(f"{path}?{name}={value!r}: {response.status_code} {response.content[:120]}")
    assert not wrong, "\n".join(wrong)


def test_the_largest_id_is_simply_not_found(client, catalogue):
    for path, names in FILTERS.items():
        for name in names:
            response = client.get(path, {name: str(MAX_INTEGER)})
            assert response.status_code == 200, (path, name, response.content[:200])
            body = response.json()
            assert (body if isinstance(body, list) else body["results"]) == [], (path, name)


def test_pages_beyond_64_bits_or_of_thousands_of_digits(client, catalogue):
    for value in BEYOND[:3] + ["1" * 5000]:
        response = client.get("/api/measures/", {"page": value})
        assert response.status_code == 404, response.content[:200]  # a page past the end
        assert "detail" in response.json()
        response = client.get("/api/measures/", {"page_size": value})
        assert response.status_code == 200  # at most 200 a page
        assert [m["id"] for m in response.json()["results"]] == [catalogue.pk]
    for value in ("²", "-1", "0", "1e400"):
        for name in ("page", "page_size"):
            response = client.get("/api/measures/", {name: value})
            assert response.status_code == 400 and name in response.json(), (name, value)


def test_a_detail_address_ignores_the_lists_filters(client, catalogue):
    """A stray list filter on a detail address is no 400 the schema does not document."""
    for value in (BEYOND[0], "²", str(catalogue.process_id + 1)):
        response = client.get(f"/api/measures/{catalogue.pk}/", {"process": value, "field": value})
        assert response.status_code == 200, (value, response.content[:200])
        assert response.json()["id"] == catalogue.pk


def test_the_schema_documents_the_range(client):
    schema = client.get("/api/schema/?format=json").json()
    for path, names in FILTERS.items():
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        for name in names:
            assert parameters[name]["schema"]["minimum"] == 1, (path, name)
            assert parameters[name]["schema"]["maximum"] == MAX_INTEGER, (path, name)


@pytest.mark.parametrize("path", ["/massnahmen/", "/projekte/", "/en/massnahmen/"])
def test_html_list_filters_beyond_64_bits_show_the_list_not_a_500(client, catalogue, path):
    for value in BEYOND + ODD:
        response = client.get(path, {"process": value, "field": value, "page": value, "q": value})
        assert response.status_code == 200, (path, value[:24], response.content[:200])


def test_query_bytes_that_are_not_utf8_are_a_400_not_a_500(client, catalogue):
    for path, names in FILTERS.items():
        for name in names:
            response = client.get(path, QUERY_STRING=f"{name}=%ff%fe1")
            assert response.status_code == 400 and name in response.json(), (path, name)
