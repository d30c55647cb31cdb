"""Opinion map: groups of participants who vote alike on short statements (the Polis idea).

Participants vote agree (1), disagree (-1) or pass (0) on statements; a statement a
participant has not seen is missing. ``opinion_map`` places every participant on a 2-D map,
groups those who voted enough, and says what each group thinks distinctively and which
statements every group agrees with. Pure numpy, no Django.

Reference: the Polis math service, ``compdemocracy/polis``, ``math/src/polismath/math/``
(``conversation.clj``, ``pca.clj``, ``clusters.clj``, ``repness.clj``, ``stats.clj``).

Followed from Polis:

- Matrix: participants × statements; missing cells are imputed by the statement's mean
  vote (passes count as 0 votes). Centring by the same means makes the centred matrix zero
  where a vote is missing.
- Map: the first two principal components of that matrix. A participant's coordinates
  are Polis's *sparsity-aware* projection: the dot product of their centred votes (voted
  cells only) with each component, times ``sqrt(statements / votes cast)``, so that people
  with few votes are not all pulled to the centre.
- Who is grouped: participants with at least ``min(min_votes, statements)`` votes (passes
  included), ``min_votes`` 7 as in Polis.
- Two-level clustering in the 2-D map: up to 100 *base clusters* (k-means; when there are
  at most 100 distinct positions each is its own base cluster), then the *groups*: k-means
  of the base clusters' centres weighted by their sizes, for k = 2 ..
  ``min(max_groups, 2 + base clusters // 12)``, k chosen by the best silhouette, which is
  computed over the base clusters (each counts once) as Polis does.
- Group statistics: per group and statement A agrees, D disagrees, S seen (voted,
  passes included), probabilities ``pa = (A + 1) / (S + 2)`` and ``pd``, the one-sample test
  ``2 sqrt(S + 1) ((A + 1) / (S + 1) - 1/2)`` and the two-proportion z-test of the group
  against all other grouped participants, both with Polis's +1 pseudocounts.
- Representative statements: a statement is representative of a group for agreement when
  both the group's one-sample test and the two-proportion test exceed 1.2816 (one-sided
  90 %), likewise for disagreement; ranked by Polis's metric ``ratio × z × p × p-test``
  where ratio = the group's p over the others' smoothed p; at most 5 per group.
- Group-informed consensus: the product over groups of ``(A + 1) / (S + 2)``.

Where this differs from Polis (a stateless computation, not an incremental service):

- PCA is computed to convergence (block subspace iteration with Rayleigh-Ritz steps on
  the s × s or n × n Gram matrix of the centred matrix, until the residuals are below
  1e-9 of the trace; a full eigendecomposition as the fallback), not 100 power iterations
  warm-started from the previous update; no mini-batch PCA for large conversations.
  Component signs are fixed so the largest loading is positive.
- k-means uses k-means++ seeding from ``numpy.random.Generator(seed)``, the lowest inertia
  of 10 restarts for the groups (1 for the base clusters), instead of Polis's start from
  the first k distinct rows and warm start from the previous clustering; an emptied
  cluster takes the point farthest from its centre (Polis drops it). There is no
  smoothing of k across updates (Polis switches k only after the same best k was seen 4
  times) and no subgroups. When all grouped participants sit on one point there is one
  group (k 1, no silhouette, no representative statements).
- Participants are not grouped because they are among the 15 most active when fewer
  than 15 qualify (Polis's "greedy" rule), and nobody stays grouped from an earlier state.
- Representative statements: only statements that pass the tests; Polis additionally
  puts a "best agree" statement first, falls back to the single best statement when none
  passes, and lists agreements before disagreements. Here the list is strongest first
  and may be empty; a statement passing both ways counts for the larger z. Each entry
  gives the raw shares of the group and of the others (agreeing or disagreeing, among
  those who saw it), the two-proportion ``z`` and its one-sided ``p`` value.
- Consensus lists statements every group agrees with: each group saw the statement and at
  least ``CONSENSUS_SHARE`` (60 %) of its members who saw it agreed; ranked by the
  group-informed consensus score, at most 10. (Polis shows the score itself and selects
  "consensus" statements over all participants, without groups.)
- Moderation is the caller's business: pass only the statements to count.

Determinism: participants and statements are put in a canonical order (numbers by value,
then everything else by its text) before anything is computed, so the output depends on
the data and ``seed`` only, not on the order of the inputs; groups are numbered by size
(largest first), ties by their first member in that order.
"""

import math
from collections.abc import Hashable, Iterable, Sequence
from numbers import Real
from operator import itemgetter

