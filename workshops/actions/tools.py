"""The facilitator's tools: the timer (the plenary's and each breakout group's), the agenda
(rounds prepared in advance and started in the console), follow me, and what the projector
shows. Timers run on server time: events carry ``ends_at`` and ``server_now`` (epoch ms) so
that every client counts down to the same moment whatever its own clock says."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from participation import rules
from participation.actions import record_audit

from .. import broadcast
from ..models import (
    AGENDA_TITLE_MAX,
    AgendaItem,
    BreakoutGroup,
    Card,
    Cluster,
    Phase,
    Poll,
    ProjectorView,
    Question,
    Timer,
    TimerState,
    Workshop,
    WorkshopState,
)
from ..tools_data import agenda_state, epoch_ms, timer_data
from .base import CommandError, Context, _id, _not_found, _of_workshop, _require_facilitator, _text

TIMER_MAX_MS = 3 * 60 * 60 * 1000  # three hours
AGENDA_MINUTES_MAX = 180
AGENDA_ITEMS_MAX = 50


def _group(ctx, command):
    group_id = _id(command, "group", required=False)
    if group_id is None:
        return None
    return _of_workshop(ctx, BreakoutGroup.objects, "group", group_id)


def _timer(ctx, group, create=False):
    timer = Timer.objects.filter(workshop=ctx.workshop, group=group).first()
    if timer is None and create:
        timer = Timer(workshop=ctx.workshop, group=group)
    return timer


def _duration_ms(command):
    """``minutes`` or ``seconds`` (exactly one), more than nothing and at most three hours."""
    has_minutes, has_seconds = "minutes" in command, "seconds" in command
    if has_minutes == has_seconds:
        raise CommandError("invalid", "Give either 'minutes' or 'seconds'.")
    name = "minutes" if has_minutes else "seconds"
    value = command[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not -1e9 < value < 1e9:
        raise CommandError("invalid", "A timer runs from 1 second to 3 hours.")
    duration = round(value * (60_000 if has_minutes else 1000))
    if not 1000 <= duration <= TIMER_MAX_MS:
        raise CommandError("invalid", "A timer runs from 1 second to 3 hours.")
    return duration


def _emit_timer(ctx, timer, now):
    ctx.emit("timer.changed", {**timer_data(timer, now), "server_now": epoch_ms(now)})


def start_timer(ctx, group, duration_ms, now):
    timer = _timer(ctx, group, create=True)
    timer.state = TimerState.RUNNING
    timer.duration_ms = duration_ms
    timer.remaining_ms = duration_ms
    timer.ends_at = now + timedelta(milliseconds=duration_ms)
    timer.save()
    _emit_timer(ctx, timer, now)


def timer_start(ctx, command):
    _require_facilitator(ctx)
    group = _group(ctx, command)
    start_timer(ctx, group, _duration_ms(command), timezone.now())


def _running_or_paused(ctx, command, wanted):
    timer = _timer(ctx, _group(ctx, command))
    if timer is None or timer.state not in wanted:
        names = " or ".join(sorted(wanted))
        raise CommandError("conflict", f"The timer is not {names}.")
    return timer


def timer_pause(ctx, command):
    _require_facilitator(ctx)
    now = timezone.now()
    timer = _running_or_paused(ctx, command, {TimerState.RUNNING})
    remaining = epoch_ms(timer.ends_at) - epoch_ms(now)
    if remaining <= 0:
        raise CommandError("conflict", "The time is already up.")
    timer.state = TimerState.PAUSED
    timer.remaining_ms = remaining
    timer.ends_at = None
    timer.save()
    _emit_timer(ctx, timer, now)


def timer_resume(ctx, command):
    _require_facilitator(ctx)
    now = timezone.now()
    timer = _running_or_paused(ctx, command, {TimerState.PAUSED})
    timer.state = TimerState.RUNNING
    timer.ends_at = now + timedelta(milliseconds=timer.remaining_ms)
    timer.save()
    _emit_timer(ctx, timer, now)


def timer_extend(ctx, command):
    """More (or, with negative ``seconds``, less) time; a timer whose time is up gets the
    time from now. Less than nothing is nothing; more than three hours is refused."""
    _require_facilitator(ctx)
    seconds = command.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds == 0 or abs(seconds) * 1000 > TIMER_MAX_MS:
        raise CommandError("invalid", "'seconds' must be a whole number other than 0, at most 3 hours either way.")
    now = timezone.now()
    timer = _running_or_paused(ctx, command, {TimerState.RUNNING, TimerState.PAUSED})
    if timer.state == TimerState.RUNNING:
        remaining = max(0, epoch_ms(timer.ends_at) - epoch_ms(now))
    else:
        remaining = timer.remaining_ms
    remaining = max(0, remaining + seconds * 1000)
    if remaining > TIMER_MAX_MS:
        raise CommandError("invalid", "A timer runs at most 3 hours.")
    timer.duration_ms = min(TIMER_MAX_MS, max(remaining, timer.duration_ms + seconds * 1000))
    timer.remaining_ms = remaining
    if timer.state == TimerState.RUNNING:
        timer.ends_at = now + timedelta(milliseconds=remaining)
    timer.save()
    _emit_timer(ctx, timer, now)


def timer_stop(ctx, command):
    _require_facilitator(ctx)
    now = timezone.now()
    timer = _running_or_paused(ctx, command, {TimerState.RUNNING, TimerState.PAUSED})
    timer.state = TimerState.STOPPED
    timer.ends_at = None
    timer.remaining_ms = 0
    timer.save()
    _emit_timer(ctx, timer, now)


# --- the agenda -----------------------------------------------------------------


def _emit_agenda(ctx):
    ctx.emit("agenda.changed", agenda_state(ctx.workshop))


def _agenda_fields(command, partial):
    fields = {}
    if not partial or "title" in command:
        fields["title"] = _text(command, "title", AGENDA_TITLE_MAX)
    if "phase" in command:
        phase = command["phase"]
        if phase is None:
            phase = ""
        if phase != "" and phase not in Phase.values:
            raise CommandError("invalid", f"'phase' must be empty or one of {', '.join(Phase.values)}.")
        fields["phase"] = phase
    if not partial or "minutes" in command:
        minutes = command.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= AGENDA_MINUTES_MAX:
            raise CommandError("invalid", f"'minutes' must be a whole number from 1 to {AGENDA_MINUTES_MAX}.")
        fields["minutes"] = minutes
    return fields


def _item(ctx, command):
    return _of_workshop(ctx, AgendaItem.objects, "agenda item", _id(command, "item"))


def _renumber(items):
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def add_agenda_item(ctx, command):
    fields = _agenda_fields(command, partial=False)
    count = AgendaItem.objects.filter(workshop=ctx.workshop).count()
    if count >= AGENDA_ITEMS_MAX:
        raise CommandError("invalid", f"An agenda has at most {AGENDA_ITEMS_MAX} rounds.")
    AgendaItem.objects.create(workshop=ctx.workshop, position=count, **fields)
    _emit_agenda(ctx)


def update_agenda_item(ctx, command):
    item = _item(ctx, command)
    fields = _agenda_fields(command, partial=True)
    if not fields:
        raise CommandError("invalid", "Nothing to change.")
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    _emit_agenda(ctx)


def delete_agenda_item(ctx, command):
    item = _item(ctx, command)
    item.delete()
    _renumber(list(AgendaItem.objects.filter(workshop=ctx.workshop).order_by("position", "id")))
    _emit_agenda(ctx)


def move_agenda_item(ctx, command):
    """The round goes to ``position`` (0 = first); the others close up behind it."""
    item = _item(ctx, command)
    position = command.get("position")
    items = list(AgendaItem.objects.filter(workshop=ctx.workshop).order_by("position", "id"))
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < len(items):
        raise CommandError("invalid", f"'position' must be a whole number from 0 to {len(items) - 1}.")
    items = [other for other in items if other.pk != item.pk]
    items.insert(position, item)
    _renumber(items)
    _emit_agenda(ctx)


def start_agenda_item(ctx, command):
    """The round begins: its phase (if it has one), the plenary timer for its minutes; the
    rounds before it are done, it and those after it are not."""
    item = _item(ctx, command)
    now = timezone.now()
    if item.phase and item.phase != ctx.workshop.phase:
        ctx.workshop.phase = item.phase
        ctx.workshop.state = WorkshopState.CLOSED if item.phase == Phase.CLOSED else WorkshopState.LIVE
        ctx.emit("phase.changed", {"phase": item.phase, "state": ctx.workshop.state})
    for other in AgendaItem.objects.filter(workshop=ctx.workshop).order_by("position", "id"):
        done = other.position < item.position
        if other.pk == item.pk:
            other.started = now
        if other.done != done or other.pk == item.pk:
            other.done = done
            other.save(update_fields=["started", "done"])
    start_timer(ctx, None, item.minutes * 60_000, now)
    _emit_agenda(ctx)


def agenda_add(ctx, command):
    _require_facilitator(ctx)
    add_agenda_item(ctx, command)


def agenda_update(ctx, command):
    _require_facilitator(ctx)
    update_agenda_item(ctx, command)


def agenda_delete(ctx, command):
    _require_facilitator(ctx)
    delete_agenda_item(ctx, command)


def agenda_move(ctx, command):
    _require_facilitator(ctx)
    move_agenda_item(ctx, command)


def agenda_start(ctx, command):
    _require_facilitator(ctx)
    start_agenda_item(ctx, command)


AGENDA_EDITS = {
    "agenda.add": add_agenda_item,
    "agenda.update": update_agenda_item,
    "agenda.delete": delete_agenda_item,
    "agenda.move": move_agenda_item,
}


def edit_agenda(user, workshop, command):
    """An agenda change from the facilitators' page (not a socket): the same checks and the
    same ``agenda.changed`` event as the console's command, with no actor. Raises
    ``CommandError`` for a refused change and ``PermissionDenied`` for someone who does not
    manage the process."""
    change = AGENDA_EDITS.get(command.get("type"))
    if change is None:
        raise CommandError("unknown_type", "Unknown agenda change.")
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().select_related("process").get(pk=workshop.pk)
        if not rules.can_manage_process(user, workshop.process):
            raise PermissionDenied("Only the process's facilitators may edit its workshops.")
        ctx = Context(workshop, None)
        change(ctx, command)
        workshop.save()
        record_audit(user, "update", workshop, {"agenda": command["type"]})
        events = ctx.events
        transaction.on_commit(lambda: broadcast.send_events(workshop.pk, events))
    return workshop


# --- follow me and the projector --------------------------------------------------

FOLLOW_TARGETS = {
    "card": Card.objects.filter(private=False, hidden=False),
    "cluster": Cluster.objects,
    "poll": Poll.objects,
    "group": BreakoutGroup.objects,
    "question": Question.objects.filter(hidden=False),
}
FOLLOW_KINDS = {*FOLLOW_TARGETS, "board"}


def follow_set(ctx, command):
    """Every screen is brought to a card, cluster, poll, group or question, or to the board.
    The thing is named by ``target``: a command's ``id`` is its command id."""
    _require_facilitator(ctx)
    kind = command.get("kind")
    if kind not in FOLLOW_KINDS:
        raise CommandError("invalid", f"'kind' must be one of {', '.join(sorted(FOLLOW_KINDS))}.")
    target = None
    if kind != "board":
        target = _id(command, "target")
        if not FOLLOW_TARGETS[kind].filter(pk=target, workshop=ctx.workshop).exists():
            raise _not_found(kind, target)
    elif command.get("target") is not None:
        raise CommandError("invalid", "The board is followed without a 'target'.")
    ctx.workshop.follow = {"kind": kind, "id": target}
    ctx.emit("follow.changed", {"follow": ctx.workshop.follow})


def follow_clear(ctx, command):
    _require_facilitator(ctx)
    if ctx.workshop.follow is None:
        raise CommandError("conflict", "Nobody is being brought anywhere.")
    ctx.workshop.follow = None
    ctx.emit("follow.changed", {"follow": None})


def projector_show(ctx, command):
    _require_facilitator(ctx)
    view = command.get("view")
    if view not in ProjectorView.values:
        raise CommandError("invalid", f"'view' must be one of {', '.join(ProjectorView.values)}.")
    if view == ctx.workshop.projector_view:
        raise CommandError("conflict", f"The projector already shows '{view}'.")
    ctx.workshop.projector_view = view
    ctx.emit("projector.changed", {"view": view})
