"""Score voting: each ballot grades measures from 0 to ``max_grade`` (default 5).

Two counts of the same ballots:

- mean: the average of the grades an option received. An option left ungraded on
  a ballot is ignored there (not counted as 0); ``counts`` says how many grades
  each mean rests on, so a mean of few grades can be told apart.
- majority judgment (Balinski & Laraki): an option's majority grade is the median
  of its grades, the lower median for an even number. Here an option left
  ungraded counts as the lowest grade, as on the ballots of Mieux Voter: every
  option is judged by all ballots, so a measure graded by only a handful of
  enthusiasts cannot win, and Balinski & Laraki's tie-break applies unchanged (it
  needs the same number of grades for every option). Ties are broken by the
  *majority value*: the sequence of medians obtained by repeatedly removing one
  median grade, compared lexicographically (Balinski & Laraki 2010, ch. 13; not
  the shorter majority-gauge approximation). Options with equal sequences stay
  tied.
"""

from collections.abc import Mapping, Sequence
from itertools import chain
from operator import methodcaller

import numpy as np

from .common import option_columns, rank_groups, unique_options

MAX_GRADE = 5


def _grade_counts(options: list[int], ballots: Sequence[Mapping[int, int]], max_grade: int) -> np.ndarray:
    """counts[i, g]: how many ballots gave option i the grade g (explicit grades only)."""
    counts = np.zeros((len(options), max_grade + 1), dtype=np.int64)
    if not options or not ballots:
        return counts
    n_grades = sum(map(len, ballots))
    ids = np.fromiter(chain.from_iterable(ballots), dtype=np.int64, count=n_grades)
    grades = np.fromiter(chain.from_iterable(map(methodcaller("values"), ballots)), dtype=np.int64, count=n_grades)
    if n_grades and (grades.min() < 0 or grades.max() > max_grade):
        raise ValueError(f"Grades go from 0 to {max_grade}.")
    columns, known = option_columns(options, ids)
    flat = columns[known] * (max_grade + 1) + grades[known]
    counts += np.bincount(flat, minlength=counts.size).reshape(counts.shape)
    return counts


def score_mean(options: Sequence[int], ballots: Sequence[Mapping[int, int]], max_grade: int = MAX_GRADE) -> dict:
    """Mean grade per option (ungraded ignored); options nobody graded come last."""
    options = unique_options(options)
    counts = _grade_counts(options, ballots, max_grade)
    return _mean_result(options, counts, len(ballots))


def _mean_result(options, counts, n_ballots) -> dict:
    n = counts.sum(axis=1)
    total = counts @ np.arange(counts.shape[1])
    means = {option: (float(total[i] / n[i]) if n[i] else None) for i, option in enumerate(options)}
    return {
        "method": "mean",
        "ballots": n_ballots,
        "ranking": rank_groups(means),
        "scores": means,
        "counts": {option: int(n[i]) for i, option in enumerate(options)},
    }


def majority_judgment(options: Sequence[int], ballots: Sequence[Mapping[int, int]], max_grade: int = MAX_GRADE) -> dict:
    """Majority judgment with Balinski & Laraki's tie-break (ungraded = lowest grade)."""
    options = unique_options(options)
    counts = _grade_counts(options, ballots, max_grade)
    return _majority_judgment_result(options, counts, len(ballots))


def _median_order(n: int) -> np.ndarray:
    """Positions in a sorted list of n grades, in the order the lower median is removed.

    n = 5: 2, 1, 3, 0, 4.  n = 4: 1, 2, 0, 3.
    """
    k = np.arange(n)
    step = (k + 1) // 2
    # odd n: after the middle, first the lower neighbour; even n: first the upper one.
    sign = np.where(k % 2 == 1, -1, 1) if n % 2 else np.where(k % 2 == 1, 1, -1)
    return (n - 1) // 2 + sign * step


def _majority_judgment_result(options, counts, n_ballots) -> dict:
    graded = counts.sum(axis=1)
    judged = counts.copy()
    judged[:, 0] += n_ballots - graded
    order = _median_order(n_ballots)
    grade_values = np.arange(judged.shape[1], dtype=np.uint8)
    medians, majority_values, above, below = {}, {}, {}, {}
    for i, option in enumerate(options):
        if not n_ballots:
            medians[option] = majority_values[option] = None
            above[option] = below[option] = 0
            continue
        sorted_grades = np.repeat(grade_values, judged[i])
        median = int(sorted_grades[(n_ballots - 1) // 2])
        medians[option] = median
        # bytes compare lexicographically, and all have the same length.
        majority_values[option] = sorted_grades[order].tobytes()
        above[option] = int(judged[i, median + 1 :].sum())
        below[option] = int(judged[i, :median].sum())
    return {
        "method": "majority_judgment",
        "ballots": n_ballots,
        "ranking": rank_groups(majority_values),
        "scores": medians,
        "grades": {option: [int(c) for c in judged[i]] for i, option in enumerate(options)},
        "graded": {option: int(graded[i]) for i, option in enumerate(options)},
        "above": above,
        "below": below,
    }


def count_score(options: Sequence[int], ballots: Sequence[Mapping[int, int]], max_grade: int = MAX_GRADE) -> dict:
    """Both counts of a score consultation from one pass over the ballots."""
    options = unique_options(options)
    counts = _grade_counts(options, ballots, max_grade)
    return {
        "method": "score",
        "ballots": len(ballots),
        "mean": _mean_result(options, counts, len(ballots)),
        "majority_judgment": _majority_judgment_result(options, counts, len(ballots)),
    }
