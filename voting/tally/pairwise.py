"""Pairwise comparisons (wiki survey): Bradley–Terry strengths and the next pair.

A comparison is ``(winner, loser)``; "can't decide" answers are no comparison.

The strengths θ of the Bradley–Terry model, P(i beats j) = e^θi / (e^θi + e^θj),
are the maximum-likelihood estimate of choix's iterative Luce spectral ranking
(``choix.ilsr_pairwise_dense``) on the matrix of win counts. ``alpha`` is choix's
regularisation: a small constant rate between every pair of options in the LSR
Markov chain, relative to the win counts. It keeps the strength of a measure that
never lost (or never won) finite and pulls rarely compared measures towards the
average; with thousands of comparisons its effect vanishes.

The score shown to citizens is "the chance that this measure wins against a
randomly chosen other one": the mean over all other options j of P(i beats j), as
a percentage. Over all options these average exactly 50.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

import choix
import numpy as np

from .common import option_columns, rank_groups, unique_options

ALPHA = 0.1
# Percentages are rounded to this many decimals before ties are formed, so that
# options with equal data are not split by floating-point noise.
TIE_DECIMALS = 9


def win_matrix(options: list[int], comparisons: Sequence[tuple[int, int]]) -> np.ndarray:
    """wins[i, j]: how often option i beat option j. Unknown ids and self-pairs are dropped."""
    m = len(options)
    n = len(comparisons)
    if not m or not n:
        return np.zeros((m, m), dtype=np.int64)
    flat = np.fromiter(chain.from_iterable(comparisons), dtype=np.int64, count=2 * n)
    winners, known_w = option_columns(options, flat[0::2])
    losers, known_l = option_columns(options, flat[1::2])
    keep = known_w & known_l & (winners != losers)
    return np.bincount(winners[keep] * m + losers[keep], minlength=m * m).reshape(m, m)


def strengths(wins: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """Bradley–Terry log-strengths (mean 0) from a win-count matrix."""
    m = wins.shape[0]
    if m < 2 or not wins.any():
        return np.zeros(m)
    try:
        return choix.ilsr_pairwise_dense(wins.astype(float), alpha=alpha, max_iter=500)
    except RuntimeError:
        # Not converged to choix's tolerance: one more pass of plain LSR from its
        # default start is still a usable estimate, and counting must not fail.
        return choix.lsr_pairwise_dense(wins.astype(float), alpha=alpha)


def win_chances(theta: np.ndarray) -> np.ndarray:
    """Percentage chance of each option to beat a randomly chosen other one."""
    m = len(theta)
    if m < 2:
        return np.full(m, np.nan)
    # P[i, j] = 1 / (1 + e^(θj - θi)), written with tanh to stay stable for large gaps.
    p = 0.5 * (1.0 + np.tanh((theta[:, None] - theta[None, :]) / 2.0))
    np.fill_diagonal(p, 0.0)
    return 100.0 * p.sum(axis=1) / (m - 1)


def bradley_terry(options: Sequence[int], comparisons: Sequence[tuple[int, int]], alpha: float = ALPHA) -> dict:
    """Count a wiki survey.

    Returns ``scores`` (chance to win against a random other option, 0..100; None
    when there is no other option), ``strengths`` (θ, mean 0), ``appearances``
    (comparisons each option took part in), ``wins``, ``comparisons`` (counted in
    total) and the ``ranking``.
    """
    options = unique_options(options)
    wins = win_matrix(options, comparisons)
    theta = strengths(wins, alpha)
    chances = win_chances(theta)
    appearances = wins.sum(axis=0) + wins.sum(axis=1)
    scores = {o: (None if np.isnan(chances[i]) else float(chances[i])) for i, o in enumerate(options)}
    rounded = {o: (None if s is None else round(s, TIE_DECIMALS)) for o, s in scores.items()}
    return {
        "method": "bradley_terry",
        "comparisons": int(wins.sum()),
        "ranking": rank_groups(rounded),
        "scores": scores,
        "strengths": {o: float(theta[i]) for i, o in enumerate(options)},
        "appearances": {o: int(appearances[i]) for i, o in enumerate(options)},
        "wins": {o: int(wins[i].sum()) for i, o in enumerate(options)},
    }


def _weighted_pick(candidates: list[int], weights: list[float], rng) -> int:
    # Only rng.random() is used, so random.Random, SystemRandom and numpy's
    # Generator all work, and a seeded rng gives the same pairs.
    point = rng.random() * sum(weights)
    for candidate, weight in zip(candidates, weights, strict=True):
        point -= weight
        if point < 0:
            return candidate
    return candidates[-1]


def next_pair(
    options: Sequence[int],
    appearances: Mapping[int, int],
    recent_pairs: Iterable[tuple[int, int]],
    rng,
) -> tuple[int, int] | None:
    """The next two options to show, or None with fewer than two options.

    Little-seen options come first: the first option is drawn with probability
    proportional to 1 / (1 + its appearances), the second the same way among the
    others. Pairs in ``recent_pairs`` (in either order) are avoided while another
    pair is possible. The two are returned in random order, so that neither side of
    the screen is favoured.
    """
    options = unique_options(options)
    if len(options) < 2:
        return None
    known = set(options)
    recent = {frozenset(pair) for pair in recent_pairs if len(set(pair)) == 2 and set(pair) <= known}
    weight = {o: 1.0 / (1.0 + max(appearances.get(o, 0), 0)) for o in options}
    blocked = Counter(chain.from_iterable(recent))
    firsts = [o for o in options if blocked[o] < len(options) - 1]
    if not firsts:  # every pair was shown recently: allow repeats
        recent = set()
        firsts = options
    first = _weighted_pick(firsts, [weight[o] for o in firsts], rng)
    others = [o for o in options if o != first and frozenset((first, o)) not in recent]
    second = _weighted_pick(others, [weight[o] for o in others], rng)
    return (first, second) if rng.random() < 0.5 else (second, first)
