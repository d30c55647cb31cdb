"""Access-code letters: generated codes are shown once, as printable letters with a
QR code of the voting link; a reload or a second send of the form shows nothing again."""

import re

import pytest

from tests.voting.helpers import make_consultation
from voting import actions
from voting.letters import QR_BORDER, qr_matrix
from voting.models import AccessCode

CODE = re.compile(r"<code>([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})</code>")
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture
def consultation_and_client(client):
    consultation, facilitator, ids = make_consultation("ranking", "access_code")
    client.force_login(facilitator)
    return consultation, client


def form_token(client, consultation):
    html = client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    return TOKEN.search(html).group(1)


def generate(client, consultation, count, token=None):
    token = token or form_token(client, consultation)
    url = f"/befragungen/{consultation.pk}/verwaltung/zugangscodes/"
    return client.post(url, {"count": count, "form_token": token}), token


def svg_modules(svg):
    """The dark modules drawn by a letter's path, as a set of (x, y)."""
    path = re.search(r'<path fill="#000" d="([^"]*)"', svg).group(1)
    dark = set()
    for x, y, width in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", path):
        for dx in range(int(width)):
            dark.add((int(x) + dx - QR_BORDER, int(y) - QR_BORDER))
    return dark


@pytest.mark.django_db
def test_letters_show_each_new_code_once_with_a_qr_code(consultation_and_client):
    consultation, client = consultation_and_client
    response, _ = generate(client, consultation, 3)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    codes = CODE.findall(html)
    assert len(codes) == 3 == len(set(codes))
    assert html.count('<article class="letter"') == 3
    assert html.count('<svg class="letter__qr"') == 3
    assert "Diese Codes werden nur jetzt angezeigt." in html
    assert html.count(f"http://testserver/befragungen/{consultation.pk}/") == 3
    # They are real codes of this consultation.
    for code in codes:
        assert actions.resolve_voter(consultation, access_code=code).access_code_id is not None


@pytest.mark.django_db
def test_qr_code_holds_the_voting_link_with_the_code(consultation_and_client):
    consultation, client = consultation_and_client
    response, _ = generate(client, consultation, 1)
    html = response.content.decode()
    (code,) = CODE.findall(html)
    svg = re.search(r'<svg class="letter__qr".*?</svg>', html).group(0)
    expected = qr_matrix(f"http://testserver/befragungen/{consultation.pk}/?code={code}")
    dark = {(x, y) for y, row in enumerate(expected) for x, on in enumerate(row) if on}
    assert svg_modules(svg) == dark


@pytest.mark.django_db
def test_a_reload_does_not_show_the_codes_again_nor_make_new_ones(consultation_and_client):
    consultation, client = consultation_and_client
    first, token = generate(client, consultation, 2)
    codes = CODE.findall(first.content.decode())
    again, _ = generate(client, consultation, 2, token=token)
    assert again.status_code == 410
    html = again.content.decode()
    assert "Diese Codes wurden bereits angezeigt" in html
    assert not CODE.findall(html)
    assert AccessCode.objects.filter(consultation=consultation).count() == 2
    management = client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert all(code not in management for code in codes)
    assert "<td>2</td><td>0</td>" in management  # the batch: 2 codes, none used yet


@pytest.mark.django_db
def test_too_many_codes_at_once_are_refused(consultation_and_client):
    consultation, client = consultation_and_client
    response, _ = generate(client, consultation, 1001)
    assert response.status_code == 400
    assert not AccessCode.objects.exists()


@pytest.mark.django_db
def test_consultations_without_access_codes_offer_no_letters(client):
    consultation, facilitator, ids = make_consultation("ranking", "open")
    client.force_login(facilitator)
    html = client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert "Zugangscodes und Briefe" not in html
    response = client.post(f"/befragungen/{consultation.pk}/verwaltung/zugangscodes/", {"count": 2, "form_token": "x"})
    assert response.status_code == 404
    assert not AccessCode.objects.exists()


@pytest.mark.django_db
def test_each_letter_carries_a_paper_ballot_with_its_code_and_every_measure(consultation_and_client):
    consultation, client = consultation_and_client
    response, _ = generate(client, consultation, 2)
    html = response.content.decode()
    codes = CODE.findall(html)
    assert html.count('<section class="letter__ballot"') == 2
    for code in codes:
        assert f'<span class="letter__ballot-code">{code}</span>' in html
    titles = [option.measure.title for option in consultation.options.select_related("measure")]
    ballot = html[html.index('<section class="letter__ballot"') :]
    assert all(title in ballot for title in titles)
    assert "Stimmzettel für die Abgabe auf Papier" in ballot
