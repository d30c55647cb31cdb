"""How sure is a ranking? Bootstrap intervals for every measure's score and place.

:func:`bootstrap` recounts a consultation ``replicates`` times (at least 1,000) on
ballots drawn at random with replacement from the cast ones (pairwise: on drawn
comparisons), each time with the same rule as the count itself, and reports per
measure a 95 % percentile interval of its score and of its place, the point
estimate (the count of all ballots, as ``voting.tally`` gives it) and notes in
plain German and English on which places are not clearly separated.

How it is fast. Every count used here is a function of sums over ballots:

- ranking: the margin matrix (each ballot adds ±1 per pair of options), the first
  choices and the number of ballots; Schulze, Borda and Copeland follow from the
  margins;
- score: per option the number of ballots giving each grade 0..5;
- approval and points: per option the approvals or points;
- pairwise: the n × n matrix of wins.

These sums are computed once per *group* of ballots: the ballots are shuffled
with the seeded generator and cut into G = min(N, 2000) groups of (nearly) equal
size. A replicate draws G groups with replacement; its sums are ``weights @
groups``, one matrix product for all replicates. All entries are integers below
2**53, so the float64 product is exact whatever order BLAS adds in. The count's
rule is then applied to each replicate's sums, vectorised over replicates
(Schulze: Floyd–Warshall on an (R, n, n) array; majority judgment: its
lexicographic tie-break, compared pair by pair from the grade counts).

With N ≤ 2000 every group is one ballot, so this is exactly the ordinary
bootstrap. With more ballots it resamples random blocks of N/G ballots: a block
sum has N/G times the variance of one ballot and G blocks are drawn, so a
replicate's sums have the same variance as in the ordinary bootstrap (and, with
N/G ≥ 50 ballots per block, very nearly the same distribution). The number of
ballots in a replicate varies by at most G when N is not a multiple of G.

Pairwise counts are refitted per replicate with choix (the same Bradley–Terry
estimate as ``voting.tally.bradley_terry``), started from the point estimate's
strengths so that each fit needs only a few iterations. Its linear algebra goes
through LAPACK, so on another machine these figures could differ in the last
bits before rounding; all other methods are exact integer arithmetic up to the
final divisions.

Determinism: the result depends only on the data as a multiset (ballot order
does not matter: ballots are put into a canonical order first), the options in
their order, and the seed, drawn with ``numpy.random.Generator(PCG64(seed))``
(first a permutation of the ballots when N > 2000, then the groups of each
replicate). Floats in the output are rounded to 6 decimals. :func:`seed_for` gives
a seed that is a function of the data, so the same data gives the same figures.

The percentile interval is the ⌈0.025·R⌉-th to the ⌈0.975·R⌉-th smallest
replicate value. It is widened to include the point estimate where it misses it,
which can only happen for counts that jump (e.g. an exact tie in the data).
"""

import hashlib
import json
import math
from decimal import Decimal

import choix
import numpy as np
import orjson
import scipy.sparse

from voting import tally
from voting.tally import registry
from voting.tally.budget import SharesAt
from voting.tally.common import option_columns, unique_options
from voting.tally.pairwise import ALPHA, TIE_DECIMALS, win_chances
from voting.tally.ranking import FlatRankings, RankedProfile
from voting.tally.score import MAX_GRADE

MIN_REPLICATES = 1000
MAX_GROUPS = 2000
LEVEL = 0.95
DECIMALS = 6
# Percentile ranks in thousandths: the interval runs from the 25th to the 975th of 1000.
_LOW, _HIGH = 25, 975
# Replicates per chunk where a statistic needs an (r, n, n, ...) array.
_CHUNK = 64

# The counts of each method, the one that decides first (voting.tally.registry).
COUNTS = {method: entry.keys for method, entry in registry.METHODS.items()}


# --- public functions ------------------------------------------------------------------


def seed_for(method, options, data) -> int:
    """A seed that is a function of the data: the first 8 bytes of the SHA-256 of
    its canonical JSON, as an unsigned big-endian integer.

    The canonical JSON (``json.dumps(..., separators=(",", ":"))``) is
    ``{"method": m, "options": [ids], "ballots": [[count, ...row], ...]}``: each
    distinct ballot once, in its counted form, with how often it was cast, the rows
    sorted lexicographically. Rows, one number per option in the order of
    ``options``: ranking, the option's level as ``voting.tally`` reads it (k for
    the ballot's (k+1)-th group; unranked options on the level after its last
    group; a ballot with no groups, which the tally counts like one ranking only
    unknown ids, all 1); score, its grade or -1 for none; approval, 1 or 0;
    points, the points given; pairwise, a comparison is the row ``[winner id,
    loser id]``. Ids that are not options are left out (in a ranking a group of
    them still takes its level), so neither the order of the ballots nor the order
    inside a tied group changes the seed.
    """
    options = unique_options(options)
    units = _units(method, options, data)
    return _seed_of(method, options, units)


