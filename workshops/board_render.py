"""The record of a workshop: a picture of its board (SVG, PNG) and a PDF for the minutes.

One layout, three renderings: ``layout`` turns plain board data (clusters with their areas,
cards with positions, breakout-group areas) into shapes (rectangles and lines of text, in
pixels of the picture); ``svg``, ``png`` and the PDF's first page draw those same shapes.
Text is measured with the same TrueType font that draws the PNG and the PDF, so a card's
lines break at the same words in all three. Unrevealed (brainwriting) and hidden cards are
not on the record.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from django.db.models import Count
from django.utils.translation import gettext as _

from . import selectors
from .cardtools_texts import reaction_names
from .models import REACTIONS, Card, Cluster, Comment, Poll, Question

CARD_W, CARD_H = 200, 120
MARGIN = 40
GAP = 20
CARD_FONT, TITLE_FONT, META_FONT = 16, 22, 14
CARD_PAD = 10
LINE = 1.25  # line height as a multiple of the font size
# A picture larger than this (in pixels, either side) is scaled down.
PICTURE_MAX = 4000

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
# Card colours as on the board (workshop.css): a light background and a strong edge.
CARD_COLOURS = {
    "yellow": ("#fff6c7", "#b38f00"),
    "blue": ("#e1efff", "#2a6cc2"),
    "green": ("#e2f6e4", "#2f8a3e"),
    "pink": ("#fde6f1", "#c2407f"),
    "orange": ("#ffe9d6", "#c4621a"),
    "purple": ("#efe6fb", "#7a4dbf"),
}
INK, MUTED, CLUSTER_FILL, CLUSTER_EDGE, GROUP_EDGE = "#1b1f23", "#4a525a", "#f3f5f7", "#5c6670", "#2a6cc2"
SVG_FONTS = "DejaVu Sans, Verdana, Arial, sans-serif"
# Fonts without colour emoji draw these signs in their place (PNG and PDF; the SVG keeps the emoji).
REACTION_SIGNS = {"👍": "✓", "❤️": "♥", "💡": "☼", "❓": "?", "🎉": "★", "⚠️": "⚠"}


def font_files():
    """(regular, bold) TrueType files: DejaVu Sans where installed, else the Vera fonts that
    come with reportlab (a dependency), so the record never depends on system packages."""
    for folder in FONT_DIRS:
        regular, bold = Path(folder, "DejaVuSans.ttf"), Path(folder, "DejaVuSans-Bold.ttf")
        if regular.exists() and bold.exists():
            return str(regular), str(bold)
    import reportlab

    folder = Path(reportlab.__file__).parent / "fonts"
    return str(folder / "Vera.ttf"), str(folder / "VeraBd.ttf")


_measures = {}


def _font(size, bold=False):
    from PIL import ImageFont

    key = (size, bold)
    if key not in _measures:
        _measures[key] = ImageFont.truetype(font_files()[1 if bold else 0], size)
    return _measures[key]


def text_width(text, size, bold=False):
    return _font(size, bold).getlength(text)


def wrap(text, width, size, max_lines, bold=False):
    """Lines of ``text`` no wider than ``width``; words longer than a line are cut; the last
    line ends in an ellipsis if the text goes on."""
    lines = []
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word, size, bold) > width:
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut], size, bold) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    lines = [line for line in lines if line] or [""]
    if len(lines) <= max_lines:
        return lines
    shown = lines[:max_lines]
    last = shown[-1]
    while last and text_width(last + "…", size, bold) > width:
        last = last[:-1]
    shown[-1] = last.rstrip() + "…"
    return shown


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str
    width: float = 2
    dashed: bool = False
    radius: float = 6
    role: str = ""  # "card", "cluster", "group": for tests and the SVG's classes
    ref: int | None = None


@dataclass
class Text:
    x: float
    y: float  # baseline of the first line
    lines: list
    size: int
    bold: bool = False
    colour: str = INK
    ref: int | None = None


@dataclass
class Picture:
    width: int
    height: int
    shapes: list = field(default_factory=list)
    # card id -> its rectangle and its cluster's (id), for tests and the PDF
    cards: dict = field(default_factory=dict)
    clusters: dict = field(default_factory=dict)


def board_data(workshop):
    """The board as plain data: what everyone sees (no private, no hidden cards)."""
    cards = list(
        Card.objects.filter(workshop=workshop, private=False, hidden=False).select_related("author").order_by("id")
    )
    reactions = selectors.reaction_counts([c.pk for c in cards]) if cards else {}
    likes = dict(
        Card.objects.filter(pk__in=[c.pk for c in cards]).values_list("pk").annotate(n=Count("likes")).order_by()
    )
    return {
        "title": workshop.title,
        "groups": [
            {"id": g.pk, "name": g.name, "x": g.x, "y": g.y, "w": g.w, "h": g.h}
            for g in workshop.groups.order_by("position", "id")
        ],
        "clusters": [selectors.cluster_data(c) for c in Cluster.objects.filter(workshop=workshop).order_by("id")],
        "cards": [
            {
                "id": c.pk,
                "text": c.text,
                "cluster": c.cluster_id,
                "x": c.x,
                "y": c.y,
                "color": c.color,
                "likes": likes.get(c.pk, 0),
                "reactions": reactions.get(c.pk, {}),
                "pinned": c.pinned,
                "locked": c.locked,
            }
            for c in cards
        ],
    }


def _inside(card, area):
    return (
        area["x"] <= card["x"]
        and area["y"] <= card["y"]
        and card["x"] + CARD_W <= area["x"] + area["w"]
        and card["y"] + CARD_H <= area["y"] + area["h"]
    )


def arrange(data):
    """Positions for the picture. Boards from before the canvas have every cluster and card at
    0,0: clusters that share a corner are laid out in rows, a cluster's cards that lie outside
    its area are put in a grid inside it (the area grows), loose cards stacked on one spot
    are spread out below the board. A board arranged by hand stays as it is."""
    clusters = [dict(c) for c in data.get("clusters", [])]
    cards = [dict(c) for c in data.get("cards", [])]
    groups = [dict(g) for g in data.get("groups", [])]
    by_id = {c["id"]: c for c in clusters}
    for card in cards:
        if card.get("cluster") not in by_id:
            card["cluster"] = None

    corners = [(c["x"], c["y"]) for c in clusters]
    if len(set(corners)) < len(corners):
        x = y = row = 0
        for cluster in clusters:
            count = sum(1 for card in cards if card["cluster"] == cluster["id"])
            cluster["w"] = max(cluster["w"], 2 * CARD_W + 3 * GAP)
            rows = -(-count // 2) if count else 1
            cluster["h"] = max(cluster["h"], 60 + rows * (CARD_H + GAP))
            if x and x + cluster["w"] > 2000:
                x, y, row = 0, y + row + GAP * 2, 0
            cluster["x"], cluster["y"] = x, y
            x += cluster["w"] + GAP * 2
            row = max(row, cluster["h"])

    for cluster in clusters:
        members = [card for card in cards if card["cluster"] == cluster["id"]]
        strays = [card for card in members if not _inside(card, cluster)]
        if not strays:
            continue
        per_row = max(1, int((cluster["w"] - GAP) // (CARD_W + GAP)))
        placed = [card for card in members if card not in strays]
        top = max([cluster["y"] + 50] + [card["y"] + CARD_H + GAP for card in placed])
        for index, card in enumerate(strays):
            card["x"] = cluster["x"] + GAP + (index % per_row) * (CARD_W + GAP)
            card["y"] = top + (index // per_row) * (CARD_H + GAP)
        bottom = max(card["y"] + CARD_H for card in members) + GAP
        cluster["h"] = max(cluster["h"], bottom - cluster["y"])

    loose = [card for card in cards if card["cluster"] is None]
    spots = {}
    for card in loose:
        spots.setdefault((card["x"], card["y"]), []).append(card)
    stacked = [card for spot in spots.values() if len(spot) > 1 for card in spot]
    if stacked:
        areas = clusters + groups + [c for c in cards if c not in stacked]
        bottom = max([a["y"] + a.get("h", CARD_H) for a in areas], default=0) + GAP * 2
        left = min([a["x"] for a in areas], default=0)
        for index, card in enumerate(stacked):
            card["x"] = left + (index % 6) * (CARD_W + GAP)
            card["y"] = bottom + (index // 6) * (CARD_H + GAP)
    return clusters, cards, groups


def counts_line(card, signs=False):
    """Likes and reactions of a card in one short line ("♥ 3  👍 2")."""
    parts = []
    if card.get("likes"):
        parts.append(f"♥ {card['likes']}")
    for emoji in REACTIONS:
        n = (card.get("reactions") or {}).get(emoji)
        if n:
            parts.append(f"{REACTION_SIGNS[emoji] if signs else emoji} {n}")
    return "  ".join(parts)


def layout(data, signs=False):
    """The shapes of the picture, in its pixels (the board's units, moved so that the board
    starts at the margin). ``signs``: reactions as signs the font has (PNG, PDF)."""
    clusters, cards, groups = arrange(data)
    areas = [(a["x"], a["y"], a["w"], a["h"]) for a in clusters + groups]
    areas += [(c["x"], c["y"], CARD_W, CARD_H) for c in cards]
    if not areas:
        areas = [(0, 0, 2 * CARD_W, CARD_H)]
    left = min(a[0] for a in areas)
    top = min(a[1] for a in areas)
    right = max(a[0] + a[2] for a in areas)
    bottom = max(a[1] + a[3] for a in areas)
    dx, dy = MARGIN - left, MARGIN - top
    picture = Picture(width=int(right - left + 2 * MARGIN), height=int(bottom - top + 2 * MARGIN))

    for group in groups:
        x, y = group["x"] + dx, group["y"] + dy
        picture.shapes.append(
            Rect(x, y, group["w"], group["h"], "#ffffff", GROUP_EDGE, 3, True, 10, "group", group["id"])
        )
        lines = wrap(group["name"], group["w"] - 2 * CARD_PAD, TITLE_FONT, 1, bold=True)
        picture.shapes.append(Text(x + CARD_PAD, y - 10, lines, TITLE_FONT, True, GROUP_EDGE, group["id"]))
    for cluster in clusters:
        x, y = cluster["x"] + dx, cluster["y"] + dy
        picture.shapes.append(
            Rect(x, y, cluster["w"], cluster["h"], CLUSTER_FILL, CLUSTER_EDGE, 2, False, 8, "cluster", cluster["id"])
        )
        lines = wrap(cluster["title"], cluster["w"] - 2 * CARD_PAD, TITLE_FONT, 1, bold=True)
        picture.shapes.append(
            Text(x + CARD_PAD, y + CARD_PAD + TITLE_FONT, lines, TITLE_FONT, True, INK, cluster["id"])
        )
        picture.clusters[cluster["id"]] = (x, y, cluster["w"], cluster["h"])
    # Pinned cards on top, as on the board.
    for card in sorted(cards, key=lambda c: bool(c.get("pinned"))):
        x, y = card["x"] + dx, card["y"] + dy
        fill, edge = CARD_COLOURS.get(card.get("color"), CARD_COLOURS["yellow"])
        picture.shapes.append(Rect(x, y, CARD_W, CARD_H, fill, edge, 2, False, 6, "card", card["id"]))
        counts = counts_line(card, signs)
        room = CARD_H - 2 * CARD_PAD - (META_FONT * LINE if counts else 0)
        lines = wrap(card["text"], CARD_W - 2 * CARD_PAD, CARD_FONT, max(1, int(room // (CARD_FONT * LINE))))
        picture.shapes.append(Text(x + CARD_PAD, y + CARD_PAD + CARD_FONT, lines, CARD_FONT, False, INK, card["id"]))
        if counts:
            meta = wrap(counts, CARD_W - 2 * CARD_PAD, META_FONT, 1)
            picture.shapes.append(Text(x + CARD_PAD, y + CARD_H - CARD_PAD - 2, meta, META_FONT, True, MUTED))
        picture.cards[card["id"]] = ((x, y, CARD_W, CARD_H), card["cluster"])
    return picture


def svg(data):
    """The board as an SVG document (text escaped, one <text> with <tspan> lines per block)."""
    picture = layout(data)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{picture.width}" height="{picture.height}" '
        f'viewBox="0 0 {picture.width} {picture.height}" role="img" aria-labelledby="board-title" '
        f'font-family="{SVG_FONTS}">',
        f'<title id="board-title">{escape(data.get("title") or _("Board"))}</title>',
        f'<rect width="{picture.width}" height="{picture.height}" fill="#ffffff"/>',
    ]
    for shape in picture.shapes:
        if isinstance(shape, Rect):
            dash = ' stroke-dasharray="12 8"' if shape.dashed else ""
            ref = f' data-id="{shape.ref}"' if shape.ref is not None else ""
            out.append(
                f'<rect class="{shape.role}"{ref} x="{shape.x:g}" y="{shape.y:g}" width="{shape.w:g}" '
                f'height="{shape.h:g}" rx="{shape.radius:g}" fill="{shape.fill}" stroke="{shape.stroke}" '
                f'stroke-width="{shape.width:g}"{dash}/>'
            )
        else:
            weight = ' font-weight="bold"' if shape.bold else ""
            spans = "".join(
                f'<tspan x="{shape.x:g}" dy="{0 if i == 0 else shape.size * LINE:g}">{escape(line)}</tspan>'
                for i, line in enumerate(shape.lines)
            )
            out.append(
                f'<text x="{shape.x:g}" y="{shape.y:g}" font-size="{shape.size}" fill="{shape.colour}"'
                f"{weight}>{spans}</text>"
            )
    out.append("</svg>")
    return "\n".join(out)


def picture_scale(picture):
    return min(1.0, PICTURE_MAX / max(picture.width, picture.height))


def _dashed_box(draw, box, colour, width, dash, gap):
    """A rectangle's outline in dashes (Pillow draws only solid lines)."""
    left, top, right, bottom = box
    edges = (((left, top), (right, top)), ((right, top), (right, bottom)))
    edges += (((left, bottom), (right, bottom)), ((left, top), (left, bottom)))
    for start, end in edges:
        horizontal = start[1] == end[1]
        length = (end[0] - start[0]) if horizontal else (end[1] - start[1])
        position = 0.0
        while position < length:
            stop = min(position + dash, length)
            if horizontal:
                draw.line([(start[0] + position, start[1]), (start[0] + stop, start[1])], fill=colour, width=width)
            else:
                draw.line([(start[0], start[1] + position), (start[0], start[1] + stop)], fill=colour, width=width)
            position = stop + gap


