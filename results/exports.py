"""Exports of a consultation result: CSV (a ZIP, one file per table), XLSX (a summary
sheet first), JSON (the result itself, see docs/results-schema.md) and the PDF
report (``results.pdf``).

Every export reads a result dict (a published snapshot's content or the live
result) and its anonymous ballot file; nothing here reads who voted.
"""

import csv
import io
import zipfile

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from participation import xlsx
from voting import pabulib
from voting.tally.registry import counts_of, short_label
from voting.tally.registry import label as count_label
from workshops.exports import local_time, neutralise

from . import compare, opinion
from .ballotfile import BallotFile, collector_paused, data_from_ballot_file, is_unlinked
from .charts import (
    disagreement_summary,
    eligibility_label,
    method_label,
    option_titles,
    paper_ballot_rows,
    ranking_rows,
    title_of,
    uncertainty_notes,
)
from .compute import canonical_bytes

FORMATS = ("csv", "xlsx", "json", "pdf", "pb")
WITH_BALLOTS = ("csv", "xlsx", "pb")
CONTENT_TYPES = {
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
    "pb": "text/plain; charset=utf-8",
}
EXTENSIONS = {"csv": "zip", "xlsx": "xlsx", "json": "json", "pdf": "pdf", "pb": "pb"}


class NotABudget(ValueError):
    """The Pabulib format holds participatory budgets only."""


def to_pabulib(result, ballots):
    """A participatory budget as a Pabulib file (``voting.pabulib``): its measures with
    costs, what the deciding rule funds, and every anonymous ballot, voters numbered
    in the ballot file's order."""
    count = result.get("count") or {}
    if count.get("method") != "budget":
        raise NotABudget(_("Das Pabulib-Format gibt es nur für Bürgerhaushalte."))
    consultation = result["consultation"]
    setup = consultation["settings"]
    main = result["main_count"]
    funded = {str(option) for option in count[main].get("selected") or []}
    data = ballots.count_data("points") if isinstance(ballots, BallotFile) else data_from_ballot_file("points", ballots)
    style = setup.get("budget_ballot", "knapsack")
    extra = {"max_sum_points": setup["budget_points"]} if style == "points" else {}
    if style == "approval" and setup.get("max_projects"):
        extra["max_length"] = setup["max_projects"]
    dates = [local_date(consultation.get(key)) for key in ("opens_at", "closes_at")]
    instance = pabulib.instance_from_count_data(
        description=consultation["title"],
        instance=consultation["id"],
        budget=setup["budget"],
        vote_type="points" if style == "points" else "approval",
        rule=main,
        projects=[
            {
                "id": option["id"],
                "cost": option["cost"],
                "name": option["title"],
                "selected": str(option["id"]) in funded,
            }
            for option in result["options"]
        ],
        ballots=data,
        date_begin=dates[0],
        date_end=dates[1],
        extra_meta=extra,
    )
    return pabulib.write_pb(instance).encode("utf-8")


def local_date(text):
    """The local date of an ISO time (None stays None)."""
    moment = parse_datetime(text) if text else None
    return timezone.localtime(moment).date() if moment else None


# --- tables -------------------------------------------------------------------------


def _table(name, title, columns, rows, sheet=None):
    """A table: ``name`` of its CSV file, ``title``, and ``sheet``, its short name as an
    XLSX sheet (31 characters at most; the title when not given)."""
    return {"name": name, "title": title, "columns": columns, "rows": rows, "sheet": sheet or title}


