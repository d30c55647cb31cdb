"""Reads of moderation on the ground floor: the processes someone manages and the reported
feedback per process. The facilitators' home (facilitation/) builds on them."""

from collections import Counter

from django.db.models import Q

from . import rules
from .models import Feedback, Process


def managed_processes(user):
    """The processes this person manages (participation/rules.py): all for superusers."""
    if not rules.is_facilitator(user):
        return Process.objects.none()
    if user.is_superuser:
        return Process.objects.order_by("title", "pk")
    return Process.objects.filter(facilitators=user).order_by("title", "pk")


def flagged_counts(processes):
    """Reported feedback (what the queue shows first) per process, wherever it hangs."""
    ids = [process.pk for process in processes]
    rows = Feedback.objects.filter(flagged=True).filter(
        Q(process__in=ids) | Q(measure__process__in=ids) | Q(project__process__in=ids) | Q(lab__process__in=ids)
    )
    counts = Counter()
    for row in rows.values_list("process_id", "measure__process_id", "project__process_id", "lab__process_id"):
        counts[next(pk for pk in row if pk is not None)] += 1
    return counts
