"""Participatory budgets: the Method of Equal Shares (MES).

The budget is split equally among the voters. A measure can only be paid for by the
voters who support it, out of what is left of their shares; each step funds the
measure whose supporters pay least per unit of utility, splitting its cost as equally
as possible (as much as each one still has, the rest shared among the others). MES
stops when no measure can be paid for any more. Sources: Peters, Pierczyński,
Skowron, *Proportional Participatory Budgeting with Additive Utilities*, NeurIPS 2021;
the reference descriptions and code of equalshares.net (pages "Explanation",
"Completion", "Tie breaking", the code generator of "Computation", and the compute
tool ``equalshares/equalshares-compute-tool``, ``js/methodOfEqualSharesWorker.js``);
``pabutools.rules.method_of_equal_shares``, which the tests compare with.

Utility (the variant equalshares.net, Aarau 2023 and Wieliczka 2023 use)
    *Cost utilities.* With approval ballots a supporter's utility for a measure is its
    cost (pabutools: ``Cost_Sat``), so a measure's "effective vote count" is its cost
    divided by the largest payment one supporter makes: at the start simply its
    number of supporters. With points (cumulative) ballots, as in Aarau, the
    equalshares.net code for "score ballots" charges supporters in proportion to
    their points and ranks by cost / (payment per point): that is utility = points ×
    cost (pabutools: an additive satisfaction ``points * cost``; the tests define
    it). Approval is the special case points = 1. Cardinality utility (each funded
    measure counts 1, or its points) is *not* used: it favours cheap measures from
    the first step on and is not what these cities ran.

Completion
    MES alone usually spends only 60-70 % of the budget. ``completion`` says what is
    done with the rest:

    ``"add1"`` (default; "Recommended completion method" of equalshares.net, used in
    Aarau; ``pabutools`` ``voter_budget_increment=1``): run MES with each voter's
    share raised by 1 (currency unit) at a time. Stop at the first share whose outcome
    is *exhaustive* (no supported measure left out fits into what is left of the real
    budget) and keep it, or when the next share's outcome would cost more than the
    real budget and keep the last one within it. The shares start at
    ``floor(budget / voters)`` ("integral endowments", the default of the
    equalshares.net compute tool and code generator); ``integral=False`` starts at
    ``budget / voters`` exactly, as ``pabutools`` does.

    ``"add1u"``: ``"add1"``, then the utilitarian greedy fill of the compute tool's
    default: the measures left out, by total points (approvals) descending, ties in
    column order, each taken if it still fits. equalshares.net calls this fill "less
    fair" and recommends plain Add1, so it is not the default. Unlike the compute
    tool, a measure nobody supports is never added.

    ``"none"``: MES alone.

    Deviations from the compute tool, as in ``pabutools``: Add1 also runs when all
    measures together fit into the budget (the tool then skips it), and only
    supported measures count for exhaustiveness.

Ties
    Two measures tie when their payment per unit of utility agrees within a relative
    ``TOLERANCE`` (1e-9); the lower column (earlier option) wins, in MES and in the
    greedy fill. (equalshares.net recommends lower cost, then more votes, then lot;
    the platform's tie order is the order of the options, as for every count.)

Arithmetic
    float64 throughout, with the relative ``TOLERANCE`` for ties and for "the
    supporters can just afford it" (money >= cost). The only exact comparison is
    against the real budget: costs are summed with ``math.fsum`` and a selection
    whose cost exceeds the budget is never returned (``equal_shares`` asserts it,
    ``count_equal_shares`` re-checks in ``Decimal``).

Speed
    One MES run is a loop over the selection steps; within a step the measures are
    looked at in order of their previous payment per utility (a lower bound, since
    shares only shrink), and stop as soon as none can beat the best one found, as in
    ``pabutools``. A measure's payment is found on numpy arrays of its supporters'
    rows (rows of identical ballots carry weights): split by points if nobody is short
    of money, otherwise by water-filling over the rows sorted by money per point. There is no
    loop over voters in Python. The water-filling only needs the rows up to the one
    that fixes the payment: with whole-number points (approval, points ballots) the
    level is first estimated from below and only the rows up to a little above it are
    sorted and summed; the running sums are the same additions in the same order and
    the points are summed exactly, so every payment is the same float64 number as
    with all rows sorted (the tests compare with such a plain implementation). The
    supporters of each measure are found once per set of ballots (``SharesAt`` keeps
    them for the bootstrap's replicates, which only change the weights). Add1 reruns
    MES once per unit of share, so its cost is (number of increases + 1) × one run;
    ``rounds`` reports the increases.
"""

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from numbers import Real

import numpy as np

