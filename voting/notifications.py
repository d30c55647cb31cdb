"""Followers hear when a consultation opens and when it closes, by a facilitator's click or
by the clock: every open, schedule, change and close queues an announcement for now and for
the moments the clock moves it on; each looks at the consultation as it is then, and the
keys of participation/notifications.py keep anyone from being told twice."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_tasks import task

from participation import extensions, notifications

from .models import Consultation, ConsultationState, Phase


def followed_parts(consultation):
    """The process and the public measures on the ballot, with their fields of action."""
    targets = {consultation.process}
    for option in consultation.options.select_related("measure__process", "measure__field"):
        measure = option.measure
        if notifications.is_public(measure):
            targets.update(notifications.covering(measure))
    return list(targets)


def announce(consultation_pk):
    """Tell the followers what phase the consultation is in now, if that is news."""
    with transaction.atomic():
        consultation = Consultation.objects.select_related("process").filter(pk=consultation_pk).first()
        if consultation is None or consultation.state == ConsultationState.DRAFT:
            return
        if not notifications.is_public(consultation.process):
            return
        phase = consultation.phase
        kind = {Phase.OPEN: "consultation_opened", Phase.CLOSED: "consultation_closed"}.get(phase)
        if kind:
            notifications.notify(kind, consultation.pk, followed_parts(consultation))


@task()
def announce_consultation(consultation_pk):
    announce(consultation_pk)


def announce_after_commit(consultation):
    """Queue the announcements of a consultation that was just opened, scheduled, changed or closed."""
    pk, moments = consultation.pk, [consultation.opens_at, consultation.closes_at]

    def queue():
        announce_consultation.enqueue(pk)
        now = timezone.now()
        for moment in moments:
            if moment and moment > now:
                announce_consultation.using(run_after=moment).enqueue(pk)

    transaction.on_commit(queue)


def _consultation(pk):
    consultation = Consultation.objects.select_related("process").filter(pk=pk).first()
    if consultation is None or consultation.state == ConsultationState.DRAFT:
        return None
    return consultation if notifications.is_public(consultation.process) else None


def _describe_opened(pk):
    consultation = _consultation(pk)
    if consultation is None or consultation.phase != Phase.OPEN:
        return None
    if consultation.closes_at:
        title = _("Befragung „%(title)s“ ist geöffnet: Sie können bis %(date)s mitmachen") % {
            "title": consultation.title_t,
            "date": date_format(localtime(consultation.closes_at), "DATETIME_FORMAT"),
        }
    else:
        title = _("Befragung „%(title)s“ ist geöffnet") % {"title": consultation.title_t}
    return {"title": title, "text": consultation.tr("description"), "url": consultation.get_absolute_url()}


def _describe_closed(pk):
    consultation = _consultation(pk)
    if consultation is None:
        return None
    title = _("Befragung „%(title)s“ ist beendet") % {"title": consultation.title_t}
    text = _("Das Ergebnis wird ausgewertet und veröffentlicht; Sie erfahren es hier.")
    return {"title": title, "text": text, "url": consultation.get_absolute_url()}


def register():
    extensions.register_notification_kind("consultation_opened", _describe_opened)
    extensions.register_notification_kind("consultation_closed", _describe_closed)
