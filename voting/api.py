"""Consultation endpoints: thin views over voting.actions and voting.selectors.
Errors raised by actions become 400/401/403/409/429 in participation.errors."""

import secrets

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.errors import Conflict
from participation.filters import ID_SCHEMA, clean_id
from participation.models import Process
from participation.security import client_address

from . import actions, selectors
from .models import Eligibility, Proposal, ProposalStatus
from .serializers import (
    AccessCodeRequestSerializer,
    AccessCodesSerializer,
    BallotRequestSerializer,
    ConsultationCreateSerializer,
    ConsultationSerializer,
    CurrentBallotSerializer,
    PairRecordedSerializer,
    PairRequestSerializer,
    PairSerializer,
    ProposalRequestSerializer,
    ProposalSerializer,
    ReceiptSerializer,
)

BROWSER_COOKIE = "consultation_voter"
BROWSER_COOKIE_SALT = "voting.browser-cookie"
ACCESS_CODE_HEADER = "HTTP_X_ACCESS_CODE"


def get_consultation(request, pk):
    return get_object_or_404(selectors.visible_consultations(request.user), pk=pk)


def require_manager(request, consultation):
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    if not selectors.can_manage(request.user, consultation):
        raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf das."))


def browser_token(request):
    raw = request.COOKIES.get(BROWSER_COOKIE)
    if not raw:
        return None
    try:
        return signing.loads(raw, salt=BROWSER_COOKIE_SALT)
    except signing.BadSignature:
        return None


def access_code_of(request):
    """The access code the request carries (body first, then the X-Access-Code header), or None."""
    code = request.data.get("access_code") if hasattr(request, "data") and isinstance(request.data, dict) else None
    return code or request.META.get(ACCESS_CODE_HEADER)


def voter_for(request, consultation, new_browser_token=None):
    """The voter behind this request, by the consultation's eligibility rule."""
    return actions.resolve_voter(
        consultation,
        user=request.user,
        access_code=access_code_of(request),
        browser_token=browser_token(request) or new_browser_token,
        address=client_address(request),
    )


def with_browser_cookie(request, response, token):
    """Open consultations: one ballot per browser, remembered by a signed cookie."""
    if token and not browser_token(request):
        response.set_cookie(
            BROWSER_COOKIE,
            signing.dumps(token, salt=BROWSER_COOKIE_SALT),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _new_token(consultation):
    return secrets.token_urlsafe(24) if consultation.eligibility == Eligibility.OPEN else None


class ConsultationListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("process", ID_SCHEMA, required=False, description="Id des Prozesses")],
        responses=ConsultationSerializer(many=True),
    )
    def get(self, request):
        consultations = selectors.visible_consultations(request.user).order_by("-created")
        process = clean_id("process", request.query_params.get("process"))
        if process is not None:
            consultations = consultations.filter(process_id=process)
        return Response(ConsultationSerializer(consultations, many=True).data)

    @extend_schema(request=ConsultationCreateSerializer, responses={201: ConsultationSerializer})
    def post(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        if not isinstance(request.data, dict):
            return Response({"non_field_errors": [_("Senden Sie ein JSON-Objekt.")]}, status=400)
        process_id = request.data.get("process")
        if isinstance(process_id, bool) or not isinstance(process_id, int):
            return Response({"process": [_("Die ID eines Prozesses ist erforderlich.")]}, status=400)
        process = Process.objects.filter(pk=process_id).first()
        if process is None:
            return Response({"process": [_("Es gibt keinen Prozess %(id)s.") % {"id": process_id}]}, status=400)
        consultation = actions.create_consultation(request.user, process, request.data)
        return Response(ConsultationSerializer(consultation).data, status=201)


class ConsultationDetailView(APIView):
    @extend_schema(responses=ConsultationSerializer)
    def get(self, request, pk):
        return Response(ConsultationSerializer(get_consultation(request, pk)).data)


class ConsultationOpenView(APIView):
    @extend_schema(request=None, responses=ConsultationSerializer)
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        require_manager(request, consultation)
        return Response(ConsultationSerializer(actions.open_consultation(request.user, consultation)).data)


class ConsultationScheduleView(APIView):
    @extend_schema(request=None, responses=ConsultationSerializer)
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        require_manager(request, consultation)
        return Response(ConsultationSerializer(actions.schedule_consultation(request.user, consultation)).data)


class ConsultationCloseView(APIView):
    @extend_schema(request=None, responses=ConsultationSerializer)
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        require_manager(request, consultation)
        return Response(ConsultationSerializer(actions.close_consultation(request.user, consultation)).data)


class AccessCodesView(APIView):
    @extend_schema(request=AccessCodeRequestSerializer, responses={201: AccessCodesSerializer})
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        require_manager(request, consultation)
        count = request.data.get("count") if isinstance(request.data, dict) else None
        codes, batch = actions.generate_access_codes(request.user, consultation, count)
        return Response({"batch": batch, "codes": codes}, status=201)


class BallotView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("X-Access-Code", str, OpenApiParameter.HEADER, required=False)],
        responses=CurrentBallotSerializer,
    )
    def get(self, request, pk):
        """The voter's current ballot, to show or change it."""
        consultation = get_consultation(request, pk)
        if consultation.eligibility == Eligibility.OPEN and not browser_token(request):
            raise Http404
        current = actions.current_ballot(consultation, voter_for(request, consultation))
        if current is None:
            raise Http404
        return Response(current)

    @extend_schema(request=BallotRequestSerializer, responses={200: ReceiptSerializer, 201: ReceiptSerializer})
    def put(self, request, pk):
        # Who may see it as everywhere, read with the options casting needs and the access
        # code's record. A body that cannot be read is refused as before: after the 404.
        try:
            access_code, unreadable = access_code_of(request), None
        except Exception as error:  # whatever reading the body raises, raised in its turn
            access_code, unreadable = None, error
        consultation = actions.ballot_consultation(pk, request.user, access_code)
        if consultation is None:
            raise Http404
        if unreadable is not None:
            raise unreadable
        if not isinstance(request.data, dict) or "ballot" not in request.data:
            return Response({"ballot": [_("Dieses Feld ist erforderlich.")]}, status=400)
        actions.limit_ballots_from(consultation, client_address(request))
        token = _new_token(consultation)
        voter = voter_for(request, consultation, token)
        result = actions.cast_ballot(consultation, voter, request.data["ballot"])
        response = Response(
            {"receipt": result.receipt, "created": result.created, "changed": result.changed},
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )
        return with_browser_cookie(request, response, token)


