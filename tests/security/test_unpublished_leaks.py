"""Nothing unpublished leaks: not through lists, search, filters, counts, pages or exports.

Every unpublished thing of the world (a draft process and its measure, an unpublished
measure and lab, an internal project and its owner, a draft consultation, a draft
workshop, hidden feedback, a pending proposal) carries the marker ``CANARY`` in its
title or text. Every list, search, filter, page and export a visitor can reach is
fetched as nobody, a citizen, an expert and a facilitator of another process; the
marker must appear in none of them. The facilitator of the process finds it (so the
marker is findable at all), and the API's counts equal the published items.
"""

import io
import zipfile

import pytest

from participation.models import LivingLab, Measure, Process, Project
from tests import factories

from .world import CANARY, build_world, session_cookie

VISITORS = ["anonymous", "citizen", "expert", "facilitator_other"]
SEARCHES = ["Noch", "Internes", "Geheim", "Verborgenes", "Entwurf"]


def api_urls(w):
    hidden = w.hidden_process.pk
    urls = []
    for name in ("processes", "fields", "measures", "projects", "labs"):
        urls.append(f"/api/{name}/?page_size=200")
        # Words of hidden titles, not the marker itself: pages echo what was searched.
        urls += [f"/api/{name}/?search={word}" for word in SEARCHES]
        if name != "processes":
            urls.append(f"/api/{name}/?process={hidden}")
    urls += [
        "/api/measures/?status=planned",
        "/api/measures/?origin=workshop",
        "/api/projects/?owner_kind=city",
        f"/api/labs/{w.lab.pk}/",
        f"/api/processes/{w.process.pk}/results",
        "/api/consultations/",
        f"/api/consultations/?process={w.process.pk}",
        f"/api/consultations/{w.pairwise.pk}/proposals",
        f"/api/consultations/{w.published.pk}/results",
        f"/api/consultations/{w.published.pk}/ballots",
        f"/api/consultations/{w.published.pk}/export?format=json",
        f"/api/consultations/{w.published.pk}/export?format=csv",
        f"/api/consultations/{w.published.pk}/export?format=xlsx",
        f"/api/consultations/{w.published.pk}/open-data",
        f"/api/workshops/{w.workshop.code}/",
        "/api/schema/",
        "/api/map/",
        f"/api/map/?lab={w.lab.pk}",
        f"/api/map/?lab={w.hidden_lab.pk}",
        f"/api/map/?process={w.hidden_process.slug}",
    ]
    return urls


def page_urls(w):
    slug = w.process.slug
    measure = w.measures[0]
    urls = [
        "/",
        "/en/",
        "/handlungsfelder/",
        "/massnahmen/",
        *[f"/massnahmen/?q={word}" for word in SEARCHES],
        f"/massnahmen/?q=Entwurf&process={w.hidden_process.slug}",
        "/projekte/",
        *[f"/projekte/?q={word}" for word in SEARCHES],
        "/reallabore/",
        f"/prozesse/{slug}/",
        f"/prozesse/{slug}/handlungsfelder/",
        f"/prozesse/{slug}/massnahmen/{measure.slug}/",
        f"/prozesse/{slug}/reallabore/{w.lab.slug}/",
        "/befragungen/",
        f"/befragungen/{w.pairwise.pk}/",
        "/ergebnisse/",
        f"/ergebnisse/{w.published.pk}/",
        f"/ergebnisse/prozesse/{slug}/",
        f"/w/{w.workshop.code}/",
        "/karte/",
    ]
    return urls


def visitor_client(client, role, w):
    if role == "anonymous":
        return client, {}
    if role == "expert":
        user = factories.make_user(role="expert", username="expertin")
    else:
        user = {"citizen": w.citizen, "facilitator_other": w.other_facilitator}[role]
    client.cookies["sessionid"] = session_cookie(user)
    return client, {}


def body_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # ZIP and XLSX: look inside every member
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", VISITORS)
def test_nothing_unpublished_reaches_a_visitor(client, db, role):
    world = build_world()
    client, headers = visitor_client(client, role, world)
    leaks = []
    fetched = 0
    for url in api_urls(world) + page_urls(world):
        response = client.get(url, **headers)
        fetched += 1
        if response.status_code >= 500:
            leaks.append(f"{url}: {response.status_code}")
        elif CANARY in body_text(response):
            leaks.append(f"{url}: {response.status_code} contains the marker")
    assert fetched > 50
    assert not leaks, "\n".join(leaks)


def test_counts_are_those_of_published_things(client, db):
    world = build_world()
    expected = {
        "processes": Process.objects.published().count(),
        "measures": Measure.objects.published().count(),
        "projects": Project.objects.published().count(),
        "labs": LivingLab.objects.published().count(),
    }
    assert expected["measures"] < Measure.objects.count()
    for name, count in expected.items():
        assert client.get(f"/api/{name}/").json()["count"] == count, name
    assert world.hidden_process.pk not in [p["id"] for p in client.get("/api/processes/").json()["results"]]


def test_the_facilitator_of_the_process_does_find_the_marker(client, db):
    """The marker is findable: the same searches show it to the people who manage the process."""
    world = build_world()
    client.force_login(world.facilitator)
    assert CANARY in client.get(f"/api/measures/?search={CANARY}").content.decode()
    assert CANARY in client.get("/api/consultations/").content.decode()
    assert CANARY in client.get(f"/api/consultations/{world.pairwise.pk}/proposals").content.decode()
    assert CANARY in client.get(f"/api/workshops/{world.draft_workshop.code}/").content.decode()
