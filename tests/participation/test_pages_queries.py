"""List pages cost a fixed number of queries, however many entries they show."""

import pytest

from tests import factories as f

MANY = 20


@pytest.fixture
def crowded(db):
    for _ in range(2):
        process = f.make_process()
        fields = [f.make_field(process) for _ in range(4)]
        for n in range(MANY):
            field = fields[n % len(fields)]
            f.make_measure(field=field)
            project = f.make_project(field=field, owner_organisation=f"Träger {n}")
            if n % 5 == 0:
                lab = f.make_lab(process)
                lab.projects.add(project)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/handlungsfelder/",
        "/massnahmen/",
        "/massnahmen/?status=proposed&q=Ma",
        "/projekte/",
        "/projekte/?owner_kind=city",
        "/reallabore/",
    ],
)
def test_list_pages_do_not_query_per_entry(client, crowded, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(path)
    assert response.status_code == 200


def test_field_and_process_pages_do_not_query_per_entry(client, crowded, django_assert_max_num_queries):
    field = f.make_field(f.make_process(slug="voll"), slug="feld")
    for _ in range(MANY):
        f.make_measure(field=field)
        f.make_project(field=field)
    with django_assert_max_num_queries(10):
        assert client.get("/prozesse/voll/handlungsfelder/feld/").status_code == 200
    with django_assert_max_num_queries(12):  # plus the feedback section
        assert client.get("/prozesse/voll/").status_code == 200
