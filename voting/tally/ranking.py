"""Ranked ballots: Schulze, with Borda, Copeland and first choices beside it.

A ballot is a list of groups in order of preference, ``[[3], [1, 7], [2]]``: the
ids in one group are tied, and options the ballot does not mention are tied with
each other below all ranked ones. Every method here reads the ballots as these
weak orders.

Speed: the ballots are turned into one array of rank levels (one row per ballot,
built from flattened ballots, without a Python loop per ballot), identical rows are
merged with a count (real profiles repeat), and the pairwise comparisons are
vectorised with numpy, one column block per option.
"""

from collections.abc import Sequence
from fractions import Fraction
from itertools import chain

import numpy as np

from .common import option_columns, rank_groups, unique_options

Ballot = Sequence[Sequence[int]]


class FlatRankings(Sequence):
    """Ranked ballots as flat arrays, for large counts read straight from a ballot file.

    ``groups_per_ballot[b]`` is the number of groups of ballot b, ``group_sizes`` the
    size of every group (ballots after each other) and ``ids`` every id in that order.
    It reads like the list of ballots it stands for (``len``, indexing, iteration
    give nested lists), while :class:`RankedProfile` takes the arrays as they are,
    without a Python object per id. A profile is kept per option list, so that the
    count and the bootstrap of the same ballots build it once.
    """

    def __init__(self, groups_per_ballot: np.ndarray, group_sizes: np.ndarray, ids: np.ndarray):
        self.groups_per_ballot = np.asarray(groups_per_ballot, dtype=np.int64)
        self.group_sizes = np.asarray(group_sizes, dtype=np.int64)
        self.ids = np.asarray(ids, dtype=np.int64)
        if int(self.groups_per_ballot.sum()) != len(self.group_sizes) or int(self.group_sizes.sum()) != len(self.ids):
            raise ValueError("The arrays of flat rankings do not fit together.")
        self._profiles = {}

    @classmethod
    def from_ballots(cls, ballots: Sequence[Ballot]) -> "FlatRankings":
        groups = list(chain.from_iterable(ballots))
        return cls(
            np.fromiter(map(len, ballots), dtype=np.int64, count=len(ballots)),
            np.fromiter(map(len, groups), dtype=np.int64, count=len(groups)),
            np.fromiter(chain.from_iterable(groups), dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.groups_per_ballot)

    def _group_starts(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.groups_per_ballot)])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]
        group_starts = self._group_starts()
        entry_starts = np.concatenate([[0], np.cumsum(self.group_sizes)])
        first, last = int(group_starts[index]), int(group_starts[index + 1])
        return [self.ids[entry_starts[g] : entry_starts[g + 1]].tolist() for g in range(first, last)]

    def __iter__(self):
        flat = self.ids.tolist()
        sizes = self.group_sizes.tolist()
        position = group = 0
        for count in self.groups_per_ballot.tolist():
            ballot = []
            for size in sizes[group : group + count]:
                ballot.append(flat[position : position + size])
                position += size
            group += count
            yield ballot

    def take(self, keep: np.ndarray) -> "FlatRankings":
        """The ballots where ``keep`` (a boolean mask over ballots) is true."""
        keep = np.asarray(keep, dtype=bool)
        group_keep = np.repeat(keep, self.groups_per_ballot)
        entry_keep = np.repeat(group_keep, self.group_sizes)
        return FlatRankings(self.groups_per_ballot[keep], self.group_sizes[group_keep], self.ids[entry_keep])

    def profile(self, options: Sequence[int]) -> "RankedProfile":
        key = tuple(options)
        if key not in self._profiles:
            self._profiles[key] = RankedProfile(options, self)
        return self._profiles[key]


def ranked_profile(options: Sequence[int], ballots: Sequence[Ballot]) -> "RankedProfile":
    """The profile of these ballots; flat rankings keep theirs for the next count."""
    if isinstance(ballots, FlatRankings):
        return ballots.profile(options)
    return RankedProfile(options, ballots)


