"""Filtering the public lists, and a 400 naming the parameter for values that make no sense."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["results"])


def test_measures_filter_by_process_field_status_and_origin(client, process, field):
    other_field = factories.make_field(process)
    a = factories.make_measure(process, field, status="planned", origin="catalogue")
    b = factories.make_measure(process, other_field, status="done", origin="citizen")
    elsewhere = factories.make_measure(factories.make_process(), status="planned")

    assert ids(client.get(f"/api/measures/?process={process.id}")) == sorted([a.id, b.id])
    assert ids(client.get(f"/api/measures/?field={field.id}")) == [a.id]
    assert ids(client.get("/api/measures/?status=planned")) == sorted([a.id, elsewhere.id])
    assert ids(client.get(f"/api/measures/?status=planned&process={process.id}")) == [a.id]
    assert ids(client.get("/api/measures/?origin=citizen")) == [b.id]


def test_filters_do_not_reveal_unpublished_measures(client, process, field):
    factories.make_measure(process, field, status="planned", published=False)
    hidden_process = factories.make_process(published=False)
    factories.make_measure(hidden_process, status="planned")

    for query in (f"process={process.id}", f"field={field.id}", "status=planned", f"process={hidden_process.id}"):
        body = client.get(f"/api/measures/?{query}").json()
        assert body["count"] == 0, query
        assert body["results"] == []


def test_search_matches_german_or_english_title(client, process):
    traffic = factories.make_measure(process, title="Digitales Verkehrsmanagement", title_en="Traffic management")
    portal = factories.make_measure(process, title="Bürgerportal")

    assert ids(client.get("/api/measures/?search=verkehr")) == [traffic.id]
    assert ids(client.get("/api/measures/?search=TRAFFIC")) == [traffic.id]
    assert ids(client.get("/api/measures/?search=Portal")) == [portal.id]
    assert ids(client.get("/api/measures/?search=")) == sorted([traffic.id, portal.id])


def test_projects_filter_by_owner_kind_status_and_field(client, process, field):
    city = factories.make_project(process, field, owner_kind="city", status="running")
    company = factories.make_project(process, owner_kind="company", status="planned")
    factories.make_project(process, field, owner_kind="company", status="running", public=False)

    assert ids(client.get("/api/projects/?owner_kind=company")) == [company.id]
    assert ids(client.get("/api/projects/?status=running")) == [city.id]
    assert ids(client.get(f"/api/projects/?field={field.id}")) == [city.id]
    assert ids(client.get(f"/api/projects/?process={process.id}&search=Projekt")) == sorted([city.id, company.id])


def test_fields_and_processes_filter(client, process, field):
    other = factories.make_process(title="Klimaschutz")
    other_field = factories.make_field(other)

    assert ids(client.get(f"/api/fields/?process={process.id}")) == [field.id]
    assert ids(client.get(f"/api/fields/?process={other.id}")) == [other_field.id]
    assert ids(client.get("/api/processes/?search=klima")) == [other.id]


def test_labs_filter_by_process_and_by_field_of_their_public_projects(client, process, field):
    public_lab = factories.make_lab(process)
    public_lab.projects.add(factories.make_project(process, field))
    internal_only_lab = factories.make_lab(process)
    internal_only_lab.projects.add(factories.make_project(process, field, public=False))
    other_lab = factories.make_lab(factories.make_process())

    assert ids(client.get(f"/api/labs/?process={process.id}")) == sorted([public_lab.id, internal_only_lab.id])
    # An internal project must not place its lab under its field.
    assert ids(client.get(f"/api/labs/?field={field.id}")) == [public_lab.id]
    assert other_lab.id in ids(client.get("/api/labs/"))


@pytest.mark.parametrize(
    ("path", "query", "name"),
    [
        ("measures", "process=abc", "process"),
        ("measures", "process=1.5", "process"),
        ("measures", "field=eins", "field"),
        ("measures", "status=unknown", "status"),
        ("measures", "origin=somewhere", "origin"),
        ("measures", "search=" + "x" * 201, "search"),
        ("measures", "search=a%00b", "search"),
        ("projects", "status=proposed", "status"),  # a measure status, not a project status
        ("projects", "owner_kind=ngo", "owner_kind"),
        ("projects", "field=x", "field"),
        ("fields", "process=x", "process"),
        ("labs", "field=x", "field"),
        ("labs", "process=-1", "process"),
    ],
)
def test_bad_filter_value_is_400_naming_the_field(client, process, path, query, name):
    factories.make_measure(process)
    response = client.get(f"/api/{path}/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [name]
    assert body[name] and isinstance(body[name][0], str)
