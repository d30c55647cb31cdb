"""JSON shapes of the public API. Both languages are given explicitly (``title``
is German, ``title_en`` English, empty when not translated), relations as ids."""

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    AnswerState,
    Feedback,
    FeedbackAnswer,
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
    latitude = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Ort des Projekts, falls es einen hat."
    )
    longitude = serializers.FloatField(read_only=True, allow_null=True)

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
            "latitude",
            "longitude",
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


class FeedbackAnswerSerializer(serializers.ModelSerializer):
    """The city's public answer to a piece of feedback."""

    state_label = ChoiceLabelField(AnswerState.choices, "de", source="state")
    state_label_en = ChoiceLabelField(AnswerState.choices, "en", source="state")
    answered_at = serializers.DateTimeField(source="updated", read_only=True)

    class Meta:
        model = FeedbackAnswer
        fields = ["text", "state", "state_label", "state_label_en", "answered_at"]
        read_only_fields = fields


@extend_schema_field({"type": "string", "enum": ["process", "measure", "project", "lab"]})
class TargetKindField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value):
        return next(name for name in Feedback.TARGET_FIELDS if getattr(value, f"{name}_id"))


@extend_schema_field(OpenApiTypes.INT)
class TargetIdField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value):
        return next(getattr(value, f"{name}_id") for name in Feedback.TARGET_FIELDS if getattr(value, f"{name}_id"))


class FeedbackSerializer(serializers.ModelSerializer):
    """Visible feedback on something published, with the city's answer (``null`` until
    given). Without the author: the pages show who wrote it, a list for machines does not."""

    target_kind = TargetKindField()
    target_id = TargetIdField()
    answer = FeedbackAnswerSerializer(source="official_answer", read_only=True, allow_null=True)
    latitude = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Ort im Reallabor, falls die Rückmeldung einen hat."
    )
    longitude = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Feedback
        fields = ["id", "target_kind", "target_id", "text", "created", "latitude", "longitude", "answer"]
        read_only_fields = fields
