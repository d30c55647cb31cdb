"""The PDF report for the city council: title page, the method in plain words, the
ranking with its intervals as a chart and as a table, the other counts, experts
beside citizens, turnout, and how to recount.

The chart is drawn from the same shapes as the web SVG (``results.charts.layout``).
"""

import io
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from voting.tally import registry
from voting.tally.registry import counts_of
from voting.tally.registry import label as count_label
from workshops.exports import local_time

from . import opinion
from .charts import (
    BUDGET_EXPLANATION,
    chart_data,
    disagreement_summary,
    eligibility_label,
    layout,
    method_label,
    number,
    paper_ballot_rows,
    ranking_rows,
    title_of,
    uncertainty_explanation,
    uncertainty_notes,
)
from .compute import REPLICATES

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")


def _fonts():
    """DejaVu Sans where installed (it has far more characters), else Helvetica."""
    if "ReportSans" in pdfmetrics.getRegisteredFontNames():
        return "ReportSans", "ReportSans-Bold"
    for folder in FONT_DIRS:
        regular, bold = Path(folder, "DejaVuSans.ttf"), Path(folder, "DejaVuSans-Bold.ttf")
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("ReportSans", str(regular)))
            pdfmetrics.registerFont(TTFont("ReportSans-Bold", str(bold)))
            return "ReportSans", "ReportSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles():
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    styles = {
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=10.5, leading=14.5),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontName=regular, fontSize=8.5, leading=11),
        "h1": ParagraphStyle(
            "h1",
            parent=base["Heading1"],
            fontName=bold,
            fontSize=18,
            leading=22,
            spaceBefore=16,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontName=bold, fontSize=13.5, leading=17, spaceBefore=10, keepWithNext=1
        ),
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName=bold, fontSize=26, leading=32, spaceAfter=18, alignment=0
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base["BodyText"], fontName=regular, fontSize=14, leading=19),
        "cell": ParagraphStyle("cell", parent=base["BodyText"], fontName=regular, fontSize=9, leading=11),
    }
    styles["fonts"] = (regular, bold)
    return styles


def _p(text, style):
    """A paragraph of plain text: escaped, since reportlab reads markup."""
    return Paragraph(escape(str(text)), style)


def money(value):
    """Euros with thousands separated, as the council reads them."""
    if value is None:
        return "–"
    english = (get_language() or "de").startswith("en")
    text = f"{float(value):,.2f}".removesuffix(".00")
    return text if english else text.translate(str.maketrans(",.", ".,"))


def _local(moment):
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _date(value, style="SHORT_DATETIME_FORMAT"):
    """An ISO time from the result, in the city's time zone and the reader's format;
    a time of day with the zone named (MEZ/MESZ)."""
    if not value:
        return "–"
    if style == "SHORT_DATETIME_FORMAT":
        return local_time(value) or "–"
    try:
        return date_format(_local(datetime.fromisoformat(value)), style)
    except (TypeError, ValueError):
        return str(value)


# --- texts ------------------------------------------------------------------------------


