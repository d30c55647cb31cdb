"""Breakout groups: the facilitator splits the room into groups, each with its own area of
the board and its own timer, and brings everyone back to the plenary. Ended groups stay on
the board as labelled areas with their clusters and cards."""

import math
import random

from django.db.models import F, Max
from django.utils import timezone

from .. import selectors
from ..models import (
    GROUP_NAME_MAX,
    BreakoutGroup,
    BreakoutMode,
    Card,
    Cluster,
    Participant,
    ParticipantRole,
    Phase,
    Timer,
    TimerState,
)
from ..presence import online_q
from ..tools_data import epoch_ms, timer_data
from .base import CommandError, _id, _require_facilitator, _require_writer

GROUPS_MIN = 2
GROUPS_MAX = 20
# A group's area on the canvas (board units); areas stand side by side, a few to a row,
# below whatever is on the board already.
GROUP_W = 1600
GROUP_H = 1200
GROUP_GAP = 200
GROUPS_PER_ROW = 4
# Where new cards and clusters of a group go when their writer gives no position: cards in
# rows at the top of the area, clusters in a row below them (cards are 200x120, clusters 480x360).
CARD_W, CARD_H = 200, 120
CARD_STEP_X, CARD_STEP_Y = 220, 140
CARDS_TOP = 80
CARD_ROWS = 3
CLUSTER_W, CLUSTER_H = 480, 360
CLUSTER_STEP_X = 520
CLUSTER_LABEL_H = 44  # room for a cluster's title above its cards
CLUSTERS_TOP = CARDS_TOP + CARD_ROWS * CARD_STEP_Y + 40
MARGIN = 20


def _running(ctx):
    if not ctx.workshop.breakout_mode:
        raise CommandError("wrong_phase", "No breakout groups are running.")


def _active_group(ctx, command, required=True):
    group_id = _id(command, "group", required=required)
    if group_id is None:
        return None
    group = BreakoutGroup.objects.filter(pk=group_id, workshop=ctx.workshop, active=True).first()
    if group is None:
        raise CommandError("not_found", f"There is no running breakout group {group_id} in this workshop.")
    return group


def _names(command, count):
    names = command.get("names")
    if names is None:
        return [f"Gruppe {n}" for n in range(1, count + 1)]
    if not isinstance(names, list) or len(names) != count:
        raise CommandError("invalid", f"'names' must be a list of {count} texts, one per group.")
    cleaned = []
    for index, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            raise CommandError("invalid", f"'names' item {index + 1} must be a text that is not empty.")
        if len(name.strip()) > GROUP_NAME_MAX:
            raise CommandError("too_long", f"'names' item {index + 1} is longer than {GROUP_NAME_MAX} characters.")
        cleaned.append(name.strip())
    return cleaned


def _free_top(workshop):
    """The first y below everything on the board (cards, clusters, earlier groups)."""
    bottoms = [
        Card.objects.filter(workshop=workshop).aggregate(b=Max(F("y") + CARD_H))["b"],
        Cluster.objects.filter(workshop=workshop).aggregate(b=Max(F("y") + F("h")))["b"],
        BreakoutGroup.objects.filter(workshop=workshop).aggregate(b=Max(F("y") + F("h")))["b"],
    ]
    bottoms = [bottom for bottom in bottoms if bottom is not None]
    return max(bottoms) + GROUP_GAP if bottoms else 0.0


def _split(people, count):
    """People shuffled and dealt round, so that group sizes differ by at most one."""
    people = list(people)
    random.shuffle(people)
    return [people[index::count] for index in range(count)]


def breakout_start(ctx, command):
    _require_facilitator(ctx)
    if ctx.workshop.phase == Phase.CLOSED:
        raise CommandError("wrong_phase", "The workshop is closed.")
    if ctx.workshop.breakout_mode:
        raise CommandError("conflict", "Breakout groups are running already; end them first.")
    count = command.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not GROUPS_MIN <= count <= GROUPS_MAX:
        raise CommandError("invalid", f"'count' must be a whole number from {GROUPS_MIN} to {GROUPS_MAX}.")
    mode = command.get("mode")
    if mode not in BreakoutMode.values:
        raise CommandError("invalid", f"'mode' must be one of {', '.join(BreakoutMode.values)}.")
    names = _names(command, count)

    top = _free_top(ctx.workshop)
    groups = []
    for index, name in enumerate(names):
        column, row = index % GROUPS_PER_ROW, index // GROUPS_PER_ROW
        groups.append(
            BreakoutGroup(
                workshop=ctx.workshop,
                name=name,
                position=index + 1,
                x=column * (GROUP_W + GROUP_GAP),
                y=top + row * (GROUP_H + GROUP_GAP),
                w=GROUP_W,
                h=GROUP_H,
                active=True,
            )
        )
    groups = BreakoutGroup.objects.bulk_create(groups)
    # Every group gets its own timer, stopped until the facilitator starts it (``timer.*`` with ``group``).
    Timer.objects.bulk_create([Timer(workshop=ctx.workshop, group=group, state=TimerState.STOPPED) for group in groups])

    members = {group.pk: [] for group in groups}
    if mode == BreakoutMode.RANDOM:
        people = Participant.objects.filter(
            workshop=ctx.workshop, role=ParticipantRole.EXPERT, screen=False, removed=False
        )
        online = list(people.filter(online_q()).values_list("pk", "display_name"))
        # Those here now; if nobody is online (a workshop prepared ahead), everyone who joined.
        chosen = online or list(people.values_list("pk", "display_name"))
        for group, dealt in zip(groups, _split(chosen, count), strict=True):
            if dealt:
                Participant.objects.filter(pk__in=[pk for pk, _name in dealt]).update(group=group)
            members[group.pk] = sorted(dealt)
    ctx.workshop.breakout_mode = mode
    ctx.emit(
        "breakout.started",
        {"mode": mode, "groups": [selectors.group_data(group, members[group.pk]) for group in groups]},
    )


