"""Reads of results: published snapshots and who may see them, receipts in a
published ballot file, experts beside citizens for a process, the facilitators'
dashboard. Everything shown publicly comes from a snapshot's published bytes, so
a page shows exactly the numbers the SHA-256 covers. Presentation (tables, texts,
charts) is in results.presenters."""

from functools import lru_cache

from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from participation import rules
from participation.models import Measure, Process
from voting import selectors as voting_selectors
from voting.models import Consultation, ConsultationState, Phase
from voting.tally import registry

from . import compare, compute
from .ballotfile import BallotFile
from .models import ResultSnapshot

# --- snapshots ------------------------------------------------------------------------


def latest_snapshot(consultation):
    """The snapshot the public sees. The ballot file (megabytes for a city-wide vote)
    and the parsed content load only when used; ``result`` reads the canonical bytes."""
    return (
        ResultSnapshot.objects.filter(consultation=consultation)
        .defer("ballots", "content")
        .order_by("-published_at", "-id")
        .first()
    )


def snapshots_of(consultation):
    """Every snapshot of a consultation, newest first, without its content."""
    return (
        ResultSnapshot.objects.filter(consultation=consultation)
        .only("id", "sha256", "published_at", "consultation_id")
        .order_by("-published_at", "-id")
    )


def interim_results_open(consultation):
    """Interim results are public while an open consultation allows them (before it
    closes; after that only a published snapshot is)."""
    return consultation.interim_results and consultation.phase == Phase.OPEN


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
    snapshot = latest_snapshot(consultation)
    if snapshot is None:
        raise Http404
    return consultation, snapshot


def measure_links(result):
    """{measure id (str): its page} for the published measures of a result."""
    ids = [option["id"] for option in result.get("options", [])]
    measures = Measure.objects.published().filter(pk__in=ids).select_related("process")
    return {str(m.pk): m.get_absolute_url() for m in measures}


# --- receipts in a published ballot file --------------------------------------------------


_UNLINKED = object()  # in the index of an unlinked file: counted, content unknown


@lru_cache(maxsize=8)
def _receipt_index(ballots_sha256):
    """{receipt: content, the ballot's index in a ranking file's arrays, or _UNLINKED}."""
    text = ResultSnapshot.objects.filter(ballots_sha256=ballots_sha256).values_list("ballots", flat=True).first()
    if not text:
        return {}, None
    ballots = BallotFile(text.encode("utf-8"))
    if ballots.unlinked:
        return dict.fromkeys(ballots.document.get("receipts", []), _UNLINKED), None
    rankings = ballots.rankings()
    if rankings is not None:
        return {receipt: index for index, receipt in enumerate(rankings.receipts)}, rankings.ballots
    return {row["receipt"]: row["content"] for row in ballots.document.get("ballots", [])}, None


def find_receipt(snapshot, receipt):
    """The ballot with this receipt in a snapshot's ballot file, or None:
    ``{"receipt", "content"}``, or only ``{"receipt"}`` in an unlinked file, which
    does not know a receipt's content. The index is cached by the file's hash: a
    published file never changes."""
    index, rankings = _receipt_index(snapshot.ballots_sha256)
    found = index.get(receipt)
    if found is None:
        return None
    if found is _UNLINKED:
        return {"receipt": receipt}
    content = {"ranking": rankings[found]} if rankings is not None else found
    return {"receipt": receipt, "content": content}


# --- processes ----------------------------------------------------------------------------


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


def process_result(process, manager):
    """Experts (closed workshop polls) beside citizens (each consultation's main
    count) for the measures of a process. The public sees published snapshots only;
    facilitators also live counts, marked ``live``."""
    polls = compute.expert_polls(process, include_hidden=manager)
    experts = compute.expert_scores(polls)
    measures = {m.pk: m for m in Measure.objects.filter(process=process).select_related("field").order_by("pk")}
    if not manager:
        public = set(Measure.objects.published().filter(process=process).values_list("pk", flat=True))
        measures = {pk: m for pk, m in measures.items() if pk in public}
    fields = {pk: m.field_id for pk, m in measures.items()}
    labels = {pk: {"de": m.title, "en": m.title_en or m.title} for pk, m in measures.items()}

    consultations = []
    for consultation in (
        Consultation.objects.filter(process=process).exclude(state=ConsultationState.DRAFT).order_by("created", "pk")
    ):
        if not compute.is_counted(consultation):
            continue  # an opinion map rates no measures
        snapshot = latest_snapshot(consultation)
        if snapshot is not None:
            result = snapshot.result
            count, live = result["count"], False
        elif manager and compute.is_counted(consultation):
            count, live = compute.live_count(consultation), True
        else:
            continue
        citizens = {m: s for m, s in compute.citizen_scores({"count": count}).items() if m in measures}
        shared_experts = {m: s for m, s in experts.items() if m in citizens}
        consultations.append(
            {
                "id": consultation.pk,
                "title": consultation.title,
                "title_en": consultation.title_en,
                "method": consultation.method,
                "main_count": registry.deciding_count(consultation.method, consultation.settings),
                "phase": consultation.phase,
                "live": live,
                "snapshot": None
                if snapshot is None
                else {"id": snapshot.pk, "sha256": snapshot.sha256, "published_at": snapshot.published_at.isoformat()},
                "citizens": citizens,
                "comparison": compare.experts_vs_citizens(shared_experts, citizens, fields, labels)
                if len(shared_experts) >= 2
                else None,
            }
        )
    return compute.plain(
        {
            "process": {"id": process.pk, "title": process.title, "title_en": process.title_en},
            "measures": [
                {
                    "id": m.pk,
                    "title": m.title,
                    "title_en": m.title_en,
                    "field": m.field_id,
                    "field_title": m.field.title if m.field else None,
                    "experts": experts.get(m.pk),
                    "citizens": {str(c["id"]): c["citizens"][m.pk] for c in consultations if m.pk in c["citizens"]},
                }
                for m in measures.values()
                if m.pk in experts or any(m.pk in c["citizens"] for c in consultations)
            ],
            "experts": {
                "polls": [
                    {key: poll[key] for key in ("poll", "workshop", "question", "kind", "votes")} for poll in polls
                ],
                "scores": {m: s for m, s in experts.items() if m in measures},
            },
            "consultations": consultations,
        }
    )


def dashboard(process):
    """Everything a facilitator of the process watches: workshops, and consultations
    with their live result (``None`` for drafts) and snapshots."""
    from workshops.models import Workshop

    workshops = (
        Workshop.objects.filter(process=process).annotate(participant_count=Count("participants")).order_by("-created")
    )
    consultations = []
    for consultation in Consultation.objects.filter(process=process).order_by("-created", "-pk"):
        phase = consultation.phase
        snapshots = list(snapshots_of(consultation))
        result = compute.consultation_result(consultation) if consultation.state != ConsultationState.DRAFT else None
        consultations.append(
            {
                "consultation": consultation,
                "phase": phase,
                "voters": consultation.voters.count(),
                "result": result,
                "snapshots": snapshots,
                "may_publish": phase == Phase.CLOSED,
            }
        )
    return {"process": process, "workshops": list(workshops), "consultations": consultations}