import numpy as np

MIN_VOTES = 7
MAX_GROUPS = 5
BASE_CLUSTERS = 100
BASE_RESTARTS = 1
GROUP_RESTARTS = 10
KMEANS_ITERATIONS = 100
EIGEN_ITERATIONS = 2000
EIGEN_TOLERANCE = 1e-9  # residual of the two eigenpairs, relative to the trace
KMEANS_TOLERANCE = 1e-4  # of the spread of the points: centres that move less have settled
Z_90 = 1.2816  # one-sided 90 % (Polis's z-sig-90?)
MAX_REPRESENTATIVE = 5
CONSENSUS_SHARE = 0.6
MAX_CONSENSUS = 10


def _order_key(value: Hashable) -> tuple:
    """Canonical order of ids: numbers by value first, then anything else by its text."""
    if isinstance(value, Real) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def _canonical(ids: Sequence[Hashable], what: str) -> tuple[list, dict]:
    ordered = sorted(ids, key=_order_key)
    index = {value: i for i, value in enumerate(ordered)}
    if len(index) != len(ordered):
        raise ValueError(f"The {what} must be unique.")
    return ordered, index


def _vote_arrays(votes: Iterable, p_index: dict, s_index: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    votes = list(votes)
    if not votes:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0)
    try:
        lengths = set(map(len, votes))
    except TypeError as error:
        raise ValueError("Each vote is (participant, statement, value).") from error
    if lengths != {3}:
        raise ValueError("Each vote is (participant, statement, value).")
    m = len(votes)
    try:
        rows = np.fromiter(map(p_index.__getitem__, map(itemgetter(0), votes)), dtype=np.intp, count=m)
    except (KeyError, TypeError) as error:
        raise ValueError(f"A vote names an unknown participant: {error}.") from error
    try:
        cols = np.fromiter(map(s_index.__getitem__, map(itemgetter(1), votes)), dtype=np.intp, count=m)
    except (KeyError, TypeError) as error:
        raise ValueError(f"A vote names an unknown statement: {error}.") from error
    try:
        vals = np.fromiter(map(itemgetter(2), votes), dtype=np.float64, count=m)
    except (TypeError, ValueError) as error:
        raise ValueError("A vote is 1 (agree), -1 (disagree) or 0 (pass).") from error
    if vals.ndim != 1 or not np.isin(vals, (-1.0, 0.0, 1.0)).all():
        raise ValueError("A vote is 1 (agree), -1 (disagree) or 0 (pass).")
    return rows, cols, vals


