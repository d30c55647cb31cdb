"""Every state change of the core domain. Each validates, writes in one
transaction and records what a facilitator did in the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import FEEDBACK_MAX_LENGTH, AuditLogEntry, Feedback, FeedbackReport, FeedbackStatus


class AuditAction:
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    HIDE_FEEDBACK = "feedback.hide"
    SHOW_FEEDBACK = "feedback.show"


def record_audit(actor, action, target, details=None):
    """Write one audit log entry for what ``actor`` did to ``target``."""
    return AuditLogEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        actor_name=(actor.get_username() if actor and actor.is_authenticated else "system")[:150],
        action=action,
        target_type=target._meta.model_name,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:200],
        details=details or {},
    )


def _clean_text(text, limit):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Bitte geben Sie einen Text ein.")})
    if len(text) > limit:
        raise ValidationError({"text": _("Höchstens %(limit)d Zeichen.") % {"limit": limit}})
    return text


def post_feedback(user, target, text):
    """A citizen comments on a process, measure, project or lab."""
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
    with transaction.atomic():
        return Feedback.objects.create(author=user, text=text, **{field: target})


def report_feedback(user, feedback, reason=""):
    """Flag feedback for the moderators. Reporting twice changes nothing."""
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    reason = (reason or "").strip()[:500]
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
        feedback.moderation_reason = (reason or "").strip()[:500]
        feedback.save(update_fields=["status", "flagged", "moderated_by", "moderated_at", "moderation_reason"])
        record_audit(
            user,
            AuditAction.HIDE_FEEDBACK if hide else AuditAction.SHOW_FEEDBACK,
            feedback,
            {"reason": feedback.moderation_reason},
        )
    return feedback