class PairNextView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("X-Access-Code", str, OpenApiParameter.HEADER, required=False)],
        responses=PairSerializer,
    )
    def get(self, request, pk):
        consultation = get_consultation(request, pk)
        if consultation.method != "pairwise":
            raise Conflict(_("Diese Befragung vergleicht keine Paare."))
        token = _new_token(consultation)
        pair = selectors.next_pair(consultation, voter_for(request, consultation, token))
        if pair is None:
            raise Conflict(_("Es gibt weniger als zwei Maßnahmen zum Vergleichen."))
        return with_browser_cookie(request, Response(pair), token)


class PairVoteView(APIView):
    @extend_schema(request=PairRequestSerializer, responses={201: PairRecordedSerializer, 200: PairRecordedSerializer})
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        data = request.data if isinstance(request.data, dict) else {}
        token = _new_token(consultation)
        voter = voter_for(request, consultation, token)
        created = actions.record_pair(
            consultation, voter, data.get("left"), data.get("right"), data.get("choice"), data.get("id")
        )
        response = Response({"recorded": True, "duplicate": not created}, status=201 if created else 200)
        return with_browser_cookie(request, response, token)


class ProposalListView(APIView):
    @extend_schema(responses=ProposalSerializer(many=True))
    def get(self, request, pk):
        consultation = get_consultation(request, pk)
        proposals = Proposal.objects.filter(consultation=consultation)
        if not (request.user.is_authenticated and selectors.can_manage(request.user, consultation)):
            proposals = proposals.filter(status=ProposalStatus.APPROVED)
        return Response(ProposalSerializer(proposals, many=True).data)

    @extend_schema(request=ProposalRequestSerializer, responses={201: ProposalSerializer})
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        data = request.data if isinstance(request.data, dict) else {}
        token = _new_token(consultation)
        voter = voter_for(request, consultation, token)
        proposal = actions.propose_measure(consultation, voter, data.get("title"), data.get("description"))
        return with_browser_cookie(request, Response(ProposalSerializer(proposal).data, status=201), token)


class ProposalDecisionView(APIView):
    approve = True

    @extend_schema(request=None, responses=ProposalSerializer)
    def post(self, request, pk, proposal_id):
        consultation = get_consultation(request, pk)
        require_manager(request, consultation)
        proposal = get_object_or_404(Proposal, pk=proposal_id, consultation=consultation)
        return Response(ProposalSerializer(actions.decide_proposal(request.user, proposal, self.approve)).data)
