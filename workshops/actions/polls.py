"""Poll commands, and votes written in batches (``apply_votes``)."""

from django.db import connection, transaction

from participation.models import Measure

from .. import selectors
from ..models import (
    POLL_OPTION_MAX,
    POLL_OPTIONS_MAX,
    POLL_QUESTION_MAX,
    CommandReceipt,
    Participant,
    Poll,
    PollKind,
    PollOption,
    PollState,
    PollVote,
    ProjectorView,
    WorkshopState,
)
from ..wordcloud import WordsError, check_answer
from .base import (
    CommandError,
    Outcome,
    _bool,
    _card,
    _cluster,
    _id,
    _not_found,
    _of_workshop,
    _poll,
    _require_facilitator,
    _text,
    apply_batch,
    batch_command_ids,
    rights_revoked,
)
from .cardtools import require_revealed


def _poll_options(ctx, raw):
    if not isinstance(raw, list) or not 2 <= len(raw) <= POLL_OPTIONS_MAX:
        raise CommandError("invalid", f"'options' must be a list of 2 to {POLL_OPTIONS_MAX} options.")
    options = []
    for item in raw:
        if isinstance(item, str):
            label = item.strip()
            if not label or len(label) > POLL_OPTION_MAX:
                raise CommandError("invalid", f"Each option text must have 1 to {POLL_OPTION_MAX} characters.")
            options.append(PollOption(label=label))
        elif isinstance(item, dict) and len(item) == 1:
            ((kind, ref),) = item.items()
            if kind == "card":
                card = _card(ctx, {"card": ref})
                require_revealed(card)  # a poll would show an unrevealed card's text to all
                options.append(PollOption(label=card.text[:POLL_OPTION_MAX], card=card))
            elif kind == "cluster":
                cluster = _cluster(ctx, {"cluster": ref})
                options.append(PollOption(label=cluster.title, cluster=cluster))
            elif kind == "measure":
                measure_id = _id({"measure": ref}, "measure")
                measure = Measure.objects.filter(pk=measure_id, process_id=ctx.workshop.process_id).first()
                if measure is None:
                    raise CommandError("not_found", f"There is no measure {measure_id} in this process.")
                options.append(PollOption(label=measure.title[:POLL_OPTION_MAX], measure=measure))
            else:
                raise CommandError("invalid", "An option is a text or one of {card: id}, {cluster: id}, {measure: id}.")
        else:
            raise CommandError("invalid", "An option is a text or one of {card: id}, {cluster: id}, {measure: id}.")
    return options


def poll_create(ctx, command):
    _require_facilitator(ctx)
    question = _text(command, "question", POLL_QUESTION_MAX)
    kind = command.get("kind")
    if kind not in PollKind.values:
        raise CommandError("invalid", f"'kind' must be one of {', '.join(PollKind.values)}.")
    if kind == PollKind.WORDS:
        # A word cloud's answers are free texts: it has no options.
        if command.get("options") not in (None, []):
            raise CommandError("invalid", "A word cloud ('words') has no options; leave 'options' out.")
        options = []
    else:
        options = _poll_options(ctx, command.get("options"))
    poll = Poll(workshop=ctx.workshop, question=question, kind=kind)
    if kind == PollKind.DOTS:
        dots = command.get("dots", ctx.workshop.dots_per_participant)
        if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= 100:
            raise CommandError("invalid", "'dots' must be a whole number from 1 to 100.")
        poll.dots = dots
        if command.get("max_per_option") is not None:
            cap = command["max_per_option"]
            if isinstance(cap, bool) or not isinstance(cap, int) or not 1 <= cap <= dots:
                raise CommandError("invalid", "'max_per_option' must be a whole number from 1 to the dots.")
            poll.max_per_option = cap
    if "hidden" in command:
        poll.results_hidden = _bool(command, "hidden")
    poll.save()
    for position, option in enumerate(options):
        option.poll = poll
        option.position = position
    PollOption.objects.bulk_create(options)
    ctx.emit("poll.created", selectors.poll_data(Poll.objects.prefetch_related("options").get(pk=poll.pk)))