from .common import rank_groups, unique_options

TOLERANCE = 1e-9
COMPLETIONS = ("add1", "add1u", "none")
_SORT_ALL = 1000  # up to so many rows, sorting them all is as quick as guessing the level first
_NEWTON_STEPS = 8  # at most, to guess the water level (usually 2-3 reach it)


def _payment_per_point(
    money: np.ndarray,
    points: np.ndarray,
    weights: np.ndarray,
    weighted_points: float,
    cost: float,
    weighted: np.ndarray | None = None,
    approval: bool = False,
    guess: float = 0.0,
) -> float:
    """The payment per point r with sum(weights * min(money, r * points)) == cost.

    ``money`` is each row's money per voter, ``points`` its points for the measure
    (> 0), ``weights`` its voters (> 0), ``weighted_points`` the sum of ``weights *
    points``. If the rows together hold (about) no more than ``cost``, everybody pays
    all they have: r is then the largest money / points. ``weighted``: ``weights *
    points`` when these are whole numbers whose sums are exact in float64 (then only
    the rows up to the one that fixes r are summed, see :func:`_water_level`);
    ``approval``: every point is 1 (then money / points is the money itself);
    ``guess``: a payment per point it is known to be at least (only saves time).
    """
    r = cost / weighted_points
    low = money.min()
    if (low >= r) if approval else (money >= r * points).all():
        return r  # nobody is short of money: the cost is split by points
    if weighted is not None and len(money) > _SORT_ALL:
        return _water_level(money, points, weights, weighted, cost, max(r, guess), approval, low <= 0)
    if low <= 0:  # rows with nothing left pay nothing and drop out
        left = money > 0
        money, points, weights = money[left], points[left], weights[left]
        if not len(money):
            return math.inf
    # Water-filling: sort by money per point; the first row (in that order) that can
    # pay r * points, with everybody before it paying all they have, fixes r.
    ratio = money if approval else money / points
    order = np.argsort(ratio, kind="stable")
    ratio = ratio[order]
    weighted = weights[order]
    paid_before = np.cumsum(weighted * money[order])
    paid_before = np.concatenate(([0.0], paid_before[:-1]))
    points_from = np.cumsum((weighted * points[order])[::-1])[::-1]
    candidates = (cost - paid_before) / points_from
    fits = np.flatnonzero(candidates <= ratio * (1 + TOLERANCE))
    return float(candidates[fits[0]]) if len(fits) else float(ratio[-1])


def _water_level(money, points, weights, weighted, cost, level, approval, some_spent) -> float:
    """The water-filling of :func:`_payment_per_point` on whole-number points, to the
    same bits, without sorting every row.

    The row that fixes r is the first one (by ratio, stable order) that can pay r *
    points with everybody before it paying all they have. So only the rows up to it
    count: guess the water level from below (Newton's steps on the concave
    sum(weights * min(money, r * points)) from ``level``: the equal split, or the
    measure's payment per point in an earlier step, as shares only shrink), sort the
    rows up to a little above it, and add the next one in the stable order (the
    lowest ratio above, the first such row). What the rows before a row hold is the
    same running sum in the same order; the points from a row on are whole numbers,
    so the total less the running sum before it is exact, as the sum from the end is.
    If no row of that head fits (the guess was too low), all rows are sorted. Rows
    with nothing left (``some_spent``) are not copied out: they pay nothing and are
    left out of the head and of the total, as if dropped first.
    """
    ratio = money if approval else money / points
    paid = weights * money
    sums = np.stack((weighted, paid))
    total = float(weighted.sum())  # exact: whole numbers below 2**53
    for _ in range(_NEWTON_STEPS):
        points_short, paid_short = (sums @ (ratio < level)).tolist()
        rest = total - points_short
        if rest <= 0:
            break
        following = (cost - paid_short) / rest
        if not following > level * (1 + 1e-12):
            break
        level = following
    if some_spent:
        alive = ratio > 0
        total = float(weighted @ alive)  # exact
        if total <= 0:
            return math.inf
    cut = level * (1 + 1e-6)
    below = np.flatnonzero((ratio <= cut) & alive) if some_spent else np.flatnonzero(ratio <= cut)
    head = below[np.argsort(ratio[below], kind="stable")]
    above = ratio > cut
    if above.any():
        head = np.append(head, np.where(above, ratio, np.inf).argmin())
        found = _first_fit(paid, weighted, ratio, head, cost, total)
        if found is not None:
            return found
        head = np.argsort(ratio, kind="stable")
        if some_spent:
            head = head[len(ratio) - np.count_nonzero(alive) :]  # the spent rows (ratio 0) come first
    found = _first_fit(paid, weighted, ratio, head, cost, total)
    return float(ratio[head[-1]]) if found is None else found