def summary_table(result, snapshot=None):
    consultation = result["consultation"]
    turnout = result["turnout"]
    main = ranking_rows(result)
    winners = [row["title"] for row in main if row["place"] == 1]
    rows = [
        [_("Befragung"), title_of(consultation)],
        [_("Prozess"), title_of(consultation["process"])],
        [_("Verfahren"), method_label(consultation["method"], consultation.get("settings"))],
        [_("Hauptzählung"), count_label(result["main_count"])],
        [_("Teilnahme"), eligibility_label(consultation["eligibility"])],
        [_("Beginn"), local_time(consultation["opens_at"])],
        [_("Ende"), local_time(consultation["closes_at"])],
        [_("Teilnehmende"), turnout["voters"]],
        *(
            [[_("davon online"), turnout.get("online")], [_("davon auf Papier"), turnout["paper"]]]
            if turnout.get("paper")
            else []
        ),
        *([label, n] for label, n in paper_ballot_rows(turnout)),
        [
            _("Gezählte Stimmzettel") if consultation["method"] != "pairwise" else _("Gezählte Vergleiche"),
            turnout["ballots"],
        ],
    ]
    if turnout.get("eligible") is not None:
        rows.append([_("Ausgegebene Zugangscodes"), turnout["eligible"]])
    rows.append([_("Platz 1"), "; ".join(winners)])
    rows += [[_("Hinweis zur Unsicherheit"), note] for note in uncertainty_notes(result)]
    rows += [[_("Vergleich der Zählweisen"), line] for line in disagreement_summary(result)]
    if snapshot is not None:
        rows += [
            [_("Veröffentlicht am"), local_time(snapshot.published_at)],
            [_("SHA-256 des Ergebnisses"), snapshot.sha256],
        ]
    else:
        rows.append([_("Stand"), _("nicht veröffentlichtes Live-Ergebnis")])
    # The result JSON keeps UTC; the tables for people show the city's local time.
    rows.append([_("Zeitzone der Zeitangaben"), settings.TIME_ZONE])
    return _table("summary", _("Übersicht"), [_("Angabe"), _("Wert")], rows)


def ranking_tables(result):
    tables = []
    for name, count in counts_of(result["count"]):
        rows = ranking_rows(result, name)
        budget = "selected" in count
        # The value column says what is counted ("Borda-Punkte"), not just "Wert".
        columns = [_("Platz"), _("Maßnahme (ID)"), _("Maßnahme"), count_label(name)]
        columns += [_("95-%-Intervall von"), _("bis"), _("Platz (95 %) von"), _("bis")]
        if budget:
            columns += [_("gefördert"), _("gefördert in Nachzählungen (Anteil)")]
        body = []
        for row in rows:
            line = [row["place"], row["id"], row["title"], row["score"]]
            line += [row["low"], row["high"], row["rank_low"], row["rank_high"]]
            if budget:
                line += [_("ja") if row["selected"] else _("nein"), row["selected_share"]]
            body.append(line)
        tables.append(_table(f"ranking_{name}", count_label(name), columns, body, short_label(name)))
    return tables


def turnout_table(result):
    rows = [
        [local_time(row["hour"]), row["voters"], row["cumulative"]] for row in result["turnout"].get("over_time", [])
    ]
    return _table("turnout", _("Beteiligung"), [_("Stunde"), _("neu Teilnehmende"), _("Teilnehmende gesamt")], rows)


def ballots_table(result, ballots):
    """The raw anonymous ballots: one row per ballot, one column per measure. A
    ranking file is read into a matrix of places (``places``, 0 = not ranked) with
    its ``receipts``, which the renderers write without a Python object per cell."""
    ids = [str(option["id"]) for option in result["options"]]
    named = measure_names(result)
    headers = [named[option] for option in ids]
    if isinstance(ballots, BallotFile):
        rankings = ballots.rankings()
        if rankings is not None:
            table = _table("ballots", _("Stimmzettel"), [_("Quittung"), *headers], [])
            table["receipts"] = rankings.receipts
            table["places"] = rankings.places([option["id"] for option in result["options"]])
            return table
        ballots = ballots.document
    method = ballots.get("method")
    if method == "pairwise":
        rows = [
            [named.get(str(row["winner"]), row["winner"]), named.get(str(row["loser"]), row["loser"])]
            for row in ballots.get("comparisons", [])
        ]
        return _table("ballots", _("Stimmzettel"), [_("bevorzugt"), _("gegenüber")], rows)
    if is_unlinked(ballots):
        # No receipt beside a content: the receipts get a table of their own.
        rows = [_content_cells(method, content, ids) for content in ballots.get("contents", [])]
        return _table("ballots", _("Stimmzettel"), headers, rows)
    rows = [[row["receipt"], *_content_cells(method, row["content"], ids)] for row in ballots.get("ballots", [])]
    return _table("ballots", _("Stimmzettel"), [_("Quittung"), *headers], rows)


def measure_names(result):
    """{id (str): "Title (#id)"}: a measure named for people, its id kept beside the title."""
    return {key: f"{title} (#{key})" for key, title in option_titles(result).items()}


def _content_cells(method, content, ids):
    """One ballot's cells, one per measure id: 1/0 approved, place, grade or points."""
    cells = dict.fromkeys(ids)
    if method == "approval":
        approved = {str(option) for option in content.get("approve", [])}
        cells = {option: int(option in approved) for option in ids}
    elif method == "ranking":
        for place, group in enumerate(content.get("ranking", []), start=1):
            for option in group:
                cells[str(option)] = place
    else:
        cells.update({str(k): v for k, v in content.get("scores" if method == "score" else "points", {}).items()})
    return [cells.get(option) for option in ids]


