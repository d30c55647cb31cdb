"""Reads of consultations: what is visible to whom, the measures on the ballot, the
next pair to compare, the register's turnout by hour."""

import random
import secrets
from itertools import accumulate

from django.db.models import Count, Q

from participation import rules
from participation.models import Measure

from .models import (
    Consultation,
    ConsultationOption,
    ConsultationState,
    ElectionWorker,
    Eligibility,
    Method,
    PairwiseVote,
    PaperBallot,
    PaperState,
    Proposal,
    ProposalStatus,
    Statement,
    StatementState,
    VoterRecord,
)

# The methods whose ballot can come on paper (voting.paper_actions takes the same).
PAPER_METHODS = frozenset({Method.APPROVAL, Method.SCORE, Method.RANKING, Method.POINTS})


def visible_consultations(user):
    """Published consultations of published processes; facilitators also see their drafts."""
    queryset = Consultation.objects.select_related("process").prefetch_related("options")
    public = Q(process__published=True) & ~Q(state=ConsultationState.DRAFT)
    if rules.is_facilitator(user):
        if user.is_superuser:
            return queryset
        return queryset.filter(public | Q(process__facilitators=user)).distinct()
    return queryset.filter(public)


def can_manage(user, consultation):
    return rules.can_manage_process(user, consultation.process)


def measure_card(measure):
    return {"id": measure.pk, "title": measure.title_t, "summary": measure.summary_t}


def next_pair(consultation, voter, rng=None):
    """Two measures for this voter: little-seen ones first, not the pair just shown."""
    from .tally import pairwise

    option_ids = list(ConsultationOption.objects.filter(consultation=consultation).values_list("measure_id", flat=True))
    if len(option_ids) < 2:
        return None
    votes = PairwiseVote.objects.filter(consultation=consultation)
    appearances = dict.fromkeys(option_ids, 0)
    for row in votes.values("left_id").annotate(n=Count("id")):
        appearances[row["left_id"]] = appearances.get(row["left_id"], 0) + row["n"]
    for row in votes.values("right_id").annotate(n=Count("id")):
        appearances[row["right_id"]] = appearances.get(row["right_id"], 0) + row["n"]
    recent = list(
        PairwiseVote.objects.filter(consultation=consultation, ballot_key=voter.ballot_key)
        .order_by("-created")
        .values_list("left_id", "right_id")[:1]
    )
    left, right = pairwise.next_pair(option_ids, appearances, recent, rng or random.SystemRandom())
    measures = Measure.objects.in_bulk([left, right])
    # A fresh id for the answer to this pair: sent with it, a retried answer counts once.
    return {
        "left": measure_card(measures[left]),
        "right": measure_card(measures[right]),
        "request_id": secrets.token_urlsafe(12),
    }


def ballot_measures(consultation):
    """The measures on the ballot, in ballot order."""
    return [option.measure for option in consultation.options.select_related("measure__process").order_by("position")]


def turnout_by_hour(consultation):
    """New voters per hour (the register keeps only the hour) and the running total:
    ``[{"hour", "new", "total"}]``, only hours with voters."""
    rows = list(
        VoterRecord.objects.filter(consultation=consultation)
        .values("first_voted_hour")
        .annotate(n=Count("id"))
        .order_by("first_voted_hour")
    )
    totals = accumulate(row["n"] for row in rows)
    return [
        {"hour": row["first_voted_hour"], "new": row["n"], "total": total}
        for row, total in zip(rows, totals, strict=True)
    ]


def management_figures(consultation):
    """What the facilitators' page counts: turnout (also by hour), the box (ballots, or
    comparisons of a pairwise consultation), access codes per batch, proposals."""
    pairwise = consultation.method == Method.PAIRWISE
    proposals = Proposal.objects.filter(consultation=consultation)
    return {
        "turnout": consultation.voters.count(),
        "turnout_hours": turnout_by_hour(consultation),
        "ballots": None if pairwise else consultation.ballots.count(),
        "comparisons": consultation.pairwise_votes.count() if pairwise else None,
        "code_batches": list(
            consultation.access_codes.values("batch").annotate(n=Count("id"), used=Count("voter")).order_by("batch")
        ),
        "proposals": list(proposals.filter(status=ProposalStatus.PENDING)),
        "decided_proposals": list(proposals.exclude(status=ProposalStatus.PENDING)),
        "statements": _statements_by_state(consultation) if consultation.method == Method.OPINION else None,
        "paper": _paper_figures(consultation),
    }


def takes_paper(consultation):
    """Whether paper ballots can be typed in for this consultation: it has access codes
    and a ballot that can be printed."""
    return consultation.eligibility == Eligibility.ACCESS_CODE and consultation.method in PAPER_METHODS


def _paper_figures(consultation):
    """An access-code consultation's election workers and its paper ballots by state, or None
    when it takes no paper ballots."""
    if not takes_paper(consultation):
        return None
    by_state = dict(PaperBallot.objects.filter(consultation=consultation).values_list("state").annotate(n=Count("id")))
    return {
        "workers": list(
            ElectionWorker.objects.filter(consultation=consultation).select_related("user").order_by("user__username")
        ),
        "states": [(label, by_state.get(state, 0)) for state, label in PaperState.choices],
    }


def _statements_by_state(consultation):
    """An opinion map's statements for its facilitators: waiting, visible (with their
    answers), hidden."""
    statements = Statement.objects.filter(consultation=consultation).annotate(answers=Count("votes"))
    grouped = {state: [] for state in StatementState.values}
    for item in statements:
        grouped[item.state].append(item)
    return {
        "pending": grouped[StatementState.PENDING],
        "visible": grouped[StatementState.PUBLISHED],
        "hidden": grouped[StatementState.HIDDEN],
    }
