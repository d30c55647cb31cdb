"""Presentation of results: what the results pages, the dashboard and the
consultation page show of a result (tables, texts, chart, links), in the active
language. Reads are in results.selectors; the counts and their names in
voting.tally.registry."""

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participation.templatetags.pages import money
from voting.actions import CODE_ALPHABET, RECEIPT_LENGTH, format_code, normalise_code
from voting.models import Method, Phase, ReceiptLookup
from voting.tally import registry

from . import charts, compute, opinion, selectors

# How each method counts, in plain German (2–3 sentences each).
METHOD_EXPLANATIONS = {
    Method.APPROVAL: _(
        "Jede Person konnte beliebig vielen Maßnahmen zustimmen. Gezählt wird, wie viele Stimmzettel einer "
        "Maßnahme zugestimmt haben. Die Maßnahme mit den meisten Zustimmungen steht vorn."
    ),
    Method.SCORE: _(
        "Jede Person konnte jede Maßnahme mit 0 bis 5 bewerten. Entscheidend ist die durchschnittliche "
        "Bewertung; daneben zeigen wir das Mehrheitsurteil, also den Median der Bewertungen, der weniger auf "
        "einzelne Extremwerte reagiert."
    ),
    Method.RANKING: _(
        "Jede Person hat die Maßnahmen in eine Reihenfolge gebracht. Nach der Schulze-Methode wird jede "
        "Maßnahme mit jeder anderen verglichen: Wer in mehr Stimmzetteln vorn liegt, gewinnt den Vergleich, "
        "auch über Umwege (stärkste Pfade). Vorn steht, wer die meisten anderen so schlägt; zum Vergleich "
        "zeigen wir Borda-Punkte, Copeland-Punkte und erste Plätze."
    ),
    Method.POINTS: _(
        "Jede Person konnte ein festes Budget an Punkten auf die Maßnahmen verteilen. Die Punkte aller "
        "Stimmzettel werden addiert; die Maßnahme mit den meisten Punkten steht vorn."
    ),
    Method.PAIRWISE: _(
        "Den Teilnehmenden wurden immer zwei Maßnahmen gezeigt, und sie haben die bessere gewählt. Aus allen "
        "Vergleichen schätzt ein statistisches Modell (Bradley-Terry), wie wahrscheinlich jede Maßnahme gegen "
        "eine zufällig gewählte andere gewinnt."
    ),
}


def english():
    return (get_language() or "de").startswith("en")


def _pick(mapping):
    """One language of a {"de", "en"} text or list."""
    mapping = mapping or {}
    return mapping.get("en" if english() else "de") or mapping.get("de") or []


def _title(data):
    return (data.get("title_en") if english() and data.get("title_en") else data.get("title")) or ""


# --- the results page -----------------------------------------------------------------


def _interval(low, high):
    if low is None or high is None:
        return None
    return f"{charts.number(low)}–{charts.number(high)}"


def _place_interval(low, high):
    if low is None or high is None:
        return None
    return str(low) if low == high else f"{low}–{high}"


def method_explanation(result):
    """How the consultation was counted, in plain words."""
    consultation = result.get("consultation") or {}
    count = result.get("count") or {}
    if isinstance(count, dict) and count.get("method") == "budget":
        return charts.BUDGET_EXPLANATION % {"rule": registry.table_label(result.get("main_count"))}
    return METHOD_EXPLANATIONS.get(consultation.get("method"), "")


def _budget_line(count, costs):
    """What a budget rule funds, in one sentence: how many projects, the money spent and left."""
    if "selected" not in count:
        return None
    return _("Gefördert: %(n)s Projekte für %(spent)s von %(budget)s; übrig: %(left)s.") % {
        "n": len(count["selected"]),
        "spent": money(count.get("spent")),
        "budget": money(count.get("budget")),
        "left": money(count.get("leftover")),
    }


def count_tables(result):
    """One table per count of the method, the deciding count first, with intervals; a
    budget's tables also with each measure's cost and what the rule funds."""
    links = selectors.measure_links(result)
    costs = {str(option["id"]): option.get("cost") for option in result.get("options", [])}
    tables = []
    for index, (name, count) in enumerate(registry.counts_of(result.get("count"))):
        rows = []
        for row in charts.ranking_rows(result, name):
            rows.append(
                {
                    **row,
                    "url": links.get(str(row["id"])),
                    "score_text": charts.number(row["score"]),
                    "interval": _interval(row["low"], row["high"]),
                    "places": _place_interval(row["rank_low"], row["rank_high"]),
                    "cost_text": money(costs.get(str(row["id"]))),
                    "selected_percent": None
                    if row["selected_share"] is None
                    else charts.number(round(100 * row["selected_share"])),
                }
            )
        tables.append(
            {
                "name": name,
                "label": registry.label(name),
                "main": index == 0,
                "rows": rows,
                "with_selection": any(row["selected"] is not None for row in rows),
                "with_selected_share": any(row["selected_share"] is not None for row in rows),
                "budget_line": _budget_line(count, costs),
                "notes": charts.uncertainty_notes(result, name=name),
            }
        )
    return tables