def _first_fit(paid, weighted, ratio, head, cost, total) -> float | None:
    """The water level fixed by the first row of ``head`` (the start of the stable
    order by ratio) that can pay it, or None if none of them can."""
    running_paid = np.cumsum(paid[head])
    running_points = np.cumsum(weighted[head])
    candidates = np.empty(len(head))
    candidates[0] = cost / total
    np.divide(cost - running_paid[:-1], total - running_points[:-1], out=candidates[1:])
    fits = np.flatnonzero(candidates <= ratio[head] * (1 + TOLERANCE))
    return float(candidates[fits[0]]) if len(fits) else None


class _Columns:
    """Each measure's supporters among all the distinct rows, found once: their row
    numbers and points (float64), one measure after the other in ``rows`` and
    ``points``, measure c at ``starts[c]:starts[c + 1]``; ``whole`` if all points are
    whole numbers, ``approval`` if all are 1."""

    def __init__(self, utilities: np.ndarray):
        self.n_rows = utilities.shape[0]
        by_column = np.ascontiguousarray(utilities.T)
        column, row = np.nonzero(by_column > 0)  # row-major: by measure, rows ascending
        self.rows = row.astype(np.intp)
        self.points = by_column[column, row].astype(np.float64)
        self.measures = utilities.shape[1]
        self.starts = np.searchsorted(column, np.arange(self.measures + 1))
        self.whole = bool((self.points == np.floor(self.points)).all())
        self.approval = bool((self.points == 1.0).all())
        self.most = float(self.points.max()) if len(self.points) else 0.0


class _Instance:
    """The supporters of each measure, as arrays of rows, built once per call.

    ``weights`` are per row of ``columns`` (0: nobody cast it; such rows take no part,
    as if left out: the rows that remain keep their order)."""

    def __init__(self, costs: np.ndarray, columns: _Columns, weights: np.ndarray):
        self.costs = costs
        self.rows = columns.n_rows
        self.support = np.zeros(len(costs))
        self.supporters: dict[int, tuple] = {}
        self.approval = columns.approval
        rows, points, starts = columns.rows, columns.points, columns.starts
        present = weights > 0
        if not present.all():
            kept = np.flatnonzero(present[rows])
            rows = rows[kept]
            # With approval every point is 1: any stretch of them will do.
            points = points[: len(kept)] if self.approval else points[kept]
            starts = np.searchsorted(kept, starts)
        weight = weights.astype(np.float64)[rows]  # whole numbers: exact
        # Sums of whole weights * points are exact in float64 below 2**53.
        whole = columns.whole and columns.most * float(weights.sum(dtype=np.float64)) < 2.0**52
        if whole:
            weighted_all = weight if self.approval else weight * points  # times 1 is itself
            sums = np.zeros(columns.measures)
            some = starts[:-1] < starts[1:]
            if some.any():
                sums[some] = np.add.reduceat(weighted_all, starts[:-1][some])  # exact
            sums = sums.tolist()
        for column in range(len(costs)):
            a, b = int(starts[column]), int(starts[column + 1])
            if a == b:
                continue
            given, by = points[a:b], weight[a:b]
            if whole:
                total, weighted = sums[column], weighted_all[a:b]
            else:
                total, weighted = float(by @ given), None
            self.support[column] = total
            self.supporters[column] = (rows[a:b], given, by, total, weighted)
        self.free = [c for c in self.supporters if costs[c] <= 0]
        self.paid = [c for c in self.supporters if costs[c] > 0]

    def run(self, share: float) -> list[int]:
        """One run of MES with ``share`` per voter; the measures in the order taken."""
        money = np.full(self.rows, float(share))
        # Lower bound of each measure's payment per unit of utility (1 / total points).
        bound = {c: 1.0 / self.support[c] for c in self.paid}
        taken = list(self.free)
        supporters, costs, approval = self.supporters, self.costs.tolist(), self.approval
        while bound:
            best, best_column, best_rate = math.inf, -1, 0.0
            for _, column in sorted([(value, c) for c, value in bound.items()]):
                if bound[column] > best * (1 + TOLERANCE):
                    break
                rows, points, weights, weighted_points, weighted = supporters[column]
                held = money[rows]
                cost = costs[column]
                if float(weights @ held) < cost * (1 - TOLERANCE):
                    del bound[column]  # shares only shrink: never affordable again
                    continue
                rate = _payment_per_point(
                    held, points, weights, weighted_points, cost, weighted, approval, bound[column] * cost
                )
                per_utility = rate / cost
                bound[column] = per_utility
                if per_utility < best * (1 - TOLERANCE):
                    best, best_column, best_rate = per_utility, column, rate
                elif per_utility <= best * (1 + TOLERANCE) and column < best_column:
                    best, best_column, best_rate = min(best, per_utility), column, rate
            if best_column < 0:
                break
            rows, points = supporters[best_column][:2]
            held = money[rows]
            money[rows] = held - np.minimum(held, best_rate * points)
            taken.append(best_column)
            del bound[best_column]
        return taken

    def cost_of(self, columns: Sequence[int]) -> float:
        return math.fsum(float(self.costs[c]) for c in columns)

    def fill_by_support(self, selected: list[int], budget: float) -> None:
        """Add the supported measures left out, by total support (ties in column order:
        the sort is stable), each one that still fits into what is left of ``budget``."""
        left = budget - self.cost_of(selected)
        chosen = set(selected)
        for column in sorted(self.supporters, key=lambda c: -self.support[c]):
            if column not in chosen and self.costs[column] <= left:
                selected.append(column)
                chosen.add(column)
                left -= float(self.costs[column])

    def exhaustive(self, columns: Sequence[int], budget: float) -> bool:
        left = budget - self.cost_of(columns)
        chosen = set(columns)
        return all(self.costs[c] > left for c in self.paid if c not in chosen)


