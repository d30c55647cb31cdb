"""Helpers shared by all counting methods."""

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np


def unique_options(options: Iterable[int]) -> list[int]:
    """The options in their given order, each once."""
    return list(dict.fromkeys(options))


def rank_groups(scores: Mapping[Hashable, Any], higher_is_better: bool = True) -> list[list]:
    """Turn scores into a ranking of tie groups: ``[[best, ...], [next, ...], ...]``.

    Options with equal scores share a group. Within a group the options keep the
    order of ``scores`` (the sort is stable). Scores only need to be comparable with
    each other (numbers, tuples, bytes). An option whose score is ``None`` has no
    score at all and is put in one last group.
    """
    scored = [(option, value) for option, value in scores.items() if value is not None]
    unscored = [option for option, value in scores.items() if value is None]
    # Python's sort stays stable with reverse=True, so ties keep their order.
    scored.sort(key=lambda item: item[1], reverse=higher_is_better)
    groups: list[list] = []
    previous: Any = None
    for option, value in scored:
        if groups and value == previous:
            groups[-1].append(option)
        else:
            groups.append([option])
        previous = value
    if unscored:
        groups.append(unscored)
    return groups


def share(part: float, whole: float) -> float:
    """part / whole, and 0.0 when there is nothing to divide."""
    return part / whole if whole else 0.0


def option_columns(options: list[int], ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each id its index in ``options``, and a mask of the ids that are options at all."""
    if not options or not len(ids):
        return np.zeros(len(ids), dtype=np.intp), np.zeros(len(ids), dtype=bool)
    opts = np.asarray(options, dtype=np.int64)
    low = min(int(opts.min()), int(ids.min()))
    span = max(int(opts.max()), int(ids.max())) - low + 1
    if span <= max(1 << 20, 4 * len(ids)):
        # Database ids are dense: a lookup table beats a binary search.
        table = np.full(span, -1, dtype=np.int32)
        table[opts - low] = np.arange(len(opts))
        columns = table[ids - low]
        known = columns >= 0
        return (columns if known.all() else np.where(known, columns, 0)), known
    order = np.argsort(opts, kind="stable")
    place = np.minimum(np.searchsorted(opts[order], ids), len(opts) - 1)
    return order[place], opts[order][place] == ids
