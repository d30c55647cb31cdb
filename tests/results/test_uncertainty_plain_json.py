"""Results go into published snapshots as JSON: plain Python values only, no NaN."""

import json

import pytest

from results.compare import disagreements, experts_vs_citizens
from results.uncertainty import bootstrap, point_count

from .uncertainty_profiles import OPTIONS, every_method

CASES = every_method()


def assert_plain(value, path="result"):
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) in (str, int), f"{path}: key {key!r}"
            assert_plain(item, f"{path}[{key!r}]")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            assert_plain(item, f"{path}[{i}]")
    else:
        assert value is None or type(value) in (str, int, float, bool), f"{path}: {type(value)}"


@pytest.mark.parametrize(("method", "rules", "data", "costs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_bootstrap_and_disagreements_are_plain_json(method, rules, data, costs):
    result = bootstrap(method, rules, OPTIONS, data, costs, seed=1)
    compared = disagreements(point_count(method, rules, OPTIONS, data, costs))

    for value in (result, compared):
        assert_plain(value)
        json.dumps(value, allow_nan=False)


def test_experts_beside_citizens_is_plain_json():
    result = experts_vs_citizens({1: 2.5, 2: 1, 3: 4.0}, {1: 10, 2: 30, 3: 20}, {1: 5, 2: 5, 3: None})

    assert_plain(result)
    json.dumps(result, allow_nan=False)