def equal_shares(
    costs,
    budget: float,
    utilities,
    weights,
    completion: str = "add1",
    *,
    integral: bool = True,
    max_rounds: int | None = None,
) -> dict:
    """The Method of Equal Shares on distinct ballots (rows) with weights.

    ``costs``: (m,) costs of the measures; ``budget``: the total budget;
    ``utilities``: (U, m) points per distinct ballot (approval: 0/1); ``weights``:
    (U,) how many voters cast each row (0 allowed). Each voter holds budget / total
    weight at the start. ``completion``: ``"add1"``, ``"add1u"`` or ``"none"`` (see
    the module). ``max_rounds`` caps the Add1 increases (``None``: no cap); a capped
    result keeps the last outcome within the budget and says ``capped``.

    Returns ``selected`` (columns in the order taken), ``by_completion`` (those of
    them that MES alone, with budget / total weight per voter, does not take),
    ``rounds`` (Add1 increases tried), ``share`` (the share per voter of the outcome),
    ``spent`` (float) and ``capped``.
    """
    if completion not in COMPLETIONS:
        raise ValueError(f"Unknown completion {completion!r}; use one of {COMPLETIONS}.")
    costs = np.asarray(costs, dtype=np.float64).reshape(-1)
    utilities = np.asarray(utilities)
    weights = np.asarray(weights, dtype=np.int64).reshape(-1)
    budget = float(budget)
    empty = {"selected": [], "by_completion": [], "rounds": 0, "share": 0.0, "spent": 0.0, "capped": False}
    if utilities.ndim != 2 or utilities.shape[1] != len(costs) or utilities.shape[0] != len(weights):
        if utilities.size == 0 or len(weights) == 0:
            return empty
        raise ValueError("utilities must be (rows × measures), weights one per row, costs one per measure.")
    if (weights < 0).any():
        raise ValueError("Weights must not be negative.")
    voters = int(weights.sum())
    if voters == 0 or not len(costs) or budget < 0:
        return empty
    instance = _Instance(costs, _Columns(utilities), weights)

    proper_share = budget / voters
    share = float(math.floor(proper_share)) if integral and completion != "none" else proper_share
    outcome = instance.run(share)
    proper = outcome if share == proper_share else instance.run(proper_share)
    rounds, capped = 0, False
    if completion != "none":
        while not instance.exhaustive(outcome, budget):
            if max_rounds is not None and rounds >= max_rounds:
                capped = True
                break
            following = instance.run(share + 1)
            rounds += 1
            if instance.cost_of(following) > budget:
                break
            share, outcome = share + 1, following
    selected = list(outcome)
    if completion == "add1u":
        instance.fill_by_support(selected, budget)
    # Guard: never more than the budget (float64 costs summed exactly by fsum).
    while selected and instance.cost_of(selected) > budget:
        selected.pop()
    assert instance.cost_of(selected) <= budget
    in_proper = set(proper)
    return {
        "selected": selected,
        "by_completion": [c for c in selected if c not in in_proper],
        "rounds": rounds,
        "share": share,
        "spent": instance.cost_of(selected),
        "capped": capped,
    }


