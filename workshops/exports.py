"""Export of a whole workshop: cards, clusters, comments, likes, polls and votes.

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

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .actions import DELETED_ACCOUNT_NAME
from .models import (
    Card,
    CardColor,
    CardLike,
    Cluster,
    Comment,
    Participant,
    ParticipantRole,
    Phase,
    Poll,
    PollKind,
    PollState,
    PollVote,
    WorkshopState,
)

FORMATS = ("json", "csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Spreadsheets run cells that start like a formula; a leading quote makes them text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def tables(workshop):
    participants = Participant.objects.filter(workshop=workshop)
    polls = list(Poll.objects.filter(workshop=workshop).prefetch_related("options"))
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
        "clusters": [
            {"id": c.pk, "title": c.title, "measure": c.measure_id} for c in Cluster.objects.filter(workshop=workshop)
        ],
        "cards": [
            {
                "id": c.pk,
                "text": c.text,
                "cluster": c.cluster_id,
                "author": None if c.anonymous else c.author_id,
                "color": c.color,
                "likes": c.likes.count(),
                "measure": c.measure_id,
                "created": c.created.isoformat(),
            }
            for c in Card.objects.filter(workshop=workshop).prefetch_related("likes")
        ],
        "comments": [
            {"id": c.pk, "card": c.card_id, "author": c.author_id, "text": c.text, "created": c.created.isoformat()}
            for c in Comment.objects.filter(card__workshop=workshop)
        ],
        "likes": [
            {"card": like.card_id, "participant": like.participant_id}
            for like in CardLike.objects.filter(card__workshop=workshop).order_by("card_id", "participant_id")
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
    }


def sheet_titles():
    return {
        "workshop": _("Workshop"),
        "participants": _("Teilnehmende"),
        "clusters": _("Cluster"),
        "cards": _("Karten"),
        "comments": _("Kommentare"),
        "likes": _("Likes"),
        "polls": _("Abstimmungen"),
        "poll_options": _("Optionen"),
        "votes": _("Stimmen"),
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
    }


# Codes that a spreadsheet shows by their label: (table, column) -> choices.
CHOICES = {
    ("workshop", "state"): WorkshopState,
    ("workshop", "phase"): Phase,
    ("participants", "role"): ParticipantRole,
    ("cards", "color"): CardColor,
    ("polls", "kind"): PollKind,
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


def readable(data):
    """The tables for people: {sheet title: (column titles, rows of values)}."""
    sheets, columns = sheet_titles(), column_titles()
    readable_tables = {}
    for name, rows in data.items():
        keys = list(rows[0]) if rows else []
        labels = {key: dict(CHOICES[(name, key)].choices) for key in keys if (name, key) in CHOICES}
        body = [[str(labels[k].get(v, v)) if k in labels else v for k, v in row.items()] for row in rows]
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
    book = Workbook()
    book.remove(book.active)
    for title, columns, rows in readable(data).values():
        sheet = book.create_sheet(title=title[:31])
        if columns:
            sheet.append(columns)
            for row in rows:
                sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(workshop, fmt):
    """The workshop as (content, content type, file extension)."""
    data = tables(workshop)
    if fmt == "csv":
        return _csv_zip(data), "application/zip", "zip"
    if fmt == "xlsx":
        return _xlsx(data), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    return json.dumps(data, ensure_ascii=False, indent=2), "application/json", "json"
