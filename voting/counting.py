"""From a consultation's ballot box to its count: reads plain data out of the
database and hands it to the pure functions in ``voting.tally``."""

from .ballots import content_for_count
from .models import Ballot, ConsultationOption, Method, PairwiseVote, Phase


def results_visible_to_public(consultation):
    """A published snapshot (the final result), or interim results while open when
    the consultation allows them. A closed consultation shows nothing until published."""
    from results.actions import latest_snapshot

    if latest_snapshot(consultation) is not None:
        return True
    return consultation.interim_results and consultation.phase == Phase.OPEN


def options_of(consultation):
    return list(
        ConsultationOption.objects.filter(consultation=consultation)
        .order_by("position", "id")
        .values_list("measure_id", flat=True)
    )


def ballot_data(consultation):
    """The ballots as the tally functions take them (pairwise: the comparisons)."""
    if consultation.method == Method.PAIRWISE:
        rows = PairwiseVote.objects.filter(consultation=consultation).exclude(choice=PairwiseVote.Choice.SKIP)
        return [
            (left, right) if choice == PairwiseVote.Choice.LEFT else (right, left)
            for left, right, choice in rows.values_list("left_id", "right_id", "choice")
        ]
    contents = Ballot.objects.filter(consultation=consultation).values_list("content", flat=True)
    return [content_for_count(consultation.method, content) for content in contents]


def costs_of(consultation):
    rows = ConsultationOption.objects.filter(consultation=consultation).values_list(
        "measure_id", "measure__estimated_cost"
    )
    return {measure: cost for measure, cost in rows if cost is not None}


def count_data(method, settings, options, data, costs=None):
    """The count from plain data: the one function that both the live results and a recount use."""
    from . import tally

    return tally.count_consultation(method, settings, options, data, costs)


def jsonable(value):
    """Int keys become strings and Decimals floats, so the count is plain JSON."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def count(consultation):
    options = options_of(consultation)
    data = ballot_data(consultation)
    result = count_data(consultation.method, consultation.settings, options, data, costs_of(consultation))
    return {
        "consultation": consultation.pk,
        "method": consultation.method,
        "phase": consultation.phase,
        "options": options,
        "turnout": {"voters": consultation.voters.count(), "ballots": len(data)},
        "count": jsonable(result),
    }