class SharesAt:
    """MES at a given share per voter on fixed distinct rows whose weights change: the
    bootstrap's replicates. The supporters of each measure are found once; a call with
    one replicate's ``weights`` does what :func:`equal_shares_at` does."""

    def __init__(self, costs, budget: float, utilities):
        self.costs = np.asarray(costs, dtype=np.float64).reshape(-1)
        self.budget = budget
        utilities = np.asarray(utilities)
        self.columns = _Columns(utilities) if utilities.ndim == 2 and len(self.costs) else None

    def __call__(self, weights, share: float, fill: bool = True) -> list[int]:
        weights = np.asarray(weights, dtype=np.int64).reshape(-1)
        if (weights < 0).any():
            raise ValueError("Weights must not be negative.")
        if self.columns is None or not (weights > 0).any():
            return []
        instance = _Instance(self.costs, self.columns, weights)
        selected = instance.run(float(share))
        while selected and instance.cost_of(selected) > self.budget:
            selected.pop()
        if fill:
            instance.fill_by_support(selected, self.budget)
        return selected


def equal_shares_at(costs, budget: float, utilities, weights, share: float, fill: bool = True) -> list[int]:
    """One run of MES with a given ``share`` per voter, for the bootstrap's replicates:
    what it takes in order, less the last-taken measures while they cost more than the
    budget, then (``fill``) the rest by total points while it fits, as ``"add1u"`` does.
    Running Add1's search again per replicate would cost one run per unit of share;
    :class:`SharesAt` also finds the supporters only once for many replicates."""
    return SharesAt(costs, budget, utilities)(weights, share, fill)


def _exact(amount: Decimal | Real) -> Decimal:
    return amount if isinstance(amount, Decimal) else Decimal(str(amount))


def count_equal_shares(
    options: Sequence[int],
    ballots: Sequence[Mapping[int, int]],
    costs: Mapping[int, Decimal | Real],
    budget: Decimal | Real,
    completion: str = "add1",
) -> dict:
    """Select measures by the Method of Equal Shares (see the module for the variant).

    ``ballots``: ``{option_id: points}`` (approval: ``{id: 1}``); every ballot is one
    voter with one equal share, an empty one too. Identical ballots are merged into
    one row with a weight. Returns the ``selected`` ids in the order taken, those
    ``by_completion``, ``spent``/``leftover`` (``Decimal`` if the budget is,
    otherwise ``float``), ``scores`` (total points), ``supporters`` and a
    ``ranking``: the selected ones first, one per group in the order taken, then the
    others grouped by total points.
    """
    options = unique_options(options)
    missing = [option for option in options if option not in costs]
    if missing:
        raise ValueError(f"No cost given for measures {missing}.")
    column_of = {option: column for column, option in enumerate(options)}
    totals = dict.fromkeys(options, 0)
    supporters = dict.fromkeys(options, 0)
    rows: dict[tuple, int] = {}
    for ballot in ballots:
        key = []
        for option, given in ballot.items():
            column = column_of.get(option)
            if column is not None and given and given > 0:
                key.append((column, int(given)))
                totals[option] += given
                supporters[option] += 1
        key.sort()
        key_t = tuple(key)
        rows[key_t] = rows.get(key_t, 0) + 1
    utilities = np.zeros((len(rows), len(options)), dtype=np.int64)
    weights = np.zeros(len(rows), dtype=np.int64)
    for row, (key, weight) in enumerate(rows.items()):
        for column, given in key:
            utilities[row, column] = given
        weights[row] = weight
    exact_costs = [_exact(costs[option]) for option in options]
    outcome = equal_shares(
        np.array([float(c) for c in exact_costs], dtype=np.float64),
        float(budget),
        utilities,
        weights,
        completion,
    )
    selected_columns = list(outcome["selected"])
    limit = _exact(budget)
    # Exact guard in Decimal (the float64 guard of equal_shares should already hold).
    while selected_columns and sum((exact_costs[c] for c in selected_columns), Decimal(0)) > limit:
        selected_columns.pop()
    spent = sum((exact_costs[c] for c in selected_columns), Decimal(0))
    out = Decimal if isinstance(budget, Decimal) else float
    selected = [options[c] for c in selected_columns]
    chosen = set(selected)
    by_completion = [options[c] for c in outcome["by_completion"] if options[c] in chosen]
    rest = {option: total for option, total in totals.items() if option not in chosen}
    ranking = [[option] for option in selected] + rank_groups(rest)
    return {
        "method": "equal_shares",
        "ballots": len(ballots),
        "ranking": ranking,
        "scores": totals,
        "supporters": supporters,
        "selected": selected,
        "by_completion": by_completion,
        "spent": out(spent),
        "leftover": out(limit - spent),
        "budget": budget,
        "completion": completion,
        "share": outcome["share"],
    }
