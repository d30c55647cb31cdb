"""Read queries for what the public may see.

Every function returns a queryset restricted to published content (published
process, published measure/lab, public project), with the related objects and
counts the pages and the API need, so that lists cost a fixed number of queries.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Feedback,
    FeedbackAnswer,
    FieldOfAction,
    LivingLab,
    Measure,
    Process,
    ProcessPhase,
    Project,
    StatusChange,
)


def _count_of(queryset, link):
    """A correlated COUNT over ``queryset`` whose ``link`` points to the outer row.

    Subqueries instead of ``Count`` over joins: several counts on one row would
    otherwise multiply each other.
    """
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _search(queryset, text):
    """Case-insensitive match in title, summary and description, German and English."""
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q()
    for name in ("title", "summary", "description"):
        condition |= Q(**{f"{name}__icontains": text}) | Q(**{f"{name}_en__icontains": text})
    return queryset.filter(condition)


def published_processes():
    """Published processes with the number of their public measures, projects and labs."""
    return Process.objects.published().annotate(
        measure_count=_count_of(Measure.objects.published(), "process"),
        project_count=_count_of(Project.objects.published(), "process"),
        lab_count=_count_of(LivingLab.objects.published(), "process"),
    )


def published_processes_with_fields():
    """As ``published_processes()``, each with ``field_list``: its fields with counts."""
    return published_processes().prefetch_related(
        Prefetch("fields", queryset=_fields_with_counts(FieldOfAction.objects.all()), to_attr="field_list")
    )


def _fields_with_counts(queryset):
    return queryset.annotate(
        measure_count=_count_of(Measure.objects.published(), "field"),
        project_count=_count_of(Project.objects.published(), "field"),
    )


def published_fields():
    """Fields of action of published processes, with counts, ordered by process."""
    return _fields_with_counts(FieldOfAction.objects.published().select_related("process"))


def fields_for(process):
    """The fields of action of one process, in their order, with counts."""
    return published_fields().filter(process=process)


def measures(process=None, field=None, status=None, origin=None, query=None):
    """Published measures, optionally narrowed. Empty arguments do not filter."""
    queryset = Measure.objects.published().select_related("process", "field__process")
    if process is not None:
        queryset = queryset.filter(process=process)
    if field is not None:
        queryset = queryset.filter(field=field)
    if status:
        queryset = queryset.filter(status=status)
    if origin:
        queryset = queryset.filter(origin=origin)
    return _search(queryset, query)


def projects(process=None, field=None, owner_kind=None, owner_organisation=None, status=None, query=None):
    """Public projects of published processes, optionally narrowed. Internal ones never appear."""
    queryset = Project.objects.published().select_related("process", "field__process")
    if process is not None:
        queryset = queryset.filter(process=process)
    if field is not None:
        queryset = queryset.filter(field=field)
    if owner_kind:
        queryset = queryset.filter(owner_kind=owner_kind)
    if owner_organisation:
        queryset = queryset.filter(owner_organisation=owner_organisation)
    if status:
        queryset = queryset.filter(status=status)
    return _search(queryset, query)


def owner_organisations():
    """The distinct organisations that own public projects, sorted."""
    return list(
        Project.objects.published()
        .order_by("owner_organisation")
        .values_list("owner_organisation", flat=True)
        .distinct()
    )


def labs(process=None):
    """Published living labs with the number of their public projects."""
    queryset = (
        LivingLab.objects.published()
        .select_related("process")
        .annotate(project_count=_count_of(Project.objects.published(), "labs"))
    )
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def projects_of_lab(lab):
    """The public projects tried out in a lab."""
    return projects().filter(labs=lab)


def labs_of_project(project):
    """The published labs a project is linked to."""
    return labs().filter(projects=project)


@dataclass(frozen=True)
class Timeline:
    """A process's phases as of a day: each with its state (``past``, ``now``, ``later``),
    the phases running that day, and the next one to begin ("what happens next")."""

    phases: list
    now: list
    next: object


def timeline(process, today=None):
    today = today or timezone.localdate()
    phases = list(ProcessPhase.objects.filter(process=process))
    for phase in phases:
        if phase.starts_on > today:
            phase.state = "later"
        elif phase.ends_on is not None and phase.ends_on < today:
            phase.state = "past"
        else:
            phase.state = "now"
    upcoming = [phase for phase in phases if phase.state == "later"]
    return Timeline(phases, [p for p in phases if p.state == "now"], upcoming[0] if upcoming else None)


def process_news(process, today=None):
    """What changed in a process, for its feed: each a dict ``{id, title, link, date,
    text}`` in the active language. Status steps of its published measures and public
    projects, the city's answers to visible feedback on what is published, and the phases
    that have begun. The apps above add theirs (``extensions.process_news``)."""
    today = today or timezone.localdate()
    news = []
    changes = StatusChange.objects.filter(
        Q(measure__in=Measure.objects.published().filter(process=process))
        | Q(project__in=Project.objects.published().filter(process=process))
    ).select_related("measure__process", "project__process")
    for change in changes:
        target = change.target
        news.append(
            {
                "id": f"status-{change.pk}",
                "title": _("%(title)s: %(status)s") % {"title": target.title_t, "status": change.get_status_display()},
                "link": f"{target.get_absolute_url()}#verlauf",
                "date": change.changed_at,
                "text": change.reason_t,
            }
        )
    answers = FeedbackAnswer.objects.filter(
        feedback__in=Feedback.objects.visible().filter(
            Q(process=process)
            | Q(measure__in=Measure.objects.published().filter(process=process))
            | Q(project__in=Project.objects.published().filter(process=process))
            | Q(lab__in=LivingLab.objects.published().filter(process=process))
        )
    ).select_related(
        "feedback__process", "feedback__measure__process", "feedback__project__process", "feedback__lab__process"
    )
    for answer in answers:
        target = answer.feedback.target
        news.append(
            {
                "id": f"answer-{answer.pk}",
                "title": _("Antwort der Stadt zu „%(title)s“: %(state)s")
                % {"title": target.title_t, "state": answer.get_state_display()},
                "link": f"{target.get_absolute_url()}#rueckmeldung-{answer.feedback_id}",
                "date": answer.updated,
                "text": answer.text,
            }
        )
    zone = timezone.get_current_timezone()
    for phase in ProcessPhase.objects.filter(process=process, starts_on__lte=today):
        news.append(
            {
                "id": f"phase-{phase.pk}",
                "title": _("Neue Phase: %(name)s") % {"name": phase.name},
                "link": f"{process.get_absolute_url()}#zeitplan",
                "date": datetime.datetime.combine(phase.starts_on, datetime.time(), tzinfo=zone),
                "text": phase.description_t,
            }
        )
    return news


# --- The map ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapContent:
    """What a map shows, as lists for the list beside it and as GeoJSON for the map."""

    labs: list
    projects: list
    places: list  # visible feedback with a place in a lab

    def geojson(self):
        from . import geo

        features = [
            geo.feature(
                geo.area(lab),
                kind="lab",
                id=lab.pk,
                title=lab.title_t,
                summary=lab.summary_t,
                url=lab.get_absolute_url(),
            )
            for lab in self.labs
        ]
        features += [
            geo.feature(
                geo.point(project.latitude, project.longitude),
                kind="project",
                id=project.pk,
                title=project.title_t,
                summary=project.summary_t,
                status=project.get_status_display(),
                url=project.get_absolute_url(),
            )
            for project in self.projects
        ]
        features += [
            geo.feature(
                geo.point(item.latitude, item.longitude),
                kind="feedback",
                id=item.pk,
                lab=item.lab_id,
                title=item.lab.title_t,
                summary=item.text[:280],
                url=f"{item.lab.get_absolute_url()}#rueckmeldung-{item.pk}",
            )
            for item in self.places
        ]
        return {"type": "FeatureCollection", "features": features}


def map_content(process=None, lab=None):
    """The published labs (or one), the public projects with a place (of the lab), and the
    visible feedback placed in them."""
    labs_shown = labs(process) if lab is None else labs().filter(pk=lab.pk)
    located = projects(process).filter(latitude__isnull=False, longitude__isnull=False)
    if lab is not None:
        located = located.filter(labs=lab)
    places = (
        Feedback.objects.visible()
        .filter(lab__in=labs_shown, latitude__isnull=False, longitude__isnull=False)
        .select_related("lab__process")
        .order_by("created", "pk")
    )
    return MapContent(list(labs_shown), list(located.distinct()), list(places))
