"""Every count is plain data: it survives a JSON round trip unchanged."""

import json

import pytest

from voting.tally import count


def plain(value):
    """Fails on anything that is not a plain Python JSON type (numpy scalars included)."""
    if isinstance(value, dict):
        return all(isinstance(k, int | str) and plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(plain(v) for v in value)
    return value is None or type(value) in (bool, int, float, str)


CASES = {
    "approval": [[1, 2], [2]],
    "score": [{1: 5, 2: 0}, {2: 3}],
    "ranking": [[[1], [2, 3]], [[3]]],
    "points": [{1: 10, 3: 5}],
    "pairwise": [(1, 2), (3, 2)],
}


@pytest.mark.parametrize("method", sorted(CASES))
def test_count_is_plain_json_data(method):
    result = count(method, [1, 2, 3], CASES[method], costs={1: 5.0, 2: 1.0, 3: 2.5}, budget=6.0)

    assert plain(result)
    counts = [v for v in result.values() if isinstance(v, dict) and "ranking" in v] or [result]
    round_trip = json.loads(json.dumps(result))
    for each in counts:
        again = round_trip if each is result else round_trip[each["method"]]
        assert again["ranking"] == each["ranking"]
        assert again["scores"] == {str(k): v for k, v in each["scores"].items()}