def bootstrap(
    method,
    settings,
    options,
    data,
    costs=None,
    replicates=MIN_REPLICATES,
    seed=0,
    count=None,
) -> dict:
    """Bootstrap intervals of every count of a consultation.

    ``method``, ``settings``, ``options``, ``data`` and ``costs`` as for
    ``voting.counting.count_data``. ``seed=None`` takes :func:`seed_for` of the
    data (without parsing the ballots twice). ``count`` may pass the point count
    already made from the same data, to save counting again.

    Returns (plain data, int option keys)::

        {"method", "unit": "ballots" | "comparisons", "units": N, "groups": G,
         "replicates": R, "seed", "level": 0.95, "primary": main count name,
         "explanation": {"de", "en"},
         "counts": {name: {
             "ranking": point ranking (tie groups),
             "options": {id: {"score", "score_interval": [lo, hi],
                              "rank", "rank_interval": [lo, hi], "first_share",
                              ("selected_share" for points with a budget)}},
             "separation": [{"places": [a, b], "options": [ids], "clear": bool}],
             "notes": {"de": [..], "en": [..]}}},
         "options", "separation", "notes": the same for the primary count}

    ``rank`` is 1 + the number of options strictly ahead (ties share the best
    place); ``first_share`` the share of replicates in which the option is on
    place 1. Intervals are None when there is nothing to resample.
    """
    if method not in COUNTS:
        raise ValueError(f"Unknown counting method {method!r}.")
    if replicates < MIN_REPLICATES:
        raise ValueError(f"At least {MIN_REPLICATES} replicates are needed.")
    settings = settings or {}
    options = unique_options(options)
    if count is None:
        count = point_count(method, settings, options, data, costs)
    units = _units(method, options, data)
    if seed is None:
        seed = _seed_of(method, options, units)
    if seed < 0:
        raise ValueError("The seed cannot be negative.")
    kind = registry.count_kind(method, settings)
    names = registry.count_names(count) if kind == "budget" else COUNTS[method]

    parts = _point_parts(kind, count)
    n_units = int(units.counts.sum())
    groups = min(n_units, MAX_GROUPS)
    per_count = {}
    if n_units and options:
        rng = np.random.Generator(np.random.PCG64(seed))
        layout = _group_layout(units, rng, groups)
        sums = _group_sums(method, units, len(options), layout)
        weights = _replicate_weights(rng, replicates, groups)
        aggregates = np.rint(weights @ sums).astype(np.int64)  # exact: whole numbers below 2**53
        if kind == "budget":
            replicated, selected = _budget_statistics(
                units, layout, weights, aggregates, options, costs or {}, settings, parts
            )
        else:
            replicated, selected = _statistics(method, units, aggregates, parts, options), {}
        for name in names:
            scores, ranks = replicated[name]
            per_count[name] = _summary(options, parts[name], scores, ranks, selected.get(name), name)
    else:
        for name in names:
            per_count[name] = _summary(options, parts[name], None, None, None, name)

    unit = "comparisons" if method == "pairwise" else "ballots"
    primary = names[0]
    return {
        "method": method,
        "unit": unit,
        "units": n_units,
        "groups": groups,
        "replicates": replicates,
        "seed": seed,
        "level": LEVEL,
        "primary": primary,
        "explanation": _explanation(replicates, unit, n_units, groups),
        "counts": per_count,
        "options": per_count[primary]["options"],
        "separation": per_count[primary]["separation"],
        "notes": per_count[primary]["notes"],
    }


def point_count(method, settings, options, data, costs=None) -> dict:
    """The count of a consultation, as the live results make it."""
    return tally.count_consultation(method, settings, options, data, costs)


# --- ballots in canonical, counted form ----------------------------------------------


class _Units:
    """The distinct ballots (pairwise: comparisons) in counted form, sorted, with counts."""

    def __init__(self, rows: np.ndarray, counts: np.ndarray):
        self.rows, self.counts = _sorted_unique(rows, counts)


