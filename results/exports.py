"""Exports of a consultation result: CSV (a ZIP, one file per table), XLSX (a summary
sheet first), JSON (the result itself, see docs/results-schema.md) and the PDF
report (``results.pdf``).

Every export reads a result dict (a published snapshot's content or the live
result) and its anonymous ballot file; nothing here reads who voted.
"""

import csv
import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from workshops.exports import neutralise

from . import compare
from .charts import count_label, disagreement_summary, option_titles, ranking_rows, uncertainty_notes
from .compute import canonical_bytes, counts_of

FORMATS = ("csv", "xlsx", "json", "pdf")
CONTENT_TYPES = {
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
}
EXTENSIONS = {"csv": "zip", "xlsx": "xlsx", "json": "json", "pdf": "pdf"}


def method_label(method):
    return {
        "approval": _("Zustimmung"),
        "score": _("Bewertung"),
        "ranking": _("Rangfolge"),
        "points": _("Punkte verteilen"),
        "pairwise": _("Paarvergleich"),
    }.get(method, method)


def eligibility_label(eligibility):
    return {
        "account": _("bestätigtes Konto"),
        "access_code": _("Zugangscode"),
        "open": _("offen (unverbindlich)"),
    }.get(eligibility, eligibility)


# --- tables -------------------------------------------------------------------------


def _table(name, title, columns, rows):
    return {"name": name, "title": title, "columns": columns, "rows": rows}


def summary_table(result, snapshot=None):
    consultation = result["consultation"]
    turnout = result["turnout"]
    main = ranking_rows(result)
    winners = [row["title"] for row in main if row["place"] == 1]
    rows = [
        [_("Befragung"), consultation["title"]],
        [_("Prozess"), consultation["process"]["title"]],
        [_("Verfahren"), method_label(consultation["method"])],
        [_("Hauptzählung"), count_label(result["main_count"])],
        [_("Teilnahme"), eligibility_label(consultation["eligibility"])],
        [_("Beginn"), consultation["opens_at"] or ""],
        [_("Ende"), consultation["closes_at"] or ""],
        [_("Teilnehmende"), turnout["voters"]],
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
            [_("Veröffentlicht am"), snapshot.published_at.isoformat()],
            [_("SHA-256 des Ergebnisses"), snapshot.sha256],
        ]
    else:
        rows.append([_("Stand"), _("nicht veröffentlichtes Live-Ergebnis")])
    return _table("summary", _("Übersicht"), [_("Angabe"), _("Wert")], rows)


def ranking_tables(result):
    tables = []
    for name, count in counts_of(result["count"]):
        rows = ranking_rows(result, name)
        budget = "selected" in count
        columns = [_("Platz"), _("Maßnahme (ID)"), _("Maßnahme"), _("Wert")]
        columns += [_("95-%-Intervall von"), _("bis"), _("Platz (95 %) von"), _("bis")]
        if budget:
            columns.append(_("im Budget"))
        body = []
        for row in rows:
            line = [row["place"], row["id"], row["title"], row["score"]]
            line += [row["low"], row["high"], row["rank_low"], row["rank_high"]]
            if budget:
                line.append(_("ja") if row["selected"] else _("nein"))
            body.append(line)
        tables.append(_table(f"ranking_{name}", count_label(name), columns, body))
    return tables


def turnout_table(result):
    rows = [[row["hour"], row["voters"], row["cumulative"]] for row in result["turnout"].get("over_time", [])]
    return _table("turnout", _("Beteiligung"), [_("Stunde"), _("neu Teilnehmende"), _("Teilnehmende gesamt")], rows)


def ballots_table(result, ballots):
    """The raw anonymous ballots: one row per ballot, one column per measure."""
    method = ballots.get("method")
    if method == "pairwise":
        rows = [[row["winner"], row["loser"]] for row in ballots.get("comparisons", [])]
        return _table("ballots", _("Stimmzettel"), [_("bevorzugt (ID)"), _("gegenüber (ID)")], rows)
    ids = [str(option["id"]) for option in result["options"]]
    rows = []
    for ballot in ballots.get("ballots", []):
        content = ballot["content"]
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
        rows.append([ballot["receipt"], *(cells.get(option) for option in ids)])
    return _table("ballots", _("Stimmzettel"), [_("Quittung"), *ids], rows)


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
    return [
        summary_table(result, snapshot),
        *ranking_tables(result),
        *poll_tables(polls),
        turnout_table(result),
        ballots_table(result, ballots),
    ]


# --- renderings -----------------------------------------------------------------------


def _cell(value):
    return neutralise(value if value is not None else "")


def to_csv_zip(all_tables):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in all_tables:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([_cell(column) for column in table["columns"]])
            writer.writerows([_cell(value) for value in row] for row in table["rows"])
            # A BOM, so that spreadsheet programs read the file as UTF-8.
            archive.writestr(f"{table['name']}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def to_xlsx(all_tables):
    book = Workbook()
    book.remove(book.active)
    used = set()
    for table in all_tables:
        title = table["title"].translate(SHEET_FORBIDDEN)[:31]
        n = 2
        while title.lower() in used:
            suffix = f" ({n})"
            title = table["title"].translate(SHEET_FORBIDDEN)[: 31 - len(suffix)] + suffix
            n += 1
        used.add(title.lower())
        sheet = book.create_sheet(title=title)
        sheet.append([_cell(column) for column in table["columns"]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            sheet.append([_cell(value) for value in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_json(result, snapshot=None):
    """A snapshot's published bytes as they are, or the live result in the same form."""
    if snapshot is not None:
        return snapshot.canonical.encode("utf-8")
    return canonical_bytes(result)


def export(fmt, result, ballots, polls=(), snapshot=None, experts=None):
    """(content bytes, content type, file extension) of one export."""
    if fmt == "json":
        content = to_json(result, snapshot)
    elif fmt == "csv":
        content = to_csv_zip(tables(result, ballots, polls, snapshot))
    elif fmt == "xlsx":
        content = to_xlsx(tables(result, ballots, polls, snapshot))
    elif fmt == "pdf":
        from .pdf import report

        content = report(result, snapshot=snapshot, experts=experts)
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
