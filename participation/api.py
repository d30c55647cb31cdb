"""REST API of the core domain: thin DRF views over querysets and actions.

Anyone reads what is published; unpublished things answer 404 as if they did
not exist. Facilitators manage the measure catalogue of their processes.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from . import actions, filters, rules, selectors
from .models import Feedback, FieldOfAction, LivingLab, Measure, Process, Project
from .serializers import (
    FeedbackSerializer,
    FieldOfActionSerializer,
    LivingLabSerializer,
    MeasureSerializer,
    ProcessSerializer,
    ProjectSerializer,
)


def _is_positive_int(raw):
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses. No int(): Python
    # refuses to convert more than 4,300 digits (a ValueError, and so a 500).
    return raw.isascii() and raw.isdigit() and raw.strip("0") != ""


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 200). A page size or page that is
    not a positive whole number is a 400, a page past the end a 404."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _is_positive_int(raw):
            raise ValidationError({self.page_size_query_param: [_("Bitte eine ganze Zahl ab 1 angeben.")]})
        digits = raw.lstrip("0")
        if len(digits) > len(str(self.max_page_size)):
            return self.max_page_size
        return min(int(digits), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings and not _is_positive_int(raw):
            raise ValidationError({self.page_query_param: [_("Bitte eine ganze Zahl ab 1 angeben.")]})
        return super().paginate_queryset(queryset, request, view)


class FacilitatorsWrite(permissions.BasePermission):
    """Reading is open; writing needs a facilitator account (403 for others; used after
    IsAuthenticatedOrReadOnly, which answers 401 without credentials). Whether they
    manage the process is checked by the action."""

    message = _("Nur die Moderation darf den Maßnahmenkatalog bearbeiten.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or rules.is_facilitator(request.user)


def _as_drf_error(exc):
    """A model ValidationError from an action, as a field-by-field 400."""
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name): messages
                for name, messages in exc.message_dict.items()
            }
        )
    return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})


class ListFiltersOnly:
    """The list's filters are the list's: an address names one thing, and a stray ?process= on
    it must neither hide the thing nor turn into a 400 its schema does not document."""

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


class PublicReadViewSet(ListFiltersOnly, viewsets.ReadOnlyModelViewSet):
    # Querysets end their ordering with "pk" so that pages never overlap or skip.
    pagination_class = Pagination


@extend_schema_view(
    list=extend_schema(summary="Veröffentlichte Beteiligungsprozesse"),
    retrieve=extend_schema(summary="Ein Beteiligungsprozess"),
)
class ProcessViewSet(PublicReadViewSet):
    serializer_class = ProcessSerializer
    filterset_class = filters.ProcessFilter
    queryset = Process.objects.published().order_by(*Process._meta.ordering, "pk").prefetch_related("phases")


@extend_schema_view(
    list=extend_schema(summary="Handlungsfelder veröffentlichter Prozesse"),
    retrieve=extend_schema(summary="Ein Handlungsfeld"),
)
class FieldOfActionViewSet(PublicReadViewSet):
    serializer_class = FieldOfActionSerializer
    filterset_class = filters.FieldOfActionFilter
    queryset = FieldOfAction.objects.published().order_by(*FieldOfAction._meta.ordering, "pk")


@extend_schema_view(
    list=extend_schema(summary="Öffentliche Projekte der Bestandserhebung"),
    retrieve=extend_schema(summary="Ein Projekt"),
)
class ProjectViewSet(PublicReadViewSet):
    serializer_class = ProjectSerializer
    filterset_class = filters.ProjectFilter
    queryset = Project.objects.published().order_by(*Project._meta.ordering, "pk").prefetch_related("status_changes")


@extend_schema_view(
    list=extend_schema(summary="Veröffentlichte Reallabore"),
    retrieve=extend_schema(summary="Ein Reallabor"),
)
class LivingLabViewSet(PublicReadViewSet):
    serializer_class = LivingLabSerializer
    filterset_class = filters.LivingLabFilter
    queryset = (
        LivingLab.objects.published()
        .order_by(*LivingLab._meta.ordering, "pk")
        .prefetch_related(
            Prefetch("projects", queryset=Project.objects.published().order_by("pk"), to_attr="public_projects")
        )
    )


def public_feedback():
    """Visible feedback on what the public may see: a published process, or a published
    measure or lab, or a public project, of a published process."""
    published = Process.objects.published()
    return (
        Feedback.objects.visible()
        .filter(
            Q(process__in=published)
            | Q(measure__in=Measure.objects.published())
            | Q(project__in=Project.objects.published())
            | Q(lab__in=LivingLab.objects.published())
        )
        .select_related("answer")
        .order_by("created", "pk")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Rückmeldungen mit den Antworten der Stadt",
        description=(
            "Sichtbare Rückmeldungen zu Veröffentlichtem, älteste zuerst, mit der öffentlichen Antwort der Stadt "
            "(`answer`, `null` solange keine gegeben ist). Ohne Namen der Verfassenden."
        ),
    ),
    retrieve=extend_schema(summary="Eine Rückmeldung mit der Antwort der Stadt"),
)
class FeedbackViewSet(PublicReadViewSet):
    serializer_class = FeedbackSerializer
    filterset_class = filters.FeedbackFilter
    queryset = Feedback.objects.none()  # names the model; requests go through get_queryset

    def get_queryset(self):
        return public_feedback()


def visible_measures(user):
    """Published measures, plus every measure of the processes ``user`` manages."""
    if rules.is_facilitator(user):
        if user.is_superuser:
            return Measure.objects.all()
        return Measure.objects.published() | Measure.objects.filter(process__in=user.facilitated_processes.all())
    return Measure.objects.published()


_WRITE_ERRORS = {
    400: OpenApiResponse(description="Ungültige Eingabe, je Feld mit Begründung."),
    401: OpenApiResponse(description="Keine Anmeldedaten (Token oder Sitzung)."),
    403: OpenApiResponse(description="Kein Konto der Moderation dieses Prozesses."),
}


@extend_schema_view(
    list=extend_schema(
        summary="Maßnahmen",
        description="Veröffentlichte Maßnahmen; die Moderation sieht auch unveröffentlichte Maßnahmen ihrer Prozesse.",
    ),
    retrieve=extend_schema(summary="Eine Maßnahme"),
    create=extend_schema(summary="Maßnahme anlegen (Moderation)", responses={201: MeasureSerializer, **_WRITE_ERRORS}),
    partial_update=extend_schema(
        summary="Maßnahme ändern (Moderation)", responses={200: MeasureSerializer, 404: None, **_WRITE_ERRORS}
    ),
)
class MeasureViewSet(ListFiltersOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MeasureSerializer
    filterset_class = filters.MeasureFilter
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, FacilitatorsWrite]
    queryset = Measure.objects.none()  # names the model; requests go through get_queryset

    def get_queryset(self):
        measures = visible_measures(self.request.user).order_by(*Measure._meta.ordering, "pk")
        return measures.prefetch_related("status_changes")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            measure = actions.create_measure(request.user, serializer.validated_data)
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from None
        return Response(self.get_serializer(measure).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        measure = self.get_object()
        serializer = self.get_serializer(measure, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            measure = actions.update_measure(request.user, measure, serializer.validated_data)
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from None
        measure._prefetched_objects_cache = {}  # a status change has just added to the history
        return Response(self.get_serializer(measure).data)


_POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
GEOJSON_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"type": "string", "enum": ["Point", "Polygon"]},
                            "coordinates": {
                                "description": "[Länge, Breite] (RFC 7946); bei Polygon eine Liste geschlossener Ringe",
                                "oneOf": [_POSITION, {"type": "array", "items": {"type": "array", "items": _POSITION}}],
                            },
                        },
                    },
                    "properties": {
                        "type": "object",
                        "required": ["kind", "id", "title", "url"],
                        "properties": {
                            "kind": {"type": "string", "enum": ["lab", "project", "feedback"]},
                            "id": {"type": "integer"},
                            "title": {"type": "string"},
                            "summary": {"type": "string"},
                            "status": {"type": "string"},
                            "lab": {"type": "integer"},
                            "url": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}


class MapView(APIView):
    """The map's content as GeoJSON: published living labs (their outline, or their point),
    public projects with a place, and visible feedback placed in a lab."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Karte: Reallabore, Projekte mit Ort und Rückmeldungen mit Ort (GeoJSON)",
        parameters=[
            OpenApiParameter("process", str, description="Kurzname eines Prozesses: nur dessen Inhalte."),
            OpenApiParameter(
                "lab", int, description="Id eines Reallabors: nur dieses, seine Projekte und Rückmeldungen."
            ),
        ],
        responses={200: OpenApiResponse(response=GEOJSON_SCHEMA, description="Eine GeoJSON FeatureCollection.")},
    )
    def get(self, request):
        process = lab = None
        slug = request.query_params.get("process")
        if slug is not None:
            if not slug.isascii() or not slug_re.fullmatch(slug) or len(slug) > 80:
                raise ValidationError({"process": [_("Der Kurzname eines Prozesses: Buchstaben, Ziffern, - und _.")]})
            process = Process.objects.published().filter(slug=slug).first()
            if process is None:
                raise NotFound(_("Diesen Prozess gibt es nicht oder er ist nicht veröffentlicht."))
        raw_lab = request.query_params.get("lab")
        if raw_lab is not None:
            if not (raw_lab.isascii() and raw_lab.isdigit()) or len(raw_lab) > 12:
                raise ValidationError({"lab": [_("Eine ganze Zahl, die Id eines Reallabors.")]})
            lab = LivingLab.objects.published().filter(pk=int(raw_lab)).first()
            if lab is None or (process is not None and lab.process_id != process.pk):
                raise NotFound(_("Dieses Reallabor gibt es nicht oder es ist nicht veröffentlicht."))
        return Response(selectors.map_content(process=process, lab=lab).geojson())