def poll_open(ctx, command):
    _require_facilitator(ctx)
    poll = _poll(ctx, command)
    if poll.state != PollState.DRAFT:
        raise CommandError("conflict", f"The poll is {poll.state}; only a prepared poll can be opened.")
    poll.state = PollState.OPEN
    poll.save(update_fields=["state"])
    data = {"poll": poll.pk}
    # The wall shows a poll as it opens (as the projector always did), unless the facilitator
    # has put the timer, the agenda or the Q&A there; the event says so (no event of its own).
    view = ProjectorView.WORDS if poll.kind == PollKind.WORDS else ProjectorView.POLL
    shown = ctx.workshop.projector_view
    if shown in (ProjectorView.BOARD, ProjectorView.POLL, ProjectorView.WORDS) and shown != view:
        ctx.workshop.projector_view = view
        data["projector_view"] = view
    ctx.emit("poll.opened", data)


def poll_close(ctx, command):
    _require_facilitator(ctx)
    # Wait for votes in flight on this poll: they hold a share lock on its row.
    poll = _of_workshop(ctx, Poll.objects.select_for_update(), "poll", _id(command, "poll"))
    if poll.state != PollState.OPEN:
        raise CommandError("conflict", "Only an open poll can be closed.")
    poll.state = PollState.CLOSED
    poll.final_results = selectors.poll_tally(poll)
    poll.save(update_fields=["state", "final_results"])
    data = {"poll": poll.pk, "results": poll.final_results if poll.results_public else None}
    ctx.emit("poll.closed", data)
    ctx.tally_poll = poll.pk


def poll_reveal(ctx, command):
    _require_facilitator(ctx)
    poll = _poll(ctx, command)
    if poll.revealed:
        raise CommandError("conflict", "The results are already revealed.")
    poll.revealed = True
    poll.save(update_fields=["revealed"])
    results = poll.final_results if poll.state == PollState.CLOSED else selectors.poll_tally(poll)
    ctx.emit("poll.revealed", {"poll": poll.pk, "results": results})
    ctx.tally_poll = poll.pk


def _option_key(option_ids, raw):
    try:
        option_id = int(raw)
    except (TypeError, ValueError):
        raise CommandError("invalid", f"{raw!r} is not an option of this poll.") from None
    if isinstance(raw, bool) or option_id not in option_ids:
        raise CommandError("invalid", f"{raw!r} is not an option of this poll.")
    return option_id


def validate_choice(poll, choice):
    """The normalised choice for this poll's kind, or a CommandError saying what is wrong."""
    kind = poll.kind
    if kind == PollKind.WORDS:
        try:
            return check_answer(choice)
        except WordsError as error:
            raise CommandError("invalid", str(error)) from None
    option_ids = {option.pk for option in poll.options.all()}
    if kind == PollKind.SINGLE:
        return _option_key(option_ids, choice)
    if kind in (PollKind.MULTIPLE, PollKind.RANKING):
        if not isinstance(choice, list) or not choice:
            raise CommandError("invalid", "'choice' must be a non-empty list of option ids.")
        ids = [_option_key(option_ids, raw) for raw in choice]
        if len(set(ids)) != len(ids):
            raise CommandError("invalid", "An option appears twice in 'choice'.")
        return ids
    if not isinstance(choice, dict) or not choice:
        raise CommandError("invalid", "'choice' must be an object {option id: number}.")
    normalised = {}
    for raw, value in choice.items():
        option_id = _option_key(option_ids, raw)
        if isinstance(value, bool) or not isinstance(value, int):
            raise CommandError("invalid", "Each value in 'choice' must be a whole number.")
        normalised[str(option_id)] = value
    if kind == PollKind.SCALE:
        if any(not 1 <= v <= 5 for v in normalised.values()):
            raise CommandError("invalid", "Each grade must be from 1 to 5.")
        return normalised
    # Dots: spread at most poll.dots, each option at most the cap.
    if any(v < 0 for v in normalised.values()):
        raise CommandError("invalid", "Dots cannot be negative.")
    total = sum(normalised.values())
    if total < 1:
        raise CommandError("invalid", "Place at least one dot.")
    if total > poll.dots:
        raise CommandError("too_many_dots", f"You have {poll.dots} dots; this allocation uses {total}.")
    if poll.max_per_option and any(v > poll.max_per_option for v in normalised.values()):
        raise CommandError("over_cap", f"At most {poll.max_per_option} dots per option.")
    return {k: v for k, v in normalised.items() if v}


