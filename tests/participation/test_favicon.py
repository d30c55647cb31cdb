"""The site has an icon: /favicon.ico answers (browsers ask for it on every page that
names none, e.g. the admin), and the platform's pages name it and its SVG."""

import pytest


def test_favicon_ico_is_an_icon_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert int.from_bytes(body[4:6], "little") == 3  # 16, 32 and 48 px


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/en/", "/befragungen/"])
def test_pages_name_the_icon(client, path):
    html = client.get(path).content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