def png(data):
    """The board as a PNG, drawn with Pillow from the same layout (at most PICTURE_MAX pixels a side)."""
    from PIL import Image, ImageDraw

    picture = layout(data, signs=True)
    scale = picture_scale(picture)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)
    for shape in picture.shapes:
        if isinstance(shape, Rect):
            box = [shape.x * scale, shape.y * scale, (shape.x + shape.w) * scale, (shape.y + shape.h) * scale]
            edge = max(1, round(shape.width * scale))
            outline = None if shape.dashed else shape.stroke
            draw.rounded_rectangle(box, radius=shape.radius * scale, fill=shape.fill, outline=outline, width=edge)
            if shape.dashed:
                _dashed_box(draw, box, shape.stroke, edge, 12 * scale, 8 * scale)
        else:
            font = _font(max(6, round(shape.size * scale)), shape.bold)
            for index, line in enumerate(shape.lines):
                y = (shape.y + index * shape.size * LINE) * scale
                draw.text((shape.x * scale, y), line, font=font, fill=shape.colour, anchor="ls")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


# The PDF for the minutes ---------------------------------------------------------------

_pdf_fonts = []


def pdf_fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not _pdf_fonts:
        regular, bold = font_files()
        pdfmetrics.registerFont(TTFont("BoardSans", regular))
        pdfmetrics.registerFont(TTFont("BoardSans-Bold", bold))
        _pdf_fonts.extend(["BoardSans", "BoardSans-Bold"])
    return _pdf_fonts


