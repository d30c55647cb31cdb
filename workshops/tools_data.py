"""Reads of the facilitator's tools for events and snapshots: timers (server time, epoch
ms) and the agenda with its current round."""

from django.utils import timezone

from .models import AgendaItem, Timer, TimerState


def epoch_ms(moment):
    return None if moment is None else int(moment.timestamp() * 1000)


def server_now():
    """The server's clock in epoch ms: clients correct their own clock by it."""
    return epoch_ms(timezone.now())


def timer_data(timer, now):
    """A timer as events and snapshots carry it; ``remaining_ms`` as of ``now``."""
    remaining = timer.remaining_ms
    if timer.state == TimerState.RUNNING:
        remaining = max(0, epoch_ms(timer.ends_at) - epoch_ms(now))
    return {
        "group": timer.group_id,
        "state": timer.state,
        "duration_ms": timer.duration_ms,
        "ends_at": epoch_ms(timer.ends_at) if timer.state == TimerState.RUNNING else None,
        "remaining_ms": remaining,
    }


def agenda_item_data(item):
    return {
        "id": item.pk,
        "position": item.position,
        "title": item.title,
        "phase": item.phase,
        "minutes": item.minutes,
        "started": epoch_ms(item.started),
        "done": item.done,
    }


def agenda_state(workshop):
    """``{items, current}``: the rounds in order and the one running now (the one started
    last that is not done), or None."""
    items = list(AgendaItem.objects.filter(workshop=workshop).order_by("position", "id"))
    running = [item for item in items if item.started and not item.done]
    current = max(running, key=lambda item: item.started).pk if running else None
    return {"items": [agenda_item_data(item) for item in items], "current": current}


def tools_snapshot(workshop):
    """The snapshot's part of the tools: the timers and the agenda. ``server_now`` is added
    per socket (``personal_snapshot``), so a cached shared part never carries an old clock."""
    now = timezone.now()
    timers = Timer.objects.filter(workshop=workshop).order_by("group_id")
    return {"timers": [timer_data(timer, now) for timer in timers], "agenda": agenda_state(workshop)}
