"""Result endpoints: live and published results, publishing, the anonymous ballot
file, exports, open data and experts beside citizens per process.

Who sees what: the public sees published snapshots (and interim results while a
consultation that allows them is open); anything unpublished answers 404, as if it
did not exist. Facilitators of the process see the live result and every snapshot;
their exports are written to the audit log.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from participation import rules
from participation.models import Process
from participation.negotiation import ExportContentNegotiation
from voting import selectors as voting_selectors
from voting.actions import RECEIPT_LENGTH
from voting.models import ReceiptLookup

from . import actions, compute, exports, opendata, presenters, selectors


def _consultation(request, pk):
    return get_object_or_404(voting_selectors.visible_consultations(request.user), pk=pk)


def _manages(request, consultation):
    return request.user.is_authenticated and voting_selectors.can_manage(request.user, consultation)


def snapshot_summary(snapshot):
    return {"id": snapshot.pk, "sha256": snapshot.sha256, "published_at": snapshot.published_at.isoformat()}


def _published(consultation):
    """The latest snapshot, or 404: the public never learns whether anything else exists."""
    snapshot = selectors.latest_snapshot(consultation)
    if snapshot is None:
        raise Http404
    return snapshot


class ConsultationResultsView(APIView):
    @extend_schema(
        summary="Ergebnis einer Befragung",
        description=(
            "Öffentlich: das zuletzt veröffentlichte Ergebnis (live=false, mit snapshot.sha256), während einer "
            "offenen Befragung mit sichtbaren Zwischenergebnissen das Live-Ergebnis (live=true); sonst 404. "
            "Die Moderation sieht immer das Live-Ergebnis und alle veröffentlichten Stände. "
            "Aufbau von result: docs/results-schema.md."
        ),
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="Nicht veröffentlicht.")},
    )
    def get(self, request, pk):
        consultation = _consultation(request, pk)
        if _manages(request, consultation):
            snapshots = selectors.snapshots_of(consultation)
            return Response(
                {
                    "live": True,
                    "result": compute.consultation_result(consultation),
                    "snapshot": None,
                    "snapshots": [snapshot_summary(s) for s in snapshots],
                }
            )
        snapshot = selectors.latest_snapshot(consultation)
        if snapshot is not None:
            return Response({"live": False, "result": snapshot.result, "snapshot": snapshot_summary(snapshot)})
        if selectors.interim_results_open(consultation):
            return Response({"live": True, "result": compute.consultation_result(consultation), "snapshot": None})
        raise Http404


class PublishView(APIView):
    @extend_schema(
        summary="Ergebnis veröffentlichen",
        description=(
            "Friert das Ergebnis einer beendeten Befragung als unveränderlichen Stand mit SHA-256 ein. "
            "Unveränderte Daten geben den bestehenden Stand zurück (200), geänderte einen neuen (201). "
            "409, solange die Befragung nicht beendet ist."
        ),
        request=None,
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT},
    )
    def post(self, request, pk):
        consultation = _consultation(request, pk)
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        if not _manages(request, consultation):
            raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf Ergebnisse veröffentlichen."))
        snapshot, created = actions.publish(request.user, consultation)
        body = {"snapshot": snapshot.pk, "sha256": snapshot.sha256, "published_at": snapshot.published_at.isoformat()}
        return Response(body, status=201 if created else 200)


def counted_message():
    return _(
        "Ein Stimmzettel mit dieser Quittung wurde gezählt. Es ist der zuletzt abgegebene Stimmzettel: Wer "
        "seine Stimme ändert, erhält eine neue Quittung. Den Inhalt zeigen wir nicht, damit niemand mit der "
        "Quittung beweisen kann, wie er abgestimmt hat."
    )


class BallotsView(APIView):
    @extend_schema(
        summary="Anonyme Stimmzettel (offene Daten)",
        description=(
            "Nach Ende und Veröffentlichung: alle Stimmzettel mit Quittung und Inhalt, nach Quittung sortiert "
            "(Paarvergleich: die Vergleiche, ohne Quittungen); bei receipt_lookup=counted Inhalte und Quittungen "
            "getrennt, jeweils sortiert (docs/results-schema.md). Mit ?receipt=: {receipt, content}, bei "
            "receipt_lookup=counted nur {receipt, counted: true, message}; unbekannt 404."
        ),
        parameters=[OpenApiParameter("receipt", str, required=False, description="z. B. ACDE-FGHJ-KMNP")],
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="Nicht veröffentlicht oder unbekannt.")},
    )
    def get(self, request, pk):
        consultation = _consultation(request, pk)
        snapshot = _published(consultation)
        raw = request.query_params.get("receipt")
        if raw is None:
            return HttpResponse(snapshot.ballots.encode("utf-8"), content_type="application/json")
        receipt = presenters.normalised_receipt(raw)
        if receipt is None:
            return Response(
                {"receipt": [f"A receipt has {RECEIPT_LENGTH} letters and digits, e.g. ACDE-FGHJ-KMNP."]}, status=400
            )
        ballot = selectors.find_receipt(snapshot, receipt)
        if ballot is None:
            raise Http404
        if presenters.counted_only(consultation, ballot):
            return Response({"receipt": receipt, "counted": True, "message": counted_message()})
        return Response(ballot)


class ExportView(APIView):
    content_negotiation_class = ExportContentNegotiation

    @extend_schema(
        summary="Export des Ergebnisses",
        description=(
            "CSV (ZIP, eine Datei je Tabelle), XLSX, JSON (docs/results-schema.md), PDF-Bericht oder, für "
            "Bürgerhaushalte, eine Pabulib-Datei (pb: Projekte, Kosten, Förderung, anonyme Stimmzettel). Öffentlich "
            "nur veröffentlichte Ergebnisse (sonst 404). Die Moderation erhält ohne veröffentlichten Stand oder "
            "mit source=live das Live-Ergebnis; jeder ihrer Exporte wird protokolliert."
        ),
        parameters=[
            OpenApiParameter("format", str, enum=list(exports.FORMATS), required=False),
            OpenApiParameter("source", str, enum=["published", "live"], required=False),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        consultation = _consultation(request, pk)
        fmt = request.query_params.get("format", "json")
        if fmt not in exports.FORMATS:
            return Response(
                {
                    "format": [
                        _("Unbekanntes Format %(format)s; verwenden Sie eines von %(formats)s.")
                        % {"format": repr(fmt), "formats": ", ".join(exports.FORMATS)}
                    ]
                },
                400,
            )
        source = request.query_params.get("source")
        if source not in (None, "published", "live"):
            return Response({"source": [_("Verwenden Sie published oder live.")]}, 400)
        manager = _manages(request, consultation)
        snapshot = None if source == "live" else selectors.latest_snapshot(consultation)
        if snapshot is None and (not manager or source == "published"):
            raise Http404
        if snapshot is not None:
            # The ballot file (tens of megabytes for a city) only for the formats that list ballots.
            result = snapshot.result
            ballots = snapshot.ballot_data if fmt in exports.WITH_BALLOTS else None
        else:
            ballots, _bytes, meta, options = compute.live_inputs(consultation)
            result = compute.result_from_inputs(ballots, meta, options)
        polls = compute.expert_polls(consultation.process, include_hidden=manager)
        experts = exports.experts_beside_citizens(result, polls) if fmt == "pdf" else None
        counted_only = consultation.receipt_lookup == ReceiptLookup.COUNTED
        try:
            content, content_type, extension = exports.export(
                fmt, result, ballots, polls, snapshot, experts, counted_only
            )
        except exports.NotABudget as error:
            return Response({"format": [str(error)]}, 400)
        if manager:
            actions.record_export(request.user, consultation, fmt, snapshot)
        response = HttpResponse(content, content_type=content_type)
        state = "ergebnis" if snapshot else "live-stand"
        response["Content-Disposition"] = f'attachment; filename="befragung-{consultation.pk}-{state}.{extension}"'
        return response


class OpenDataView(APIView):
    content_negotiation_class = ExportContentNegotiation

    @extend_schema(
        summary="Offene Daten zum Nachzählen",
        description=(
            "ZIP mit ballots.json, result.json (die veröffentlichten Bytes), consultation.json, manifest.json "
            "(SHA-256 jeder Datei) und README.txt. Nur für veröffentlichte Ergebnisse; prüfen mit "
            "`python manage.py recount DATEI`."
        ),
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Nicht veröffentlicht."),
        },
    )
    def get(self, request, pk):
        snapshot = _published(_consultation(request, pk))
        response = HttpResponse(opendata.bundle(snapshot), content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="befragung-{snapshot.consultation_id}-offene-daten-{snapshot.sha256[:12]}.zip"'
        )
        return response


class ProcessResultsView(APIView):
    @extend_schema(
        summary="Workshops und Befragungen eines Prozesses nebeneinander",
        description=(
            "Je Maßnahme und Handlungsfeld: die Bewertung in den Workshop-Umfragen (Expertinnen und Experten) neben "
            "dem Ergebnis der Befragungen (Bürgerinnen und Bürger), mit Kendalls Tau. Öffentlich nur veröffentlichte "
            "Befragungsergebnisse und im Workshop gezeigte Umfrageergebnisse; die Moderation sieht auch Live-Stände "
            "(live=true)."
        ),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk):
        process = get_object_or_404(Process, pk=pk)
        manager = rules.can_manage_process(request.user, process)
        if not (process.published or manager):
            raise Http404
        return Response(selectors.process_result(process, manager))