class RankedProfile:
    """The ballots as rank levels: ``rows[b, i]`` is the level of option i on row b
    (0 = first group, higher = worse), ``weights[b]`` how many ballots have row b."""

    def __init__(self, options: Sequence[int], ballots: Sequence[Ballot]):
        self.options = unique_options(options)
        self.n_ballots = len(ballots)
        m = len(self.options)
        if not m or not self.n_ballots:
            self.rows = np.zeros((0, m), dtype=np.int8)
            self.weights = np.zeros(0, dtype=np.int64)
            self.first = dict.fromkeys(self.options, Fraction(0))
            return
        if isinstance(ballots, FlatRankings):
            groups_per_ballot, ids, n_groups = ballots.groups_per_ballot, ballots.ids, len(ballots.group_sizes)
            group_sizes = ballots.group_sizes
            single = bool((group_sizes == 1).all())
        else:
            groups_per_ballot = np.fromiter(map(len, ballots), dtype=np.int64, count=self.n_ballots)
            n_groups = int(groups_per_ballot.sum())
            ids = np.fromiter(chain.from_iterable(chain.from_iterable(ballots)), dtype=np.int64)
            group_sizes = None
            # As many ids as groups and no empty group: every group holds one id. This
            # check is much cheaper than reading every group's size.
            single = len(ids) == n_groups and all(chain.from_iterable(ballots))
        ballot_of_group, level_of_group = _group_positions(groups_per_ballot, n_groups)
        if single:
            group_of_entry = None
            ballot_of_entry, level_of_entry = ballot_of_group, level_of_group
        else:
            if group_sizes is None:
                group_sizes = np.fromiter(map(len, chain.from_iterable(ballots)), dtype=np.int64, count=n_groups)
            group_of_entry = np.repeat(np.arange(n_groups), group_sizes)
            ballot_of_entry, level_of_entry = ballot_of_group[group_of_entry], level_of_group[group_of_entry]
        columns, known = option_columns(self.options, ids)

        # Unranked options sit on the level after the ballot's last group.
        lowest = int(groups_per_ballot.max())
        dtype = np.int8 if lowest <= 127 else np.int16 if lowest <= 32767 else np.int32
        rows = np.empty((self.n_ballots, m), dtype=dtype)
        rows[:] = groups_per_ballot.astype(dtype)[:, None]
        if known.all():
            rows[ballot_of_entry, columns] = level_of_entry
        else:
            rows[ballot_of_entry[known], columns[known]] = level_of_entry[known]

        self.first = _first_choices(self.options, columns, known, level_of_entry, group_of_entry, n_groups)
        self.rows, self.weights = _merge_identical(rows)