def receipts_table(ballots):
    """The receipts of an unlinked ballot file, sorted, on their own; None for other files."""
    if isinstance(ballots, BallotFile):
        if not ballots.unlinked:  # told from the bytes: a large linked file is not parsed here
            return None
        ballots = ballots.document
    document = ballots
    if not is_unlinked(document):
        return None
    return _table("receipts", _("Quittungen"), [_("Quittung")], [[receipt] for receipt in document.get("receipts", [])])


def _place_texts(places, empty, write):
    """Per possible place its rendering (0: ``empty``), as an object array for indexing."""
    top = int(places.max(initial=0))
    texts = np.empty(top + 1, dtype=object)
    texts[0] = empty
    for place in range(1, top + 1):
        texts[place] = write(place)
    return texts


def poll_tables(polls):
    tables = []
    for poll in polls:
        rows = [
            [row["option"], row["label"], row["measure"], row["measure_title"], row["value"]] for row in poll["options"]
        ]
        title = _("Workshop-Umfrage %(id)s") % {"id": poll["poll"]}
        columns = [_("Option (ID)"), _("Option"), _("Maßnahme (ID)"), _("Maßnahme"), _("Wert")]
        tables.append(_table(f"poll_{poll['poll']}", title, columns, rows))
    return tables


def tables(result, ballots, polls=(), snapshot=None):
    if opinion.is_opinion(result):
        return opinion_tables(result, ballots, snapshot)
    found = [
        summary_table(result, snapshot),
        *ranking_tables(result),
        *poll_tables(polls),
        turnout_table(result),
        ballots_table(result, ballots),
    ]
    receipts = receipts_table(ballots)
    return found if receipts is None else [*found, receipts]


# --- renderings -----------------------------------------------------------------------


def _cell(value):
    return neutralise(value if value is not None else "")


def _csv_rows(table):
    """The table's rows as CSV text (without the header)."""
    text = io.StringIO()
    writer = csv.writer(text)
    if "places" in table:
        plain = all(not (set(receipt) & CSV_SPECIAL) for receipt in table["receipts"])
        if plain:
            texts = _place_texts(table["places"], "", str)
            with collector_paused():
                cells = texts[table["places"]].tolist()
                lines = [
                    _cell(receipt) + "," + ",".join(row) for receipt, row in zip(table["receipts"], cells, strict=True)
                ]
            return "\r\n".join(lines) + ("\r\n" if lines else "")
        rows = (
            [receipt, *(place or None for place in row)]
            for receipt, row in zip(table["receipts"], table["places"].tolist(), strict=True)
        )
    else:
        rows = table["rows"]
    writer.writerows([_cell(value) for value in row] for row in rows)
    return text.getvalue()


CSV_SPECIAL = set(',"\r\n')


def to_csv_zip(all_tables):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for table in all_tables:
            header = io.StringIO()
            csv.writer(header).writerow([_cell(column) for column in table["columns"]])
            # A BOM, so that spreadsheet programs read the file as UTF-8.
            archive.writestr(f"{table['name']}.csv", "\ufeff" + header.getvalue() + _csv_rows(table))
    return buffer.getvalue()


SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
SHEET_LENGTH = 31  # what Excel allows


def _shorten(text, limit):
    """``text`` cut to ``limit`` characters between words (at a space or after a hyphen);
    a single word longer than that is cut where it must be."""
    if len(text) <= limit:
        return text
    spaces = [i for i, char in enumerate(text[: limit + 1]) if char == " "]
    hyphens = [i + 1 for i, char in enumerate(text[:limit]) if char == "-"]
    cut = max(spaces + hyphens, default=0)
    return (text[:cut] if cut else text[:limit]).rstrip(" -")


def sheet_names(titles):
    """One sheet name per title: without the characters Excel refuses, at most 31
    characters cut between words, and unique (case does not count): "Punkte (2)"."""
    used, names = set(), []
    for title in titles:
        clean = " ".join(title.translate(SHEET_FORBIDDEN).split()).strip("'") or "-"
        name, n = _shorten(clean, SHEET_LENGTH), 2
        while name.lower() in used:
            suffix = f" ({n})"
            name = _shorten(clean, SHEET_LENGTH - len(suffix)) + suffix
            n += 1
        used.add(name.lower())
        names.append(name)
    return names


