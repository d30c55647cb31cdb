"""Ballot profiles for the uncertainty and comparison tests (seeded, so every run sees the same)."""

import numpy as np

# Measure ids deliberately not 0..n-1, so that a mix-up of ids and positions shows.
OPTIONS = [21, 22, 23, 24, 25, 26]


def approvals_with_exact_counts(options, approvals, n_ballots, seed=1):
    """Approval ballots in which option i is approved by exactly approvals[i] ballots,
    spread over the ballots at random."""
    rng = np.random.default_rng(seed)
    chosen = np.zeros((n_ballots, len(options)), dtype=bool)
    for column, count in enumerate(approvals):
        chosen[rng.permutation(n_ballots)[:count], column] = True
    ids = np.asarray(options)
    return [ids[row].tolist() for row in chosen]


def rankings(options, n_ballots, liked, seed=2):
    """Strict rankings with a signal: higher ``liked`` tends to be ranked higher."""
    rng = np.random.default_rng(seed)
    noise = rng.gumbel(size=(n_ballots, len(options)))
    order = np.argsort(-(np.asarray(liked, dtype=float) + noise), axis=1)
    return [[[options[i]] for i in row] for row in order.tolist()]


def rankings_with_ties(options, n_ballots, seed=3):
    """Partial rankings, some with tied groups, some with an unknown id."""
    rng = np.random.default_rng(seed)
    ballots = []
    for _ in range(n_ballots):
        order = [int(x) for x in rng.permutation(options + [999])][: int(rng.integers(1, len(options) + 1))]
        groups = []
        for option in order:
            if groups and rng.random() < 0.3:
                groups[-1].append(option)
            else:
                groups.append([option])
        ballots.append(groups)
    return ballots


def scores(options, n_ballots, seed=4, graded=0.8):
    rng = np.random.default_rng(seed)
    ballots = []
    for i in range(n_ballots):
        ballot = {o: int(min(5, max(0, round(1 + k * 0.6 + rng.normal(0, 1.2))))) for k, o in enumerate(options)}
        ballots.append({o: g for o, g in ballot.items() if rng.random() < graded} or {options[i % len(options)]: 3})
    return ballots


def points(options, n_ballots, seed=5, budget=10):
    rng = np.random.default_rng(seed)
    weights = np.arange(1, len(options) + 1, dtype=float)
    picks = rng.multinomial(budget, weights / weights.sum(), size=n_ballots)
    return [{o: int(p) for o, p in zip(options, row, strict=True) if p} for row in picks.tolist()]


def comparisons(options, n, seed=6):
    rng = np.random.default_rng(seed)
    theta = np.linspace(1.0, -1.0, len(options))
    left = rng.integers(0, len(options), n)
    right = (left + rng.integers(1, len(options), n)) % len(options)
    left_wins = rng.random(n) < 1.0 / (1.0 + np.exp(theta[right] - theta[left]))
    return [
        (options[a], options[b]) if won else (options[b], options[a])
        for a, b, won in zip(left.tolist(), right.tolist(), left_wins.tolist(), strict=True)
    ]


def every_method():
    """(method, settings, data, costs) for each counting method."""
    budget_ballots = [dict.fromkeys(ballot, 1) for ballot in points(OPTIONS, 400, seed=7, budget=3)]
    return [
        ("approval", {}, approvals_with_exact_counts(OPTIONS, [300, 250, 200, 200, 120, 40], 500), None),
        ("score", {}, scores(OPTIONS, 400), None),
        ("ranking", {}, rankings(OPTIONS, 400, [1.0, 0.8, 0.5, 0.5, 0.1, -0.5]), None),
        ("ranking", {}, rankings_with_ties(OPTIONS, 300), None),
        ("points", {}, points(OPTIONS, 400), None),
        (
            "points",
            {"use_costs": True, "budget": 30_000},
            budget_ballots,
            {21: 10_000, 22: 12_000, 23: 8_000, 24: 15_000, 25: 5_000, 26: 9_000},
        ),
        ("pairwise", {}, comparisons(OPTIONS, 1500), None),
    ]
