"""Approval voting: each ballot approves any number of measures."""

from collections import Counter
from collections.abc import Sequence
from itertools import chain

from .common import rank_groups, share, unique_options


def count_approval(options: Sequence[int], ballots: Sequence[Sequence[int]]) -> dict:
    """Count approvals.

    ``ballots`` is a list of approved option ids per ballot. An id named twice on
    one ballot counts once; ids that are not options are ignored.

    Returns ``scores`` (approvals per option), ``shares`` (approvals / ballots,
    0..1, also counting ballots that approve nothing) and the ``ranking``.
    """
    options = unique_options(options)
    counted = Counter(chain.from_iterable(map(set, ballots)))
    n_ballots = len(ballots)
    scores = {option: counted.get(option, 0) for option in options}
    return {
        "method": "approval",
        "ballots": n_ballots,
        "ranking": rank_groups(scores),
        "scores": scores,
        "shares": {option: share(count, n_ballots) for option, count in scores.items()},
    }
