"""Workshop endpoints: create (facilitator), join (anyone with the code), QR code, export."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from participation import rules
from participation.negotiation import ExportContentNegotiation
from participation.security import client_address, limit

from . import exports
from .actions import create_workshop, join_workshop
from .models import ParticipantRole, Workshop, WorkshopState, normalise_code
from .qr import qr_svg
from .serializers import (
    JoinedSerializer,
    JoinSerializer,
    WorkshopCreatedSerializer,
    WorkshopCreateSerializer,
    WorkshopSerializer,
)
from .tickets import issue_ticket

# Joins of one workshop from one network address in 10 minutes.
JOINS_PER_ADDRESS = 1000


def workshop_links(request, workshop):
    join_url = request.build_absolute_uri(reverse("workshops:join", args=[workshop.code]))
    scheme = "wss" if request.is_secure() else "ws"
    return {
        "join_url": join_url,
        "ws_url": f"{scheme}://{request.get_host()}/ws/workshops/{workshop.code}/",
        "qr_url": request.build_absolute_uri(reverse("api:workshop-qr", args=[workshop.code])),
    }


def visible_workshop(request, code):
    """The workshop behind a code; drafts exist only for the process's facilitators."""
    workshop = get_object_or_404(Workshop.objects.select_related("process"), code=normalise_code(code))
    if workshop.state == WorkshopState.DRAFT and not rules.can_manage_process(request.user, workshop.process):
        raise Http404
    return workshop


class WorkshopCreateView(APIView):
    @extend_schema(request=WorkshopCreateSerializer, responses={201: WorkshopCreatedSerializer})
    def post(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        serializer = WorkshopCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        process = data.pop("process")
        if not rules.can_manage_process(request.user, process):
            raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf darin Workshops anlegen."))
        workshop = create_workshop(request.user, process, **data)
        return Response({"id": workshop.pk, "code": workshop.code, **workshop_links(request, workshop)}, status=201)


class WorkshopDetailView(APIView):
    @extend_schema(responses=WorkshopSerializer)
    def get(self, request, code):
        workshop = visible_workshop(request, code)
        return Response({**WorkshopSerializer(workshop).data, **workshop_links(request, workshop)})


class WorkshopJoinView(APIView):
    @extend_schema(request=JoinSerializer, responses={201: JoinedSerializer})
    def post(self, request, code):
        workshop = visible_workshop(request, code)
        # Generous: a whole venue (300 and more experts) may join from one network address.
        limit(
            f"join:{workshop.pk}:{client_address(request)}",
            JOINS_PER_ADDRESS,
            600,
            _("Sehr viele Beitritte aus Ihrem Netz; bitte versuchen Sie es in einigen Minuten erneut."),
        )
        serializer = JoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        role = serializer.validated_data["role"]
        screen = serializer.validated_data["screen"]
        if screen:
            role = ParticipantRole.OBSERVER  # a screen never writes, whoever sets it up
        elif rules.can_manage_process(request.user, workshop.process):
            role = ParticipantRole.FACILITATOR
        elif workshop.state == WorkshopState.CLOSED and role != ParticipantRole.OBSERVER:
            return Response(
                {"detail": _("Der Workshop ist beendet; Sie können noch zum Beobachten beitreten.")},
                status=status.HTTP_409_CONFLICT,
            )
        participant = join_workshop(
            workshop, None if screen else request.user, serializer.validated_data["display_name"], role, screen=screen
        )
        return Response(
            {
                "participant": participant.pk,
                "role": participant.role,
                "ticket": issue_ticket(participant),
                "ws_url": workshop_links(request, workshop)["ws_url"],
            },
            status=201,
        )


class WorkshopQRView(APIView):
    @extend_schema(responses={(200, "image/svg+xml"): OpenApiTypes.BINARY})
    def get(self, request, code):
        workshop = visible_workshop(request, code)
        response = HttpResponse(qr_svg(workshop_links(request, workshop)["join_url"]), content_type="image/svg+xml")
        response["Cache-Control"] = "public, max-age=3600"
        return response


class WorkshopExportView(APIView):
    content_negotiation_class = ExportContentNegotiation

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(exports.FORMATS), required=False)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, code):
        workshop = visible_workshop(request, code)
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        if not rules.can_manage_process(request.user, workshop.process):
            raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf den Workshop exportieren."))
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
        content, content_type, extension = exports.export(workshop, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.code}.{extension}"'
        return response