def method_explanation(consultation):
    method, settings = consultation["method"], consultation.get("settings") or {}
    if method == "approval":
        text = _(
            "Jede Person konnte die Maßnahmen ankreuzen, die sie unterstützt. Gezählt wird, wie viele Personen "
            "eine Maßnahme angekreuzt haben; die Maßnahme mit den meisten Zustimmungen steht oben."
        )
        if settings.get("max_approvals"):
            text += " " + _("Jede Person durfte höchstens %(n)s Maßnahmen ankreuzen.") % {
                "n": settings["max_approvals"]
            }
        return text
    if method == "score":
        return _(
            "Jede Person konnte jeder Maßnahme eine Note von 0 (nicht wichtig) bis 5 (sehr wichtig) geben. Die "
            "Rangfolge ergibt sich aus dem Durchschnitt der Noten. Daneben steht das Mehrheitsurteil: die mittlere "
            "Note (Median), also die Note, die mindestens die Hälfte der Personen der Maßnahme gegeben oder "
            "übertroffen hat."
        )
    if method == "ranking":
        return _(
            "Jede Person konnte die Maßnahmen in eine Reihenfolge bringen; Gleichstand war erlaubt, nicht "
            "eingeordnete Maßnahmen zählen gemeinsam als letzte. Ausgezählt wird mit der Schulze-Methode: Für jedes "
            "Paar von Maßnahmen wird verglichen, wie viele Personen die eine vor die andere gesetzt haben. Eine "
            "Maßnahme steht vor einer anderen, wenn sie diese direkt oder über eine Kette solcher Vergleiche "
            "schlägt. Zum Vergleich stehen daneben: die Borda-Zählung (Punkte nach Platz), Copeland (Zahl der "
            "gewonnenen direkten Vergleiche) und die Zahl der ersten Plätze."
        )
    if method == "points" and settings.get("use_costs"):
        ballot = {
            "approval": _("Jede Person konnte allen Projekten zustimmen, die sie unterstützt."),
            "points": _("Jede Person konnte %(points)s Punkte auf die Projekte verteilen.")
            % {"points": settings.get("budget_points", 100)},
        }.get(
            settings.get("budget_ballot"),
            _("Jede Person konnte Projekte wählen, deren geschätzte Kosten zusammen das Budget nicht überschreiten."),
        )
        return (
            _("Bürgerhaushalt mit einem Budget von %(budget)s Euro.") % {"budget": money(settings.get("budget"))}
            + " "
            + ballot
            + " "
            + BUDGET_EXPLANATION % {"rule": registry.table_label(registry.deciding_count(method, settings))}
        )
    if method == "points":
        return _(
            "Jede Person konnte %(points)s Punkte auf die Maßnahmen verteilen, viele auf eine oder wenige auf "
            "viele. Die Maßnahmen stehen nach der Summe ihrer Punkte."
        ) % {"points": settings.get("budget_points", 100)}
    if method == "pairwise":
        return _(
            "Den Teilnehmenden wurden immer wieder zwei Maßnahmen gezeigt; sie wählten die wichtigere oder „kann "
            "mich nicht entscheiden“, so oft sie wollten. Aus allen Vergleichen schätzt das Bradley-Terry-Modell "
            "für jede Maßnahme die Chance, gegen eine zufällig gewählte andere Maßnahme zu gewinnen (0 bis 100 %)."
        )
    return ""


def eligibility_explanation(eligibility):
    return {
        "account": _("Teilnehmen konnte, wer ein Konto mit bestätigter E-Mail-Adresse hat: ein Stimmzettel je Konto."),
        "access_code": _("Teilnehmen konnte, wer einen Zugangscode per Brief erhalten hat: ein Stimmzettel je Code."),
        "open": _(
            "Teilnehmen konnte jede Person, ein Stimmzettel je Browser. Das Ergebnis ist ein Stimmungsbild, "
            "keine verbindliche Abstimmung."
        ),
    }.get(eligibility, "")


def fallback_explanation(replicates):
    return _(
        "Die Auszählung wurde %(n)s-mal mit zufällig neu gezogenen Stichproben der "
        "Stimmzettel wiederholt (Bootstrap). Die Linien im Diagramm und die Intervalle in der Tabelle zeigen den "
        "Bereich, in dem Wert und Platz einer Maßnahme in 95 von 100 dieser Wiederholungen lagen. Überlappen sich "
        "die Bereiche zweier Maßnahmen stark, ist ihre Reihenfolge nicht klar entschieden."
    ) % {"n": number(replicates)}


# --- the chart ----------------------------------------------------------------------------


MAX_CHART_HEIGHT = 700  # points; an A4 frame with the page margins is about 716


def chart_drawing(data, width):
    """The shapes of ``charts.layout`` drawn with reportlab, scaled to ``width`` points."""
    regular, _bold = _fonts()
    shapes = layout(data)
    height = shapes["height"]
    # Long ballots (50 measures) give a chart taller than a page: shrink it to fit one.
    scale = min(width / shapes["width"], MAX_CHART_HEIGHT / height)
    drawing = Drawing(width, height * scale)
    group = Group()

    def add(shape, into):
        kind = shape["kind"]
        if kind == "line":
            into.add(
                Line(
                    shape["x1"],
                    height - shape["y1"],
                    shape["x2"],
                    height - shape["y2"],
                    strokeColor=colors.HexColor(shape["stroke"]),
                    strokeWidth=shape.get("width", 1),
                )
            )
        elif kind == "circle":
            into.add(
                Circle(
                    shape["cx"],
                    height - shape["cy"],
                    shape["r"],
                    fillColor=colors.HexColor(shape["fill"]),
                    strokeWidth=0,
                )
            )
        elif kind == "text":
            into.add(
                String(
                    shape["x"],
                    height - shape["y"],
                    shape["text"],
                    textAnchor=shape["anchor"],
                    fontName=regular,
                    fontSize=shape["size"],
                )
            )
        else:
            for child in shape["shapes"]:
                add(child, into)

    for shape in shapes["shapes"]:
        add(shape, group)
    group.scale(scale, scale)
    drawing.add(group)
    return drawing