def _group_positions(groups_per_ballot: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """For each group (flattened over all ballots): its ballot and its level within it.

    Built with cumulative sums over step marks at each ballot's first group.
    """
    nonempty = np.flatnonzero(groups_per_ballot)
    if not n_groups:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    starts = (np.cumsum(groups_per_ballot) - groups_per_ballot)[nonempty]
    ballot_steps = np.zeros(n_groups, dtype=np.int32)
    ballot_steps[starts[0]] = nonempty[0]
    ballot_steps[starts[1:]] = np.diff(nonempty)
    level_steps = np.ones(n_groups, dtype=np.int32)
    level_steps[starts[0]] = 0
    level_steps[starts[1:]] = 1 - groups_per_ballot[nonempty[:-1]]
    return np.cumsum(ballot_steps, dtype=np.int32), np.cumsum(level_steps, dtype=np.int32)


def _first_choices(options, columns, known, level_of_entry, group_of_entry, n_groups) -> dict:
    """Each ballot's first group, one vote split evenly over its members (exact fractions)."""
    m = len(options)
    on_top = known & (level_of_entry == 0)
    if group_of_entry is None:
        whole = np.bincount(columns[on_top], minlength=m)
        return {option: Fraction(int(whole[i])) for i, option in enumerate(options)}
    size = np.bincount(group_of_entry[on_top], minlength=n_groups)[group_of_entry[on_top]]
    keys, counts = np.unique(columns[on_top] * (int(size.max(initial=1)) + 1) + size, return_counts=True)
    first = dict.fromkeys(options, Fraction(0))
    for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
        column, group_size = divmod(key, int(size.max(initial=1)) + 1)
        first[options[column]] += Fraction(count, group_size)
    return first


def _merge_identical(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique rows and how often each occurs (sorting the rows as raw bytes)."""
    rows = np.ascontiguousarray(rows)
    as_bytes = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    unique, counts = np.unique(as_bytes, return_counts=True)
    return unique.view(rows.dtype).reshape(-1, rows.shape[1]), counts.astype(np.int64)


def _margins(profile: RankedProfile) -> np.ndarray:
    """margins[i, j] = ballots ranking i above j minus ballots ranking j above i."""
    m = len(profile.options)
    margins = np.zeros((m, m), dtype=np.int64)
    levels = np.ascontiguousarray(profile.rows.T)  # one contiguous row per option
    weights = profile.weights
    unweighted = bool((weights == 1).all())
    for i in range(m - 1):
        # +1 where option j (> i) sits on a lower level than i, i.e. i is preferred.
        signs = np.sign(levels[i + 1 :] - levels[i])
        if unweighted:
            margins[i, i + 1 :] = signs.sum(axis=1, dtype=np.int64)
        else:
            margins[i, i + 1 :] = np.einsum("jb,b->j", signs, weights)
    return margins - margins.T


def margin_matrix(options: Sequence[int], ballots: Sequence[Ballot]) -> np.ndarray:
    """The pairwise margin matrix, rows and columns in the order of ``options``
    (duplicates dropped): ``M[i, j] = #(i over j) - #(j over i)``."""
    return _margins(ranked_profile(options, ballots))


def _as_nested(options: list[int], matrix: np.ndarray) -> dict:
    return {a: {b: int(matrix[i, j]) for j, b in enumerate(options) if i != j} for i, a in enumerate(options)}


def strongest_paths(margins: np.ndarray) -> np.ndarray:
    """Schulze's strongest path strengths, with the margin as the strength of a link.

    Floyd–Warshall, one vectorised step per intermediate option. Only links with a
    positive margin exist; 0 means no path.
    """
    paths = np.where(margins > 0, margins, 0)
    for k in range(paths.shape[0]):
        np.maximum(paths, np.minimum(paths[:, k, None], paths[None, k, :]), out=paths)
    np.fill_diagonal(paths, 0)
    return paths


def _schulze_result(options: list[int], n_ballots: int, margins: np.ndarray) -> dict:
    paths = strongest_paths(margins)
    beats = paths > paths.T
    # Schulze's relation is transitive; its ranking with ties: the winners, then the
    # winners among the rest, and so on.
    ranking: list[list[int]] = []
    remaining = np.ones(len(options), dtype=bool)
    while remaining.any():
        beaten = (beats & remaining[:, None]).any(axis=0)
        top = remaining & ~beaten
        if not top.any():  # cannot happen for a transitive relation; never loop forever
            top = remaining.copy()
        ranking.append([options[i] for i in np.flatnonzero(top)])
        remaining &= ~top
    wins = beats.sum(axis=1)
    return {
        "method": "schulze",
        "ballots": n_ballots,
        "ranking": ranking,
        "winners": ranking[0] if ranking else [],
        "scores": {option: int(wins[i]) for i, option in enumerate(options)},
        "margins": _as_nested(options, margins),
        "strongest_paths": _as_nested(options, paths),
    }


def _borda_result(options: list[int], n_ballots: int, margins: np.ndarray) -> dict:
    # Averaged Borda: per ballot an option gets 1 point per option below it and ½ per
    # option tied with it, i.e. (m-1)/2 + ½·(below - above); summed over ballots this
    # is (m-1)/2·N + ½·(its row of margins).
    m = len(options)
    totals = 0.5 * (m - 1) * n_ballots + 0.5 * margins.sum(axis=1)
    scores = {option: float(totals[i]) for i, option in enumerate(options)}
    return {"method": "borda", "ballots": n_ballots, "ranking": rank_groups(scores), "scores": scores}


def _copeland_result(options: list[int], n_ballots: int, margins: np.ndarray) -> dict:
    wins = (margins > 0).sum(axis=1)
    ties = (margins == 0).sum(axis=1) - 1  # not against itself
    scores = {option: float(wins[i] + 0.5 * ties[i]) for i, option in enumerate(options)}
    return {"method": "copeland", "ballots": n_ballots, "ranking": rank_groups(scores), "scores": scores}


def _first_choices_result(options: list[int], n_ballots: int, first: dict) -> dict:
    return {
        "method": "first_choices",
        "ballots": n_ballots,
        "ranking": rank_groups(first),  # exact fractions, so equal splits tie exactly
        "scores": {option: float(value) for option, value in first.items()},
    }


def _condorcet_winner(options: list[int], margins: np.ndarray) -> int | None:
    if not options:
        return None
    beats_all = ((margins > 0).sum(axis=1)) == len(options) - 1
    winners = np.flatnonzero(beats_all)
    return options[int(winners[0])] if len(winners) else None


def schulze(options: Sequence[int], ballots: Sequence[Ballot]) -> dict:
    """Schulze (margins as link strengths; on complete strict ballots the same as
    winning votes). ``scores``: how many options each one beats by strongest paths."""
    profile = ranked_profile(options, ballots)
    return _schulze_result(profile.options, profile.n_ballots, _margins(profile))


def borda(options: Sequence[int], ballots: Sequence[Ballot]) -> dict:
    """Borda count, m-1 points for first place down to 0 for last; tied options
    (including the unranked ones) share the average of the places they occupy."""
    profile = ranked_profile(options, ballots)
    return _borda_result(profile.options, profile.n_ballots, _margins(profile))


def copeland(options: Sequence[int], ballots: Sequence[Ballot]) -> dict:
    """Copeland: 1 point per pairwise win, ½ per pairwise tie."""
    profile = ranked_profile(options, ballots)
    return _copeland_result(profile.options, profile.n_ballots, _margins(profile))


def first_choices(options: Sequence[int], ballots: Sequence[Ballot]) -> dict:
    """Plurality of first places; a first group of k tied options gives each 1/k."""
    profile = ranked_profile(options, ballots)
    return _first_choices_result(profile.options, profile.n_ballots, profile.first)


def condorcet_winner(options: Sequence[int], ballots: Sequence[Ballot]) -> int | None:
    """The option that beats every other one head to head, if there is one."""
    profile = ranked_profile(options, ballots)
    return _condorcet_winner(profile.options, _margins(profile))


def count_ranking(options: Sequence[int], ballots: Sequence[Ballot]) -> dict:
    """All counts of a ranking consultation from one margin matrix."""
    profile = ranked_profile(options, ballots)
    margins = _margins(profile)
    opts, n = profile.options, profile.n_ballots
    return {
        "method": "ranking",
        "ballots": n,
        "schulze": _schulze_result(opts, n, margins),
        "borda": _borda_result(opts, n, margins),
        "copeland": _copeland_result(opts, n, margins),
        "first_choices": _first_choices_result(opts, n, profile.first),
        "condorcet_winner": _condorcet_winner(opts, margins),
    }
