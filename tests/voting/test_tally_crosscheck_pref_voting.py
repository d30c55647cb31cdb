"""Our ranking counts against the reference library pref-voting on random profiles.

Strict profiles (complete linear orders) and profiles with ties and unranked
options (pref-voting's ProfileWithTies with extended strict preference: unranked
options tied below the ranked ones, as our ballots are read).
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pref_voting.c1_methods import copeland as pv_copeland
from pref_voting.margin_based_methods import beat_path as pv_schulze
from pref_voting.profiles import Profile
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.scoring_methods import borda as pv_borda
from pref_voting.scoring_methods import borda_for_profile_with_ties as pv_borda_with_ties
from pref_voting.scoring_methods import plurality as pv_plurality

from voting.tally import count_ranking, margin_matrix

# Deterministic, bounded, and no example database left in the work tree.
CHECK = settings(
    deadline=None, max_examples=250, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def profiles(draw, ties):
    """(candidates 0..m-1, measure id per candidate, option order, our ballots, pref-voting rankings)."""
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 30))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=m, max_size=m, unique=True))
    option_order = draw(st.permutations(ids))
    ballots, rankings = [], []
    for _ in range(n):
        order = draw(st.permutations(range(m)))
        ranked = draw(st.integers(1, m)) if ties else m
        new_group = (
            draw(st.lists(st.booleans(), min_size=ranked - 1, max_size=ranked - 1)) if ties else [True] * (m - 1)
        )
        groups = [[order[0]]]
        for candidate, starts_group in zip(order[1:ranked], new_group, strict=True):
            if starts_group:
                groups.append([candidate])
            else:
                groups[-1].append(candidate)
        ballots.append([[ids[c] for c in group] for group in groups])
        rankings.append({c: level for level, group in enumerate(groups, start=1) for c in group})
    return m, ids, option_order, ballots, rankings


def reference(m, rankings, ties):
    if not ties:
        return Profile([sorted(r, key=r.get) for r in rankings])
    profile = ProfileWithTies(rankings, candidates=list(range(m)))
    profile.use_extended_strict_preference()
    return profile


def as_ids(ids, candidates):
    return sorted(ids[c] for c in candidates)


def check_margins(m, ids, option_order, ballots, profile):
    margins = margin_matrix(option_order, ballots)
    position = {option: i for i, option in enumerate(option_order)}
    for a in range(m):
        for b in range(m):
            assert margins[position[ids[a]], position[ids[b]]] == profile.margin(a, b)


@CHECK
@given(profiles(ties=False))
def test_strict_profiles_agree_with_pref_voting(data):
    m, ids, option_order, ballots, rankings = data
    profile = reference(m, rankings, ties=False)
    result = count_ranking(option_order, ballots)

    check_margins(m, ids, option_order, ballots, profile)
    assert sorted(result["schulze"]["winners"]) == as_ids(ids, pv_schulze(profile))
    assert sorted(result["borda"]["ranking"][0]) == as_ids(ids, pv_borda(profile))
    assert sorted(result["copeland"]["ranking"][0]) == as_ids(ids, pv_copeland(profile))
    assert sorted(result["first_choices"]["ranking"][0]) == as_ids(ids, pv_plurality(profile))
    winner = profile.condorcet_winner()
    assert result["condorcet_winner"] == (None if winner is None else ids[winner])


@CHECK
@given(profiles(ties=True))
def test_profiles_with_ties_and_unranked_options_agree_with_pref_voting(data):
    m, ids, option_order, ballots, rankings = data
    profile = reference(m, rankings, ties=True)
    result = count_ranking(option_order, ballots)

    check_margins(m, ids, option_order, ballots, profile)
    assert sorted(result["schulze"]["winners"]) == as_ids(ids, pv_schulze(profile))
    assert sorted(result["borda"]["ranking"][0]) == as_ids(ids, pv_borda_with_ties(profile))
    assert sorted(result["copeland"]["ranking"][0]) == as_ids(ids, pv_copeland(profile))
    winner = profile.condorcet_winner()
    assert result["condorcet_winner"] == (None if winner is None else ids[winner])
    # pref-voting's plurality needs a single first choice on every ballot.
    if all(len(ballot[0]) == 1 for ballot in ballots):
        assert sorted(result["first_choices"]["ranking"][0]) == as_ids(ids, pv_plurality(profile))
