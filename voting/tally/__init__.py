"""Counting of citizen consultations: pure functions over plain data (no ORM).

Options are measure ids (ints); every count returns a plain dict with at least
``method``, ``ranking`` (groups of tied options, best first) and ``scores``
({option id: number}). Maps are keyed by int ids; the API layer turns keys into
strings. Ballots are expected to be validated already (``voting.ballots``); ids
that are not options are ignored, and empty input gives an empty count.

Each method has a module of its own and a ``count_*`` function giving all its
counts; :func:`count` picks the right one from ``registry`` (the counts of
each method, their keys and names).

- approval: :func:`count_approval`
- score: :func:`count_score` (both :func:`score_mean` and :func:`majority_judgment`)
- ranking: :func:`count_ranking` (:func:`schulze`, :func:`borda`, :func:`copeland`,
  :func:`first_choices`, :func:`condorcet_winner`, :func:`margin_matrix`)
- points: :func:`count_points`; participatory budgets: :func:`count_budget` (the
  Method of Equal Shares, :func:`count_equal_shares`, beside the greedy rule of
  :func:`count_points`)
- pairwise (wiki survey): :func:`bradley_terry`, :func:`next_pair`
"""

from .approval import count_approval
from .budget import count_equal_shares
from .common import rank_groups
from .pairwise import bradley_terry, next_pair
from .points import count_budget, count_points
from .ranking import borda, condorcet_winner, copeland, count_ranking, first_choices, margin_matrix, schulze
from .registry import METHODS
from .score import count_score, majority_judgment, score_mean

__all__ = [
    "borda",
    "bradley_terry",
    "condorcet_winner",
    "copeland",
    "count",
    "count_consultation",
    "count_approval",
    "count_budget",
    "count_equal_shares",
    "count_points",
    "count_ranking",
    "count_score",
    "first_choices",
    "majority_judgment",
    "margin_matrix",
    "next_pair",
    "rank_groups",
    "schulze",
    "score_mean",
]


def count(method: str, options, data, *, costs=None, budget=None) -> dict:
    """The full count of one consultation: ``data`` are its ballots, or for
    ``pairwise`` its comparisons."""
    entry = METHODS.get(method)
    if entry is None:
        raise ValueError(f"Unknown counting method {method!r}.")
    if method == "points":
        return count_points(options, data, costs=costs, budget=budget)
    return entry.tally(options, data)


def count_consultation(method: str, settings: dict, options, data, costs=None) -> dict:
    """The count a consultation's settings ask for: points with ``use_costs`` are a
    participatory budget against ``settings["budget"]`` (:func:`count_budget`)."""
    if method == "points" and settings.get("use_costs"):
        return count_budget(options, data, costs or {}, settings["budget"], settings.get("budget_rule") or "greedy")
    return count(method, options, data)
