"""Paper ballots over the API: election workers of a consultation, typed paper ballots and
the settling of disputed ones. Thin views over voting.paper_actions."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.security import client_address

from . import paper_actions
from .api import get_consultation, require_manager
from .models import ElectionWorker, PaperState
from .serializers import (
    ElectionWorkerRequestSerializer,
    ElectionWorkerSerializer,
    PaperBallotListItemSerializer,
    PaperBallotRequestSerializer,
    PaperBallotStateSerializer,
)


def _worker_data(worker):
    return {"user": worker.user_id, "username": worker.user.get_username(), "added": worker.created}


def _signed_in(request):
    if not request.user.is_authenticated:
        raise NotAuthenticated()


def _body(request):
    if not isinstance(request.data, dict):
        return None
    return request.data


class ElectionWorkerListView(APIView):
    @extend_schema(responses=ElectionWorkerSerializer(many=True))
    def get(self, request, pk):
        consultation = get_consultation(request, pk)
        require_manager(request, consultation)
        workers = ElectionWorker.objects.filter(consultation=consultation).select_related("user")
        return Response([_worker_data(worker) for worker in workers])

    @extend_schema(
        request=ElectionWorkerRequestSerializer,
        responses={200: ElectionWorkerSerializer, 201: ElectionWorkerSerializer},
    )
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        require_manager(request, consultation)
        data = _body(request)
        if data is None:
            return Response({"non_field_errors": [_("Senden Sie ein JSON-Objekt.")]}, status=400)
        worker_user = paper_actions.find_user(data.get("user"), data.get("username"))
        worker, created = paper_actions.add_election_worker(request.user, consultation, worker_user)
        return Response(_worker_data(worker), status=201 if created else 200)


class ElectionWorkerDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, user_id):
        consultation = get_consultation(request, pk)
        require_manager(request, consultation)
        if not 0 < user_id <= paper_actions.MAX_USER_ID:
            raise Http404
        if not paper_actions.remove_election_worker(request.user, consultation, user_id):
            raise Http404
        return Response(status=204)


class PaperBallotListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                str,
                required=False,
                enum=PaperState.values,
                description="Nur Papierstimmzettel in diesem Zustand (ohne: wartende und abweichende).",
            )
        ],
        responses=PaperBallotListItemSerializer(many=True),
    )
    def get(self, request, pk):
        consultation = get_consultation(request, pk)
        _signed_in(request)
        state = request.query_params.get("state") or None
        return Response(paper_actions.paper_ballots(request.user, consultation, state))

    @extend_schema(request=PaperBallotRequestSerializer, responses={201: PaperBallotStateSerializer})
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        _signed_in(request)
        data = _body(request) or {}
        outcome = paper_actions.enter_paper_ballot(
            request.user,
            consultation,
            data.get("access_code"),
            data.get("ballot"),
            client_address(request),
            spoiled=data.get("spoiled", False),
        )
        return Response({"state": outcome.state}, status=201)


class PaperBallotResolveView(APIView):
    @extend_schema(request=PaperBallotRequestSerializer, responses={200: PaperBallotStateSerializer})
    def post(self, request, pk):
        consultation = get_consultation(request, pk)
        _signed_in(request)
        data = _body(request) or {}
        outcome = paper_actions.resolve_paper_ballot(
            request.user,
            consultation,
            data.get("access_code"),
            data.get("ballot"),
            client_address(request),
            spoiled=data.get("spoiled", False),
        )
        return Response({"state": outcome.state})
