"""What the pages show of an opinion map: the next statement, and the map drawn as an
SVG with a table beside it (groups by shape and letter as well as colour)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import opinion_selectors

# The map's drawing area (SVG user units) and the margin around the dots.
WIDTH, HEIGHT, MARGIN = 480, 320, 24
# One shape, letter and colour per group, so that no group is told by colour alone.
# The colours keep a contrast of at least 3:1 against the white background.
GROUP_STYLES = [
    ("circle", "#0b5394"),
    ("square", "#b45309"),
    ("triangle", "#15803d"),
    ("diamond", "#7e22ce"),
    ("cross", "#be123c"),
]
NO_GROUP_COLOUR = "#6b7280"


def group_letter(index):
    return chr(ord("A") + index)


def _scaled(dots):
    """The dots' coordinates fitted into the drawing area, the map's centre kept in view."""
    if not dots:
        return []

    def fitted(values, size):
        # All on one line (e.g. two camps agreeing on everything else): on the middle line.
        low, span = min(values), max(values) - min(values)
        if not span:
            return [size / 2] * len(values)
        return [MARGIN + (value - low) / span * (size - 2 * MARGIN) for value in values]

    xs = fitted([dot["x"] for dot in dots], WIDTH)
    ys = fitted([dot["y"] for dot in dots], HEIGHT)
    return [{**dot, "sx": round(x, 1), "sy": round(y, 1)} for dot, x, y in zip(dots, xs, ys, strict=True)]


def _shape(kind, x, y, size=6):
    """SVG path data of a group's shape centred on (x, y)."""
    if kind == "square":
        return f"M{x - size:.1f},{y - size:.1f}h{2 * size}v{2 * size}h{-2 * size}z"
    if kind == "triangle":
        return f"M{x:.1f},{y - size - 1:.1f}L{x + size + 1:.1f},{y + size:.1f}L{x - size - 1:.1f},{y + size:.1f}z"
    if kind == "diamond":
        r = size + 1
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r:.1f}L{x - r:.1f},{y:.1f}z"
    if kind == "cross":
        d = size
        return f"M{x - d:.1f},{y - d:.1f}L{x + d:.1f},{y + d:.1f}M{x + d:.1f},{y - d:.1f}L{x - d:.1f},{y + d:.1f}"
    return f"M{x - size:.1f},{y:.1f}a{size},{size} 0 1,0 {2 * size},0a{size},{size} 0 1,0 {-2 * size},0z"


def _percent(share):
    return None if share is None else round(100 * share)


def map_view(consultation, me=None):
    """The live map for the page; ``me`` is the viewer's dot number."""
    data, _numbers = opinion_selectors.public_map(consultation)
    return view_of(data, me)


def view_of(data, me=None, frozen=False):
    """A map (``opinion_selectors.map_of_answers`` with ``statements``: {id: [German,
    English]}) for the page: dots with shapes, groups with their distinctive statements,
    the statements all groups agree with. ``frozen``: a published map, which no longer
    waits for answers."""
    english = (get_language() or "de").startswith("en")
    texts = {key: (en if english and en else de) for key, (de, en) in data["statements"].items()}
    groups = []
    for group in data["groups"]:
        kind, colour = GROUP_STYLES[group["id"] % len(GROUP_STYLES)]
        groups.append(
            {
                "id": group["id"],
                "letter": group_letter(group["id"]),
                "size": group["size"],
                "shape": kind,
                "colour": colour,
                "legend_path": _shape(kind, 10, 10, 6),
                "representative": [
                    {
                        "text": texts.get(str(item["statement"]), ""),
                        "agree": item["direction"] == "agree",
                        "share": _percent(item["share"]),
                        "others": _percent(item["others_share"]),
                    }
                    for item in group["representative"]
                ],
            }
        )
    dots = []
    for dot in _scaled(data["dots"]):
        grouped = dot["group"] is not None
        kind, colour = GROUP_STYLES[dot["group"] % len(GROUP_STYLES)] if grouped else ("circle", NO_GROUP_COLOUR)
        dots.append(
            {
                "path": _shape(kind, dot["sx"], dot["sy"], 6 if grouped else 4),
                "shape": kind,
                "colour": colour,
                "filled": grouped and kind != "cross",
                "mine": dot["n"] == me,
                "x": dot["sx"],
                "y": dot["sy"],
                # "Sie" beside one's own dot, on the side with room.
                "label_x": round(dot["sx"] + 14 if dot["sx"] < WIDTH - 60 else dot["sx"] - 40, 1),
                "label_y": round(dot["sy"] + 4, 1),
                "letter": group_letter(dot["group"]) if grouped else "",
            }
        )
    consensus = [
        {
            "text": texts.get(str(item["statement"]), ""),
            "groups": [
                {"letter": group_letter(int(group)), "share": _percent(share)}
                for group, share in sorted(item["per_group"].items(), key=lambda pair: int(pair[0]))
            ],
        }
        for item in data["consensus"]
    ]
    mine = next((dot for dot in dots if dot["mine"]), None)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "participants": data["participants"],
        "answers": data["answers"],
        "statements": len(texts),
        "groups": groups,
        "dots": dots,
        "consensus": consensus,
        "mine": mine,
        "ungrouped": sum(1 for dot in data["dots"] if dot["group"] is None),
        "min_answers": data.get("min_answers", opinion_selectors.MIN_ANSWERS),
        "frozen": frozen,
        "summary": _summary(data, mine, frozen),
    }


def _summary(data, mine, frozen=False):
    if not data["participants"]:
        return _("Niemand hat geantwortet.") if frozen else _("Noch hat niemand geantwortet.")
    if not data["groups"]:
        if frozen:
            return _("Zu wenige Antworten für Gruppen: Jede Person brauchte %(n)s Antworten.") % {
                "n": data.get("min_answers", opinion_selectors.MIN_ANSWERS)
            }
        return _("Noch zu wenige Antworten für Gruppen: Jede Person braucht %(n)s Antworten.") % {
            "n": opinion_selectors.MIN_ANSWERS
        }
    text = _("%(people)s Personen, %(groups)s Meinungsgruppen.") % {
        "people": data["participants"],
        "groups": len(data["groups"]),
    }
    if mine and mine["letter"]:
        text += " " + _("Sie gehören zu Gruppe %(letter)s.") % {"letter": mine["letter"]}
    return text


def statement_view(consultation, voter):
    """The next statement for this participant (or, before they are known, the one with
    the fewest answers), with how far they are."""
    return opinion_selectors.next_statement(consultation, voter)
