"""The opinion map (voting/tally/opinion.py) on real Polis conversations and on made-up ones.

Data: three Polis conversations kept gzip-compressed in ``tests/data/polis/`` (source,
commit and the CC BY 4.0 attribution to The Computational Democracy Project in
``tests/data/polis/README.md``). Each ``participants-votes.csv`` carries Polis's own
``group-id``; our groups are compared with it by the adjusted Rand index (ARI) over the
participants both grouped, for seeds 0-7 (the choice of k by silhouette is close in some
conversations, so one seed alone says little). Statements Polis moderated out
(``moderated`` -1 in ``comments.csv``) are left out, as Polis leaves them out of its math.

ARIs measured (seeds 0-7):

- ``brexit-consensus``: 0.876 for five seeds and 0.857 for one (2 groups, as Polis);
  0.669 and 0.558 for the two seeds where the silhouette picks 3 groups (0.416 and 0.410,
  while the 2-group splits of the other seeds score 0.39-0.42: the choice is close, and
  Polis smooths it over its updates).
- ``canadian-electoral-reform``: 0.838 for all seeds (Polis: 265 and 16; ours 260 and 21).
- ``scoop-hivemind.ubi``: 0.095 for all seeds. The export is not a state our stateless
  computation can reach: Polis shows 4 groups (113, 70, 42, 9), and 60 of its group of 113
  have fewer than 7 votes in the export (median 6): they were let in when the
  conversation had fewer comments, and Polis keeps participants in once they are in.
  Polis's k came from its smoothed, warm-started updates. In the exact 2-D map of the final
  votes Polis's three larger groups overlap, and the silhouette picks 2 groups: the large
  mass and a small group away from it (12), which holds all 9 members of Polis's smallest
  group. The test checks that recovered group and keeps a low ARI floor.
"""

import csv
import gzip
import random
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from voting.tally.opinion import opinion_map

DATA = Path(__file__).resolve().parent.parent / "data" / "polis"
SEEDS = range(8)

# (median ARI floor, lowest ARI floor) over SEEDS; the measured values are in the docstring.
FLOORS = {
    "brexit-consensus": (0.8, 0.5),
    "canadian-electoral-reform": (0.8, 0.75),
    "scoop-hivemind.ubi": (0.05, 0.05),
}

_loaded = {}


