"""A ranking with its intervals, as a chart: one dot per measure with a whisker
for its 95% interval, best first.

One layout, two renderings: :func:`layout` turns the chart data into plain shapes
(lines, circles, texts in SVG coordinates), :func:`ranking_svg` writes them as a
server-side SVG for the web pages and ``results.pdf`` draws the very same shapes
with reportlab. The numbers are in the table next to every chart as well.
"""

import math
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from voting.models import Eligibility, method_name
from voting.tally.registry import counts_of
from voting.tally.registry import label as count_label

# --- reading a result ---------------------------------------------------------------


# How a participatory budget is counted, for the results page and the PDF.
BUDGET_EXPLANATION = gettext_lazy(
    "Bürgerhaushalt: Wir zählen nach zwei Regeln und zeigen beide. Die Methode der gleichen Anteile teilt "
    "das Budget zu gleichen Teilen auf alle Abstimmenden auf; jedes Projekt wird aus den Anteilen der "
    "Menschen bezahlt, die es gewählt haben, zuerst das, bei dem jede Stimme am wenigsten kostet. So "
    "bekommt jede Gruppe ungefähr den Teil des Budgets, der ihrer Größe entspricht. Bleibt Geld übrig, "
    "wird jeder Anteil um einen Euro erhöht, solange das Ergebnis ins Budget passt, und der Rest nach "
    "Stimmen aufgefüllt. Die Regel „nach Stimmen“ fördert die Projekte mit den meisten Stimmen, solange das "
    "Geld reicht; so kann eine knappe Mehrheit das ganze Budget bestimmen. Entschieden wird nach: %(rule)s."
)


def method_label(method, settings=None):
    """A method's name from the model (an unknown value as it is)."""
    return method_name(method, settings)


def eligibility_label(eligibility):
    """Who may take part, from the model (an unknown value as it is)."""
    return str(Eligibility(eligibility).label) if eligibility in Eligibility.values else eligibility


# How the paper ballots received ended (turnout.paper_ballots), in the order shown.
PAPER_BALLOT_LABELS = (
    ("counted", gettext_lazy("davon gezählt")),
    ("spoiled", gettext_lazy("davon ungültig")),
    ("refused", gettext_lazy("davon zurückgewiesen (Code schon online verwendet)")),
    ("disputed", gettext_lazy("davon nicht geklärt (Eingaben weichen ab)")),
    ("waiting", gettext_lazy("davon nur einmal eingegeben")),
)


def paper_ballot_rows(turnout):
    """The paper ballots received and, by state, how they ended: (label, number) rows,
    the total first; none when the result names no paper ballot received."""
    by_state = (turnout or {}).get("paper_ballots") or {}
    total = sum(n for n in by_state.values() if isinstance(n, int))
    if not total:
        return []
    return [(_("Papierstimmzettel eingegangen"), total)] + [
        (str(label), by_state.get(state, 0)) for state, label in PAPER_BALLOT_LABELS
    ]


def title_of(item, lang=None):
    """A consultation's or process's title from the result, English where there is one."""
    english = (lang or get_language() or "de").startswith("en")
    return (item.get("title_en") if english else None) or item.get("title") or ""


def option_titles(result, lang=None):
    english = (lang or get_language() or "de").startswith("en")
    return {
        str(option["id"]): (option.get("title_en") if english and option.get("title_en") else option["title"])
        for option in result.get("options", [])
    }


def _pair(value):
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, None


def _bootstrap_of(result, name=None):
    """The bootstrap summary of one count ({"options", "notes", ...}), or {}."""
    uncertainty = result.get("uncertainty") or {}
    name = name or result.get("main_count")
    per_count = (uncertainty.get("counts") or {}).get(name)
    if per_count:
        return per_count
    return uncertainty if name == result.get("main_count") else {}


