"""The record of a workshop: the board as SVG and PNG, the minutes as PDF, and the board's
places, areas, groups and reactions in the exports; unrevealed brainwriting cards stay out."""

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from tests import factories
from workshops import board_render
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import BreakoutGroup, Card, CardLike, CardReaction, Cluster, Comment, ParticipantRole, Question

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
TRICKY = 'Radweg <Ost> & "Brücke" – sicherer'


@pytest.fixture
def board(process, facilitator):
    workshop = create_workshop(facilitator, process, "Mobilität 2030")
    chief = join_workshop(workshop, facilitator, "Moderation", ParticipantRole.FACILITATOR)
    anna = join_workshop(workshop, None, "Anna", ParticipantRole.EXPERT)
    group = BreakoutGroup.objects.create(workshop=workshop, name="Gruppe Nord", x=-40, y=-80, w=1200, h=560)
    traffic = Cluster.objects.create(workshop=workshop, title="Verkehr", x=0, y=0, w=480, h=360, group=group)
    green = Cluster.objects.create(workshop=workshop, title="Grün", x=600, y=0, w=480, h=360)
    cards = {
        "tricky": Card.objects.create(workshop=workshop, author=anna, text=TRICKY, cluster=traffic, x=20, y=60),
        "long": Card.objects.create(
            workshop=workshop, author=anna, text="Busse " * 60, cluster=traffic, x=20, y=200, color="blue"
        ),
        "trees": Card.objects.create(workshop=workshop, author=anna, text="Mehr Bäume", cluster=green, x=640, y=60),
        # Before the canvas, cards lay at 0,0: put in its cluster's area on the picture.
        "old": Card.objects.create(workshop=workshop, author=anna, text="Alte Karte", cluster=green, x=0, y=0),
        "loose": Card.objects.create(workshop=workshop, author=anna, text="Ohne Ort", x=0, y=600, pinned=True),
        "hidden": Card.objects.create(workshop=workshop, author=anna, text="Ausgeblendet", x=0, y=800, hidden=True),
        "private": Card.objects.create(workshop=workshop, author=anna, text="Geheim notiert", x=0, y=900, private=True),
    }
    CardLike.objects.create(card=cards["trees"], participant=anna)
    CardReaction.objects.create(card=cards["trees"], participant=anna, emoji="💡")
    CardReaction.objects.create(card=cards["trees"], participant=chief, emoji="👍")
    CardReaction.objects.create(card=cards["private"], participant=anna, emoji="🎉")
    Comment.objects.create(card=cards["trees"], author=chief, text="Straßenbäume zuerst")
    Comment.objects.create(card=cards["private"], author=anna, text="Privater Kommentar")
    Question.objects.create(workshop=workshop, author=anna, text="Wer bezahlt die Bäume?")
    apply_command(
        chief.pk,
        {"type": "poll.create", "id": "p1", "question": "Was zuerst?", "kind": "single", "options": ["Bäume", "Busse"]},
    )
    poll = workshop.polls.get()
    apply_command(chief.pk, {"type": "poll.open", "id": "p2", "poll": poll.pk})
    apply_command(anna.pk, {"type": "poll.vote", "id": "p3", "poll": poll.pk, "choice": poll.options.first().pk})
    apply_command(chief.pk, {"type": "poll.close", "id": "p4", "poll": poll.pk})
    return workshop, cards, {"traffic": traffic, "green": green}


def inside(inner, outer):
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


