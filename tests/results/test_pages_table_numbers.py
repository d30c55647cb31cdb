"""The accessible table holds exactly the snapshot's numbers: place, score, intervals."""

import re

import pytest

from .published import published_consultation

pytestmark = pytest.mark.django_db


def cells(html, table_id):
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in rows
    ]


def de(value):
    text = (
        f"{value:.2f}".rstrip("0").rstrip(".")
        if isinstance(value, float) and not value.is_integer()
        else f"{value:.0f}"
    )
    return text.replace(".", ",")


def test_schulze_table_equals_snapshot(client):
    consultation, _, ids, _, snapshot = published_consultation(client)
    result = snapshot.result
    count = result["count"]["schulze"]
    bootstrap = result["uncertainty"]["counts"]["schulze"]["options"]
    html = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    rows = cells(html, "table-schulze")
    titles = {str(o["id"]): o["title"] for o in result["options"]}
    expected, place = [], 1
    for group in count["ranking"]:
        for option in group:
            entry = bootstrap[str(option)]
            low, high = entry["score_interval"]
            best, worst = entry["rank_interval"]
            places = str(best) if best == worst else f"{best}–{worst}"
            expected.append(
                [str(place), titles[str(option)], de(count["scores"][str(option)]), f"{de(low)}–{de(high)}", places]
            )
        place += len(group)
    assert rows == expected
    # Measure A wins with these ballots, on the first row.
    assert rows[0][1] == "Maßnahme A"


def test_measure_names_link_to_their_pages(client):
    consultation, *_ = published_consultation(client)
    html = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    table = html[html.index('id="table-schulze"') :]
    assert re.search(r'<th scope="row"><a href="/prozesse/[^/]+/massnahmen/[^/]+/">Maßnahme A</a></th>', table)


def test_turnout_shows_voters_and_ballots(client):
    consultation, *_, snapshot = published_consultation(client)
    html = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    turnout = html[html.index('id="turnout-title"') : html.index('id="ranking-title"')]
    assert "<dt>Teilnehmende</dt><dd>5</dd>" in turnout
    assert "<dt>Gezählte Stimmzettel</dt><dd>5</dd>" in turnout
    assert 'id="table-over-time"' in turnout