def option_intervals(result, name=None):
    """{option id (str): {"low", "high", "rank_low", "rank_high"}} from the bootstrap."""
    per_option = _bootstrap_of(result, name).get("options") or {}
    intervals = {}
    for option in result.get("options", []):
        entry = per_option.get(str(option["id"]))
        if not isinstance(entry, dict):
            continue
        low, high = _pair(entry.get("score_interval"))
        rank_low, rank_high = _pair(entry.get("rank_interval"))
        intervals[str(option["id"])] = {
            "low": low,
            "high": high,
            "rank_low": rank_low,
            "rank_high": rank_high,
            "selected_share": entry.get("selected_share"),
        }
    return intervals


def uncertainty_notes(result, lang=None, name=None):
    """The plain-language notes on places that are not clearly separated."""
    notes = _bootstrap_of(result, name).get("notes") or {}
    english = (lang or get_language() or "de").startswith("en")
    chosen = notes.get("en" if english else "de") or notes.get("de") or []
    return [chosen] if isinstance(chosen, str) else list(chosen)


def disagreement_summary(result, lang=None):
    """Where the counts of one method disagree, in plain words."""
    summary = (result.get("disagreements") or {}).get("summary") or {}
    english = (lang or get_language() or "de").startswith("en")
    return list(summary.get("en" if english else "de") or summary.get("de") or [])


def uncertainty_explanation(result, lang=None):
    explanation = (result.get("uncertainty") or {}).get("explanation") or {}
    english = (lang or get_language() or "de").startswith("en")
    return explanation.get("en" if english else "de") or explanation.get("de") or ""


def ranking_rows(result, name=None, lang=None):
    """The rows of one count's ranking, best first: place (shared by ties), measure,
    score and its 95% intervals of score and place."""
    parts = dict(counts_of(result.get("count")))
    name = name or result.get("main_count")
    count = parts.get(name) or {}
    scores = count.get("scores") or {}
    titles = option_titles(result, lang)
    intervals = option_intervals(result, name)
    selected = {str(option) for option in count.get("selected") or []}
    rows, place = [], 1
    for group in count.get("ranking") or []:
        for option in group:
            key = str(option)
            interval = intervals.get(key, {})
            rows.append(
                {
                    "place": place,
                    "id": option,
                    "title": titles.get(key, key),
                    "score": scores.get(key),
                    "low": interval.get("low"),
                    "high": interval.get("high"),
                    "rank_low": interval.get("rank_low"),
                    "rank_high": interval.get("rank_high"),
                    "selected": key in selected if "selected" in count else None,
                    "selected_share": interval.get("selected_share"),
                }
            )
        place += len(group)
    return rows


# --- chart data and layout ----------------------------------------------------------