def over_time(result):
    rows = []
    for entry in (result.get("turnout") or {}).get("over_time") or []:
        rows.append({**entry, "hour": parse_datetime(entry["hour"]) if entry.get("hour") else None})
    return rows


def result_page(result):
    """What the result page shows of a result document."""
    consultation = result.get("consultation") or {}
    if opinion.is_opinion(result):
        return {
            "title": _title(consultation),
            "process_title": _title(consultation.get("process") or {}),
            "method": opinion.METHOD,
            "method_explanation": opinion.EXPLANATION,
            "turnout": result.get("turnout") or {},
            "over_time": over_time(result),
            "chart": "",
            "map": opinion.map_view(result),
            "statements": opinion.statement_rows(result, english()),
        }
    tables = count_tables(result)
    main = tables[0] if tables else None
    return {
        "title": _title(consultation),
        "process_title": _title(consultation.get("process") or {}),
        "method": consultation.get("method"),
        "method_explanation": method_explanation(result),
        "turnout": result.get("turnout") or {},
        "paper_ballots": charts.paper_ballot_rows(result.get("turnout")),
        "over_time": over_time(result),
        "chart": charts.ranking_svg(charts.chart_data(result), chart_id="ranking-chart") if main else "",
        "main_table": main,
        "other_tables": tables[1:],
        "notes": charts.uncertainty_notes(result),
        "explanation": charts.uncertainty_explanation(result),
        "disagreements": charts.disagreement_summary(result) if len(tables) > 1 else [],
    }


def counted_only(consultation, ballot):
    """Whether a found receipt may say only "counted": when the consultation says so,
    and always for an unlinked file, which does not know the content."""
    return consultation.receipt_lookup == ReceiptLookup.COUNTED or "content" not in ballot


def normalised_receipt(raw):
    """A receipt as printed (XXXX-XXXX-XXXX), from whatever the citizen typed; None if it cannot be one."""
    code = normalise_code(raw)
    if len(code) != RECEIPT_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return format_code(code)


def receipt_lookup(snapshot, raw, consultation=None):
    """The citizen's receipt in the snapshot's ballot file: {"receipt", "found",
    "counted_only", "content"}; with counted_only (receipt lookup "counted") no content."""
    raw = (raw or "").strip()
    if not raw:
        return None
    receipt = normalised_receipt(raw)
    ballot = selectors.find_receipt(snapshot, receipt) if receipt else None
    only = ballot is not None and counted_only(consultation or snapshot.consultation, ballot)
    return {
        "receipt": receipt or raw,
        "found": ballot is not None,
        "counted_only": only,
        "content": ballot["content"] if ballot and not only else None,
    }


def ballot_lines(result, content):
    """A ballot's content in words: one line per measure it names."""
    titles = charts.option_titles(result)
    if not isinstance(content, dict):
        return []
    if "approve" in content:
        return [titles.get(str(pk), str(pk)) for pk in content["approve"]]
    if "ranking" in content:
        return [
            f"{place}. " + ", ".join(titles.get(str(pk), str(pk)) for pk in group)
            for place, group in enumerate(content["ranking"], start=1)
        ]
    for key in ("scores", "points"):
        if key in content:
            return [f"{titles.get(str(pk), str(pk))}: {value}" for pk, value in content[key].items()]
    return []


# --- process pages -------------------------------------------------------------------


def _comparison_rows(comparison, titles, fields):
    rows = []
    for row in comparison["measures"]:
        rows.append(
            {**row, "title": titles.get(row["measure"], str(row["measure"])), "field_title": fields.get(row["field"])}
        )
    return rows


def process_comparison(process):
    """Experts beside citizens as the public sees it (published snapshots only)."""
    data = selectors.process_result(process, manager=False)
    titles = {m["id"]: _title(m) for m in data["measures"]}
    fields = {m["field"]: m["field_title"] for m in data["measures"] if m["field"] is not None}
    consultations = []
    for item in data["consultations"]:
        comparison = item["comparison"]
        entry = {"id": item["id"], "title": _title(item), "method": item["method"], "snapshot": item["snapshot"]}
        if comparison:
            entry.update(
                {
                    "tau": comparison["tau"],
                    "rows": _comparison_rows(comparison, titles, fields),
                    "agree": [titles.get(m, str(m)) for m in comparison["agree"]],
                    "differ": [titles.get(m, str(m)) for m in comparison["differ"]],
                    "summary": _pick(comparison["summary"]),
                    "fields": [
                        {
                            "title": fields.get(int(field_id), field_id),
                            "tau": part["tau"],
                            "common": part["common"],
                            "summary": _pick(part["summary"]),
                        }
                        for field_id, part in (comparison.get("fields") or {}).items()
                    ],
                }
            )
        consultations.append(entry)
    return {"process": process, "polls": data["experts"]["polls"], "consultations": consultations}