def board_drawing(data, width, height):
    """The board's layout as a reportlab drawing that fits width x height (points)."""
    from reportlab.graphics.shapes import Drawing, Group, String
    from reportlab.graphics.shapes import Rect as PdfRect
    from reportlab.lib import colors

    regular, bold = pdf_fonts()
    picture = layout(data, signs=True)
    scale = min(width / picture.width, height / picture.height)
    group = Group()
    for shape in picture.shapes:
        if isinstance(shape, Rect):
            group.add(
                PdfRect(
                    shape.x,
                    picture.height - shape.y - shape.h,
                    shape.w,
                    shape.h,
                    rx=shape.radius,
                    ry=shape.radius,
                    fillColor=colors.HexColor(shape.fill),
                    strokeColor=colors.HexColor(shape.stroke),
                    strokeWidth=shape.width,
                    strokeDashArray=[12, 8] if shape.dashed else None,
                )
            )
        else:
            for index, line in enumerate(shape.lines):
                y = picture.height - (shape.y + index * shape.size * LINE)
                group.add(
                    String(
                        shape.x,
                        y,
                        line,
                        fontName=bold if shape.bold else regular,
                        fontSize=shape.size,
                        fillColor=colors.HexColor(shape.colour),
                    )
                )
    group.scale(scale, scale)
    drawing = Drawing(picture.width * scale, picture.height * scale)
    drawing.add(group)
    return drawing