def _sheet_rows(table):
    """The table's rows as sheet XML, rows 2, 3, ..."""
    if "places" not in table:
        for number, row in enumerate(table["rows"], start=2):
            yield xlsx.row(number, [xlsx.cell(_cell_value(value)) for value in row])
        return
    texts = _place_texts(table["places"], xlsx.EMPTY, xlsx.number_cell)
    receipts = table["receipts"]
    step = 5000  # rows per batch: bounded memory, few Python calls per cell
    for first in range(0, len(receipts), step):
        with collector_paused():
            cells = texts[table["places"][first : first + step]].tolist()
            yield "".join(
                f'<row r="{first + i + 2}">{xlsx.cell(_cell(receipt))}{"".join(row)}</row>'
                for i, (receipt, row) in enumerate(zip(receipts[first : first + step], cells, strict=True))
            )


def _cell_value(value):
    return None if value is None else _cell(value)


def to_xlsx(all_tables):
    names = sheet_names([table.get("sheet") or table["title"] for table in all_tables])
    sheets = [
        xlsx.Sheet(name, [_cell(column) for column in table["columns"]], _sheet_rows(table))
        for name, table in zip(names, all_tables, strict=True)
    ]
    return xlsx.workbook(sheets)


def to_json(result, snapshot=None):
    """A snapshot's published bytes as they are, or the live result in the same form."""
    if snapshot is not None:
        return snapshot.canonical.encode("utf-8")
    return canonical_bytes(result)


def export(fmt, result, ballots, polls=(), snapshot=None, experts=None, receipts_counted_only=False):
    """(content bytes, content type, file extension) of one export. ``receipts_counted_only``:
    the consultation's receipts show only "counted" (the PDF says so)."""
    if fmt == "json":
        content = to_json(result, snapshot)
    elif fmt == "csv":
        content = to_csv_zip(tables(result, ballots, polls, snapshot))
    elif fmt == "xlsx":
        content = to_xlsx(tables(result, ballots, polls, snapshot))
    elif fmt == "pb":
        content = to_pabulib(result, ballots)
    elif fmt == "pdf":
        from .pdf import report

        content = report(result, snapshot=snapshot, experts=experts, receipts_counted_only=receipts_counted_only)
    else:
        raise ValueError(f"Unknown export format {fmt!r}.")
    return content, CONTENT_TYPES[fmt], EXTENSIONS[fmt]


def experts_beside_citizens(result, polls):
    """For the PDF: this consultation's measures that workshops rated too, compared by
    ``compare.experts_vs_citizens``, with titles; None when fewer than two are shared."""
    from .compute import citizen_scores, expert_scores, labels_of

    experts = expert_scores(polls)
    citizens = citizen_scores(result)
    shared = [option["id"] for option in result["options"] if option["id"] in experts and option["id"] in citizens]
    if len(shared) < 2:
        return None
    fields = {option["id"]: option.get("field") for option in result["options"]}
    comparison = compare.experts_vs_citizens(
        {m: experts[m] for m in shared}, {m: citizens[m] for m in shared}, fields, labels_of(result["options"])
    )
    titles = option_titles(result)
    field_titles = {option.get("field"): option.get("field_title") for option in result["options"]}
    comparison["rows"] = [
        {
            "id": row["measure"],
            "title": titles[str(row["measure"])],
            "experts": row["expert_score"],
            "citizens": row["citizen_score"],
            "expert_place": row["expert_place"],
            "citizen_place": row["citizen_place"],
        }
        for row in comparison["measures"]
    ]
    comparison["field_rows"] = [
        {"title": field_titles.get(field) or str(field), "common": part["common"], "tau": part["tau"]}
        for field, part in comparison["fields"].items()
    ]
    return comparison


# --- opinion maps ------------------------------------------------------------------------