def conversation(name: str) -> tuple[list[int], list[int], list[tuple[int, int, int]], dict[int, int]]:
    """Participants, statements (not moderated out), votes and Polis's groups of one conversation."""
    if name not in _loaded:
        with gzip.open(DATA / name / "comments.csv.gz", "rt", encoding="utf-8", newline="") as handle:
            moderated_out = {row["comment-id"] for row in csv.DictReader(handle) if row["moderated"] == "-1"}
        with gzip.open(DATA / name / "participants-votes.csv.gz", "rt", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        assert header[:6] == ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
        comment_ids = header[6:]
        statements = [int(cid) for cid in comment_ids if cid not in moderated_out]
        kept = set(statements)
        participants, votes, polis_groups = [], [], {}
        for row in rows[1:]:
            participant = int(row[0])
            participants.append(participant)
            if row[1] != "":
                polis_groups[participant] = int(row[1])
            for cid, value in zip(comment_ids, row[6:], strict=True):
                if value != "" and int(cid) in kept:
                    votes.append((participant, int(cid), int(value)))
        _loaded[name] = participants, statements, votes, polis_groups
    return _loaded[name]


def adjusted_rand_index(labels_a, labels_b) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items."""
    a = np.unique(np.asarray(labels_a), return_inverse=True)[1].reshape(-1)
    b = np.unique(np.asarray(labels_b), return_inverse=True)[1].reshape(-1)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x):
        return float((x * (x - 1) / 2).sum())

    together = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / pairs(np.array([len(a)]))
    best = (rows + cols) / 2
    return 1.0 if best == expected else (together - expected) / (best - expected)


def test_adjusted_rand_index_of_known_cases():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # Worked example: contingency [[2, 1], [0, 2]]: index 2, rows 4, cols 4, all pairs 10.
    assert adjusted_rand_index([0, 0, 0, 1, 1], [0, 0, 1, 1, 1]) == pytest.approx((2 - 1.6) / (4 - 1.6))


def ari_with_polis(name: str, seed: int) -> tuple[float, dict]:
    participants, statements, votes, polis_groups = conversation(name)
    result = opinion_map(participants, statements, votes, seed=seed)
    ours = result["participants"]
    both = [p for p in participants if p in polis_groups and ours[p]["group"] is not None]
    assert len(both) >= 150
    return adjusted_rand_index([polis_groups[p] for p in both], [ours[p]["group"] for p in both]), result


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_groups_agree_with_polis(name):
    aris = [ari_with_polis(name, seed)[0] for seed in SEEDS]
    median_floor, lowest_floor = FLOORS[name]
    assert statistics.median(aris) >= median_floor, aris
    assert min(aris) >= lowest_floor, aris


def test_scoop_small_group_is_polis_smallest_group():
    participants, statements, votes, polis_groups = conversation("scoop-hivemind.ubi")
    polis_smallest = min(Counter(polis_groups.values()).items(), key=lambda item: item[1])[0]
    theirs = {p for p, g in polis_groups.items() if g == polis_smallest}
    for seed in SEEDS:
        result = opinion_map(participants, statements, votes, seed=seed)
        ours = set(result["groups"][-1]["members"])
        assert len(theirs & ours) >= len(theirs) - 1
        assert len(theirs & ours) >= 2 / 3 * len(ours)


def test_polis_result_shape():
    participants, statements, votes, _ = conversation("canadian-electoral-reform")
    result = opinion_map(participants, statements, votes)
    assert set(result) == {"participants", "groups", "consensus", "k", "silhouette", "explained_variance", "seed"}
    assert result["k"] == len(result["groups"]) >= 2
    assert -1 <= result["silhouette"] <= 1
    first, second = result["explained_variance"]
    assert 1 > first >= second > 0
    sizes = [group["size"] for group in result["groups"]]
    assert sizes == sorted(sizes, reverse=True)
    assert [group["id"] for group in result["groups"]] == list(range(result["k"]))
    grouped = {p for p, place in result["participants"].items() if place["group"] is not None}
    assert sorted(grouped) == sorted(p for group in result["groups"] for p in group["members"])
    for group in result["groups"]:
        assert group["size"] == len(group["members"])
        assert all(result["participants"][p]["group"] == group["id"] for p in group["members"])
        assert len(group["representative"]) <= 5
        strengths = [item["z"] for item in group["representative"]]
        for item in group["representative"]:
            assert item["direction"] in {"agree", "disagree"}
            assert 0 <= item["share"] <= 1 and 0 <= item["others_share"] <= 1
            assert item["z"] > 1.2816 and 0 < item["p"] < 0.1
            assert item["statement"] in statements
        assert strengths  # Polis finds distinctive statements for both groups here
    assert len(result["consensus"]) <= 10
    scores = [item["agree"] for item in result["consensus"]]
    assert scores == sorted(scores, reverse=True)
    for item in result["consensus"]:
        assert set(item["per_group"]) == set(range(result["k"]))
        assert min(item["per_group"].values()) >= 0.6


def test_same_seed_same_output():
    participants, statements, votes, _ = conversation("brexit-consensus")
    first = opinion_map(participants, statements, votes, seed=3)
    again = opinion_map(list(participants), list(statements), list(votes), seed=3)
    assert first == again
    assert first["seed"] == 3


def test_order_of_participants_statements_and_votes_does_not_matter():
    participants, statements, votes, _ = conversation("brexit-consensus")
    shuffle = random.Random(7)
    participants_shuffled, statements_shuffled, votes_shuffled = list(participants), list(statements), list(votes)
    for items in (participants_shuffled, statements_shuffled, votes_shuffled):
        shuffle.shuffle(items)
    for seed in (0, 1):
        assert opinion_map(participants_shuffled, statements_shuffled, votes_shuffled, seed=seed) == opinion_map(
            participants, statements, votes, seed=seed
        )


def two_camps(seed=5, per_camp=30):
    """Camp A agrees with a0..a5 and disagrees with b0..b5, camp B the other way; all agree with c0, c1.

    One vote in ten is flipped or a pass, one in eight is missing; string ids.
    """
    rng = random.Random(seed)
    own = {"A": [f"a{i}" for i in range(6)], "B": [f"b{i}" for i in range(6)]}
    common = ["c0", "c1"]
    statements = own["A"] + own["B"] + common
    participants, votes, camp_of = [], [], {}
    for camp, other in (("A", "B"), ("B", "A")):
        for i in range(per_camp):
            person = f"{camp.lower()}-person-{i}"
            participants.append(person)
            camp_of[person] = camp
            leaning = [(s, 1) for s in own[camp]] + [(s, -1) for s in own[other]] + [(s, 1) for s in common]
            for statement, value in leaning:
                if rng.random() < 1 / 8:
                    continue
                noise = rng.random()
                if noise < 0.05:
                    value = -value
                elif noise < 0.1:
                    value = 0
                votes.append((person, statement, value))
    return participants, statements, votes, camp_of, own, common


def test_two_camps_make_two_groups_with_their_statements_and_a_consensus():
    participants, statements, votes, camp_of, own, common = two_camps()
    result = opinion_map(participants, statements, votes, min_votes=5)
    assert result["k"] == 2
    assert [group["size"] for group in result["groups"]] == [30, 30]
    for group in result["groups"]:
        camps = {camp_of[p] for p in group["members"]}
        assert len(camps) == 1
        camp = camps.pop()
        other = "B" if camp == "A" else "A"
        representative = group["representative"]
        assert 1 <= len(representative) <= 5
        for item in representative:
            if item["statement"] in own[camp]:
                assert item["direction"] == "agree"
            else:
                assert item["statement"] in own[other] and item["direction"] == "disagree"
            assert item["share"] > 0.7 and item["others_share"] < 0.3
        assert any(item["direction"] == "agree" for item in representative)
    consensus = {item["statement"]: item for item in result["consensus"]}
    assert set(consensus) == set(common)
    for statement, item in consensus.items():
        score = 1.0
        for group in result["groups"]:
            seen = [v for p, s, v in votes if s == statement and p in set(group["members"])]
            agreed = sum(1 for v in seen if v == 1)
            score *= (agreed + 1) / (len(seen) + 2)
            assert item["per_group"][group["id"]] == pytest.approx(agreed / len(seen))
        assert item["agree"] == pytest.approx(score)
    # The two camps lie apart along the first axis.
    xs = {camp: [result["participants"][p]["x"] for p in participants if camp_of[p] == camp] for camp in "AB"}
    assert max(xs["A"]) < min(xs["B"]) or max(xs["B"]) < min(xs["A"])


def test_participants_with_few_votes_get_coordinates_but_no_group():
    participants, statements, votes, _, _, _ = two_camps()
    votes = votes + [("newcomer", "a0", 1), ("newcomer", "b0", -1), ("silent", "c0", 0)]
    result = opinion_map([*participants, "newcomer", "silent", "absent"], statements, votes, min_votes=5)
    for person in ("newcomer", "silent", "absent"):
        place = result["participants"][person]
        assert place["group"] is None
        assert np.isfinite(place["x"]) and np.isfinite(place["y"])
        assert all(person not in group["members"] for group in result["groups"])
    assert result["participants"]["absent"] == {"x": 0.0, "y": 0.0, "group": None}
    assert result["participants"]["newcomer"]["x"] != 0.0
    assert sum(group["size"] for group in result["groups"]) == len(participants)
    # Fewer statements than min_votes: everyone who voted on all of them is grouped.
    small = opinion_map(["p", "q", "r"], ["s1", "s2"], [(x, s, 1) for x in "pq" for s in ("s1", "s2")])
    assert small["participants"]["p"]["group"] is not None
    assert small["participants"]["r"]["group"] is None


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ([("p1", "s1", 2)], "A vote is 1"),
        ([("p1", "s1", "yes")], "A vote is 1"),
        ([("p1", "s1", float("nan"))], "A vote is 1"),
        ([("ghost", "s1", 1)], "unknown participant"),
        ([("p1", "s9", 1)], "unknown statement"),
        ([("p1", "s1", 1), ("p1", "s1", -1)], "two votes"),
        ([("p1", "s1")], "Each vote is"),
        ([5], "Each vote is"),
    ],
)
def test_bad_votes_are_refused(votes, message):
    with pytest.raises(ValueError, match=message):
        opinion_map(["p1", "p2"], ["s1", "s2"], votes)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="unique"):
        opinion_map(["p1", "p1"], ["s1"], [])
    with pytest.raises(ValueError, match="unique"):
        opinion_map(["p1"], ["s1", "s1"], [])
    with pytest.raises(ValueError, match="max_groups"):
        opinion_map(["p1"], ["s1"], [], max_groups=1)
    with pytest.raises(ValueError, match="min_votes"):
        opinion_map(["p1"], ["s1"], [], min_votes=-1)


def test_empty_data_give_an_empty_map():
    empty = {
        "participants": {},
        "groups": [],
        "consensus": [],
        "k": 0,
        "silhouette": None,
        "explained_variance": [0.0, 0.0],
        "seed": 0,
    }
    assert opinion_map([], [], []) == empty
    assert opinion_map([], ["s1"], []) == empty
    no_votes = opinion_map([1, 2], ["s1"], iter(()))
    assert no_votes["participants"] == {1: {"x": 0.0, "y": 0.0, "group": None}, 2: {"x": 0.0, "y": 0.0, "group": None}}
    assert no_votes["groups"] == [] and no_votes["k"] == 0
    # Everyone voted alike: one group, nothing distinctive, the statement is a consensus.
    alike = opinion_map([1, 2, 3], ["s1"], [(p, "s1", 1) for p in (1, 2, 3)])
    assert alike["k"] == 1 and alike["silhouette"] is None
    assert alike["groups"][0]["members"] == [1, 2, 3] and alike["groups"][0]["representative"] == []
    assert [item["statement"] for item in alike["consensus"]] == ["s1"]
