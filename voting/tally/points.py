"""Points (cumulative voting) and participatory budgeting.

Each ballot spreads points over measures. The totals rank the measures. With the
measures' costs and a budget, the count also selects what the city funds, by the
greedy rule most city budgets use (e.g. Paris, Madrid): walk down the ranking by
total points and take a measure if its cost still fits in what is left of the
budget, otherwise skip it and go on with the next one. Measures with no points at
all are never selected. Measures tied on points are taken in the order of
``options``.

Money is counted exactly (as ``Decimal``); the money figures of the result are
``Decimal`` if the budget was given as ``Decimal``, otherwise ``float``.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from numbers import Real

from .budget import count_equal_shares
from .common import rank_groups, share, unique_options


def _exact(amount: Decimal | Real) -> Decimal:
    # str() keeps a float's short decimal form (0.1 stays 0.1, not 0.1000000000000000055...).
    return amount if isinstance(amount, Decimal) else Decimal(str(amount))


def count_points(
    options: Sequence[int],
    ballots: Sequence[Mapping[int, int]],
    costs: Mapping[int, Decimal | Real] | None = None,
    budget: Decimal | Real | None = None,
) -> dict:
    """Add up the points per option; with ``costs`` and ``budget``, select what fits.

    Returns ``scores`` (total points), ``shares`` (share of all points given,
    0..1), ``supporters`` (ballots giving the option more than 0 points) and the
    ``ranking``; with a budget also ``selected`` (ids in the order taken), ``spent``
    and ``leftover``.
    """
    options = unique_options(options)
    totals = dict.fromkeys(options, 0)
    supporters = dict.fromkeys(options, 0)
    for ballot in ballots:
        for option, given in ballot.items():
            if option in totals and given:
                totals[option] += given
                supporters[option] += 1
    all_points = sum(totals.values())
    ranking = rank_groups(totals)
    result = {
        "method": "points",
        "ballots": len(ballots),
        "ranking": ranking,
        "scores": totals,
        "shares": {option: share(total, all_points) for option, total in totals.items()},
        "supporters": supporters,
    }
    if budget is not None:
        result.update(_select_within_budget(ranking, totals, costs or {}, budget))
    return result


def _select_within_budget(ranking, totals, costs, budget) -> dict:
    missing = [option for group in ranking for option in group if option not in costs]
    if missing:
        raise ValueError(f"No cost given for measures {missing}.")
    out = Decimal if isinstance(budget, Decimal) else float
    left = _exact(budget)
    spent = Decimal(0)
    selected = []
    for group in ranking:
        for option in group:
            cost = _exact(costs[option])
            if totals[option] > 0 and cost <= left:
                selected.append(option)
                left -= cost
                spent += cost
    return {"budget": budget, "selected": selected, "spent": out(spent), "leftover": out(left)}


# The completion of the Method of Equal Shares the platform counts with: Add1, then
# what is left filled by points (voting.tally.budget), so that no money that would
# still fund a supported measure stays unspent.
BUDGET_COMPLETION = "add1u"


def count_budget(options, ballots, costs, budget, rule) -> dict:
    """A participatory budget counted by both rules, side by side: ``equal_shares``
    (the Method of Equal Shares, :mod:`.budget`) and ``greedy`` (down the ranking of
    points while the money lasts, :func:`count_points`); ``main`` names the rule the
    consultation is decided by. A budget set up before the two rules were counted
    side by side has no ``budget_rule`` and was decided greedily."""
    greedy = count_points(options, ballots, costs=costs, budget=budget)
    greedy["method"] = "greedy"
    return {
        "method": "budget",
        "main": rule,
        "ballots": len(ballots),
        "equal_shares": count_equal_shares(options, ballots, costs, budget, completion=BUDGET_COMPLETION),
        "greedy": greedy,
    }
