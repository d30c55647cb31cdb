"""The public read endpoints: lists, details, pagination, and what the public never sees."""

from decimal import Decimal

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_processes_list_shows_published_processes_in_both_languages(client, process):
    process.title_en = "Digital strategy"
    process.summary = "Worum es geht"
    process.save()
    hidden = factories.make_process(published=False)

    body = client.get("/api/processes/").json()

    assert body["count"] == 1
    [item] = body["results"]
    assert item["id"] == process.id
    assert item["title"] == process.title
    assert item["title_en"] == "Digital strategy"
    assert item["summary"] == "Worum es geht"
    assert item["slug"] == process.slug
    assert client.get(f"/api/processes/{hidden.id}/").status_code == 404


def test_process_detail(client, process):
    response = client.get(f"/api/processes/{process.id}/")
    assert response.status_code == 200
    assert response.json()["slug"] == process.slug


@pytest.mark.parametrize("path", ["processes", "fields", "measures", "projects", "labs"])
def test_unknown_or_malformed_id_is_404(client, db, path):
    assert client.get(f"/api/{path}/999999/").status_code == 404
    assert client.get(f"/api/{path}/abc/").status_code == 404


def test_fields_of_unpublished_processes_are_invisible(client, field):
    hidden_field = factories.make_field(factories.make_process(published=False))

    assert ids(client.get("/api/fields/")) == [field.id]
    assert client.get(f"/api/fields/{hidden_field.id}/").status_code == 404
    item = client.get(f"/api/fields/{field.id}/").json()
    assert item["process"] == field.process_id
    assert item["title"] == field.title
    assert "title_en" in item


def test_measure_detail_has_both_languages_relations_and_labels(client, field):
    measure = factories.make_measure(
        field=field,
        title="Digitales Verkehrsmanagement",
        title_en="Digital traffic management",
        status="in_progress",
        origin="workshop",
        estimated_cost=Decimal("1250000.50"),
    )

    item = client.get(f"/api/measures/{measure.id}/").json()

    assert item["title"] == "Digitales Verkehrsmanagement"
    assert item["title_en"] == "Digital traffic management"
    assert item["process"] == field.process_id
    assert item["field"] == field.id
    assert item["status"] == "in_progress"
    assert item["status_label"] == "in Umsetzung"
    assert item["origin"] == "workshop"
    assert item["origin_label"] == "Expertenworkshop"
    assert item["estimated_cost"] == 1250000.5


def test_unpublished_measures_are_invisible_in_list_count_and_detail(client, process):
    shown = factories.make_measure(process)
    draft = factories.make_measure(process, published=False)
    in_hidden_process = factories.make_measure(factories.make_process(published=False))

    body = client.get("/api/measures/").json()
    assert body["count"] == 1
    assert [m["id"] for m in body["results"]] == [shown.id]
    assert client.get(f"/api/measures/{draft.id}/").status_code == 404
    assert client.get(f"/api/measures/{in_hidden_process.id}/").status_code == 404


def test_citizen_does_not_see_unpublished_measures_either(citizen_client, process):
    draft = factories.make_measure(process, published=False)
    assert ids(citizen_client.get("/api/measures/")) == []
    assert citizen_client.get(f"/api/measures/{draft.id}/").status_code == 404


def test_facilitator_sees_unpublished_measures_of_own_process_only(facilitator_client, process):
    own_draft = factories.make_measure(process, published=False)
    other_draft = factories.make_measure(factories.make_process(), published=False)

    assert ids(facilitator_client.get("/api/measures/")) == [own_draft.id]
    response = facilitator_client.get(f"/api/measures/{own_draft.id}/")
    assert response.status_code == 200
    assert response.json()["published"] is False
    assert facilitator_client.get(f"/api/measures/{other_draft.id}/").status_code == 404


