"""Opinion map endpoints: thin views over voting.opinion_actions and voting.opinion_selectors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.errors import Conflict, RateLimited, Unauthenticated

from . import opinion_actions, opinion_selectors, selectors
from .api import (
    _new_token,
    access_code_of,
    browser_token,
    get_consultation,
    require_manager,
    voter_for,
    with_browser_cookie,
)
from .models import Method, Statement, StatementState
from .serializers import (
    AnswerRecordedSerializer,
    AnswerRequestSerializer,
    NextStatementSerializer,
    StatementRequestSerializer,
    StatementSerializer,
)

CODE_HEADER = OpenApiParameter("X-Access-Code", str, OpenApiParameter.HEADER, required=False)


def _opinion_consultation(request, pk):
    consultation = get_consultation(request, pk)
    if consultation.method != Method.OPINION:
        raise Conflict(_("Diese Befragung ist keine Meinungslandkarte."))
    return consultation


def _participant(request, consultation):
    """The participant behind a request that only reads, or None: nobody is turned away,
    and no request without a code counts as a wrong one."""
    if not (request.user.is_authenticated or browser_token(request) or access_code_of(request)):
        return None
    try:
        return voter_for(request, consultation)
    except (Unauthenticated, DjangoPermissionDenied, ValidationError, RateLimited, Conflict):
        return None


def _data(request):
    return request.data if isinstance(request.data, dict) else {}


class StatementListView(APIView):
    @extend_schema(
        summary="Aussagen einer Meinungslandkarte",
        description="Die sichtbaren Aussagen; die Moderation sieht auch vorgeschlagene und ausgeblendete.",
        responses=StatementSerializer(many=True),
    )
    def get(self, request, pk):
        consultation = _opinion_consultation(request, pk)
        statements = Statement.objects.filter(consultation=consultation)
        if not (request.user.is_authenticated and selectors.can_manage(request.user, consultation)):
            statements = statements.filter(state=StatementState.PUBLISHED)
        return Response(StatementSerializer(statements, many=True).data)

    @extend_schema(
        summary="Aussage hinzufügen",
        description=(
            "Die Moderation fügt eine Aussage hinzu, die sofort sichtbar ist; Teilnehmende schlagen eine vor, "
            "die nach Prüfung sichtbar wird (wenn die Befragung es erlaubt)."
        ),
        parameters=[CODE_HEADER],
        request=StatementRequestSerializer,
        responses={201: StatementSerializer},
    )
    def post(self, request, pk):
        consultation = _opinion_consultation(request, pk)
        data = _data(request)
        if request.user.is_authenticated and selectors.can_manage(request.user, consultation):
            statement = opinion_actions.add_statement(request.user, consultation, data.get("text"), data.get("text_en"))
            return Response(StatementSerializer(statement).data, status=201)
        token = _new_token(consultation)
        voter = voter_for(request, consultation, token)
        statement = opinion_actions.propose_statement(consultation, voter, data.get("text"))
        return with_browser_cookie(request, Response(StatementSerializer(statement).data, status=201), token)


class StatementDecisionView(APIView):
    publish = True

    @extend_schema(
        summary="Aussage zeigen oder ausblenden",
        request=None,
        responses={200: StatementSerializer, 404: OpenApiResponse(description="Keine Aussage dieser Befragung.")},
    )
    def post(self, request, pk, statement_id):
        consultation = _opinion_consultation(request, pk)
        require_manager(request, consultation)
        statement = get_object_or_404(Statement, pk=statement_id, consultation=consultation)
        statement = opinion_actions.decide_statement(request.user, statement, self.publish)
        return Response(StatementSerializer(statement).data)


class NextStatementView(APIView):
    @extend_schema(
        summary="Die nächste Aussage für diese Person",
        parameters=[CODE_HEADER],
        responses=NextStatementSerializer,
    )
    def get(self, request, pk):
        consultation = _opinion_consultation(request, pk)
        token = _new_token(consultation)
        voter = voter_for(request, consultation, token)
        return with_browser_cookie(request, Response(opinion_selectors.next_statement(consultation, voter)), token)


class AnswerView(APIView):
    @extend_schema(
        summary="Eine Aussage beantworten",
        description="1 stimme zu, -1 stimme nicht zu, 0 weiß nicht; eine neue Antwort ersetzt die alte.",
        parameters=[CODE_HEADER],
        request=AnswerRequestSerializer,
        responses={201: AnswerRecordedSerializer},
    )
    def post(self, request, pk):
        consultation = _opinion_consultation(request, pk)
        data = _data(request)
        token = _new_token(consultation)
        voter = voter_for(request, consultation, token)
        changed = opinion_actions.answer_statement(consultation, voter, data.get("statement"), data.get("value"))
        following = opinion_selectors.next_statement(consultation, voter)
        return with_browser_cookie(request, Response({"changed": changed, **following}, status=201), token)


class OpinionMapView(APIView):
    @extend_schema(
        summary="Die Meinungslandkarte",
        description=(
            "Gruppen von Teilnehmenden, die ähnlich antworten (Hauptkomponenten und k-Means wie bei Polis), was jede "
            "Gruppe auszeichnet, und Aussagen, denen alle Gruppen zustimmen. Höchstens alle "
            f"{opinion_selectors.MAP_SECONDS} Sekunden neu berechnet. `me` ist der eigene Punkt, wenn die Anfrage "
            "von einer teilnehmenden Person kommt."
        ),
        parameters=[CODE_HEADER],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk):
        consultation = _opinion_consultation(request, pk)
        data, number_of = opinion_selectors.public_map(consultation)
        voter = _participant(request, consultation)
        me = None if voter is None else number_of.get(voter.ballot_key)
        english = (get_language() or "de").startswith("en")
        texts = {key: (en if english and en else de) for key, (de, en) in data["statements"].items()}
        return Response({**data, "statements": texts, "me": me})