def _top_eigenpairs(gram: np.ndarray, count: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The ``count`` largest eigenvalues (descending) and eigenvectors (columns) of a symmetric PSD matrix.

    Block subspace iteration with Rayleigh-Ritz steps: only products with a thin block, so
    no full eigendecomposition (LAPACK's, multi-threaded, stalls for seconds on busy cores).
    A full ``eigh`` is the fallback when it has not converged, and for small matrices.
    """
    size = len(gram)
    block = min(size, count + 6)
    if size <= 4 * block:
        values, vectors = np.linalg.eigh(gram)
        return values[::-1][:count], vectors[:, ::-1][:, :count]
    start = np.random.default_rng(0).standard_normal((size, block))
    basis, _ = np.linalg.qr(start)
    scale = float(np.abs(np.diag(gram)).sum()) or 1.0
    for step in range(1, EIGEN_ITERATIONS + 1):
        basis, _ = np.linalg.qr(gram @ basis)
        if step % 10:
            continue
        product = gram @ basis
        values, small = np.linalg.eigh(basis.T @ product)
        values, small = values[::-1][:count], small[:, ::-1][:, :count]
        vectors = basis @ small
        residual = np.linalg.norm(product @ small - vectors * values, axis=0)
        if (residual <= EIGEN_TOLERANCE * scale).all():
            return values, vectors
    values, vectors = np.linalg.eigh(gram)
    return values[::-1][:count], vectors[:, ::-1][:, :count]


def _principal_components(centred: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """The first two principal axes (2 × statements) and their shares of the variance."""
    n, s = centred.shape
    axes = np.zeros((2, s))
    total = float(np.einsum("ij,ij->", centred, centred))
    if total <= 0.0:
        return axes, [0.0, 0.0]
    # The two largest eigenpairs of the smaller Gram matrix.
    gram = centred.T @ centred if s <= n else centred @ centred.T
    values, vectors = _top_eigenpairs(gram)
    if s <= n:
        top = vectors.T
    else:
        top = vectors.T @ centred
        norms = np.linalg.norm(top, axis=1)
        top = np.divide(top, norms[:, None], out=np.zeros_like(top), where=norms[:, None] > 0)
    values = np.clip(values, 0.0, None)
    for i in range(len(values)):
        if values[i] <= 1e-12 * total:
            continue
        axis = top[i]
        if axis[np.argmax(np.abs(axis))] < 0:
            axis = -axis
        axes[i] = axis
    explained = [float(v / total) if v > 1e-12 * total else 0.0 for v in values]
    explained += [0.0] * (2 - len(explained))
    return axes, explained


def _seed_centres(points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding (weighted D² sampling)."""
    n = len(points)
    centres = np.empty((k, points.shape[1]))

    def draw(mass: np.ndarray) -> int:
        cumulative = np.cumsum(mass)
        if cumulative[-1] <= 0:
            return int(rng.integers(n))
        return int(min(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"), n - 1))

    centres[0] = points[draw(weights)]
    nearest = ((points - centres[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        centres[j] = points[draw(weights * nearest)]
        nearest = np.minimum(nearest, ((points - centres[j]) ** 2).sum(axis=1))
    return centres


def _squared_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Squared distances, points × centres."""
    distances = (points * points).sum(axis=1)[:, None] + (centres * centres).sum(axis=1)[None, :]
    distances -= 2.0 * (points @ centres.T)
    return np.maximum(distances, 0.0, out=distances)


def _lloyd(points: np.ndarray, weights: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, float]:
    """Lloyd's iterations until the labels stay or the centres move by less than a tolerance."""
    k = len(centres)
    spread = float(points.std(axis=0).max()) if len(points) > 1 else 0.0
    tolerance = (KMEANS_TOLERANCE * spread) ** 2
    labels = None
    for _ in range(KMEANS_ITERATIONS):
        distances = _squared_distances(points, centres)
        new_labels = distances.argmin(axis=1)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        mass = np.bincount(labels, weights, minlength=k)
        for empty in np.flatnonzero(mass == 0):
            # An empty cluster takes the point farthest from its own centre.
            own = distances[np.arange(len(points)), labels]
            far = int(np.argmax(own))
            labels[far] = empty
            distances[far] = 0.0
            mass = np.bincount(labels, weights, minlength=k)
        previous = centres.copy()
        for dim in range(points.shape[1]):
            centres[:, dim] = np.bincount(labels, weights * points[:, dim], minlength=k) / mass
        if ((centres - previous) ** 2).sum(axis=1).max() <= tolerance:
            break
    distances = _squared_distances(points, centres)
    labels = distances.argmin(axis=1)
    inertia = float((weights * distances[np.arange(len(points)), labels]).sum())
    return labels, inertia


def _kmeans(points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator, restarts: int) -> np.ndarray:
    """Weighted k-means, the restart with the lowest inertia; labels per point."""
    best_labels, best_inertia = None, math.inf
    for _ in range(restarts):
        labels, inertia = _lloyd(points, weights, _seed_centres(points, weights, k, rng))
        if inertia < best_inertia:
            best_labels, best_inertia = labels, inertia
    return best_labels


def _silhouette(points: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Mean silhouette over the points (each counts once; a point alone in its cluster scores 0)."""
    distances = np.sqrt(_squared_distances(points, points))
    members = np.zeros((len(points), k))
    members[np.arange(len(points)), labels] = 1.0
    sums = distances @ members
    sizes = members.sum(axis=0)
    own = sizes[labels]
    a = sums[np.arange(len(points)), labels] / np.maximum(own - 1, 1)
    means = sums / np.maximum(sizes, 1)
    means[np.arange(len(points)), labels] = np.inf
    means[:, sizes == 0] = np.inf
    b = means.min(axis=1)
    scale = np.maximum(a, b)
    scores = np.divide(b - a, scale, out=np.zeros_like(a), where=scale > 0)
    scores[own <= 1] = 0.0
    return float(scores.mean())


def _base_clusters(coords: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Base clusters of the grouped participants: centres, sizes, and each participant's base cluster."""
    positions, inverse = np.unique(coords, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    counts = np.bincount(inverse, minlength=len(positions)).astype(np.float64)
    if len(positions) <= BASE_CLUSTERS:
        return positions, counts, inverse
    labels = _kmeans(positions, counts, BASE_CLUSTERS, rng, BASE_RESTARTS)
    used, labels = np.unique(labels, return_inverse=True)
    sizes = np.bincount(labels, counts, minlength=len(used))
    centres = np.stack([np.bincount(labels, counts * positions[:, d]) / sizes for d in range(2)], axis=1)
    return centres, sizes, labels[inverse]


def _group(coords: np.ndarray, max_groups: int, rng: np.random.Generator) -> tuple[np.ndarray, int, float | None]:
    """Group labels of the grouped participants (arbitrary numbering), k and the silhouette."""
    centres, sizes, base_of = _base_clusters(coords, rng)
    max_k = min(max_groups, 2 + len(centres) // 12, len(centres))
    if max_k < 2:
        return np.zeros(len(coords), dtype=np.intp), 1, None
    best = None
    for k in range(2, max_k + 1):
        labels = _kmeans(centres, sizes, k, rng, GROUP_RESTARTS)
        used = len(np.unique(labels))
        score = _silhouette(centres, labels, k) if used > 1 else -1.0
        if best is None or score > best[0]:
            best = (score, k, labels)
    score, k, labels = best
    return labels[base_of], k, score


def _prop_test(success: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Polis's one-sample test of a proportion above 1/2, with +1 pseudocounts."""
    return 2.0 * np.sqrt(trials + 1.0) * ((success + 1.0) / (trials + 1.0) - 0.5)


def _two_prop_test(succ_in, succ_out, pop_in, pop_out) -> np.ndarray:
    """Polis's two-proportion z-test (group vs the rest), each count plus 1."""
    succ_in, succ_out, pop_in, pop_out = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    pooled = (succ_in + succ_out) / (pop_in + pop_out)
    spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / pop_in + 1.0 / pop_out))
    difference = succ_in / pop_in - succ_out / pop_out
    return np.divide(difference, spread, out=np.zeros_like(difference), where=spread > 0)


def _one_sided_p(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _representative(agree, disagree, seen, statements) -> list[list[dict]]:
    """Per group (rows of the k × s count matrices) its representative statements."""
    rest_agree, rest_disagree, rest_seen = (m.sum(axis=0) - m for m in (agree, disagree, seen))
    result = []
    for g in range(len(agree)):
        candidates = []
        for count, rest_count, direction in ((agree, rest_agree, "agree"), (disagree, rest_disagree, "disagree")):
            n, s, rn, rs = count[g], seen[g], rest_count[g], rest_seen[g]
            p = (n + 1.0) / (s + 2.0)
            p_test = _prop_test(n, s)
            ratio = p / ((rn + 1.0) / (rs + 2.0))
            z = _two_prop_test(n, rn, s, rs)
            metric = ratio * z * p * p_test
            passes = (z > Z_90) & (p_test > Z_90)
            candidates.append((direction, passes, metric, z, n, s, rn, rs))
        picks = []
        for j in range(agree.shape[1]):
            options = [c for c in candidates if c[1][j]]
            if not options:
                continue
            direction, _, metric, z, n, s, rn, rs = max(options, key=lambda c: c[3][j])
            picks.append((-metric[j], j, direction, n[j], s[j], rn[j], rs[j], z[j]))
        picks.sort(key=lambda pick: (pick[0], pick[1]))
        result.append(
            [
                {
                    "statement": statements[j],
                    "direction": direction,
                    "share": float(n / s) if s else 0.0,
                    "others_share": float(rn / rs) if rs else 0.0,
                    "z": float(z),
                    "p": _one_sided_p(float(z)),
                }
                for _, j, direction, n, s, rn, rs, z in picks[:MAX_REPRESENTATIVE]
            ]
        )
    return result


def _consensus(agree, seen, statements) -> list[dict]:
    score = np.prod((agree + 1.0) / (seen + 2.0), axis=0)
    shares = np.divide(agree, seen, out=np.zeros_like(agree), where=seen > 0)
    broad = ((seen > 0) & (shares >= CONSENSUS_SHARE)).all(axis=0)
    chosen = sorted(np.flatnonzero(broad), key=lambda j: (-score[j], j))[:MAX_CONSENSUS]
    return [
        {
            "statement": statements[j],
            "agree": float(score[j]),
            "per_group": {g: float(shares[g, j]) for g in range(len(agree))},
        }
        for j in chosen
    ]


def _empty(participants: list, seed: int) -> dict:
    return {
        "participants": {p: {"x": 0.0, "y": 0.0, "group": None} for p in participants},
        "groups": [],
        "consensus": [],
        "k": 0,
        "silhouette": None,
        "explained_variance": [0.0, 0.0],
        "seed": seed,
    }


def opinion_map(
    participants: Sequence[Hashable],
    statements: Sequence[Hashable],
    votes: Iterable,
    *,
    min_votes: int = MIN_VOTES,
    max_groups: int = MAX_GROUPS,
    seed: int = 0,
) -> dict:
    """The opinion map of a conversation: coordinates, groups, representative statements, consensus.

    ``votes`` holds (participant, statement, value) with value 1 (agree), -1 (disagree) or
    0 (pass), at most one per participant and statement; a missing pair is "not seen".
    Returns plain data:

    - ``participants``: ``{id: {"x", "y", "group"}}``, group ``None`` for those with fewer
      than ``min(min_votes, len(statements))`` votes;
    - ``groups``: ``[{"id", "members", "size", "representative": [{"statement",
      "direction", "share", "others_share", "z", "p"}]}]``, numbered 0.. by size;
    - ``consensus``: ``[{"statement", "agree", "per_group": {group: share}}]``;
    - ``k``, ``silhouette`` (``None`` unless there are at least two groups),
      ``explained_variance`` (the two components' shares), ``seed``.

    Raises ``ValueError`` for duplicate ids, a vote naming an unknown participant or
    statement, a value other than -1, 0, 1, two votes of one participant on one statement,
    ``max_groups`` below 2 or a negative ``min_votes``.
    """
    if max_groups < 2:
        raise ValueError("max_groups is at least 2.")
    if min_votes < 0:
        raise ValueError("min_votes is not negative.")
    people, p_index = _canonical(participants, "participants")
    items, s_index = _canonical(statements, "statements")
    rows, cols, vals = _vote_arrays(votes, p_index, s_index)
    n, s = len(people), len(items)
    if not n:
        return _empty(people, seed)
    if len(rows):
        cells = rows * s + cols
        if n * s <= 1 << 26:
            repeated = np.bincount(cells, minlength=n * s).max() > 1
        else:
            repeated = len(np.unique(cells)) != len(cells)
        if repeated:
            raise ValueError("A participant has two votes on one statement.")
    if not s or not len(rows):
        return _empty(people, seed)

    seen_counts = np.bincount(cols, minlength=s)
    means = np.bincount(cols, vals, minlength=s) / np.maximum(seen_counts, 1)
    centred = np.zeros((n, s))
    centred[rows, cols] = vals - means[cols]
    axes, explained = _principal_components(centred)
    n_votes = np.bincount(rows, minlength=n)
    coords = (centred @ axes.T) * np.sqrt(s / np.maximum(n_votes, 1))[:, None]

    grouped = np.flatnonzero(n_votes >= min(min_votes, s))
    group_of = np.full(n, -1, dtype=np.intp)
    k, silhouette = 0, None
    if len(grouped):
        rng = np.random.default_rng(seed)
        labels, k, silhouette = _group(coords[grouped], max_groups, rng)
        # Canonical numbering: size descending, then the first member in canonical order.
        used = np.unique(labels)
        sizes = np.bincount(labels)
        firsts = {g: int(grouped[np.argmax(labels == g)]) for g in used}
        order = sorted(used, key=lambda g: (-sizes[g], firsts[g]))
        relabel = np.empty(labels.max() + 1, dtype=np.intp)
        relabel[order] = np.arange(len(order))
        group_of[grouped] = relabel[labels]
        k = len(order)

    groups, consensus = [], []
    if k:
        in_group = group_of[rows] >= 0
        flat = group_of[rows[in_group]] * s + cols[in_group]
        grouped_vals = vals[in_group]

        def tally(mask: np.ndarray) -> np.ndarray:
            return np.bincount(flat[mask], minlength=k * s).reshape(k, s).astype(np.float64)

        agree, disagree = tally(grouped_vals > 0), tally(grouped_vals < 0)
        seen = tally(np.ones(len(flat), dtype=bool))
        representative = _representative(agree, disagree, seen, items) if k > 1 else [[]]
        for g in range(k):
            member_rows = np.flatnonzero(group_of == g)
            groups.append(
                {
                    "id": g,
                    "members": [people[i] for i in member_rows],
                    "size": len(member_rows),
                    "representative": representative[g],
                }
            )
        consensus = _consensus(agree, seen, items)

    return {
        "participants": {
            people[i]: {
                "x": float(coords[i, 0]),
                "y": float(coords[i, 1]),
                "group": int(group_of[i]) if group_of[i] >= 0 else None,
            }
            for i in range(n)
        },
        "groups": groups,
        "consensus": consensus,
        "k": k,
        "silhouette": silhouette,
        "explained_variance": explained,
        "seed": seed,
    }
