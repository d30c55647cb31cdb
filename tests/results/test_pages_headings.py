"""Headings on the results pages go down one level at a time (no skipped levels)."""

import re

import pytest

from .published import published_consultation

pytestmark = pytest.mark.django_db


def levels(html):
    main = html[html.index("<main") :]
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", main)]


def assert_in_order(html):
    found = levels(html)
    assert found[0] == 1
    for before, after in zip(found, found[1:], strict=False):
        assert after <= before + 1, found


def test_result_page_and_dashboard_headings_in_order(client):
    consultation, facilitator, *_ = published_consultation(client)
    assert_in_order(client.get(f"/ergebnisse/{consultation.pk}/", {"receipt": "AAAA-CCCC-3333"}).content.decode())
    assert_in_order(client.get(f"/ergebnisse/prozesse/{consultation.process.slug}/").content.decode())
    client.force_login(facilitator)
    assert_in_order(client.get(f"/ergebnisse/prozesse/{consultation.process.slug}/moderation/").content.decode())
