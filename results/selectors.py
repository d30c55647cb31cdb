"""Reads for the results pages: published snapshots for the public, the process
dashboard for facilitators. Everything shown publicly comes from a snapshot's
published bytes, so the page shows exactly the numbers the SHA-256 covers."""

from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participation import rules
from participation.models import Measure, Process
from voting import selectors as voting_selectors
from voting.models import Consultation, ConsultationState, Method, Phase

from . import actions, charts, compute
from .api import counted_only, normalised_receipt
from .models import ResultSnapshot

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
        "Stimmzettel werden addiert; die Maßnahme mit den meisten Punkten steht vorn. Beim Bürgerhaushalt "
        "werden die Maßnahmen der Reihe nach ausgewählt, solange sie ins Budget passen."
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


def public_consultations():
    """Consultations the public may see, in published processes."""
    return voting_selectors.visible_consultations(None).filter(process__published=True)


def published_results():
    """The latest snapshot of every consultation with a published result, newest first."""
    latest = (
        ResultSnapshot.objects.filter(consultation=OuterRef("consultation"))
        .order_by("-published_at", "-id")
        .values("id")[:1]
    )
    snapshots = (
        ResultSnapshot.objects.filter(consultation__in=public_consultations(), id=Subquery(latest))
        .select_related("consultation__process")
        .defer("ballots", "canonical")
        .order_by("-published_at", "-id")
    )
    rows = []
    for snapshot in snapshots:
        turnout = (snapshot.content or {}).get("turnout") or {}
        rows.append(
            {
                "snapshot": snapshot,
                "consultation": snapshot.consultation,
                "process": snapshot.consultation.process,
                "voters": turnout.get("voters"),
                "ballots": turnout.get("ballots"),
            }
        )
    return rows


def published_snapshot(consultation_pk):
    """(consultation, latest snapshot) for the public, or 404 when nothing is published."""
    consultation = get_object_or_404(public_consultations().select_related("process"), pk=consultation_pk)
    snapshot = actions.latest_snapshot(consultation)
    if snapshot is None:
        raise Http404
    return consultation, snapshot


def _measure_links(result):
    ids = [option["id"] for option in result.get("options", [])]
    measures = Measure.objects.published().filter(pk__in=ids).select_related("process")
    return {str(m.pk): m.get_absolute_url() for m in measures}


def _interval(low, high):
    if low is None or high is None:
        return None
    return f"{charts.number(low)}–{charts.number(high)}"


def _place_interval(low, high):
    if low is None or high is None:
        return None
    return str(low) if low == high else f"{low}–{high}"


def count_tables(result):
    """One table per count of the method, the deciding count first, with intervals."""
    links = _measure_links(result)
    tables = []
    for index, (name, _count) in enumerate(compute.counts_of(result.get("count"))):
        rows = []
        for row in charts.ranking_rows(result, name):
            rows.append(
                {
                    **row,
                    "url": links.get(str(row["id"])),
                    "score_text": charts.number(row["score"]),
                    "interval": _interval(row["low"], row["high"]),
                    "places": _place_interval(row["rank_low"], row["rank_high"]),
                }
            )
        tables.append(
            {
                "name": name,
                "label": charts.count_label(name),
                "main": index == 0,
                "rows": rows,
                "with_selection": any(row["selected"] is not None for row in rows),
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
    tables = count_tables(result)
    main = tables[0] if tables else None
    return {
        "title": _title(consultation),
        "process_title": _title(consultation.get("process") or {}),
        "method": consultation.get("method"),
        "method_explanation": METHOD_EXPLANATIONS.get(consultation.get("method"), ""),
        "turnout": result.get("turnout") or {},
        "over_time": over_time(result),
        "chart": charts.ranking_svg(charts.chart_data(result), chart_id="ranking-chart") if main else "",
        "main_table": main,
        "other_tables": tables[1:],
        "notes": charts.uncertainty_notes(result),
        "explanation": charts.uncertainty_explanation(result),
        "disagreements": charts.disagreement_summary(result) if len(tables) > 1 else [],
    }


def receipt_lookup(snapshot, raw, consultation=None):
    """The citizen's receipt in the snapshot's ballot file: {"receipt", "found",
    "counted_only", "content"}; with counted_only (receipt lookup "counted") no content."""
    raw = (raw or "").strip()
    if not raw:
        return None
    receipt = normalised_receipt(raw)
    ballot = compute.find_receipt(snapshot, receipt) if receipt else None
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


def public_process(slug, user):
    process = get_object_or_404(Process, slug=slug)
    if not (process.published or rules.can_manage_process(user, process)):
        raise Http404
    return process


def managed_process(slug, user):
    """The process for its facilitators; 404 for everyone else."""
    process = get_object_or_404(Process, slug=slug)
    if not rules.can_manage_process(user, process):
        raise Http404
    return process


def _comparison_rows(comparison, titles, fields):
    rows = []
    for row in comparison["measures"]:
        rows.append(
            {**row, "title": titles.get(row["measure"], str(row["measure"])), "field_title": fields.get(row["field"])}
        )
    return rows


def process_comparison(process):
    """Experts beside citizens as the public sees it (published snapshots only)."""
    data = compute.process_result(process, manager=False)
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


def _live_summary(consultation):
    """Winner(s) and the first notes of the live result; None while nobody voted."""
    result = compute.consultation_result(consultation)
    if not (result.get("turnout") or {}).get("ballots"):
        return {"result": result, "winners": [], "notes": []}
    rows = charts.ranking_rows(result)
    winners = [row["title"] for row in rows if row["place"] == 1]
    return {"result": result, "winners": winners, "notes": charts.uncertainty_notes(result)[:3]}


def dashboard(process):
    """Everything a facilitator of the process watches: workshops and consultations."""
    from workshops.models import Workshop

    workshops = (
        Workshop.objects.filter(process=process).annotate(participant_count=Count("participants")).order_by("-created")
    )
    consultations = []
    for consultation in Consultation.objects.filter(process=process).order_by("-created", "-pk"):
        phase = consultation.phase
        snapshots = list(
            ResultSnapshot.objects.filter(consultation=consultation)
            .only("id", "sha256", "published_at", "consultation_id")
            .order_by("-published_at", "-id")
        )
        live = None if consultation.state == ConsultationState.DRAFT else _live_summary(consultation)
        consultations.append(
            {
                "consultation": consultation,
                "phase": phase,
                "voters": consultation.voters.count(),
                "live": live,
                "snapshots": snapshots,
                "may_publish": phase == Phase.CLOSED,
            }
        )
    return {"process": process, "workshops": list(workshops), "consultations": consultations}
