"""Publishing results and logging what facilitators take out of the platform."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import notifications, rules
from participation.actions import record_audit
from participation.errors import Conflict
from voting import notifications as voting_notifications
from voting.mixing import seal_ballot_box
from voting.models import Consultation, Phase

from . import compute, selectors
from .models import ResultSnapshot


class AuditAction:
    PUBLISH = "result.publish"
    EXPORT = "result.export"


def publish(user, consultation):
    """Freeze the current result of a closed consultation as a snapshot.

    Returns ``(snapshot, created)``. With unchanged data the latest snapshot is
    returned as it is (same SHA-256); changed data give a new snapshot. Only closed
    consultations are published: while ballots can still change, a "frozen" result
    would be out of date at once (interim results are shown live instead).
    """
    if not rules.can_manage_process(user, consultation.process):
        raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf Ergebnisse veröffentlichen."))
    # A consultation that closed by the clock may not be sealed yet: its box is mixed first.
    seal_ballot_box(consultation.pk)
    with transaction.atomic():
        # One publisher at a time per consultation, so two clicks give one snapshot.
        consultation = Consultation.objects.select_for_update().select_related("process").get(pk=consultation.pk)
        if consultation.phase != Phase.CLOSED:
            raise Conflict(_("Nur beendete Befragungen können veröffentlicht werden."))
        ballots, ballots_bytes, meta, options = compute.live_inputs(consultation)
        content = compute.result_from_inputs(ballots, meta, options)
        canonical = compute.canonical_bytes(content)
        sha256 = compute.sha256_hex(canonical)
        latest = selectors.latest_snapshot(consultation)
        if latest is not None and latest.sha256 == sha256:
            return latest, False
        snapshot = ResultSnapshot(
            consultation=consultation,
            content=content,
            canonical=canonical.decode("utf-8"),
            sha256=sha256,
            ballots=ballots_bytes.decode("utf-8"),
            ballots_sha256=meta["ballot_file_sha256"],
            published_at=timezone.now(),
            published_by=user,
        )
        snapshot.save()
        record_audit(
            user,
            AuditAction.PUBLISH,
            consultation,
            {"snapshot": snapshot.pk, "sha256": sha256, "replaces": latest.pk if latest else None},
        )
        if notifications.is_public(consultation.process):
            notifications.notify("result_published", snapshot.pk, voting_notifications.followed_parts(consultation))
    return snapshot, True


def record_export(user, consultation, fmt, snapshot=None):
    """A facilitator took an export; unpublished (live) exports are the ones that matter."""
    record_audit(
        user,
        AuditAction.EXPORT,
        consultation,
        {
            "format": fmt,
            "source": "published" if snapshot else "live",
            "snapshot": snapshot.pk if snapshot else None,
            "sha256": snapshot.sha256 if snapshot else None,
        },
    )
