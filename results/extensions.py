"""What results contributes to the extension points of participation (participation/extensions.py):
on a measure's page, the published results and the closed expert polls it was part of; in a
process's feed, its published results."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from participation import extensions, notifications
from workshops.models import Poll, PollState, WorkshopState

from .models import ResultSnapshot


def results_with(measure):
    """Published results of consultations that had the measure on the ballot, and the closed
    workshop polls (with public results) that had it as an option: their results stand
    beside the citizens' on the process's comparison page."""
    links = []
    published = {}
    snapshots = ResultSnapshot.objects.filter(consultation__options__measure=measure).select_related("consultation")
    for snapshot in snapshots.order_by("published_at", "pk"):
        published[snapshot.consultation_id] = snapshot  # the latest one of each consultation
    for snapshot in published.values():
        consultation = snapshot.consultation
        links.append(
            {
                "kind": _("Ergebnis"),
                "title": consultation.title_t,
                "url": reverse("results:detail", args=[consultation.pk]),
                "note": _("veröffentlicht am %(date)s")
                % {"date": date_format(localtime(snapshot.published_at), "DATE_FORMAT")},
            }
        )
    polls = (
        Poll.objects.filter(options__measure=measure, state=PollState.CLOSED)
        .exclude(workshop__state=WorkshopState.DRAFT)
        .select_related("workshop")
        .distinct()
        .order_by("created", "pk")
    )
    comparison = reverse("results:process", args=[measure.process.slug])
    for poll in polls:
        if poll.results_public:
            links.append(
                {
                    "kind": _("Expertenworkshop"),
                    "title": f"{poll.workshop.title}: {poll.question}",
                    "url": comparison,
                    "note": _("Abstimmung geschlossen"),
                }
            )
    return links


def published_results_of(process):
    """Each publication of a result of the process's consultations, for its feed."""
    snapshots = ResultSnapshot.objects.filter(consultation__process=process).select_related("consultation")
    return [
        {
            "id": f"result-{snapshot.pk}",
            "title": _("Ergebnis veröffentlicht: %(title)s") % {"title": snapshot.consultation.title_t},
            "link": reverse("results:detail", args=[snapshot.consultation_id]),
            "date": snapshot.published_at,
            "text": _("Das Ergebnis mit seiner Unsicherheit, zum Nachzählen und als offene Daten."),
        }
        for snapshot in snapshots
    ]


def describe_publication(snapshot_pk):
    """For followers: a result was published (or published anew with changed data)."""
    snapshot = ResultSnapshot.objects.select_related("consultation__process").filter(pk=snapshot_pk).first()
    if snapshot is None or not notifications.is_public(snapshot.consultation.process):
        return None
    return {
        "title": _("Ergebnis veröffentlicht: %(title)s") % {"title": snapshot.consultation.title_t},
        "text": _("Das Ergebnis mit seiner Unsicherheit, zum Nachzählen und als offene Daten."),
        "url": reverse("results:detail", args=[snapshot.consultation_id]),
    }


def register():
    extensions.register_measure_links("results", results_with)
    extensions.register_process_news("results", published_results_of)
    extensions.register_notification_kind("result_published", describe_publication)