def _live_summary(result):
    """Winner(s) and the first notes of the live result; none while nobody voted."""
    if not (result.get("turnout") or {}).get("ballots"):
        return {"result": result, "winners": [], "notes": []}
    if opinion.is_opinion(result):
        return {"result": result, "winners": [], "notes": [opinion.map_view(result)["summary"]]}
    rows = charts.ranking_rows(result)
    winners = [row["title"] for row in rows if row["place"] == 1]
    return {"result": result, "winners": winners, "notes": charts.uncertainty_notes(result)[:3]}


def dashboard(process):
    """The dashboard's reads with each live result summed up (winners, first notes)."""
    context = selectors.dashboard(process)
    for item in context["consultations"]:
        result = item.pop("result")
        item["live"] = None if result is None else _live_summary(result)
        item["exports"] = export_links(item["consultation"], live=True)
    return context


def export_links(consultation, live=False):
    """(label, URL) of each download: the published result's, or with ``live`` the live one's."""
    base = reverse("api:consultation-export", args=[consultation.pk])
    # The download speaks the page's language, whatever the browser prefers.
    suffix = ("&source=live" if live else "") + f"&lang={get_language()}"
    links = [
        (label, f"{base}?format={fmt}{suffix}")
        for fmt, label in (
            ("csv", "CSV (ZIP)"),
            ("xlsx", "XLSX"),
            ("json", "JSON"),
            ("pdf", "PDF"),
        )
    ]
    if registry.count_kind(consultation.method, consultation.settings) == "budget":
        links.append((_("Pabulib (.pb)"), f"{base}?format=pb{suffix}"))
    if not live:
        links.append((_("Offene Daten (ZIP)"), reverse("api:consultation-open-data", args=[consultation.pk])))
    return links


# --- the consultation page ----------------------------------------------------------------


def _number(value):
    if isinstance(value, float):
        return round(value, 2)
    return value


def count_tables_for_page(result, titles):
    """Tables (label, ballots, rows of place, measure, value) for each count in a result,
    the deciding count first, for the consultation page.

    Reads ``{"count": {...}, "turnout": {...}}``; a count has a "ranking" of tie groups
    and "scores", or holds several such counts (score: mean and majority judgment;
    ranking: Schulze, Borda, Copeland ...).
    """
    if not isinstance(result, dict):
        return []
    count = result.get("count", result)
    if not isinstance(count, dict) or (result.get("turnout") or {}).get("ballots") == 0:
        return []
    tables = []
    for key, part in registry.counts_of(count):
        scores = {str(k): v for k, v in (part.get("scores") or {}).items()}
        selected = {str(pk) for pk in part.get("selected") or []}
        rows = []
        # A place is 1 + the measures strictly ahead (1, 2, 2, 4), as in the published result.
        place = 1
        for group in part.get("ranking") or []:
            for pk in group:
                rows.append(
                    {
                        "place": place,
                        "title": titles.get(int(pk), str(pk)),
                        "value": _number(scores.get(str(pk))),
                        "selected": str(pk) in selected,
                    }
                )
            place += len(group)
        tables.append(
            {
                "label": registry.table_label(part.get("method") or key),
                "ballots": part.get("ballots", part.get("comparisons")),
                "rows": rows,
                "with_selection": "selected" in part,
            }
        )
    return tables


def live_tables(consultation, measures):
    """The live count as tables, titles from the ballot's measures."""
    if not compute.is_counted(consultation):
        return []
    return count_tables_for_page(compute.live_count_result(consultation), {m.pk: m.title_t for m in measures})


def published_tables(snapshot):
    """The published snapshot's counts as tables: exactly the published numbers."""
    result = snapshot.result
    titles = {int(option["id"]): _title(option) for option in result.get("options", [])}
    return count_tables_for_page(result, titles)


def consultation_results(consultation, phase, can_manage, measures):
    """The result part of the consultation page. Public: the published snapshot, else
    interim results while open (when allowed). The facilitators also see the
    unpublished count of a closed consultation."""
    if not compute.is_counted(consultation):
        # An opinion map: its page shows the live map; a published one is on the results page.
        snapshot = selectors.latest_snapshot(consultation)
        return {
            "results_visible": snapshot is not None,
            "results": None,
            "snapshot": snapshot,
            "awaiting_publication": False,
        }
    snapshot = selectors.latest_snapshot(consultation)
    public = snapshot is not None or selectors.interim_results_open(consultation)
    visible = public or (can_manage and phase == Phase.CLOSED)
    if snapshot is not None:
        tables = published_tables(snapshot)
    else:
        tables = live_tables(consultation, measures) if visible else None
    return {
        "results_visible": visible,
        "results": tables,
        "snapshot": snapshot,
        "awaiting_publication": phase == Phase.CLOSED and snapshot is None,
    }
