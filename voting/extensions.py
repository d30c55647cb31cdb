"""What voting contributes to the extension points of participation (participation/extensions.py):
an account's data export, the consultations on a process page and on a measure's page."""

from django.utils.translation import gettext as _

from participation import extensions

from . import notifications
from .models import Consultation, ConsultationState


def consultations_voted(user):
    """The consultations the register lists this account in. Only that: the ballot box holds
    no link to a voter, so no ballot can be (or is) part of a person's data."""
    voted = Consultation.objects.filter(voters__user=user).select_related("process").order_by("pk").distinct()
    return [{"id": c.pk, "title": c.title, "process": c.process.title} for c in voted]


def consultations_of(process):
    """The process's consultations that the public may see (not drafts)."""
    return Consultation.objects.filter(process=process).exclude(state=ConsultationState.DRAFT).order_by("-created")


def consultations_with(measure):
    """The public consultations (not drafts) that put this measure to the vote."""
    consultations = (
        Consultation.objects.filter(options__measure=measure)
        .exclude(state=ConsultationState.DRAFT)
        .distinct()
        .order_by("created", "pk")
    )
    return [
        {"kind": _("Befragung"), "title": c.title_t, "url": c.get_absolute_url(), "note": c.phase_label}
        for c in consultations
    ]


def register():
    extensions.register_personal_data("consultations", consultations_voted)
    extensions.register_process_section("consultations", consultations_of)
    extensions.register_measure_links("consultations", consultations_with)
    notifications.register()
