"""Export of a whole workshop: cards, clusters, comments, likes, polls and votes, questions.
Cards carry their place on the board (x, y), group, reactions and whether they are pinned,
locked or hidden; clusters their areas; breakout groups theirs.

Each table is a list of rows; CSV (a ZIP with one file per table), XLSX (one sheet
per table) and JSON are three renderings of the same tables. JSON keeps the
machine names and codes; the spreadsheets are for people and speak the language of
the request: translated column titles, sheet names, choices ("Expertin/Experte"
for "expert") and the names anonymising gives ("Gelöschtes Konto"). The CSV file
names stay machine names, like the JSON keys.
"""

import csv
import io
import json
import re
import zipfile
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from participation import xlsx

from .actions import DELETED_ACCOUNT_NAME
from .models import (
    REACTIONS,
    BreakoutGroup,
    Card,
    CardColor,
    CardLike,
    CardReaction,
    Cluster,
    Comment,
    Participant,
    ParticipantRole,
    Phase,
    Poll,
    PollKind,
    PollState,
    PollVote,
    Question,
    WorkshopState,
)
from .selectors import reaction_counts

FORMATS = ("json", "csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Spreadsheets run cells that start like a formula; a leading quote makes them text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def zone_name(moment):
    """The abbreviation of the city's time zone at this moment (MEZ/MESZ, CET/CEST)."""
    name = moment.tzname() or ""
    return {"CET": _("MEZ"), "CEST": _("MESZ")}.get(name, name)


def local_time(value, style="SHORT_DATETIME_FORMAT"):
    """A time for people: in the city's time zone (settings.TIME_ZONE), in the reader's
    format, with the zone named ("05.12.2026, 10:58 MEZ"). Takes a datetime or an ISO
    text (as in the result JSON, which stays in UTC); "" for none."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if timezone.is_naive(value):
        return date_format(value, style)
    local = timezone.localtime(value)
    return f"{date_format(local, style)} {zone_name(local)}"


def tables(workshop):
    participants = Participant.objects.filter(workshop=workshop)
    polls = list(Poll.objects.filter(workshop=workshop).prefetch_related("options"))
    # Unrevealed brainwriting cards belong to their authors alone (also their comments, likes, reactions).
    cards = list(Card.objects.filter(workshop=workshop, private=False).prefetch_related("likes"))
    reactions = reaction_counts([c.pk for c in cards]) if cards else {}
    return {
        "workshop": [
            {
                "id": workshop.pk,
                "code": workshop.code,
                "title": workshop.title,
                "process": workshop.process_id,
                "state": workshop.state,
                "phase": workshop.phase,
                "created": workshop.created.isoformat(),
            }
        ],
        "participants": [
            {"id": p.pk, "name": p.display_name, "role": p.role, "joined": p.created.isoformat()} for p in participants
        ],
        "groups": [
            {"id": g.pk, "name": g.name, "position": g.position, "x": g.x, "y": g.y, "w": g.w, "h": g.h}
            for g in BreakoutGroup.objects.filter(workshop=workshop).order_by("position", "id")
        ],
        "clusters": [
            {
                "id": c.pk,
                "title": c.title,
                "measure": c.measure_id,
                "x": c.x,
                "y": c.y,
                "w": c.w,
                "h": c.h,
                "group": c.group_id,
            }
            for c in Cluster.objects.filter(workshop=workshop)
        ],
        "cards": [
            {
                "id": c.pk,
                "text": c.text,
                "cluster": c.cluster_id,
                "author": None if c.anonymous else c.author_id,
                "color": c.color,
                "likes": c.likes.count(),
                "reactions": sum(reactions.get(c.pk, {}).values()),
                **{f"reaction_{i}": reactions.get(c.pk, {}).get(emoji, 0) for i, emoji in enumerate(REACTIONS)},
                "measure": c.measure_id,
                "x": c.x,
                "y": c.y,
                "group": c.group_id,
                "pinned": c.pinned,
                "locked": c.locked,
                "hidden": c.hidden,
                "created": c.created.isoformat(),
            }
            for c in cards
        ],
        "comments": [
            {"id": c.pk, "card": c.card_id, "author": c.author_id, "text": c.text, "created": c.created.isoformat()}
            for c in Comment.objects.filter(card__workshop=workshop, card__private=False)
        ],
        "likes": [
            {"card": like.card_id, "participant": like.participant_id}
            for like in CardLike.objects.filter(card__workshop=workshop, card__private=False).order_by(
                "card_id", "participant_id"
            )
        ],
        "reactions": [
            {"card": r.card_id, "participant": r.participant_id, "emoji": r.emoji}
            for r in CardReaction.objects.filter(card__workshop=workshop, card__private=False).order_by(
                "card_id", "participant_id", "emoji"
            )
        ],
        "polls": [
            {
                "id": p.pk,
                "question": p.question,
                "kind": p.kind,
                "state": p.state,
                "dots": p.dots,
                "max_per_option": p.max_per_option,
                "final_results": json.dumps(p.final_results, ensure_ascii=False) if p.final_results else "",
            }
            for p in polls
        ],
        "poll_options": [
            {
                "poll": p.pk,
                "option": o.pk,
                "position": o.position,
                "label": o.label,
                "card": o.card_id,
                "cluster": o.cluster_id,
                "measure": o.measure_id,
            }
            for p in polls
            for o in p.options.all()
        ],
        "votes": [
            {"poll": v.poll_id, "participant": v.participant_id, "choice": json.dumps(v.choice)}
            for v in PollVote.objects.filter(poll__workshop=workshop).order_by("poll_id", "participant_id")
        ],
        # Q&A: the questions with their upvotes (hidden ones too: the export is the facilitators').
        "questions": [
            {
                "id": q.pk,
                "text": q.text,
                "author": None if q.anonymous else q.author_id,
                "upvotes": q.upvotes,
                "answered": q.answered,
                "hidden": q.hidden,
                "created": q.created.isoformat(),
            }
            for q in Question.objects.filter(workshop=workshop).annotate(upvotes=Count("votes"))
        ],
    }


def sheet_titles():
    return {
        "workshop": _("Workshop"),
        "participants": _("Teilnehmende"),
        "clusters": _("Cluster"),
        "cards": _("Karten"),
        "comments": _("Kommentare"),
        "likes": _("Likes"),
        "reactions": _("Reaktionen"),
        "groups": _("Gruppen"),
        "polls": _("Abstimmungen"),
        "poll_options": _("Optionen"),
        "poll_results": _("Abstimmungsergebnisse"),
        "votes": _("Stimmen"),
        "questions": _("Fragen"),
    }


def column_titles():
    return {
        "id": _("ID"),
        "code": _("Code"),
        "title": _("Titel"),
        "process": _("Prozess (ID)"),
        "state": _("Status"),
        "phase": _("Phase"),
        "created": _("Erstellt"),
        "name": _("Name"),
        "role": _("Rolle"),
        "joined": _("Beigetreten"),
        "measure": _("Maßnahme (ID)"),
        "text": _("Text"),
        "cluster": _("Cluster (ID)"),
        "author": _("Verfasst von (ID)"),
        "color": _("Farbe"),
        "likes": _("Likes"),
        "reactions": _("Reaktionen"),
        **{f"reaction_{i}": _("Reaktion %(emoji)s") % {"emoji": emoji} for i, emoji in enumerate(REACTIONS)},
        "emoji": _("Reaktion"),
        "x": _("x (Board)"),
        "y": _("y (Board)"),
        "w": _("Breite (Board)"),
        "h": _("Höhe (Board)"),
        "group": _("Gruppe (ID)"),
        "pinned": _("Angeheftet"),
        "locked": _("Gesperrt"),
        "card": _("Karte (ID)"),
        "participant": _("Teilnehmende Person (ID)"),
        "question": _("Frage"),
        "kind": _("Art"),
        "dots": _("Punkte"),
        "max_per_option": _("Höchstens je Option"),
        "final_results": _("Endergebnis (JSON)"),
        "poll": _("Abstimmung (ID)"),
        "option": _("Option (ID)"),
        "position": _("Position"),
        "label": _("Beschriftung"),
        "choice": _("Auswahl (JSON)"),
        "ballots": _("Abgegebene Stimmen"),
        "value": _("Ergebnis"),
        "unit": _("Ergebnis in"),
        "people": _("Personen"),
        "mean_rank": _("Mittlerer Platz"),
        "upvotes": _("Unterstützt von"),
        "answered": _("Beantwortet"),
        "hidden": _("Ausgeblendet"),
        **{f"grade_{grade}": _("Bewertung %(grade)s (Anzahl)") % {"grade": grade} for grade in GRADES},
    }


GRADES = range(1, 6)


def result_units():
    """What the result of an option counts, per kind of poll."""
    return {
        "single": _("Stimmen"),
        "multiple": _("Stimmen"),
        "dots": _("Punkte"),
        "scale": _("Durchschnitt (1 bis 5)"),
        "ranking": _("Borda-Punkte"),
        "words": _("Nennungen"),
    }


def poll_results(data):
    """The final results of the closed polls for people: one row per option, one column
    per figure (in the JSON they stay as the poll's ``final_results`` text)."""
    measures = {row["option"]: row["measure"] for row in data.get("poll_options", [])}
    units = result_units()
    rows = []
    for poll in data.get("polls", []):
        results = json.loads(poll["final_results"]) if poll.get("final_results") else None
        for option in (results or {}).get("options", []):
            distribution = option.get("distribution") or []
            rows.append(
                {
                    "poll": poll["id"],
                    "question": poll["question"],
                    "kind": poll["kind"],
                    "option": option.get("option"),
                    # a word cloud's rows are words, not options
                    "label": option.get("label", option.get("word")),
                    "measure": measures.get(option.get("option")),
                    "ballots": results.get("votes"),
                    "value": option.get("value"),
                    "unit": units.get(poll["kind"], ""),
                    # dots: who gave the option dots; scale: who rated it
                    "people": option.get("voters", option.get("count")),
                    "mean_rank": option.get("mean_rank"),
                    **{
                        f"grade_{grade}": distribution[grade - 1] if len(distribution) >= grade else None
                        for grade in GRADES
                    },
                }
            )
    return rows


# Codes that a spreadsheet shows by their label: (table, column) -> choices.
CHOICES = {
    ("workshop", "state"): WorkshopState,
    ("workshop", "phase"): Phase,
    ("participants", "role"): ParticipantRole,
    ("cards", "color"): CardColor,
    ("polls", "kind"): PollKind,
    ("poll_results", "kind"): PollKind,
    ("polls", "state"): PollState,
}


PSEUDONYM = re.compile(r"Teilnehmende ([0-9]+)")


def shown_name(name):
    """The names that anonymising gives (stored in German) in the request's language."""
    if name == DELETED_ACCOUNT_NAME:
        return _("Gelöschtes Konto")
    pseudonym = PSEUDONYM.fullmatch(name)
    if pseudonym:
        return _("Teilnehmende %(number)s") % {"number": pseudonym.group(1)}
    return name


# Times: ISO text in UTC in the JSON, the city's local time with its zone for people.
TIME_COLUMNS = ("created", "joined")


def readable(data):
    """The tables for people: {sheet title: (column titles, rows of values)}. Times are
    local with the zone named; poll results are a table of their own, not JSON in a cell."""
    sheets, columns = sheet_titles(), column_titles()
    if "polls" in data:
        results = poll_results(data)
        ordered = {}
        for name, rows in data.items():
            if name == "polls":
                ordered["polls"] = [{k: v for k, v in poll.items() if k != "final_results"} for poll in rows]
                ordered["poll_results"] = results
            else:
                ordered[name] = rows
        data = ordered
    readable_tables = {}
    for name, rows in data.items():
        keys = list(rows[0]) if rows else []
        labels = {key: dict(CHOICES[(name, key)].choices) for key in keys if (name, key) in CHOICES}
        body = [
            [
                str(labels[k].get(v, v)) if k in labels else local_time(v) if k in TIME_COLUMNS else v
                for k, v in row.items()
            ]
            for row in rows
        ]
        if name == "participants" and "name" in keys:
            at = keys.index("name")
            for row in body:
                row[at] = shown_name(row[at])
        readable_tables[name] = (sheets.get(name, name), [columns.get(k, k) for k in keys], body)
    return readable_tables


def _csv_zip(data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (_title, columns, rows) in readable(data).items():
            text = io.StringIO()
            if columns:
                writer = csv.writer(text)
                writer.writerow(columns)
                writer.writerows([neutralise(v) for v in row] for row in rows)
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


def _xlsx(data):
    sheets = [
        xlsx.Sheet(title[:31], columns, xlsx.value_rows([neutralise(v) for v in row] for row in rows), frozen=False)
        for title, columns, rows in readable(data).values()
    ]
    return xlsx.workbook(sheets)


def export(workshop, fmt):
    """The workshop as (content, content type, file extension)."""
    data = tables(workshop)
    if fmt == "csv":
        return _csv_zip(data), "application/zip", "zip"
    if fmt == "xlsx":
        return _xlsx(data), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    return json.dumps(data, ensure_ascii=False, indent=2), "application/json", "json"
