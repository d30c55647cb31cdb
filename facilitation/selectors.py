"""Reads for the facilitators' home: per process someone manages, its workshops,
consultations, feedback awaiting moderation and results."""

from django.db.models import Count, Exists, OuterRef

from participation.moderation_selectors import flagged_counts, managed_processes
from results.models import ResultSnapshot
from voting.models import Consultation
from workshops.models import Workshop


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
    flagged = flagged_counts(processes)
    entries = {process.pk: {"process": process, "workshops": [], "consultations": []} for process in processes}
    for workshop in workshops:
        entries[workshop.process_id]["workshops"].append(workshop)
    for consultation in consultations:
        entries[consultation.process_id]["consultations"].append(consultation)
    for pk, entry in entries.items():
        entry["flagged"] = flagged[pk]
    return list(entries.values())
