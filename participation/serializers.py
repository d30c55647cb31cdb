"""JSON shapes of the public API. Both languages are given explicitly (``title``
is German, ``title_en`` English, empty when not translated), relations as ids."""

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    FieldOfAction,
    LivingLab,
    Measure,
    MeasureStatus,
    PhaseKind,
    Process,
    ProcessPhase,
    Project,
    ProjectStatus,
    StatusChange,
)

TEXT_FIELDS = ("title", "title_en", "slug", "summary", "summary_en", "description", "description_en")


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The readable label of a choice in a fixed language, next to its stable value."""

    def __init__(self, choices, language, **kwargs):
        self.labels = dict(choices)
        self.language = language
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        with translation.override(self.language):
            return str(self.labels.get(value, value))


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class IdListField(serializers.Field):
    """The ids of a list of objects the view has already loaded."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [obj.pk for obj in value]


class ProcessPhaseSerializer(serializers.ModelSerializer):
    """One dated phase of a process's timeline."""

    kind_label = ChoiceLabelField(PhaseKind.choices, "de", source="kind")
    kind_label_en = ChoiceLabelField(PhaseKind.choices, "en", source="kind")

    class Meta:
        model = ProcessPhase
        fields = [
            "kind",
            "kind_label",
            "kind_label_en",
            "title",
            "title_en",
            "description",
            "description_en",
            "starts_on",
            "ends_on",
        ]
        read_only_fields = fields


class ProcessSerializer(serializers.ModelSerializer):
    phases = ProcessPhaseSerializer(many=True, read_only=True)

    class Meta:
        model = Process
        fields = ["id", *TEXT_FIELDS, "starts_on", "ends_on", "phases"]


class FieldOfActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FieldOfAction
        fields = ["id", "process", *TEXT_FIELDS, "position"]


class StatusChangeFields(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["status", "status_label", "status_label_en", "reason", "reason_en", "changed_at"]
        read_only_fields = fields


class MeasureStatusChangeSerializer(StatusChangeFields):
    """One step of a measure's dated status history."""

    status_label = ChoiceLabelField(MeasureStatus.choices, "de", source="status")
    status_label_en = ChoiceLabelField(MeasureStatus.choices, "en", source="status")


class ProjectStatusChangeSerializer(StatusChangeFields):
    """One step of a project's dated status history."""

    status_label = ChoiceLabelField(ProjectStatus.choices, "de", source="status")
    status_label_en = ChoiceLabelField(ProjectStatus.choices, "en", source="status")


class MeasureSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabelField(Measure.status.field.choices, "de", source="status")
    status_label_en = ChoiceLabelField(Measure.status.field.choices, "en", source="status")
    origin_label = ChoiceLabelField(Measure.origin.field.choices, "de", source="origin")
    origin_label_en = ChoiceLabelField(Measure.origin.field.choices, "en", source="origin")
    estimated_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False, coerce_to_string=False
    )
    status_history = MeasureStatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "process",
            "field",
            *TEXT_FIELDS,
            "status",
            "status_label",
            "status_label_en",
            "origin",
            "origin_label",
            "origin_label_en",
            "estimated_cost",
            "published",
            "created",
            "updated",
            "status_history",
        ]
        read_only_fields = ["created", "updated"]
        extra_kwargs = {"slug": {"required": False, "help_text": "Leer lassen: wird aus dem Titel gebildet."}}
        # Slug uniqueness per process is checked by actions.create_measure/update_measure,
        # which name the `slug` field and generate a slug when none is given.
        validators = []


class ProjectSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabelField(Project.status.field.choices, "de", source="status")
    status_label_en = ChoiceLabelField(Project.status.field.choices, "en", source="status")
    owner_kind_label = ChoiceLabelField(Project.owner_kind.field.choices, "de", source="owner_kind")
    owner_kind_label_en = ChoiceLabelField(Project.owner_kind.field.choices, "en", source="owner_kind")
    status_history = ProjectStatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "process",
            "field",
            *TEXT_FIELDS,
            "owner_organisation",
            "owner_kind",
            "owner_kind_label",
            "owner_kind_label_en",
            "status",
            "status_label",
            "status_label_en",
            "starts_on",
            "ends_on",
            "contact_name",
            "contact_email",
            "status_history",
        ]


class LivingLabSerializer(serializers.ModelSerializer):
    latitude = serializers.FloatField(read_only=True)
    longitude = serializers.FloatField(read_only=True)
    boundary = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        read_only=True,
        help_text="Umriss als Liste von [Breite, Länge]; leer, wenn nur der Mittelpunkt bekannt ist.",
    )
    # The view prefetches only the public projects into `public_projects`.
    projects = IdListField(source="public_projects", help_text="Ids der öffentlichen Projekte in diesem Reallabor.")

    class Meta:
        model = LivingLab
        fields = [
            "id",
            "process",
            *TEXT_FIELDS,
            "area_description",
            "area_description_en",
            "latitude",
            "longitude",
            "boundary",
            "projects",
        ]