def test_the_svg_shows_every_visible_card_escaped_inside_its_clusters_area(board):
    workshop, cards, clusters = board
    source = board_render.svg(board_render.board_data(workshop))
    assert "&lt;Ost&gt; &amp;" in source and "<Ost>" not in source
    root = ET.fromstring(source)  # noqa: S314 (our own output)
    rects = {(r.get("class"), int(r.get("data-id"))): r for r in root.iter(f"{SVG}rect") if r.get("data-id")}

    def box(kind, ref):
        r = rects[(kind, ref)]
        return tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))

    texts = [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    words = " ".join(texts)
    for name in ("tricky", "trees", "old", "loose"):
        card = cards[name]
        assert ("card", card.pk) in rects
        # the text is on the picture, wrapped into lines (joined again here)
        assert " ".join(card.text.split())[:20] in words
        if card.cluster_id:
            assert inside(box("card", card.pk), box("cluster", card.cluster_id)), name
    assert any(t.endswith("…") for t in texts), "a long card is cut with an ellipsis"
    assert "Geheim notiert" not in source and "Ausgeblendet" not in source
    assert ("group", workshop.groups.get().pk) in rects and "Gruppe Nord" in words
    assert "Verkehr" in words and "Grün" in words
    assert "💡 1" in words and "♥ 1" in words


def test_the_png_has_the_boards_size_and_ink_where_cards_are(board):
    workshop, cards, _clusters = board
    data = board_render.board_data(workshop)
    picture = board_render.layout(data, signs=True)
    image = Image.open(io.BytesIO(board_render.png(data))).convert("RGB")
    assert image.size == (picture.width, picture.height)
    for name in ("tricky", "trees", "loose"):
        (x, y, w, h), _cluster = picture.cards[cards[name].pk]
        colours = image.crop((int(x) + 3, int(y) + 3, int(x + w) - 3, int(y + h) - 3)).getcolors(maxcolors=100000)
        assert len(colours) > 2, name  # the card's colour and its text, not a white field
    white = image.crop((0, 0, 20, 20)).getcolors()
    assert white == [(400, (255, 255, 255))]


def test_the_minutes_pdf_holds_the_board_clusters_cards_polls_and_questions(board, client, facilitator):
    workshop, _cards, _clusters = board
    client.force_login(facilitator)
    response = client.get(f"/w/{workshop.code}/verwaltung/board.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    assert "Verkehr" in first and "Mehr Bäume" in first
    text = " ".join(page.extract_text() for page in reader.pages[1:])
    for expected in ("Cluster und Karten", "Verkehr", "Grün", "Mehr Bäume", "Straßenbäume zuerst", "Idee: 1"):
        assert expected in text, expected
    assert "Was zuerst?" in text and "Wer bezahlt die Bäume?" in text
    assert "Geheim notiert" not in text and "Privater Kommentar" not in text


def test_only_the_processs_facilitators_get_the_record(board, client, facilitator):
    workshop, _cards, _clusters = board
    paths = [f"/w/{workshop.code}/verwaltung/board.{fmt}" for fmt in ("svg", "png", "pdf")]
    for path in paths:
        response = Client().get(path)
        assert response.status_code == 302 and "/login" in response["Location"] or "anmelden" in response["Location"]
    other = factories.make_facilitator(factories.make_process())
    client.force_login(other)
    assert [client.get(path).status_code for path in paths] == [404, 404, 404]
    client.force_login(facilitator)
    answers = [client.get(path) for path in paths]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["Content-Type"].split(";")[0] for a in answers] == ["image/svg+xml", "image/png", "application/pdf"]
    page = client.get(f"/w/{workshop.code}/verwaltung/").content.decode()
    console = client.get(f"/w/{workshop.code}/console/").content.decode()
    for path in paths:
        assert f'href="{path}"' in page and f'href="{path}"' in console


def test_the_exports_carry_places_areas_groups_reactions_and_leave_private_cards_out(board, client, facilitator):
    workshop, cards, clusters = board
    client.force_login(facilitator)
    data = json.loads(client.get(f"/api/workshops/{workshop.code}/export", {"format": "json"}).content)
    by_id = {row["id"]: row for row in data["cards"]}
    assert cards["private"].pk not in by_id
    assert "Geheim notiert" not in json.dumps(data, ensure_ascii=False)
    assert "Privater Kommentar" not in json.dumps(data, ensure_ascii=False)
    trees = by_id[cards["trees"].pk]
    assert (trees["x"], trees["y"], trees["reactions"]) == (640, 60, 2)
    assert by_id[cards["loose"].pk]["pinned"] is True and by_id[cards["hidden"].pk]["hidden"] is True
    traffic = {row["id"]: row for row in data["clusters"]}[clusters["traffic"].pk]
    group = workshop.groups.get()
    assert (traffic["x"], traffic["y"], traffic["w"], traffic["h"], traffic["group"]) == (0, 0, 480, 360, group.pk)
    assert data["groups"] == [
        {"id": group.pk, "name": "Gruppe Nord", "position": 0, "x": -40, "y": -80, "w": 1200, "h": 560}
    ]
    assert sorted(r["emoji"] for r in data["reactions"]) == ["👍", "💡"]

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/api/workshops/{workshop.code}/export", {"format": "xlsx"}).content))
    header = [cell.value for cell in next(book["Karten"].iter_rows(max_row=1))]
    assert {"x (Board)", "y (Board)", "Reaktionen", "Reaktion 💡", "Angeheftet", "Gesperrt"} <= set(header)
    assert "Reaktionen" in book.sheetnames and "Gruppen" in book.sheetnames
