"""Reads for the facilitators' home: the processes someone manages and, per process, its
workshops, consultations, feedback awaiting moderation and results."""

from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q

from results.models import ResultSnapshot
from voting.models import Consultation
from workshops.models import Workshop

from . import rules
from .models import Feedback, Process


def managed_processes(user):
    """The processes this person manages (participation/rules.py): all for superusers."""
    if not rules.is_facilitator(user):
        return Process.objects.none()
    if user.is_superuser:
        return Process.objects.order_by("title", "pk")
    return Process.objects.filter(facilitators=user).order_by("title", "pk")


def _flagged_counts(processes):
    """Reported feedback (what the queue shows first) per process, wherever it hangs."""
    ids = [process.pk for process in processes]
    rows = Feedback.objects.filter(flagged=True).filter(
        Q(process__in=ids) | Q(measure__process__in=ids) | Q(project__process__in=ids) | Q(lab__process__in=ids)
    )
    counts = Counter()
    for row in rows.values_list("process_id", "measure__process_id", "project__process_id", "lab__process_id"):
        counts[next(pk for pk in row if pk is not None)] += 1
    return counts


def facilitator_home(user):
    """One entry per managed process, with what a facilitator looks after in it."""
    processes = list(managed_processes(user))
    workshops = (
        Workshop.objects.filter(process__in=processes)
        .annotate(participant_count=Count("participants"))
        .order_by("-created", "-pk")
    )
    consultations = (
        Consultation.objects.filter(process__in=processes)
        .annotate(published=Exists(ResultSnapshot.objects.filter(consultation=OuterRef("pk"))))
        .order_by("-created", "-pk")
    )
    flagged = _flagged_counts(processes)
    entries = {process.pk: {"process": process, "workshops": [], "consultations": []} for process in processes}
    for workshop in workshops:
        entries[workshop.process_id]["workshops"].append(workshop)
    for consultation in consultations:
        entries[consultation.process_id]["consultations"].append(consultation)
    for pk, entry in entries.items():
        entry["flagged"] = flagged[pk]
    return list(entries.values())
