"""Query filters of the public API. A value that does not fit (a word where an id
belongs, an unknown status, an id beyond 64 bits) makes the form invalid, and the filter
backend answers 400 naming the parameter instead of quietly returning an empty list (or a
500: SQLite cannot even compare a column with a number beyond 64 bits)."""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from .models import (
    Feedback,
    FieldOfAction,
    LivingLab,
    Measure,
    MeasureOrigin,
    MeasureStatus,
    OwnerKind,
    Process,
    Project,
    ProjectStatus,
)
from .parsers import MAX_INTEGER

SEARCH_MAX_LENGTH = 200
# Ids are 64-bit (BigAutoField); a larger number names nothing and no database can compare it.
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_INTEGER}


def clean_id(name, raw):
    """A query parameter that names an id, as an int (None when empty: no filter, as in a
    form); a 400 naming the parameter otherwise. The answers of ``IdFilter``, for views
    without a filter set."""
    try:
        return forms.IntegerField(min_value=1, max_value=MAX_INTEGER, required=False).clean(raw)
    except DjangoValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


@extend_schema_field(ID_SCHEMA)
class IdFilter(filters.NumberFilter):
    """An id: a whole number from 1 to 2**63 - 1, not the decimal NumberFilter accepts."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_INTEGER)
        super().__init__(*args, **kwargs)


class TitleSearchFilterSet(filters.FilterSet):
    search = filters.CharFilter(
        method="search_title",
        max_length=SEARCH_MAX_LENGTH,
        label=_("Suche im Titel (deutsch oder englisch)"),
    )

    def search_title(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(title_en__icontains=value))


class ProcessFilter(TitleSearchFilterSet):
    class Meta:
        model = Process
        fields = ["search"]


class FieldOfActionFilter(TitleSearchFilterSet):
    process = IdFilter(field_name="process", label=_("Id des Prozesses"))

    class Meta:
        model = FieldOfAction
        fields = ["process", "search"]


class MeasureFilter(TitleSearchFilterSet):
    process = IdFilter(field_name="process", label=_("Id des Prozesses"))
    field = IdFilter(field_name="field", label=_("Id des Handlungsfelds"))
    status = filters.ChoiceFilter(choices=MeasureStatus.choices, label=_("Status"))
    origin = filters.ChoiceFilter(choices=MeasureOrigin.choices, label=_("Herkunft"))

    class Meta:
        model = Measure
        fields = ["process", "field", "status", "origin", "search"]


class ProjectFilter(TitleSearchFilterSet):
    process = IdFilter(field_name="process", label=_("Id des Prozesses"))
    field = IdFilter(field_name="field", label=_("Id des Handlungsfelds"))
    status = filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    owner_kind = filters.ChoiceFilter(choices=OwnerKind.choices, label=_("Art des Trägers"))

    class Meta:
        model = Project
        fields = ["process", "field", "status", "owner_kind", "search"]


class LivingLabFilter(TitleSearchFilterSet):
    process = IdFilter(field_name="process", label=_("Id des Prozesses"))
    field = IdFilter(
        method="filter_field", label=_("Id eines Handlungsfelds, zu dem ein öffentliches Projekt des Labors gehört")
    )

    class Meta:
        model = LivingLab
        fields = ["process", "field", "search"]

    def filter_field(self, queryset, name, value):
        # One filter() call, so both conditions hold for the same project:
        # an internal project must not make its lab show up under its field.
        return queryset.filter(projects__field=value, projects__public=True).distinct()


class FeedbackFilter(filters.FilterSet):
    process = IdFilter(field_name="process", label=_("Id des Prozesses (Rückmeldungen zum Prozess selbst)"))
    measure = IdFilter(field_name="measure", label=_("Id der Maßnahme"))
    project = IdFilter(field_name="project", label=_("Id des Projekts"))
    lab = IdFilter(field_name="lab", label=_("Id des Reallabors"))
    answered = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_answered",
        label=_("nur beantwortete (true) oder noch offene (false)"),
    )

    class Meta:
        model = Feedback
        fields = ["process", "measure", "project", "lab", "answered"]

    def filter_answered(self, queryset, name, value):
        return queryset.filter(answer__isnull=value != "true")