def _locked_polls(poll_ids):
    """The polls by id, each under a share lock: votes run side by side, ``poll.close``
    (an exclusive lock) waits for them, so a vote is either in the final result or refused."""
    poll_ids = sorted({pid for pid in poll_ids if isinstance(pid, int) and not isinstance(pid, bool)})
    if not poll_ids:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM workshops_poll WHERE id = ANY(%s) ORDER BY id FOR SHARE", [poll_ids])
    return {poll.pk: poll for poll in Poll.objects.filter(pk__in=poll_ids).prefetch_related("options")}


def check_vote(participant, workshop, polls, command):
    """The rules of a vote, shared by ``poll_vote`` and ``apply_votes``: returns the poll
    and the normalised choice, or raises CommandError. ``polls`` maps ids to locked polls."""
    if not participant.may_write:
        raise CommandError("forbidden", "Observers cannot vote.")
    if workshop.state != WorkshopState.LIVE:
        raise CommandError("wrong_phase", "The workshop is not live.")
    poll_id = _id(command, "poll")
    poll = polls.get(poll_id)
    if poll is None or poll.workshop_id != workshop.pk:
        raise _not_found("poll", poll_id)
    if poll.state != PollState.OPEN:
        raise CommandError("poll_not_open", "This poll is not open for votes.")
    if "choice" not in command:
        raise CommandError("invalid", "'choice' is missing.")
    return poll, validate_choice(poll, command["choice"])


def poll_vote(ctx, command):
    poll, choice = check_vote(ctx.participant, ctx.workshop, _locked_polls([command.get("poll")]), command)
    PollVote.objects.update_or_create(poll=poll, participant=ctx.participant, defaults={"choice": choice})
    ctx.tally_poll = poll.pk


def apply_votes(items):
    """Apply many ``poll.vote`` commands ``[(participant id, command), ...]`` in one
    transaction, with the checks of ``poll_vote``. Returns an Outcome or a CommandError
    per item, in order. Nothing is acknowledged before the commit; a command id seen
    before (in the database or earlier in the batch) is a duplicate and changes nothing."""
    return apply_batch(_apply_votes_once, items)


def _apply_votes_once(items):
    results, command_ids = batch_command_ids(items)
    with transaction.atomic():
        participant_ids = {items[index][0] for index in command_ids}
        seen = set(
            CommandReceipt.objects.filter(
                participant_id__in=participant_ids, command_id__in=set(command_ids.values())
            ).values_list("participant_id", "command_id")
        )
        participants = Participant.objects.select_related("workshop").in_bulk(participant_ids)
        polls = _locked_polls(items[index][1].get("poll") for index in command_ids)
        votes = {}  # (poll, participant) -> choice; a later vote in the batch replaces an earlier one
        receipts = []
        for index, command_id in command_ids.items():
            participant_id, command = items[index]
            if (participant_id, command_id) in seen:
                results[index] = Outcome(seq=None, duplicate=True)
                continue
            participant = participants.get(participant_id)
            try:
                if participant is None:
                    raise CommandError("forbidden", "You are not a participant of this workshop.")
                if rights_revoked(participant, participant.workshop):
                    raise CommandError("revoked", "Your rights in this workshop have ended; nothing was changed.")
                poll, choice = check_vote(participant, participant.workshop, polls, command)
            except CommandError as error:
                results[index] = error
                continue
            seen.add((participant_id, command_id))
            votes[(poll.pk, participant_id)] = choice
            receipts.append((participant_id, command_id))
            results[index] = Outcome(seq=None, tally_poll=poll.pk)
        # In key order, so that two batches on the same rows cannot deadlock.
        PollVote.objects.bulk_create(
            [PollVote(poll_id=poll, participant_id=pid, choice=votes[(poll, pid)]) for poll, pid in sorted(votes)],
            update_conflicts=True,
            unique_fields=["poll", "participant"],
            update_fields=["choice", "updated"],
        )
        CommandReceipt.objects.bulk_create(
            [CommandReceipt(participant_id=pid, command_id=cid, seq=None) for pid, cid in sorted(receipts)]
        )
    return results
