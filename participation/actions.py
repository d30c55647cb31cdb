"""Every state change of the core domain. Each validates, writes in one
transaction and records what a facilitator did in the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import geo, notifications, rules
from .models import (
    ANSWER_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    STATUS_REASON_MAX_LENGTH,
    AnswerState,
    AuditLogEntry,
    Feedback,
    FeedbackAnswer,
    FeedbackReport,
    FeedbackStatus,
    Measure,
    MeasureStatus,
    ProjectStatus,
    StatusChange,
)
from .security import limit

# Feedback per account and hour.
FEEDBACK_PER_HOUR = 30


class AuditAction:
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    HIDE_FEEDBACK = "feedback.hide"
    SHOW_FEEDBACK = "feedback.show"
    ANSWER_FEEDBACK = "feedback.answer"
    CHANGE_STATUS = "status.change"


def record_audit(actor, action, target, details=None, target_repr=None):
    """Write one audit log entry for what ``actor`` did to ``target``.

    ``target_repr`` replaces ``str(target)`` where that would copy personal data
    (a citizen's name or text) into the log, which outlives account deletion.
    """
    return AuditLogEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        actor_name=(actor.get_username() if actor and actor.is_authenticated else "system")[:150],
        action=action,
        target_type=target._meta.model_name,
        target_id=str(target.pk or ""),
        target_repr=(str(target) if target_repr is None else target_repr)[:200],
        details=details or {},
    )


def _clean_text(text, limit):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Bitte geben Sie einen Text ein.")})
    if "\x00" in text:
        # PostgreSQL cannot store NUL characters; refuse instead of failing with a 500.
        raise ValidationError({"text": _("Der Text enthält ungültige Zeichen.")})
    if len(text) > limit:
        raise ValidationError({"text": _("Höchstens %(limit)d Zeichen.") % {"limit": limit}})
    return text


def post_feedback(user, target, text, latitude=None, longitude=None):
    """A citizen comments on a process, measure, project or lab; on a lab, optionally at a
    place inside it (``latitude``/``longitude``, checked by ``geo.place_in_lab``)."""
    if not rules.can_give_feedback(user):
        raise PermissionDenied(_("Nur angemeldete Konten mit bestätigter E-Mail-Adresse können Rückmeldungen geben."))
    field = {
        "process": "process",
        "measure": "measure",
        "project": "project",
        "livinglab": "lab",
    }.get(target._meta.model_name)
    if field is None:
        raise ValidationError({"target": _("Zu diesem Inhalt sind keine Rückmeldungen möglich.")})
    text = _clean_text(text, FEEDBACK_MAX_LENGTH)
    place = {}
    if field == "lab":
        place["latitude"], place["longitude"] = geo.place_in_lab(target, latitude, longitude)
    elif latitude or longitude:
        raise ValidationError({"place": _("Einen Ort auf der Karte gibt es nur bei Reallaboren.")})
    # A brake for scripts, far above what a person writes in an hour.
    limit(
        f"feedback:{user.pk}",
        FEEDBACK_PER_HOUR,
        3600,
        _("Sie haben in der letzten Stunde sehr viele Rückmeldungen geschrieben. Bitte versuchen Sie es später."),
    )
    with transaction.atomic():
        return Feedback.objects.create(author=user, text=text, **{field: target}, **place)


def report_feedback(user, feedback, reason=""):
    """Flag feedback for the moderators. Reporting twice changes nothing."""
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    reason = (reason or "").replace("\x00", "").strip()[:500]
    try:
        with transaction.atomic():
            FeedbackReport.objects.create(feedback=feedback, reporter=user, reason=reason)
            Feedback.objects.filter(pk=feedback.pk).update(flagged=True)
    except IntegrityError:
        return False
    feedback.flagged = True
    return True


def moderate_feedback(user, feedback, hide, reason=""):
    """A facilitator hides or shows feedback; either way it is no longer flagged."""
    if not rules.can_moderate_feedback(user, feedback):
        raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf Rückmeldungen moderieren."))
    with transaction.atomic():
        feedback.status = FeedbackStatus.HIDDEN if hide else FeedbackStatus.VISIBLE
        feedback.flagged = False
        feedback.moderated_by = user
        feedback.moderated_at = timezone.now()
        feedback.moderation_reason = (reason or "").replace("\x00", "").strip()[:500]
        feedback.save(update_fields=["status", "flagged", "moderated_by", "moderated_at", "moderation_reason"])
        record_audit(
            user,
            AuditAction.HIDE_FEEDBACK if hide else AuditAction.SHOW_FEEDBACK,
            feedback,
            {"reason": feedback.moderation_reason},
            target_repr=f"Rückmeldung #{feedback.pk}",
        )
    return feedback


def answer_feedback(user, feedback, text, state):
    """A facilitator of the feedback's process answers it publicly for the city, or changes
    the answer (its text, its state). Returns the answer; nothing changes on bad input."""
    if not rules.can_moderate_feedback(user, feedback):
        raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf Rückmeldungen beantworten."))
    text = _clean_text(text, ANSWER_MAX_LENGTH)
    if state not in AnswerState.values:
        raise ValidationError({"state": _("Bitte wählen Sie, was aus der Rückmeldung wird.")})
    with transaction.atomic():
        answer = FeedbackAnswer.objects.select_for_update().filter(feedback=feedback).first()
        if answer is None:
            answer = FeedbackAnswer.objects.create(feedback=feedback, text=text, state=state, answered_by=user)
            changed = ["state", "text"]
        else:
            changed = [name for name, value in (("state", state), ("text", text)) if getattr(answer, name) != value]
            if not changed:
                return answer
            answer.text, answer.state, answer.answered_by = text, state, user
            answer.save(update_fields=["text", "state", "answered_by", "updated"])
        # The answer's text is the city's and public; the log keeps what changed, not the citizen's words.
        record_audit(
            user,
            AuditAction.ANSWER_FEEDBACK,
            feedback,
            {"state": state, "changed": changed},
            target_repr=f"Rückmeldung #{feedback.pk}",
        )
        if "state" in changed:
            notifications.feedback_answered(answer)
    feedback.answer = answer
    return answer


# --- Status histories of measures and projects ----------------------------------------

# A measure or project that ends without being done says why.
ENDS_WITH_A_REASON = {MeasureStatus.REJECTED, ProjectStatus.DROPPED}


def _status_choices(target):
    return MeasureStatus if target._meta.model_name == "measure" else ProjectStatus


def _clean_reason(text):
    text = (text or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ValidationError({"reason": _("Der Text enthält ungültige Zeichen.")})
    if len(text) > STATUS_REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Höchstens %(limit)d Zeichen.") % {"limit": STATUS_REASON_MAX_LENGTH}})
    return text


def _record_status(user, target, old, reason="", reason_en=""):
    """The history's row and the audit entry for a status the target has just been given."""
    change = StatusChange.objects.create(
        **{target._meta.model_name: target},
        status=target.status,
        reason=reason,
        reason_en=reason_en,
        changed_by=user if user and user.is_authenticated else None,
    )
    record_audit(user, AuditAction.CHANGE_STATUS, target, {"from": old, "to": target.status})
    notifications.status_changed(change)


def change_status(user, target, status, reason="", reason_en=""):
    """A facilitator of the process moves a measure or a project to a new status, with a
    reason (required when it ends without being done); dated in its history and audited."""
    if not rules.can_manage_process(user, target.process):
        raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf den Stand ändern."))
    choices = _status_choices(target)
    if status not in choices.values:
        raise ValidationError({"status": _("Bitte wählen Sie einen Stand aus der Liste.")})
    if status == target.status:
        raise ValidationError({"status": _("Das ist schon der aktuelle Stand.")})
    reason, reason_en = _clean_reason(reason), _clean_reason(reason_en)
    if status in ENDS_WITH_A_REASON and not reason:
        raise ValidationError({"reason": _("Bitte begründen Sie, warum es nicht weitergeht.")})
    with transaction.atomic():
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        if locked.status == status:
            raise ValidationError({"status": _("Das ist schon der aktuelle Stand.")})
        old = locked.status
        type(target).objects.filter(pk=target.pk).update(status=status, updated=timezone.now())
        target.status = status
        _record_status(user, target, old, reason, reason_en)
    return target


# --- The measure catalogue, managed through the API ---------------------------------

_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_SLUG_MAX_LENGTH = 80


def free_measure_slug(process, title):
    """A slug from the title, unique within the process (``-2``, ``-3`` … on a clash)."""
    base = slugify(title.translate(_GERMAN_LETTERS))[: _SLUG_MAX_LENGTH - 6].strip("-") or "massnahme"
    taken = set(Measure.objects.filter(process=process, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _slug_taken_error():
    return ValidationError({"slug": _("Dieser Kurzname ist in diesem Prozess schon vergeben.")})


def _check_can_manage(user, process):
    if not rules.can_manage_process(user, process):
        raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf seine Maßnahmen bearbeiten."))


def _save_measure(measure):
    """Validate the whole measure and save it; a slug clash is reported on ``slug``."""
    if Measure.objects.filter(process_id=measure.process_id, slug=measure.slug).exclude(pk=measure.pk).exists():
        raise _slug_taken_error()
    measure.full_clean()
    try:
        with transaction.atomic():
            measure.save()
    except IntegrityError:
        # Another request took the slug between the check and the save.
        raise _slug_taken_error() from None


def create_measure(user, data):
    """A facilitator of ``data["process"]`` adds a measure to its catalogue."""
    data = dict(data)
    process = data.get("process")
    if process is None:
        raise ValidationError({"process": _("Bitte wählen Sie einen Prozess.")})
    _check_can_manage(user, process)
    measure = Measure(**data)
    if not measure.slug:
        measure.slug = free_measure_slug(process, measure.title or "")
    with transaction.atomic():
        _save_measure(measure)
        record_audit(user, AuditAction.CREATE, measure, {"fields": sorted(data)})
    return measure


def update_measure(user, measure, data):
    """A facilitator changes some fields of a measure (and may move it to another
    process they also manage)."""
    _check_can_manage(user, measure.process)
    changed = sorted(name for name, value in data.items() if getattr(measure, name) != value)
    if not changed:
        return measure
    for name in changed:
        setattr(measure, name, data[name])
    if "process" in changed:
        _check_can_manage(user, measure.process)
    with transaction.atomic():
        old_status = Measure.objects.filter(pk=measure.pk).values_list("status", flat=True).first()
        _save_measure(measure)
        record_audit(user, AuditAction.UPDATE, measure, {"fields": changed})
        if "status" in changed:  # the history stays complete whichever way the status changes
            _record_status(user, measure, old_status)
    return measure
