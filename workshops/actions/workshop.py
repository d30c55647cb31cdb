"""The workshop itself: its phase and settings from the console, and creating, editing and
joining it from pages and the REST API."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from participation import rules
from participation.actions import record_audit

from .. import broadcast
from ..models import (
    Participant,
    ParticipantRole,
    Phase,
    Workshop,
    WorkshopState,
)
from .base import (
    CommandError,
    Context,
    _bool,
    _require_facilitator,
    _text,
)


def phase_set(ctx, command):
    _require_facilitator(ctx)
    phase = command.get("phase")
    if phase not in Phase.values:
        raise CommandError("invalid", f"'phase' must be one of {', '.join(Phase.values)}.")
    if phase == ctx.workshop.phase:
        raise CommandError("conflict", f"The workshop is already in the phase '{phase}'.")
    ctx.workshop.phase = phase
    ctx.workshop.state = WorkshopState.CLOSED if phase == Phase.CLOSED else WorkshopState.LIVE
    ctx.emit("phase.changed", {"phase": phase, "state": ctx.workshop.state})


WORKSHOP_SETTINGS = ("board_locked", "hide_authors", "anonymous_posting", "participants_may_cluster")


def workshop_update(ctx, command):
    _require_facilitator(ctx)
    changed = {}
    for name in WORKSHOP_SETTINGS:
        if name in command:
            changed[name] = _bool(command, name)
    if "dots_per_participant" in command:
        dots = command["dots_per_participant"]
        if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= 100:
            raise CommandError("invalid", "'dots_per_participant' must be a whole number from 1 to 100.")
        changed["dots_per_participant"] = dots
    if "title" in command:
        changed["title"] = _text(command, "title", 200)
    if "agenda" in command:
        changed["agenda"] = _text(command, "agenda", 5000, required=False) or ""
    if not changed:
        raise CommandError("invalid", "Nothing to change.")
    for name, value in changed.items():
        setattr(ctx.workshop, name, value)
    ctx.emit("workshop.updated", changed)


def create_workshop(user, process, title, agenda="", draft=False, **settings):
    with transaction.atomic():
        workshop = Workshop(process=process, title=title, agenda=agenda, created_by=user)
        workshop.state = WorkshopState.DRAFT if draft else WorkshopState.LIVE
        for name, value in settings.items():
            setattr(workshop, name, value)
        for _attempt in range(10):
            if not Workshop.objects.filter(code=workshop.code).exists():
                break
            workshop.code = type(workshop)._meta.get_field("code").default()
        workshop.save()
        record_audit(user, "create", workshop)
    return workshop


# What the edit page and the admin may change; the live controls (lock, names) stay in the console.
EDITABLE_FIELDS = ("title", "agenda", "anonymous_posting", "participants_may_cluster", "dots_per_participant")


def update_workshop(user, workshop, changes):
    """Change a workshop's title, agenda and board settings from a page (not a socket), and let a
    draft go live (``draft=False``). Open boards learn of it by a ``workshop.updated`` event, as
    from the console's own command. Returns the workshop and the names of the changed fields."""
    unknown = set(changes) - {*EDITABLE_FIELDS, "draft"}
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().select_related("process").get(pk=workshop.pk)
        if not rules.can_manage_process(user, workshop.process):
            raise PermissionDenied("Only the process's facilitators may edit its workshops.")
        changed = {name: value for name, value in changes.items() if name in EDITABLE_FIELDS}
        changed = {name: value for name, value in changed.items() if getattr(workshop, name) != value}
        if changes.get("draft") is False and workshop.state == WorkshopState.DRAFT:
            changed["state"] = WorkshopState.LIVE
        if not changed:
            return workshop, []
        for name, value in changed.items():
            setattr(workshop, name, value)
        ctx = Context(workshop, None)
        ctx.emit("workshop.updated", changed)
        workshop.save()
        record_audit(user, "update", workshop, {"fields": sorted(changed)})
        events = ctx.events
        transaction.on_commit(lambda: broadcast.send_events(workshop.pk, events))
    return workshop, sorted(changed)


def join_workshop(workshop, user, display_name, role, screen=False):
    """A participant for this person. Signed-in people keep one participant per role;
    a ``screen`` (projector) is a participant of its own, never counted as online."""
    if screen:
        return Participant.objects.create(
            workshop=workshop, display_name=display_name, role=ParticipantRole.OBSERVER, screen=True
        )
    if user is not None and user.is_authenticated:
        participant, created = Participant.objects.get_or_create(
            workshop=workshop, user=user, role=role, defaults={"display_name": display_name}
        )
        if not created and participant.display_name != display_name:
            participant.display_name = display_name
            participant.save(update_fields=["display_name"])
        return participant
    return Participant.objects.create(workshop=workshop, display_name=display_name, role=role)