def _assign(ctx, participant, group):
    if participant.group_id == (group.pk if group else None):
        raise CommandError("conflict", "This participant is in this group already.")
    participant.group = group
    participant.save(update_fields=["group"])
    ctx.emit(
        "breakout.assigned",
        {"participant": participant.pk, "group": group.pk if group else None, "name": participant.display_name},
    )


def breakout_assign(ctx, command):
    _require_facilitator(ctx)
    _running(ctx)
    participant_id = _id(command, "participant")
    if "group" not in command:
        raise CommandError("invalid", "'group' must be a group id or null (the plenary).")
    group = _active_group(ctx, command, required=False)
    participant = Participant.objects.filter(
        pk=participant_id, workshop=ctx.workshop, screen=False, removed=False
    ).first()
    if participant is None:
        raise CommandError("not_found", f"There is no participant {participant_id} in this workshop.")
    if participant.is_facilitator:
        raise CommandError("invalid", "Facilitators see every group and are not put into one.")
    _assign(ctx, participant, group)


def breakout_choose(ctx, command):
    _require_writer(ctx)
    if ctx.participant.is_facilitator:
        raise CommandError("forbidden", "Facilitators see every group and do not choose one.")
    _running(ctx)
    if ctx.workshop.breakout_mode != BreakoutMode.CHOICE:
        raise CommandError("wrong_phase", "In these breakout groups the facilitator assigns the groups.")
    _assign(ctx, ctx.participant, _active_group(ctx, command))


def breakout_end(ctx, command):
    _require_facilitator(ctx)
    _running(ctx)
    groups = list(BreakoutGroup.objects.filter(workshop=ctx.workshop, active=True).values_list("pk", flat=True))
    # Everyone back in the plenary; the groups' areas, clusters and cards stay where they are.
    Participant.objects.filter(workshop=ctx.workshop, group__isnull=False).update(group=None)
    BreakoutGroup.objects.filter(pk__in=groups).update(active=False)
    ctx.workshop.breakout_mode = ""
    ctx.emit("breakout.ended", {"groups": groups})
    # Their timers stop: nobody works against a group's clock any more.
    now = timezone.now()
    for timer in Timer.objects.filter(group_id__in=groups).exclude(state=TimerState.STOPPED):
        timer.state, timer.ends_at, timer.remaining_ms = TimerState.STOPPED, None, 0
        timer.save(update_fields=["state", "ends_at", "remaining_ms"])
        ctx.emit("timer.changed", {**timer_data(timer, now), "server_now": epoch_ms(now)})


# --- where new cards and clusters of a group go ---------------------------------------


def group_of_writer(ctx):
    """The running group the actor works in, or None (plenary, facilitators, no groups)."""
    if not ctx.workshop.breakout_mode or ctx.participant is None or not ctx.participant.group_id:
        return None
    return BreakoutGroup.objects.filter(pk=ctx.participant.group_id, active=True).first()


def _slot(area, index, width, height, step_x, top, rows, step_y):
    """The ``index``-th place in rows inside ``area`` (a group or a cluster); when the rows
    are full it starts over at the top, so a place is always inside the area."""
    per_row = max(1, math.floor((area.w - 2 * MARGIN + step_x - width) / step_x))
    column, row = index % per_row, (index // per_row) % rows
    x = area.x + MARGIN + column * step_x
    y = area.y + top + row * step_y
    return max(area.x, min(x, area.x + area.w - width)), max(area.y, min(y, area.y + area.h - height))


def place_card(ctx, card, positioned):
    """A card written in a breakout group belongs to it and, without a given position,
    lands in the group's area (in reading order after the group's earlier cards)."""
    group = group_of_writer(ctx)
    if group is None:
        return
    card.group = group
    if positioned:
        return
    if card.cluster is not None:
        # Into its cluster's area, after the cluster's other cards.
        area = card.cluster
        index = Card.objects.filter(cluster=area).count()
        rows = max(1, math.floor((area.h - CLUSTER_LABEL_H - MARGIN) / CARD_STEP_Y))
        card.x, card.y = _slot(area, index, CARD_W, CARD_H, CARD_STEP_X, CLUSTER_LABEL_H, rows, CARD_STEP_Y)
        return
    index = Card.objects.filter(group=group, cluster__isnull=True).count()
    card.x, card.y = _slot(group, index, CARD_W, CARD_H, CARD_STEP_X, CARDS_TOP, CARD_ROWS, CARD_STEP_Y)


def place_cluster(ctx, cluster, positioned):
    """As ``place_card`` for a cluster: a row of clusters below the group's cards."""
    group = group_of_writer(ctx)
    if group is None:
        return
    cluster.group = group
    if not positioned:
        index = Cluster.objects.filter(group=group).count()
        rows = max(1, math.floor((group.h - CLUSTERS_TOP - MARGIN) / (CLUSTER_H + 40)))
        cluster.x, cluster.y = _slot(
            group, index, CLUSTER_W, CLUSTER_H, CLUSTER_STEP_X, CLUSTERS_TOP, rows, CLUSTER_H + 40
        )
