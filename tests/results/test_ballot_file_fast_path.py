"""Ranking ballot files read as arrays give exactly what the generic JSON path gives:
the same canonical bytes, the same hash, the same result; anything not in canonical
form is left to the generic path."""

import hashlib
import json

import pytest

from results import compute
from results.ballotfile import BallotFile, canonical_file_bytes, canonical_json, parse_rankings
from results.uncertainty import seed_for
from voting.tally.ranking import FlatRankings

from .published import closed_consultation

pytestmark = pytest.mark.django_db


def ranking_ballots():
    """Full, partial and tied rankings, as citizens cast them."""
    return [
        lambda ids: {"ranking": [[ids[0]], [ids[1]], [ids[2]], [ids[3]]]},
        lambda ids: {"ranking": [[ids[1], ids[0]], [ids[3]]]},
        lambda ids: {"ranking": [[ids[2]]]},
        lambda ids: {"ranking": [[ids[3]], [ids[0], ids[1], ids[2]]]},
        lambda ids: {"ranking": [[ids[0]], [ids[2]], [ids[1]]]},
    ]


def generic_result(consultation):
    """The result the slow way: every ballot parsed into lists, counted from them."""
    ballots = BallotFile(canonical_json(compute.live_ballot_file(consultation).document))
    document = json.loads(ballots.bytes)
    meta = compute.meta_data(consultation, hashlib.sha256(canonical_json(document)).hexdigest())
    options = compute.options_data(consultation)
    data = compute.data_from_ballot_file("ranking", document)
    return compute.result_from_data(meta, options, data, compute.costs_from_options(options))


def test_the_live_ranking_file_is_read_as_arrays_with_the_canonical_bytes(client):
    consultation, _, ids, _ = closed_consultation(client, ballots=ranking_ballots())
    ballots = compute.live_ballot_file(consultation)
    rankings = ballots.rankings()
    assert rankings is not None
    assert isinstance(ballots.count_data("ranking"), FlatRankings)
    document = json.loads(ballots.bytes)
    assert ballots.bytes == canonical_json(document)
    assert [row["content"]["ranking"] for row in document["ballots"]] == list(rankings.ballots)
    assert rankings.receipts == [row["receipt"] for row in document["ballots"]]
    assert compute.consultation_result(consultation) == generic_result(consultation)


def test_places_and_validity_match_the_ballots(client):
    consultation, _, (a, b, c, d), _ = closed_consultation(client, ballots=ranking_ballots())
    rankings = compute.live_ballot_file(consultation).rankings()
    places = dict(zip(rankings.receipts, rankings.places([a, b, c, d]).tolist(), strict=True))
    expected = {
        json.dumps(row["content"]["ranking"]): row["receipt"]
        for row in json.loads(compute.live_ballot_file(consultation).bytes)["ballots"]
    }
    assert places[expected[json.dumps([sorted([a, b]), [d]])]] == [1, 1, 0, 2]
    assert places[expected[json.dumps([[c]])]] == [0, 0, 1, 0]
    assert rankings.valid([a, b, c, d]).all()
    # Without measure d on the ballot, the ballots naming d are not valid.
    assert rankings.valid([a, b, c]).tolist() == [d not in sum(r, []) for r in rankings.ballots]


@pytest.mark.parametrize(
    "content",
    [
        '{"ranking":[]}',
        '{"ranking":[[]]}',
        '{"ranking":[[012]]}',
        '{"ranking":[[1.5]]}',
        '{"ranking":[[1],]}',
        '{"ranking":[[1]],[[2]]}',
        '{"ranking":[1]}',
        '{"ranking":[[1,[2]]]}',
        '{"ranking": [[1]]}',
        '{"ranking":[[1]],"x":1}',
        '{"ranking":[[-1]]}',
    ],
)
def test_anything_not_canonical_is_left_to_the_generic_path(content):
    good = canonical_json(
        {
            "schema": "heilbronn-participation/ballots/1",
            "consultation": 1,
            "method": "ranking",
            "ballots": [{"receipt": "AAAA-AAAA-AAAA", "content": {"ranking": [[1], [2, 3]]}}],
        }
    )
    assert parse_rankings(good) is not None
    odd = good.replace(b'{"ranking":[[1],[2,3]]}', content.encode())
    assert odd != good
    assert parse_rankings(odd) is None


def test_orjson_writes_the_ballot_file_byte_for_byte_as_json_does():
    document = {
        "schema": "heilbronn-participation/ballots/1",
        "consultation": 7,
        "method": "score",
        "ballots": [
            {"receipt": 'ÄÖÜ-\u2028-\x7f-"-\\-\n', "content": {"scores": {"12": 3, "7": 0, "100": 5}}},
            {"receipt": "B", "content": {"scores": {"9": 1}}},
        ],
    }
    assert canonical_file_bytes(document) == canonical_json(document)
    with_float = {**document, "ballots": [{"receipt": "C", "content": {"scores": {"1": 1e-05, "2": 1e16}}}]}
    assert canonical_file_bytes(with_float) == canonical_json(with_float)


def test_the_seed_is_the_same_as_with_the_json_module():
    ballots = [[[3], [1, 2]], [[2]], [[1], [2], [3]], [[3], [1, 2]]]
    flat = FlatRankings.from_ballots(ballots)
    assert seed_for("ranking", [1, 2, 3], flat) == seed_for("ranking", [1, 2, 3], ballots)
    # The documented definition, written out with the json module.
    # [count, level of 1, level of 2, level of 3] per distinct ballot, sorted by the levels.
    rows = [[1, 0, 1, 2], [1, 1, 0, 1], [2, 1, 1, 0]]
    text = json.dumps({"method": "ranking", "options": [1, 2, 3], "ballots": rows}, separators=(",", ":"))
    assert seed_for("ranking", [1, 2, 3], ballots) == int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