def minutes_data(workshop):
    """Everything the minutes list, beyond the board picture: cards with comments and
    reactions by cluster, polls with their results, the questions."""
    data = board_data(workshop)
    comments = {}
    for comment in Comment.objects.filter(card__workshop=workshop, card__private=False, card__hidden=False).order_by(
        "created", "id"
    ):
        comments.setdefault(comment.card_id, []).append(comment.text)
    polls = []
    for poll in (
        Poll.objects.filter(workshop=workshop).exclude(state="draft").prefetch_related("options").order_by("id")
    ):
        results = poll.final_results or selectors.poll_tally(poll)
        polls.append(
            {"question": poll.question, "kind": poll.get_kind_display(), "state": poll.state, "results": results}
        )
    questions = [
        {"text": q.text, "votes": q.votes_count, "answered": q.answered}
        for q in Question.objects.filter(workshop=workshop, hidden=False)
        .annotate(votes_count=Count("votes"))
        .order_by("-votes_count", "id")
    ]
    return data, comments, polls, questions


def _result_value(kind, row):
    value = row.get("value")
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def pdf(workshop):
    """The minutes as a PDF: page 1 the board, then the clusters with their cards (likes,
    reactions, comments), the polls with results and the questions."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = pdf_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=colors.HexColor(MUTED))
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=18, leading=22, spaceAfter=8, keepWithNext=1)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=13.5, leading=17, spaceBefore=10, keepWithNext=1)

    def p(text, style=body):
        return Paragraph(escape(str(text)), style)

    data, comments, polls, questions = minutes_data(workshop)
    names = dict(reaction_names())  # the same names as the buttons on the board
    page = landscape(A4)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=_("Protokoll: %(title)s") % {"title": workshop.title},
    )
    story = [p(_("Protokoll: %(title)s") % {"title": workshop.title}, h1)]
    story.append(board_drawing(data, document.width, document.height - 2 * cm))
    story.append(PageBreak())

    def card_lines(card):
        parts = [p(card["text"])]
        facts = [_("%(n)s Likes") % {"n": card["likes"]}] if card["likes"] else []
        facts += [f"{names[e]}: {n}" for e, n in (card["reactions"] or {}).items() if e in names and n]
        if facts:
            parts.append(p(" · ".join(facts), small))
        for text in comments.get(card["id"], []):
            parts.append(p(_("Kommentar: %(text)s") % {"text": text}, small))
        return parts

    story.append(p(_("Cluster und Karten"), h1))
    cards = data["cards"]
    sections = [(c["title"], [card for card in cards if card["cluster"] == c["id"]]) for c in data["clusters"]]
    sections.append((_("Ohne Cluster"), [card for card in cards if card["cluster"] is None]))
    for title, members in sections:
        if not members and title == _("Ohne Cluster"):
            continue
        story.append(p(title, h2))
        if not members:
            story.append(p(_("Keine Karten."), small))
        for card in members:
            story.extend(card_lines(card))
            story.append(Spacer(1, 4))

    story.append(p(_("Abstimmungen"), h1))
    if not polls:
        story.append(p(_("Keine Abstimmungen."), small))
    for poll in polls:
        story.append(p(poll["question"], h2))
        results = poll["results"] or {}
        story.append(
            p(_("%(kind)s · %(votes)s Stimmen") % {"kind": poll["kind"], "votes": results.get("votes", 0)}, small)
        )
        rows = [[p(_("Option"), small), p(_("Ergebnis"), small)]]
        for row in results.get("options") or []:
            rows.append([p(row.get("label") or row.get("word") or ""), p(_result_value(poll["kind"], row))])
        if len(rows) > 1:
            table = Table(rows, colWidths=[document.width * 0.7, document.width * 0.2])
            table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#c7ccd1"))]))
            story.append(table)

    story.append(p(_("Fragen"), h1))
    if not questions:
        story.append(p(_("Keine Fragen."), small))
    for question in questions:
        state = _("beantwortet") if question["answered"] else _("offen")
        story.append(p(question["text"]))
        story.append(p(_("%(votes)s Stimmen · %(state)s") % {"votes": question["votes"], "state": state}, small))
    document.build(story)
    return buffer.getvalue()