# --- tables -------------------------------------------------------------------------------


def _grid(rows, widths, styles, header=True):
    cell = styles["cell"]
    regular, bold = styles["fonts"]
    table = Table(
        [[_p("" if value is None else value, cell) for value in row] for row in rows], colWidths=widths, repeatRows=1
    )
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9a9a9a")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), regular),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4ebf2")))
    table.setStyle(TableStyle(commands))
    return table


def _interval(low, high):
    if low is None or high is None:
        return "–"
    return f"{number(low)}–{number(high)}"


def ranking_table(result, styles, width, name=None):
    header = [_("Platz"), _("Maßnahme"), _("Wert"), _("95-%-Intervall"), _("Platz (95 %)")]
    rows = [header]
    for row in ranking_rows(result, name):
        rank = _interval(row["rank_low"], row["rank_high"])
        rows.append([row["place"], row["title"], number(row["score"]), _interval(row["low"], row["high"]), rank])
    return _grid(rows, [1.3 * cm, width - 9.8 * cm, 2.2 * cm, 3.3 * cm, 3 * cm], styles)


def other_count_tables(result, styles, width):
    flow = []
    for name, count in counts_of(result["count"])[1:]:
        notes = [_p(f"• {note}", styles["body"]) for note in uncertainty_notes(result, name=name)]
        flow.append(
            KeepTogether([_p(count_label(name), styles["h2"]), ranking_table(result, styles, width, name), *notes])
        )
        if count.get("selected") is not None:
            flow += budget_paragraph(result, styles, name)
    return flow


def budget_paragraph(result, styles, name=None):
    count = dict(counts_of(result["count"])).get(name or result["main_count"]) or {}
    if "selected" not in count:
        return []
    summary = disagreement_summary(result) if name is None else []
    titles = {str(option["id"]): option["title"] for option in result["options"]}
    chosen = ", ".join(titles.get(str(option), str(option)) for option in count["selected"]) or "–"
    return [
        _p(
            _("Im Budget von %(budget)s Euro: %(chosen)s (ausgegeben: %(spent)s Euro, übrig: %(left)s Euro).")
            % {
                "budget": money(count.get("budget")),
                "chosen": chosen,
                "spent": money(count.get("spent")),
                "left": money(count.get("leftover")),
            },
            styles["body"],
        ),
        *(_p(line, styles["body"]) for line in summary),
    ]


def experts_section(experts, styles, width):
    if not experts or not experts.get("rows"):
        return [_p(_("Keine oder nur eine der Maßnahmen wurde auch in einem Workshop bewertet."), styles["body"])]
    rows = [[_("Maßnahme"), _("Workshops: Wert"), _("Platz"), _("Befragung: Wert"), _("Platz")]]
    for row in experts["rows"]:
        rows.append(
            [row["title"], number(row["experts"]), row["expert_place"], number(row["citizens"]), row["citizen_place"]]
        )
    flow = [
        _p(
            _(
                "Links die Bewertung in den Workshops (Mittel über die Umfragen, die die Maßnahme bewertet haben), "
                "rechts das Ergebnis dieser Befragung. Kendalls Tau misst, wie ähnlich die beiden Rangfolgen sind: "
                "1 heißt gleiche Reihenfolge, 0 kein Zusammenhang, −1 umgekehrte Reihenfolge."
            ),
            styles["body"],
        ),
        _grid(rows, [width - 10 * cm, 2.8 * cm, 1.6 * cm, 2.8 * cm, 1.6 * cm], styles),
    ]
    if experts.get("tau") is not None:
        flow.append(_p(_("Kendalls Tau: %(tau)s") % {"tau": number(experts["tau"])}, styles["body"]))
    flow += [_p(f"• {line}", styles["body"]) for line in _in_language(experts.get("summary"))]
    if experts.get("field_rows"):
        rows = [[_("Handlungsfeld"), _("gemeinsam bewertete Maßnahmen"), _("Kendalls Tau")]]
        rows += [[row["title"], row["common"], number(row["tau"])] for row in experts["field_rows"]]
        flow += [Spacer(1, 6), _grid(rows, [width - 8 * cm, 5 * cm, 3 * cm], styles)]
    return flow