def test_facilitator_list_has_no_duplicates_with_several_facilitators(facilitator_client, process):
    # A process with more facilitators must not repeat its measures in the list.
    factories.make_facilitator(process)
    factories.make_facilitator(process)
    measure = factories.make_measure(process)
    body = facilitator_client.get("/api/measures/").json()
    assert body["count"] == 1
    assert [m["id"] for m in body["results"]] == [measure.id]


def test_projects_show_public_projects_with_owner_and_labels(client, field):
    project = factories.make_project(
        field=field,
        owner_organisation="Stadtwerke Heilbronn",
        owner_kind="company",
        status="running",
        contact_name="Frau Beispiel",
    )
    internal = factories.make_project(field=field, public=False)
    in_hidden_process = factories.make_project(factories.make_process(published=False))

    body = client.get("/api/projects/").json()

    assert body["count"] == 1
    [item] = body["results"]
    assert item["id"] == project.id
    assert item["owner_organisation"] == "Stadtwerke Heilbronn"
    assert item["owner_kind"] == "company"
    assert item["owner_kind_label"] == "Unternehmen"
    assert item["status_label"] == "laufend"
    assert item["field"] == field.id
    assert item["contact_name"] == "Frau Beispiel"
    assert client.get(f"/api/projects/{internal.id}/").status_code == 404
    assert client.get(f"/api/projects/{in_hidden_process.id}/").status_code == 404


def test_internal_projects_are_not_shown_by_facilitators_list_either(facilitator_client, process):
    internal = factories.make_project(process, public=False)
    assert internal.id not in ids(facilitator_client.get("/api/projects/"))


def test_labs_give_coordinates_as_numbers_boundary_and_public_project_ids(client, process):
    public = factories.make_project(process)
    internal = factories.make_project(process, public=False)
    lab = factories.make_lab(
        process,
        latitude=Decimal("49.14270"),
        longitude=Decimal("9.21090"),
        boundary=[[49.1, 9.2], [49.2, 9.2], [49.2, 9.3]],
        area_description="Rund um den Marktplatz",
    )
    lab.projects.add(public, internal)

    item = client.get(f"/api/labs/{lab.id}/").json()

    assert item["latitude"] == 49.1427
    assert item["longitude"] == 9.2109
    assert item["boundary"] == [[49.1, 9.2], [49.2, 9.2], [49.2, 9.3]]
    assert item["area_description"] == "Rund um den Marktplatz"
    assert item["projects"] == [public.id]
    assert [lab_item["projects"] for lab_item in client.get("/api/labs/").json()["results"]] == [[public.id]]


def test_unpublished_labs_are_invisible(client, process):
    lab = factories.make_lab(process, published=False)
    in_hidden_process = factories.make_lab(factories.make_process(published=False))
    assert ids(client.get("/api/labs/")) == []
    assert client.get(f"/api/labs/{lab.id}/").status_code == 404
    assert client.get(f"/api/labs/{in_hidden_process.id}/").status_code == 404


def test_pagination_pages_and_page_size(client, process):
    made = [factories.make_measure(process, title=f"Maßnahme {i:02d}") for i in range(7)]

    first = client.get("/api/measures/?page_size=3").json()
    assert first["count"] == 7
    assert len(first["results"]) == 3
    assert first["next"] is not None and "page=2" in first["next"]
    assert first["previous"] is None

    last = client.get("/api/measures/?page_size=3&page=3").json()
    assert [m["id"] for m in last["results"]] == [made[6].id]
    assert last["next"] is None

    assert client.get("/api/measures/?page_size=3&page=4").status_code == 404


def test_page_size_is_capped_at_200(client, process):
    for _ in range(201):
        factories.make_measure(process)
    body = client.get("/api/measures/?page_size=1000").json()
    assert body["count"] == 201
    assert len(body["results"]) == 200


@pytest.mark.parametrize(
    "query", ["page_size=abc", "page_size=0", "page_size=-5", "page_size=%C2%B2", "page=abc", "page=0", "page=%C2%B2"]
)
def test_malformed_paging_is_400_naming_the_parameter(client, process, query):
    factories.make_measure(process)
    response = client.get(f"/api/measures/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()
