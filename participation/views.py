"""Public pages about the strategy: thin views over selectors.

Lists take their filters from a GET form. A bad filter value is shown as a
form error and ignored, so the page always stays usable.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import extensions, rules, selectors
from .models import FieldOfAction, MeasureOrigin, MeasureStatus, OwnerKind, Process, ProjectStatus
from .status_views import history_context

PAGE_SIZE = 30
SEARCH_MAX_LENGTH = 200


def _any(choices):
    return [("", _("alle")), *choices]


class ProcessChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title_t


class FieldChoiceField(forms.ModelChoiceField):
    """Fields of action, named with their process when several processes are public."""

    with_process = False

    def label_from_instance(self, obj):
        if self.with_process:
            return f"{obj.process.title_t}: {obj.title_t}"
        return obj.title_t


class SearchInput(forms.TextInput):
    input_type = "search"


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=SEARCH_MAX_LENGTH, widget=SearchInput)
    process = ProcessChoiceField(
        label=_("Prozess"), queryset=Process.objects.none(), required=False, to_field_name="slug", empty_label=_("alle")
    )
    field = FieldChoiceField(
        label=_("Handlungsfeld"), queryset=FieldOfAction.objects.none(), required=False, empty_label=_("alle")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        processes = Process.objects.published()
        self.fields["process"].queryset = processes
        self.fields["field"].queryset = FieldOfAction.objects.published().select_related("process")
        self.fields["field"].with_process = processes.count() > 1

    def filters(self):
        """The valid filter values; invalid ones are left out (and shown as errors)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class MeasureFilterForm(ListFilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=_any(MeasureStatus.choices), required=False)
    origin = forms.ChoiceField(label=_("Herkunft"), choices=_any(MeasureOrigin.choices), required=False)


class ProjectFilterForm(ListFilterForm):
    owner_kind = forms.ChoiceField(label=_("Art des Trägers"), choices=_any(OwnerKind.choices), required=False)
    owner_organisation = forms.ChoiceField(label=_("Träger"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_any(ProjectStatus.choices), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].choices = _any((name, name) for name in selectors.owner_organisations())


def _filtered_page(request, form_class, select):
    form = form_class(request.GET or None)
    filters = form.filters()
    if "q" in filters:
        filters["query"] = filters.pop("q")
    page = Paginator(select(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "filtered": bool(filters)}


def home(request):
    return render(request, "pages/home.html", {"processes": selectors.published_processes_with_fields()})


def about(request):
    return render(request, "pages/about.html", {"retention_days": settings.PERSONAL_DATA_RETENTION_DAYS})


# The statement is dated: update both dates when the statement or the platform is reviewed again.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 26)
ACCESSIBILITY_REVIEW_DATE = datetime.date(2026, 11, 26)


def accessibility(request):
    """The accessibility statement (BITV 2.0). Long legal text: one template per language."""
    language = "en" if (get_language() or "").startswith("en") else "de"
    context = {
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        "review_date": ACCESSIBILITY_REVIEW_DATE,
    }
    return render(request, f"pages/accessibility_{language}.html", context)


def process_detail(request, slug):
    process = get_object_or_404(selectors.published_processes(), slug=slug)
    context = {
        "process": process,
        "fields": selectors.fields_for(process),
        "labs": selectors.labs(process),
        **extensions.process_sections(process),  # the consultations (voting)
    }
    return render(request, "pages/process_detail.html", context)


def field_list(request):
    return render(request, "pages/field_list.html", {"fields": selectors.published_fields()})


def process_fields(request, slug):
    process = get_object_or_404(selectors.published_processes(), slug=slug)
    context = {"process": process, "fields": selectors.fields_for(process)}
    return render(request, "pages/field_list.html", context)


def field_detail(request, process_slug, slug):
    field = get_object_or_404(selectors.published_fields(), process__slug=process_slug, slug=slug)
    context = {
        "field": field,
        "measures": selectors.measures(field=field),
        "projects": selectors.projects(field=field),
    }
    return render(request, "pages/field_detail.html", context)


def measure_list(request):
    return render(request, "pages/measure_list.html", _filtered_page(request, MeasureFilterForm, selectors.measures))


def measure_detail(request, process_slug, slug):
    measure = get_object_or_404(selectors.measures(), process__slug=process_slug, slug=slug)
    context = {"measure": measure, "links": extensions.measure_links(measure), **history_context(request, measure)}
    return render(request, "pages/measure_detail.html", context)


def project_list(request):
    return render(request, "pages/project_list.html", _filtered_page(request, ProjectFilterForm, selectors.projects))


def project_detail(request, process_slug, slug):
    project = get_object_or_404(selectors.projects(), process__slug=process_slug, slug=slug)
    context = {"project": project, "labs": selectors.labs_of_project(project), **history_context(request, project)}
    return render(request, "pages/project_detail.html", context)


def lab_list(request):
    return render(request, "pages/lab_list.html", {"labs": selectors.labs()})


def lab_detail(request, process_slug, slug):
    lab = get_object_or_404(selectors.labs(), process__slug=process_slug, slug=slug)
    content = selectors.map_content(lab=lab)
    context = {
        "lab": lab,
        "projects": selectors.projects_of_lab(lab),
        "map": content,
        "geojson": content.geojson(),
        # Who may give feedback picks its place on the map (the form's fields, feedback/_section.html).
        "map_picker": f"feedback-lab-{lab.pk}" if rules.can_give_feedback(request.user) else "",
    }
    return render(request, "pages/lab_detail.html", context)


def map_page(request):
    """The living labs, the projects with a place and the feedback placed in the labs, on a map
    and, saying the same, in a list beside it."""
    content = selectors.map_content()
    return render(request, "pages/map.html", {"map": content, "geojson": content.geojson()})