def _in_language(texts):
    texts = texts or {}
    return list(texts.get("en" if (get_language() or "de").startswith("en") else "de") or texts.get("de") or [])


def turnout_section(result, styles, width):
    turnout = result["turnout"]
    pairwise = result["consultation"]["method"] == "pairwise"
    lines = [
        _("Teilnehmende: %(n)s") % {"n": number(turnout["voters"])}
        + (
            " "
            + _("(online: %(online)s, auf Papier: %(paper)s)")
            % {"online": number(turnout.get("online")), "paper": number(turnout["paper"])}
            if turnout.get("paper")
            else ""
        ),
        (_("Gezählte Vergleiche: %(n)s") if pairwise else _("Gezählte Stimmzettel: %(n)s"))
        % {"n": number(turnout["ballots"])},
    ]
    paper = [f"{label}: {number(n)}" for label, n in paper_ballot_rows(turnout)]
    if paper:
        # The paper ballots received, then how each ended (counted, spoiled, refused, open).
        lines[1:1] = [paper[0], "; ".join(paper[1:])]
    if turnout.get("eligible"):
        lines.append(
            _("Ausgegebene Zugangscodes: %(n)s, Beteiligung: %(share)s %%")
            % {
                "n": number(turnout["eligible"]),
                "share": number(100 * turnout["voters"] / turnout["eligible"], digits=1),
            }
        )
    flow = [_p(line, styles["body"]) for line in lines]
    days = {}
    for row in turnout.get("over_time", []):
        day = _date(row["hour"], "SHORT_DATE_FORMAT")
        days[day] = (days.get(day, (0, 0))[0] + row["voters"], row["cumulative"])
    if days:
        rows = [[_("Tag"), _("neu Teilnehmende"), _("Teilnehmende gesamt")]]
        rows += [[day, number(new), number(total)] for day, (new, total) in days.items()]
        flow += [Spacer(1, 6), _grid(rows, [4 * cm, 4 * cm, 4 * cm], styles)]
    return flow


# --- the report ---------------------------------------------------------------------------