def number(value, lang=None, digits=2):
    """A number as people read it: 1.234,5 / 1,234.5, no needless decimals."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.0f}" if isinstance(value, float) else str(value)
    places = len(text.partition(".")[2])
    with translation.override(lang or get_language() or "de"):
        return number_format(Decimal(text), places, use_l10n=True, force_grouping=True)


def chart_data(result, lang=None):
    """Everything a ranking chart shows, from the main count and its bootstrap."""
    name = result.get("main_count")
    rows = ranking_rows(result, name, lang)
    values = [v for row in rows for v in (row["score"], row["low"], row["high"]) if isinstance(v, int | float)]
    low, high = (min(values + [0]), max(values + [1])) if values else (0, 1)
    replicates = (result.get("uncertainty") or {}).get("replicates")
    title = _("Rangfolge mit 95-%%-Intervallen: %(count)s") % {"count": count_label(name)}
    description = _(
        "Jede Zeile ist eine Maßnahme, die beste oben. Der Punkt zeigt das Ergebnis, die Linie den Bereich, "
        "in dem es mit 95 %% Wahrscheinlichkeit liegt (aus %(replicates)s Stichproben der Stimmzettel)."
    ) % {"replicates": replicates or "–"}
    return {
        "title": title,
        "description": description,
        "axis_label": count_label(name),
        "min": low,
        "max": high,
        "lang": lang or get_language() or "de",
        "rows": [
            {
                "place": row["place"],
                "label": row["title"],
                "value": row["score"],
                "low": row["low"],
                "high": row["high"],
                "text": _value_text(row, lang),
            }
            for row in rows
        ],
    }


def _value_text(row, lang):
    text = number(row["score"], lang)
    if row["low"] is not None and row["high"] is not None:
        text += f" [{number(row['low'], lang)}–{number(row['high'], lang)}]"
    return text


def nice_ticks(low, high, count=5):
    span = high - low or 1
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, tick = [], first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


WIDTH = 720
LABEL_WIDTH = 250
VALUE_WIDTH = 130
ROW_HEIGHT = 26
LINE_HEIGHT = 15
LABEL_LINES = 3
TOP = 10
AXIS_HEIGHT = 44
FONT_SIZE = 12
INK = "#1a1a1a"
MARK = "#1f4e79"
GRID = "#c8c8c8"

# Advance widths in em of DejaVu Sans, the widest common sans-serif (and the PDF's font):
# a label measured with them fits its column in any narrower browser font too.
NARROW = dict.fromkeys("ijl.,:;'!|", 0.34) | dict.fromkeys("ft ()[]-/", 0.4) | {"r": 0.42, "s": 0.53}
WIDE = dict.fromkeys("mwMW%@", 1.0)


def text_width(text, size=FONT_SIZE):
    """An upper estimate of the width of ``text`` in user units at this font size."""
    em = 0.0
    for char in text:
        if char in NARROW or char in WIDE:
            em += NARROW.get(char) or WIDE[char]
        elif char.isdigit() or (char.isalpha() and char.islower() and ord(char) < 0x250):
            em += 0.64
        elif char.isupper() and ord(char) < 0x250:
            em += 0.78
        else:
            em += 1.0  # other scripts, symbols: at most a square
    return em * size


def _cut(text, width, size):
    """``text`` shortened to fit ``width`` with an ellipsis."""
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text, width, lines=LABEL_LINES, size=FONT_SIZE):
    """``text`` in at most ``lines`` lines no wider than ``width``, broken between
    words (a word wider than a line is broken inside); what does not fit ends in "…"."""
    words, out, line = text.split(), [], ""
    while words:
        word = words.pop(0)
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if text_width(word, size) > width:  # a word wider than any line: break it where this line ends
            prefix = f"{line} " if line else ""
            cut = len(word) - 1
            while cut > 1 and text_width(prefix + word[:cut], size) > width:
                cut -= 1
            if line and text_width(prefix + word[:cut], size) > width:
                words.insert(0, word)
            else:
                line = prefix + word[:cut]
                words.insert(0, word[cut:])
        else:
            words.insert(0, word)
        out.append(line)
        line = ""
        if len(out) == lines:
            break
    if line:
        out.append(line)
    if words:  # the last line is full and text is left: it ends in "…"
        out[-1] = _cut(" ".join([out[-1], *words]), width, size)
    return out or [""]


def layout(data, width=WIDTH):
    """The chart as shapes in SVG coordinates (y grows downwards). Labels are
    left-aligned and wrapped within their column, so none reaches past an edge;
    a row is as tall as its label."""
    rows = data["rows"]
    ticks = nice_ticks(data["min"], data["max"])
    low, high = ticks[0], ticks[-1]
    value_width = max([VALUE_WIDTH - 10, *(text_width(row["text"]) for row in rows)])
    left, right = LABEL_WIDTH + 10, width - value_width - 20
    labels = [wrap(f"{row['place']}. {row['label']}", LABEL_WIDTH) for row in rows]
    heights = [max(ROW_HEIGHT, LINE_HEIGHT * len(lines) + 8) for lines in labels]
    plot_bottom = TOP + (sum(heights) if rows else ROW_HEIGHT)
    height = plot_bottom + AXIS_HEIGHT

    def x(value):
        return left + (right - left) * (value - low) / ((high - low) or 1)

    shapes = []
    for tick in ticks:
        shapes.append({"kind": "line", "x1": x(tick), "y1": TOP, "x2": x(tick), "y2": plot_bottom, "stroke": GRID})
        shapes.append(
            {
                "kind": "text",
                "x": x(tick),
                "y": plot_bottom + 16,
                "text": number(float(tick), data["lang"]),
                "anchor": "middle",
                "size": FONT_SIZE - 1,
            }
        )
    shapes.append({"kind": "line", "x1": left, "y1": plot_bottom, "x2": right, "y2": plot_bottom, "stroke": INK})
    # Centred under the plot, but moved in where a long name would reach past an edge.
    half = text_width(data["axis_label"], FONT_SIZE - 1) / 2
    centre = min(max((left + right) / 2, half), width - half)
    shapes.append(
        {
            "kind": "text",
            "x": centre,
            "y": plot_bottom + 36,
            "text": data["axis_label"],
            "anchor": "middle",
            "size": FONT_SIZE - 1,
        }
    )
    top = TOP
    for row, lines, row_height in zip(rows, labels, heights, strict=True):
        y = top + row_height / 2
        top += row_height
        first = y + 4 - LINE_HEIGHT * (len(lines) - 1) / 2
        group = [
            {"kind": "text", "x": 0, "y": first + LINE_HEIGHT * i, "text": line, "anchor": "start", "size": FONT_SIZE}
            for i, line in enumerate(lines)
        ]
        group.append(
            {"kind": "text", "x": right + 10, "y": y + 4, "text": row["text"], "anchor": "start", "size": FONT_SIZE}
        )
        if row["low"] is not None and row["high"] is not None:
            x1, x2 = x(row["low"]), x(row["high"])
            group += [
                {"kind": "line", "x1": x1, "y1": y, "x2": x2, "y2": y, "stroke": MARK, "width": 2},
                {"kind": "line", "x1": x1, "y1": y - 6, "x2": x1, "y2": y + 6, "stroke": MARK, "width": 2},
                {"kind": "line", "x1": x2, "y1": y - 6, "x2": x2, "y2": y + 6, "stroke": MARK, "width": 2},
            ]
        if isinstance(row["value"], int | float):
            group.append({"kind": "circle", "cx": x(row["value"]), "cy": y, "r": 5, "fill": MARK})
        # The whole label, also where it was shortened: the tooltip and screen readers read it.
        shapes.append({"kind": "group", "title": f"{row['place']}. {row['label']}: {row['text']}", "shapes": group})
    return {"width": width, "height": height, "shapes": shapes}


# --- SVG ------------------------------------------------------------------------------


def _svg_shape(shape):
    kind = shape["kind"]
    if kind == "line":
        return (
            f'<line x1="{shape["x1"]:.1f}" y1="{shape["y1"]:.1f}" x2="{shape["x2"]:.1f}" y2="{shape["y2"]:.1f}" '
            f'stroke="{shape["stroke"]}" stroke-width="{shape.get("width", 1)}"/>'
        )
    if kind == "circle":
        return f'<circle cx="{shape["cx"]:.1f}" cy="{shape["cy"]:.1f}" r="{shape["r"]}" fill="{shape["fill"]}"/>'
    if kind == "text":
        return (
            f'<text x="{shape["x"]:.1f}" y="{shape["y"]:.1f}" text-anchor="{shape["anchor"]}" '
            f'font-size="{shape["size"]}" fill="{INK}">{escape(shape["text"])}</text>'
        )
    inner = "".join(_svg_shape(child) for child in shape["shapes"])
    return f"<g><title>{escape(shape['title'])}</title>{inner}</g>"


def ranking_svg(data, chart_id="ranking-chart"):
    """The chart as an SVG element, ready to place in a page: every text escaped,
    named by its <title> and described by its <desc> for screen readers."""
    drawing = layout(data)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    body = "".join(_svg_shape(shape) for shape in drawing["shapes"])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(chart_id)} role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" viewBox="0 0 {drawing["width"]} {drawing["height"]}" '
        f'width="{drawing["width"]}" height="{drawing["height"]}" font-family="sans-serif">'
        f'<title id="{escape(title_id)}">{escape(data["title"])}</title>'
        f'<desc id="{escape(desc_id)}">{escape(data["description"])}</desc>'
        f"{body}</svg>"
    )
