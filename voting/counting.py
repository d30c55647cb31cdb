"""Counting from plain data: the one entry to the pure functions in ``voting.tally``
that the live result, a published snapshot and a recount all use. The ballot box is
read in one place, ``results.compute.live_ballot_file``."""

from .models import ConsultationOption


def options_of(consultation):
    """The measure ids on the ballot, in ballot order."""
    return list(
        ConsultationOption.objects.filter(consultation=consultation)
        .order_by("position", "id")
        .values_list("measure_id", flat=True)
    )


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