def opinion_tables(result, ballots, snapshot=None):
    """An opinion map's tables: overview, statements with their answers, groups with
    what sets them apart, what all groups agree with, the dots, and the answers file."""
    consultation, turnout, count = result["consultation"], result["turnout"], result["count"]
    english = (get_language() or "de").startswith("en")
    statements = {option["id"]: opinion.statement_text(option, english) for option in result["options"]}
    letter = opinion.group_letter
    summary = [
        [_("Befragung"), title_of(consultation)],
        [_("Prozess"), title_of(consultation["process"])],
        [_("Verfahren"), method_label(consultation["method"], consultation.get("settings"))],
        [_("Teilnahme"), eligibility_label(consultation["eligibility"])],
        [_("Beginn"), local_time(consultation["opens_at"])],
        [_("Ende"), local_time(consultation["closes_at"])],
        [_("Teilnehmende"), turnout["voters"]],
        [_("Personen mit Antworten"), turnout["ballots"]],
        [_("Antworten"), turnout["answers"]],
        [_("Aussagen"), len(result["options"])],
        [_("Meinungsgruppen"), count["k"]],
        [_("Antworten für eine Gruppe (mindestens)"), count["min_answers"]],
        [_("Silhouette der Gruppen"), count["silhouette"]],
    ]
    if snapshot is not None:
        summary += [
            [_("Veröffentlicht am"), local_time(snapshot.published_at)],
            [_("SHA-256 des Ergebnisses"), snapshot.sha256],
        ]
    else:
        summary.append([_("Stand"), _("nicht veröffentlichtes Live-Ergebnis")])
    summary.append([_("Zeitzone der Zeitangaben"), settings.TIME_ZONE])
    found = [_table("summary", _("Übersicht"), [_("Angabe"), _("Wert")], summary)]
    rows = [
        [row["statement"], row["text"], _("ja") if row["by_facilitators"] else _("nein")]
        + [row["agree"], row["disagree"], row["pass"]]
        for row in opinion.statement_rows(result, english)
    ]
    found.append(
        _table(
            "statements",
            _("Aussagen"),
            [_("Aussage (ID)"), _("Aussage"), _("von der Moderation"), _("stimmen zu"), _("stimmen nicht zu")]
            + [_("weiß nicht")],
            rows,
        )
    )
    rows = []
    for group in count["groups"]:
        for item in group["representative"] or [None]:
            line = [letter(group["id"]), group["size"]]
            if item is None:
                line += [None, None, None, None, None, None, None]
            else:
                direction = _("stimmen zu") if item["direction"] == "agree" else _("stimmen nicht zu")
                line += [item["statement"], statements.get(item["statement"], ""), direction]
                line += [item["share"], item["others_share"], item["z"], item["p"]]
            rows.append(line)
    found.append(
        _table(
            "groups",
            _("Was die Gruppen auszeichnet"),
            [_("Gruppe"), _("Personen"), _("Aussage (ID)"), _("Aussage"), _("Richtung"), _("Anteil in der Gruppe")]
            + [_("Anteil bei allen anderen"), "z", "p"],
            rows,
            _("Gruppen"),
        )
    )
    letters = [letter(group["id"]) for group in count["groups"]]
    rows = [
        [item["statement"], statements.get(item["statement"], ""), item["agree"]]
        + [item["per_group"].get(str(group["id"])) for group in count["groups"]]
        for item in count["consensus"]
    ]
    found.append(
        _table(
            "consensus",
            _("Worin sich alle Gruppen einig sind"),
            [_("Aussage (ID)"), _("Aussage"), _("Konsens (Produkt der Zustimmung)")]
            + [_("Zustimmung in Gruppe %(letter)s") % {"letter": name} for name in letters],
            rows,
            _("Gemeinsamkeiten"),
        )
    )
    rows = [
        [dot["n"], dot["x"], dot["y"], None if dot["group"] is None else letter(dot["group"])] for dot in count["dots"]
    ]
    found.append(_table("participants", _("Punkte der Karte"), [_("Person (Nr.)"), "x", "y", _("Gruppe")], rows))
    found.append(turnout_table(result))
    if ballots is not None:
        found.append(answers_table(result, ballots, statements))
    return found


def answers_table(result, ballots, statements):
    """The answers file as a matrix, as Polis publishes its votes: one row per participant,
    one column per statement; 1 agrees, -1 disagrees, 0 passes, empty not answered. (A list
    of single answers would pass a spreadsheet's million rows at city scale.)"""
    document = ballots.document if isinstance(ballots, BallotFile) else ballots
    ids = [option["id"] for option in result["options"]]
    column = {statement: index for index, statement in enumerate(ids, start=1)}
    rows = {}
    for person, statement, value in document["answers"]:
        row = rows.get(person)
        if row is None:
            row = rows[person] = [person] + [None] * len(ids)
        row[column[statement]] = value
    headers = [f"{statements.get(pk, '')} (#{pk})" for pk in ids]
    return _table("answers", _("Antworten"), [_("Person (Nr.)"), *headers], [rows[n] for n in sorted(rows)])