def report(result, snapshot=None, experts=None, receipts_counted_only=False):
    """The report as PDF bytes. ``receipts_counted_only``: the ballot file keeps receipts
    apart from contents (receipt lookup "counted"), so a receipt finds no content."""
    styles = _styles()
    consultation = result["consultation"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title_of(consultation),
        author=title_of(consultation["process"]),
        subject=_("Ergebnisbericht"),
        lang=get_language() or "de",
    )
    width = document.width
    body = styles["body"]
    numbers = iter(range(1, 100))

    def section(title):
        return _p(f"{next(numbers)}. {title}", styles["h1"])

    flow = [
        Spacer(1, 4 * cm),
        _p(_("Ergebnisbericht"), styles["subtitle"]),
        _p(title_of(consultation), styles["title"]),
        _p(title_of(consultation["process"]), styles["subtitle"]),
        Spacer(1, 1 * cm),
        _p(
            _("Befragung vom %(start)s bis %(end)s")
            % {"start": _date(consultation["opens_at"]), "end": _date(consultation["closes_at"])},
            body,
        ),
        _p(
            _("Verfahren: %(method)s") % {"method": method_label(consultation["method"], consultation.get("settings"))},
            body,
        ),
        _p(_("Teilnahme: %(mode)s") % {"mode": eligibility_label(consultation["eligibility"])}, body),
        Spacer(1, 1 * cm),
    ]
    if snapshot is not None:
        flow += [
            _p(
                _("Veröffentlicht am %(date)s") % {"date": local_time(snapshot.published_at)},
                body,
            ),
            _p(_("SHA-256 des veröffentlichten Ergebnisses:"), body),
            _p(snapshot.sha256, styles["small"]),
        ]
    else:
        flow.append(_p(_("Nicht veröffentlichter Live-Stand: nur zur internen Verwendung."), styles["h2"]))
    flow.append(PageBreak())

    if opinion.is_opinion(result):
        flow += opinion_flow(result, styles, width, section)
        document.build(flow)
        return buffer.getvalue()
    flow += [
        section(_("Das Verfahren")),
        _p(method_explanation(consultation), body),
        Spacer(1, 6),
        _p(eligibility_explanation(consultation["eligibility"]), body),
        Spacer(1, 6),
        _p(_("Wie sicher ist die Rangfolge?"), styles["h2"]),
        _p(uncertainty_explanation(result) or fallback_explanation(REPLICATES), body),
        section(_("Ergebnis")),
    ]
    data = chart_data(result)
    flow += [
        _p(data["title"], styles["h2"]),
        chart_drawing(data, width),
        Spacer(1, 8),
        ranking_table(result, styles, width),
    ]
    flow += budget_paragraph(result, styles)
    notes = uncertainty_notes(result)
    if notes:
        flow.append(_p(_("Hinweise zur Unsicherheit"), styles["h2"]))
        flow += [_p(f"• {note}", body) for note in notes]
    others = other_count_tables(result, styles, width)
    if others:
        flow += [section(_("Andere Zählweisen zum Vergleich"))]
        flow += [_p(f"• {line}", body) for line in disagreement_summary(result)]
        flow += others
    flow += [
        section(_("Expertinnen und Experten neben Bürgerinnen und Bürgern")),
        *experts_section(experts, styles, width),
    ]
    flow += [section(_("Beteiligung")), *turnout_section(result, styles, width)]
    flow += [
        section(_("Selbst nachzählen")),
        _p(
            _(
                "Die anonymen Stimmzettel und dieses Ergebnis stehen als offene Daten bereit (ZIP-Datei mit "
                "SHA-256-Prüfsummen). Jede Person kann damit das Ergebnis nachrechnen: python manage.py recount "
                "DATEI.zip. Mit der Quittung aus der Stimmabgabe lässt sich der eigene Stimmzettel in der Datei finden."
            )
            if not receipts_counted_only
            else _(
                "Die anonymen Stimmzettel und dieses Ergebnis stehen als offene Daten bereit (ZIP-Datei mit "
                "SHA-256-Prüfsummen). Jede Person kann damit das Ergebnis nachrechnen: python manage.py recount "
                "DATEI.zip. Mit der Quittung aus der Stimmabgabe lässt sich prüfen, dass der eigene Stimmzettel "
                "gezählt wurde; welcher Inhalt zu welcher Quittung gehört, steht nicht in der Datei (Schutz vor "
                "Stimmenkauf)."
            ),
            body,
        ),
    ]
    document.build(flow)
    return buffer.getvalue()


# --- opinion maps -----------------------------------------------------------------------------


def opinion_drawing(view, width):
    """The frozen map's dots, shapes and letters as on the results page (``opinion.map_view``)."""
    scale = width / view["width"]
    height = view["height"]
    drawing = Drawing(width, height * scale)
    group = Group()
    group.add(Rect(0, 0, view["width"], height, fillColor=colors.white, strokeColor=colors.HexColor("#d1d5db")))
    for dot in view["dots"]:
        colour = colors.HexColor(dot["colour"])
        x, y, size = dot["x"], height - dot["y"], 6 if dot["letter"] else 4
        fill = colour if dot["filled"] else None
        kind = dot["shape"]
        if kind == "square":
            group.add(Rect(x - size, y - size, 2 * size, 2 * size, fillColor=fill, strokeColor=colour))
        elif kind == "triangle":
            points = [x, y + size + 1, x + size + 1, y - size, x - size - 1, y - size]
            group.add(Polygon(points, fillColor=fill, strokeColor=colour))
        elif kind == "diamond":
            r = size + 1
            group.add(Polygon([x, y + r, x + r, y, x, y - r, x - r, y], fillColor=fill, strokeColor=colour))
        elif kind == "cross":
            group.add(Line(x - size, y - size, x + size, y + size, strokeColor=colour, strokeWidth=1.5))
            group.add(Line(x + size, y - size, x - size, y + size, strokeColor=colour, strokeWidth=1.5))
        else:
            group.add(Circle(x, y, size, fillColor=fill, strokeColor=colour))
    group.scale(scale, scale)
    drawing.add(group)
    return drawing