def _sorted_unique(rows: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge identical rows and sort them lexicographically by their numbers.

    Shifted to unsigned big-endian integers, the bytes of a row compare like its
    numbers, so one sort of the rows as raw bytes does it.
    """
    if not len(rows):
        return rows.reshape(0, rows.shape[1] if rows.ndim == 2 else 0), np.zeros(0, dtype=np.int64)
    low = int(rows.min())
    span = int(rows.max()) - low
    width = 1 if span < 1 << 8 else 2 if span < 1 << 16 else 4 if span < 1 << 32 else 8
    shifted = np.ascontiguousarray((rows.astype(np.int64) - low).astype(f">u{width}"))
    as_bytes = shifted.view(np.dtype((np.void, width * rows.shape[1]))).ravel()
    _, first, inverse = np.unique(as_bytes, return_index=True, return_inverse=True)
    merged = np.bincount(inverse.ravel(), weights=counts, minlength=len(first))
    return rows[first], np.rint(merged).astype(np.int64)


def _units(method, options, data) -> _Units:
    if method == "ranking":
        return _ranking_units(options, data)
    if method == "pairwise":
        return _pairwise_units(options, data)
    if method in ("score", "approval", "points"):
        return _dense_units(method, options, data)
    raise ValueError(f"Unknown counting method {method!r}.")


def _ranking_units(options, ballots) -> _Units:
    m = len(options)
    if not m or not ballots:
        return _Units(np.zeros((0, m), dtype=np.int64), np.zeros(0, dtype=np.int64))
    if isinstance(ballots, FlatRankings):
        # Ballots read as arrays from a ballot file: the count's profile is reused.
        nonempty = ballots.groups_per_ballot > 0
        cast = ballots if nonempty.all() else ballots.take(nonempty)
        profile = cast.profile(options)
    else:
        cast = [ballot for ballot in ballots if len(ballot)]
        profile = RankedProfile(options, cast)
    rows, counts = profile.rows, profile.weights
    empty = len(ballots) - len(cast)
    if empty:
        # The tally reads a ballot without groups as all options tied, but with no
        # first choice: the same as a ballot ranking only unknown ids, all on level 1.
        rows = np.vstack([rows, np.ones((1, m), dtype=rows.dtype)])
        counts = np.append(counts, empty)
    return _Units(rows, counts)


def _dense_units(method, options, ballots) -> _Units:
    """One row per ballot, one column per option: grade (-1: none), approval or points."""
    m, n = len(options), len(ballots)
    if not m or not n:
        return _Units(np.zeros((0, m), dtype=np.int64), np.zeros(0, dtype=np.int64))
    if method == "approval":
        lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=n)
        ids = np.fromiter((i for ballot in ballots for i in ballot), dtype=np.int64, count=int(lengths.sum()))
        values = np.ones(len(ids), dtype=np.int64)
    else:
        lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=n)
        total = int(lengths.sum())
        ids = np.fromiter((i for ballot in ballots for i in ballot), dtype=np.int64, count=total)
        values = np.fromiter((v for ballot in ballots for v in ballot.values()), dtype=np.int64, count=total)
    if method == "score" and len(values) and (values.min() < 0 or values.max() > MAX_GRADE):
        raise ValueError(f"Grades go from 0 to {MAX_GRADE}.")
    columns, known = option_columns(options, ids)
    ballot_of = np.repeat(np.arange(n), lengths)
    if method == "score":
        rows = np.full((n, m), -1, dtype=np.int8)
    elif method == "approval":
        rows = np.zeros((n, m), dtype=np.int8)
    else:
        rows = np.zeros((n, m), dtype=np.int64)
    rows[ballot_of[known], columns[known]] = values[known]
    return _Units(rows, np.ones(n, dtype=np.int64))


def _pairwise_units(options, comparisons) -> _Units:
    m, n = len(options), len(comparisons)
    if not m or not n:
        return _Units(np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64))
    flat = np.fromiter((i for pair in comparisons for i in pair), dtype=np.int64, count=2 * n)
    winners, known_w = option_columns(options, flat[0::2])
    losers, known_l = option_columns(options, flat[1::2])
    keep = known_w & known_l & (winners != losers)
    rows = np.column_stack([winners[keep], losers[keep]]).astype(np.int64)
    return _Units(rows, np.ones(len(rows), dtype=np.int64))


def _seed_of(method, options, units: _Units) -> int:
    rows = units.rows.astype(np.int64)
    if method == "pairwise":
        rows = np.asarray(options, dtype=np.int64)[rows] if len(rows) else rows
    ballots = np.ascontiguousarray(np.column_stack([units.counts, rows]), dtype=np.int64) if len(rows) else []
    document = {"method": method, "options": list(options), "ballots": ballots}
    data = None
    if all(type(option) is int and -(2**63) <= option < 2**63 for option in options):
        # For whole numbers and ASCII names orjson writes the same bytes as json.dumps
        # with these separators, about ten times faster for 100,000 ballots.
        data = orjson.dumps(document, option=orjson.OPT_SERIALIZE_NUMPY)
    else:
        document["ballots"] = ballots.tolist() if len(rows) else []
        data = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")


# --- per-group sums and replicate weights ----------------------------------------------


def _group_layout(units: _Units, rng, groups: int):
    """Which distinct ballot each cast ballot is, shuffled when there are more ballots than
    groups, and where each group of consecutive ballots starts."""
    n_units = int(units.counts.sum())
    unit_rows = np.repeat(np.arange(len(units.rows)), units.counts)
    if n_units > groups:
        unit_rows = unit_rows[rng.permutation(n_units)]
    return unit_rows, (np.arange(groups, dtype=np.int64) * n_units) // groups


def _group_sums(method, units: _Units, m: int, layout) -> np.ndarray:
    """(G × K) float64: the sums of the count's inputs per group of shuffled ballots.

    Columns: ranking, the margins' upper triangle (i < j, row-major), then per size s
    of first groups present the options' first places in groups of size s; score,
    per grade 0..5 the options graded so; approval and points, per option; pairwise,
    the m × m wins row-major. The last column is the number of ballots.
    """
    unit_rows, starts = layout
    n_units, groups = len(unit_rows), len(starts)
    sizes = np.diff(np.append(starts, n_units))
    if method == "ranking":
        parts = [_group_margins(units.rows[unit_rows], starts), _group_first_choices(units, unit_rows, starts)]
    elif method == "score":
        rows = units.rows[unit_rows]
        parts = [_reduce(rows == grade, starts) for grade in range(MAX_GRADE + 1)]
    elif method in ("approval", "points"):
        parts = [_reduce(units.rows[unit_rows], starts)]
    else:
        rows = units.rows[unit_rows]
        group_of = np.repeat(np.arange(groups), sizes)
        cells = (group_of * m + rows[:, 0]) * m + rows[:, 1]
        parts = [np.bincount(cells, minlength=groups * m * m).reshape(groups, m * m)]
    return np.hstack([*parts, sizes[:, None]]).astype(np.float64)


def _reduce(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums over the runs of rows that begin at ``starts``."""
    if len(starts) == len(values):
        return values.astype(np.int64)
    return np.add.reduceat(values, starts, axis=0, dtype=np.int64)


def _group_margins(rows: np.ndarray, starts: np.ndarray) -> np.ndarray:
    m = rows.shape[1]
    levels = np.ascontiguousarray(rows.T)  # one contiguous row per option
    out = np.empty((len(starts), m * (m - 1) // 2), dtype=np.int64)
    every_row = len(starts) == rows.shape[0]
    column = 0
    for i in range(m - 1):
        # +1 where option j (> i) sits on a lower level than i, i.e. i is preferred.
        signs = np.sign(levels[i + 1 :] - levels[i])
        block = signs if every_row else np.add.reduceat(signs, starts, axis=1, dtype=np.int32)
        out[:, column : column + m - 1 - i] = block.T
        column += m - 1 - i
    return out


def _first_sizes(units: _Units) -> np.ndarray:
    """Per distinct ballot the size of its first group (0: it has no first choice)."""
    return (units.rows == 0).sum(axis=1)


def _sizes_present(units: _Units) -> list[int]:
    return [int(s) for s in np.unique(_first_sizes(units)) if s > 0]


def _group_first_choices(units: _Units, unit_rows: np.ndarray, starts: np.ndarray) -> np.ndarray:
    # Counts of first places per group size stay whole numbers, so the sums stay exact;
    # the statistic divides by the size afterwards.
    on_top = units.rows == 0
    sizes = _first_sizes(units)
    blocks = [_reduce((on_top & (sizes == s)[:, None])[unit_rows], starts) for s in _sizes_present(units)]
    return np.hstack(blocks) if blocks else np.zeros((len(starts), 0), dtype=np.int64)


def _replicate_weights(rng, replicates: int, groups: int) -> np.ndarray:
    """(R × G): how often each group is drawn in each replicate (G draws with replacement)."""
    draws = rng.integers(0, groups, size=(replicates, groups), dtype=np.int64)
    flat = draws + (np.arange(replicates, dtype=np.int64) * groups)[:, None]
    counts = np.bincount(flat.ravel(), minlength=replicates * groups)
    return counts.reshape(replicates, groups).astype(np.float64)


# --- the counts, vectorised over replicates ---------------------------------------------


def _statistics(method, units: _Units, aggregates: np.ndarray, parts: dict, options) -> dict:
    """{count name: (scores (R × m) float, NaN = no score; ranks (R × m) int)}."""
    m = len(options)
    if method == "ranking":
        return _ranking_statistics(units, aggregates, m)
    if method == "score":
        return _score_statistics(aggregates, m)
    if method == "pairwise":
        strengths = parts["bradley_terry"].get("strengths") or {}
        start = np.array([float(_lookup(strengths, option, 0.0)) for option in options])
        return _pairwise_statistics(aggregates, m, start)
    totals = aggregates[:, :m]
    return {COUNTS[method][0]: (totals.astype(np.float64), _ranks(totals))}


def _ranks(scores: np.ndarray) -> np.ndarray:
    """1 + the number of options with a strictly higher score; NaN (no score) comes last."""
    if scores.dtype.kind == "f":
        scores = np.where(np.isnan(scores), -np.inf, scores)
    return 1 + (scores[:, None, :] > scores[:, :, None]).sum(axis=2)


def _ranks_from_beats(beats: np.ndarray) -> np.ndarray:
    """Ranks from a transitive 'beats' relation (R × m × m): as the tally ranks Schulze,
    the unbeaten options first, then the unbeaten among the rest, and so on."""
    r, m, _ = beats.shape
    ranks = np.zeros((r, m), dtype=np.int64)
    remaining = np.ones((r, m), dtype=bool)
    placed = np.zeros(r, dtype=np.int64)
    while remaining.any():
        beaten = (beats & remaining[:, :, None]).any(axis=1)
        top = remaining & ~beaten
        stuck = remaining.any(axis=1) & ~top.any(axis=1)
        top[stuck] = remaining[stuck]  # cannot happen for a transitive relation; never loop forever
        ranks[top] = np.broadcast_to(placed[:, None] + 1, (r, m))[top]
        placed += top.sum(axis=1)
        remaining &= ~top
    return ranks


def _margins_from(aggregates: np.ndarray, m: int) -> np.ndarray:
    upper = np.triu_indices(m, 1)
    margins = np.zeros((len(aggregates), m, m), dtype=np.int64)
    triangle = aggregates[:, : len(upper[0])]
    margins[:, upper[0], upper[1]] = triangle
    margins[:, upper[1], upper[0]] = -triangle
    return margins


def _ranking_statistics(units: _Units, aggregates: np.ndarray, m: int) -> dict:
    margins = _margins_from(aggregates, m)
    ballots = aggregates[:, -1]

    # Schulze: strongest paths with margins as link strengths (Floyd–Warshall).
    paths = np.where(margins > 0, margins, 0).astype(np.int64 if ballots.max(initial=0) >= 2**31 else np.int32)
    for k in range(m):
        np.maximum(paths, np.minimum(paths[:, :, k, None], paths[:, None, k, :]), out=paths)
    beats = paths > paths.transpose(0, 2, 1)
    beats[:, np.arange(m), np.arange(m)] = False
    schulze = (beats.sum(axis=2).astype(np.float64), _ranks_from_beats(beats))

    # Borda and Copeland doubled, so that they stay whole numbers (as the tally's halves).
    borda2 = (m - 1) * ballots[:, None] + margins.sum(axis=2)
    copeland2 = 2 * (margins > 0).sum(axis=2) + (margins == 0).sum(axis=2) - 1

    sizes = _sizes_present(units)
    first_blocks = aggregates[:, len(np.triu_indices(m, 1)[0]) : -1].reshape(len(aggregates), len(sizes), m)
    common = math.lcm(*sizes) if sizes else 1
    if common * int(ballots.max(initial=0)) < 2**53:
        scaled = (first_blocks * np.array([common // s for s in sizes], dtype=np.int64)[None, :, None]).sum(axis=1)
        first = (scaled / common, _ranks(scaled))
    else:  # many different sizes of tied first groups: fractions as floats
        shares = (first_blocks / np.array(sizes, dtype=np.float64)[None, :, None]).sum(axis=1)
        first = (shares, _ranks(shares))
    return {
        "schulze": schulze,
        "borda": (borda2 / 2.0, _ranks(borda2)),
        "copeland": (copeland2 / 2.0, _ranks(copeland2)),
        "first_choices": first,
    }


def _score_statistics(aggregates: np.ndarray, m: int) -> dict:
    grades = MAX_GRADE + 1
    counts = aggregates[:, : grades * m].reshape(len(aggregates), grades, m).transpose(0, 2, 1)  # (R, m, grade)
    ballots = aggregates[:, -1]
    graded = counts.sum(axis=2)
    totals = counts @ np.arange(grades, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(graded > 0, totals / np.maximum(graded, 1), np.nan)

    # Majority judgment: ungraded counts as the lowest grade, as in the tally.
    judged = counts.copy()
    judged[:, :, 0] += ballots[:, None] - graded
    below_or_at = np.cumsum(judged, axis=2)[:, :, :-1]  # C(g) = grades <= g, g = 0..4
    median_at = (ballots - 1) // 2
    medians = (below_or_at <= median_at[:, None, None]).sum(axis=2)
    ranks = np.empty_like(medians)
    for start in range(0, len(aggregates), _CHUNK):
        part = slice(start, start + _CHUNK)
        better = _majority_value_better(below_or_at[part], ballots[part])
        ranks[part] = 1 + better.sum(axis=1)  # better[r, b, a]: b is ahead of a
    scores = np.where(ballots[:, None] > 0, medians, np.nan).astype(np.float64)
    return {"mean": (means, _ranks(means)), "majority_judgment": (scores, ranks)}


def _majority_value_better(cumulative: np.ndarray, ballots: np.ndarray) -> np.ndarray:
    """better[r, a, b]: option a's majority value is lexicographically higher than b's.

    The majority value lists the sorted grades in the order the lower median is
    removed: position m = (N-1)//2 first, then alternately one step below and
    above (odd N: below first; even N: above first). Two sorted grade lists differ
    exactly at the positions p with C_a(g) <= p < C_b(g) (or the other way) for
    some grade g, so the first difference in that order is the differing position
    nearest to m on either side; whoever has the higher grade there is ahead.
    """
    far = np.iinfo(np.int64).max // 4
    a = cumulative[:, :, None, :]
    b = cumulative[:, None, :, :]
    low, high = np.minimum(a, b), np.maximum(a, b)
    differs = low < high
    middle = ((ballots - 1) // 2)[:, None, None, None]
    below = np.where(differs & (low <= middle), np.minimum(high - 1, middle), -1).max(axis=3)
    above = np.where(differs & (high - 1 >= middle), np.maximum(low, middle), far).min(axis=3)
    middle, odd = middle[..., 0], (ballots % 2 == 1)[:, None, None]
    # Step at which each candidate position is reached in the majority value's order.
    step_below = np.where(odd, 2 * (middle - below) - 1, 2 * (middle - below))
    step_above = np.where(odd, 2 * (above - middle), 2 * (above - middle) - 1)
    step_below = np.where(below < 0, far, np.where(below == middle, 0, step_below))
    step_above = np.where(above >= far, far, np.where(above == middle, 0, step_above))
    position = np.where(step_below <= step_above, below, above)
    grade_a = (a <= position[..., None]).sum(axis=3)
    grade_b = (b <= position[..., None]).sum(axis=3)
    return (np.minimum(step_below, step_above) < far) & (grade_a > grade_b)


def _pairwise_statistics(aggregates: np.ndarray, m: int, start: np.ndarray) -> dict:
    chances = np.full((len(aggregates), m), np.nan)
    for r, row in enumerate(aggregates):
        wins = row[: m * m].reshape(m, m).astype(np.float64)
        if m >= 2:
            chances[r] = win_chances(_strengths(wins, start))
    # Ties as in the tally: percentages rounded to TIE_DECIMALS first.
    rounded = np.array([[round(x, TIE_DECIMALS) for x in row] for row in chances.tolist()]).reshape(chances.shape)
    return {"bradley_terry": (chances, _ranks(rounded))}


def _strengths(wins: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The tally's Bradley–Terry fit (choix ILSR, same alpha), from the point estimate."""
    if not wins.any():
        return np.zeros(len(wins))
    try:
        return choix.ilsr_pairwise_dense(wins, alpha=ALPHA, initial_params=start, max_iter=500)
    except RuntimeError:
        return choix.lsr_pairwise_dense(wins, alpha=ALPHA)


def _budget_statistics(
    units: _Units, layout, weights: np.ndarray, aggregates: np.ndarray, options, costs, settings, parts
):
    """A participatory budget's replicates: both counts score the points; greedy places
    by points, the Method of Equal Shares puts what it funds first, in its order, then the
    rest by points. Each replicate runs the Method of Equal Shares once on its own
    ballots (how often each distinct ballot was drawn, from the groups it drew), with
    the share per voter at which the count's Add1 completion stopped, then fills by
    points (``voting.tally.budget.SharesAt``, which finds each measure's supporters
    among the distinct ballots once for all replicates): Add1's own search per
    replicate would cost one run per unit of share, 185 runs for Warsaw's city-wide
    budget."""
    m = len(options)
    budget = settings["budget"]
    totals = aggregates[:, :m]
    scores = totals.astype(np.float64)
    greedy_ranks = _ranks(totals)
    greedy_selected = _selected_shares(totals, options, costs, budget)
    money = np.array([float(_lookup(costs, option)) for option in options], dtype=np.float64)
    funded = np.zeros(totals.shape, dtype=bool)
    ranks = np.zeros(totals.shape, dtype=np.int64)
    drawn = _drawn_units(units, layout, weights)
    share = parts["equal_shares"].get("share") or float(budget) / max(1, int(units.counts.sum()))
    at_share = SharesAt(money, float(budget), units.rows.astype(np.int64))
    for r in range(len(weights)):
        taken = at_share(next(drawn), share)
        order = np.fromiter(taken, dtype=np.int64, count=len(taken))
        funded[r, order] = True
        ranks[r, order] = np.arange(1, len(order) + 1)
        rest = ~funded[r]
        # Behind what is funded, by points: 1 + funded + the rest with more points.
        rest_totals = np.where(rest, totals[r], -1)
        ranks[r, rest] = 1 + len(order) + (rest_totals[None, :] > totals[r, rest][:, None]).sum(axis=1)
    replicated = {"greedy": (scores, greedy_ranks), "equal_shares": (scores, ranks)}
    return replicated, {"greedy": greedy_selected, "equal_shares": funded.mean(axis=0)}


def _drawn_units(units: _Units, layout, weights: np.ndarray):
    """Per replicate, how often each distinct ballot was drawn: a group's weight counts
    for every ballot in it. One sparse (G × U) matrix of the groups' make-up, multiplied
    by the weights of a chunk of replicates at a time (exact: whole numbers)."""
    unit_rows, starts = layout
    groups = len(starts)
    group_of = np.repeat(np.arange(groups), np.diff(np.append(starts, len(unit_rows))))
    make_up = scipy.sparse.csr_matrix((np.ones(len(unit_rows)), (group_of, unit_rows)), shape=(groups, len(units.rows)))
    for start in range(0, len(weights), _CHUNK):
        block = np.rint((make_up.T @ weights[start : start + _CHUNK].T).T).astype(np.int64)
        yield from block


def _selected_shares(totals: np.ndarray, options, costs, budget) -> np.ndarray:
    """Per option the share of replicates in which the budget rule funds it: walk down by
    points (ties in option order), take what has points and still fits."""
    exact = [cost if isinstance(cost, Decimal) else Decimal(str(cost)) for cost in (costs[o] for o in options)]
    whole = Decimal(budget) if isinstance(budget, Decimal) else Decimal(str(budget))
    totals = np.rint(totals).astype(np.int64)
    orders = np.argsort(-totals, axis=1, kind="stable")
    chosen = np.zeros(totals.shape, dtype=np.int64)
    for r, order in enumerate(orders.tolist()):
        left = whole
        for i in order:
            if totals[r, i] > 0 and exact[i] <= left:
                chosen[r, i] = 1
                left -= exact[i]
    return chosen.mean(axis=0)


# --- summaries and notes -------------------------------------------------------------


# Counts whose scores are whole numbers.
_WHOLE = {"approval", "points", "schulze", "majority_judgment", "greedy", "equal_shares"}


def _lookup(mapping, option, default=None):
    """A value by option id, whether the keys are ints or (after JSON) strings."""
    if option in mapping:
        return mapping[option]
    return mapping.get(str(option), default)


def _point_parts(method, count) -> dict:
    if method in ("ranking", "score", "budget"):
        return {name: count[name] for name in COUNTS[method]}
    return {COUNTS[method][0]: count}


def _places(ranking) -> dict:
    """Place per option from tie groups: 1 + the options in earlier groups."""
    places, ahead = {}, 0
    for group in ranking:
        for option in group:
            places[int(option)] = ahead + 1
        ahead += len(group)
    return places


def _number(value, whole: bool):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if whole else round(float(value), DECIMALS)


def _percentiles(values: np.ndarray):
    """Per column the ⌈2.5 %⌉-th and ⌈97.5 %⌉-th smallest non-NaN value (None: no value)."""
    ordered = np.sort(values.astype(np.float64), axis=0)  # NaN sorts last
    valid = (~np.isnan(ordered)).sum(axis=0)
    lows, highs = [], []
    for column, count in enumerate(valid.tolist()):
        if not count:
            lows.append(None)
            highs.append(None)
            continue
        low = max(1, -(-count * _LOW // 1000))
        high = max(1, -(-count * _HIGH // 1000))
        lows.append(float(ordered[low - 1, column]))
        highs.append(float(ordered[high - 1, column]))
    return lows, highs


def _summary(options, part, scores, ranks, selected, name) -> dict:
    ranking = [[int(o) for o in group] for group in part.get("ranking") or []]
    places = _places(ranking)
    point_scores = part.get("scores") or {}
    whole = name in _WHOLE
    per_option = {}
    if scores is None:
        for option in options:
            per_option[option] = {
                "score": _number(_lookup(point_scores, option), whole),
                "score_interval": None,
                "rank": places.get(option),
                "rank_interval": None,
                "first_share": None,
            }
        return {"ranking": ranking, "options": per_option, "separation": [], "notes": _no_data_notes()}

    score_low, score_high = _percentiles(scores)
    rank_low, rank_high = _percentiles(ranks)
    first_shares = (ranks == 1).mean(axis=0)
    for i, option in enumerate(options):
        point, place = _lookup(point_scores, option), places.get(option)
        low, high = score_low[i], score_high[i]
        if point is not None and low is not None:  # never leave out the point estimate
            low, high = min(low, float(point)), max(high, float(point))
        r_low, r_high = int(rank_low[i]), int(rank_high[i])
        if place is not None:
            r_low, r_high = min(r_low, place), max(r_high, place)
        entry = {
            "score": _number(point, whole),
            "score_interval": None if low is None else [_number(low, whole), _number(high, whole)],
            "rank": place,
            "rank_interval": [r_low, r_high],
            "first_share": round(float(first_shares[i]), DECIMALS),
        }
        if selected is not None:
            entry["selected_share"] = round(float(selected[i]), DECIMALS)
        per_option[option] = entry
    separation = _separation(ranking, per_option)
    return {"ranking": ranking, "options": per_option, "separation": separation, "notes": _notes(separation)}


def _separation(ranking, per_option) -> list[dict]:
    """Blocks of consecutive places of the point ranking whose rank intervals overlap.

    The boundary after place p is clear when every option on places 1..p has a rank
    interval ending above (before) the start of every interval on the places below.
    """
    order = [option for group in ranking for option in group]
    if not order:
        return []
    lows = [per_option[o]["rank_interval"][0] for o in order]
    highs = [per_option[o]["rank_interval"][1] for o in order]
    blocks, start, highest = [], 0, 0
    suffix_low = lows[:]
    for p in range(len(order) - 2, -1, -1):
        suffix_low[p] = min(lows[p], suffix_low[p + 1])
    for p in range(len(order)):
        highest = max(highest, highs[p])
        if p == len(order) - 1 or highest < suffix_low[p + 1]:
            members = order[start : p + 1]
            blocks.append({"places": [start + 1, p + 1], "options": members, "clear": len(members) == 1})
            start = p + 1
    return blocks


def _notes(separation) -> dict:
    de, en = [], []
    if len(separation) < 2 and (not separation or separation[0]["clear"]):
        return {"de": de, "en": en}  # one option or none: nothing to separate
    if all(block["clear"] for block in separation):
        de.append("Alle Plätze sind klar voneinander getrennt, auch Platz 1.")
        en.append("All places are clearly separated, place 1 included.")
        return {"de": de, "en": en}
    if separation[0]["clear"]:
        de.append("Platz 1 ist klar von den folgenden Plätzen getrennt.")
        en.append("Place 1 is clearly separated from the places below.")
    for block in separation:
        first, last = block["places"]
        if block["clear"]:
            continue
        if last == first + 1:
            de.append(f"Die Plätze {first} und {last} sind nicht klar voneinander getrennt.")
            en.append(f"Places {first} and {last} are not clearly separated.")
        else:
            de.append(f"Die Plätze {first} bis {last} sind nicht klar voneinander getrennt.")
            en.append(f"Places {first} to {last} are not clearly separated.")
    return {"de": de, "en": en}


def _no_data_notes() -> dict:
    return {
        "de": ["Noch keine Stimmen: Es gibt nichts, woraus sich Spannen berechnen ließen."],
        "en": ["No votes yet: there is nothing to compute ranges from."],
    }


def _german_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _explanation(replicates, unit, n_units, groups) -> dict:
    unit_de = "Vergleiche" if unit == "comparisons" else "Stimmzettel"
    de = (
        f"Jede Spanne zeigt, wo Wert und Platz einer Maßnahme bei 95 % von {_german_number(replicates)} "
        f"Nachzählungen lagen; für jede Nachzählung wurden die {unit_de} zufällig und mit Zurücklegen neu "
        "gezogen (Bootstrap). Überlappen sich die Spannen mehrerer Plätze, ist ihre Reihenfolge nicht klar."
    )
    en = (
        f"Each range shows where a measure's value and place fell in 95% of {replicates:,} recounts, each "
        f"on {unit} drawn again at random with replacement (bootstrap). Where the ranges of several places "
        "overlap, their order is not clear."
    )
    if n_units > groups:
        de += (
            f" Bei mehr als {_german_number(MAX_GROUPS)} {unit_de}n werden zufällig gebildete Blöcke gezogen; "
            "das ergibt dieselbe Streuung."
        )
        en += f" With more than {MAX_GROUPS:,} {unit}, randomly formed blocks are drawn; this gives the same spread."
    return {"de": de, "en": en}
