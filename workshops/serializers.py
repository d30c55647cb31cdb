"""Input and output shapes of the workshop endpoints (no logic)."""

from rest_framework import serializers

from participation.models import Process

from .models import DISPLAY_NAME_MAX, ParticipantRole, Workshop


class WorkshopCreateSerializer(serializers.Serializer):
    process = serializers.PrimaryKeyRelatedField(queryset=Process.objects.all())
    title = serializers.CharField(max_length=200)
    agenda = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    draft = serializers.BooleanField(required=False, default=False)
    anonymous_posting = serializers.BooleanField(required=False, default=False)
    participants_may_cluster = serializers.BooleanField(required=False, default=False)
    dots_per_participant = serializers.IntegerField(required=False, min_value=1, max_value=100, default=5)


class WorkshopCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    join_url = serializers.URLField()
    ws_url = serializers.CharField()
    qr_url = serializers.URLField()


class WorkshopSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workshop
        fields = ["id", "code", "title", "agenda", "process", "state", "phase"]


class JoinSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=DISPLAY_NAME_MAX)
    role = serializers.ChoiceField(
        choices=[ParticipantRole.EXPERT.value, ParticipantRole.OBSERVER.value],
        required=False,
        default=ParticipantRole.EXPERT.value,
        help_text="expert (default) or observer (read-only). "
        "A facilitator of the process always gets a facilitator's ticket.",
    )
    screen = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A shared screen (a projector): joins as an observer and is not counted as a person online.",
    )


class JoinedSerializer(serializers.Serializer):
    participant = serializers.IntegerField()
    role = serializers.CharField()
    ticket = serializers.CharField()
    ws_url = serializers.CharField()