def opinion_flow(result, styles, width, section):
    """An opinion map's report after the title page: the method, the map with its legend,
    the groups, the common ground, every statement, turnout and how to recount."""
    body, english = styles["body"], (get_language() or "de").startswith("en")
    view = opinion.map_view(result)
    flow = [
        section(_("Das Verfahren")),
        _p(str(opinion.EXPLANATION), body),
        Spacer(1, 6),
        _p(eligibility_explanation(result["consultation"]["eligibility"]), body),
        section(_("Die Meinungslandkarte")),
        _p(view["summary"], body),
    ]
    if view["dots"]:
        flow += [Spacer(1, 6), opinion_drawing(view, width), Spacer(1, 6)]
        legend = [
            _("Gruppe %(letter)s (%(shape)s): %(n)s Personen")
            % {"letter": group["letter"], "shape": SHAPE_NAMES[group["shape"]](), "n": number(group["size"])}
            for group in view["groups"]
        ]
        if view["ungrouped"]:
            legend.append(
                _("Offene graue Kreise: %(n)s Personen mit weniger als %(min)s Antworten, ohne Gruppe")
                % {"n": number(view["ungrouped"]), "min": view["min_answers"]}
            )
        flow += [_p(f"• {line}", body) for line in legend]
    if view["groups"]:
        flow.append(_p(_("Was die Gruppen auszeichnet"), styles["h2"]))
        for group in view["groups"]:
            rows = [[_("Aussage"), _("Gruppe %(letter)s") % {"letter": group["letter"]}, _("alle anderen")]]
            for item in group["representative"]:
                verb = _("%(share)s %% stimmen zu") if item["agree"] else _("%(share)s %% stimmen nicht zu")
                rows.append([item["text"], verb % {"share": item["share"]}, verb % {"share": item["others"]}])
            if len(rows) == 1:
                none = _("Keine Aussage, in der sich diese Gruppe deutlich von den anderen unterscheidet.")
                rows.append([none, "", ""])
            flow += [Spacer(1, 4), _grid(rows, [width * 0.6, width * 0.2, width * 0.2], styles), Spacer(1, 4)]
        flow.append(_p(_("Worin sich alle Gruppen einig sind"), styles["h2"]))
        if view["consensus"]:
            for item in view["consensus"]:
                shares = ", ".join(
                    _("Gruppe %(letter)s: %(share)s %% Zustimmung") % {"letter": g["letter"], "share": g["share"]}
                    for g in item["groups"]
                )
                flow.append(_p(f"• {item['text']} ({shares})", body))
        else:
            flow.append(_p(_("Keine Aussage, der alle Gruppen mehrheitlich zustimmen."), body))
    flow.append(section(_("Alle Aussagen")))
    rows = [[_("Aussage"), _("stimmen zu"), _("stimmen nicht zu"), _("weiß nicht"), _("Antworten")]]
    for row in opinion.statement_rows(result, english):
        keys = ("agree_percent", "disagree_percent", "pass_percent")
        shares = [f"{row[key]} %" if row["seen"] else "–" for key in keys]
        rows.append([row["text"], *shares, number(row["seen"])])
    flow.append(_grid(rows, [width * 0.52, width * 0.12, width * 0.12, width * 0.12, width * 0.12], styles))
    turnout = result["turnout"]
    flow += [
        section(_("Beteiligung")),
        _p(_("Teilnehmende: %(n)s") % {"n": number(turnout["voters"])}, body),
        _p(
            _("Personen mit Antworten: %(people)s, Antworten: %(answers)s")
            % {"people": number(turnout["ballots"]), "answers": number(turnout["answers"])},
            body,
        ),
        section(_("Selbst nachzählen")),
        _p(
            _(
                "Die anonymen Antworten (jede Person als Nummer) und dieses Ergebnis stehen als offene Daten bereit "
                "(ZIP-Datei mit SHA-256-Prüfsummen). Jede Person kann damit die Karte nachrechnen: python manage.py "
                "recount DATEI.zip."
            ),
            body,
        ),
    ]
    return flow


SHAPE_NAMES = {
    "circle": lambda: _("Kreis"),
    "square": lambda: _("Quadrat"),
    "triangle": lambda: _("Dreieck"),
    "diamond": lambda: _("Raute"),
    "cross": lambda: _("Kreuz"),
}
