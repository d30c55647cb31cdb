"""Ballot shapes per method: validation and normalisation, pure functions.

``normalise(method, settings, option_ids, costs, ballot)`` returns the canonical
content stored in the box (so that the same ballot sent twice compares equal) or
raises ``BallotError`` with a message that says what is wrong.
"""

from decimal import Decimal

# Grades 0..5; the words shown when a consultation grades in words.
SCORE_MIN, SCORE_MAX = 0, 5
DEFAULT_POINTS_BUDGET = 100


class BallotError(ValueError):
    pass


def _option(option_ids, raw, where):
    if isinstance(raw, bool):
        raise BallotError(f"{where}: {raw!r} is not a measure id.")
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw)
    if not isinstance(raw, int):
        raise BallotError(f"{where}: {raw!r} is not a measure id.")
    if raw not in option_ids:
        raise BallotError(f"{where}: measure {raw} is not on this ballot.")
    return raw


def _whole(value, where):
    if isinstance(value, bool) or not isinstance(value, int):
        raise BallotError(f"{where}: {value!r} is not a whole number.")
    return value


def _only_key(ballot, key):
    if not isinstance(ballot, dict) or set(ballot) != {key}:
        raise BallotError(f'The ballot must be an object with exactly the key "{key}".')
    return ballot[key]


def approval(settings, option_ids, ballot):
    approved = _only_key(ballot, "approve")
    if not isinstance(approved, list):
        raise BallotError('"approve" must be a list of measure ids.')
    ids = [_option(option_ids, raw, "approve") for raw in approved]
    if len(set(ids)) != len(ids):
        raise BallotError('"approve" names a measure twice.')
    limit = settings.get("max_approvals")
    if limit and len(ids) > limit:
        raise BallotError(f"You may approve at most {limit} measures; this ballot approves {len(ids)}.")
    return {"approve": sorted(ids)}


def score(settings, option_ids, ballot):
    scores = _only_key(ballot, "scores")
    if not isinstance(scores, dict) or not scores:
        raise BallotError('"scores" must be an object {measure id: grade} with at least one grade.')
    normalised = {}
    for raw, grade in scores.items():
        option = _option(option_ids, raw, "scores")
        if option in normalised:
            raise BallotError(f"scores: measure {option} is graded twice.")
        grade = _whole(grade, f"scores[{option}]")
        if not SCORE_MIN <= grade <= SCORE_MAX:
            raise BallotError(f"scores[{option}]: grades go from {SCORE_MIN} to {SCORE_MAX}, not {grade}.")
        normalised[option] = grade
    return {"scores": {str(k): normalised[k] for k in sorted(normalised)}}


def ranking(settings, option_ids, ballot):
    groups = _only_key(ballot, "ranking")
    if not isinstance(groups, list) or not groups or not all(isinstance(g, list) and g for g in groups):
        raise BallotError('"ranking" must be a non-empty list of non-empty groups, e.g. [[3], [1, 7], [2]].')
    seen = set()
    normalised = []
    for place, group in enumerate(groups, start=1):
        ids = []
        for raw in group:
            option = _option(option_ids, raw, f"ranking place {place}")
            if option in seen:
                raise BallotError(f"ranking: measure {option} appears twice.")
            seen.add(option)
            ids.append(option)
        normalised.append(sorted(ids))
    return {"ranking": normalised}


def points(settings, option_ids, ballot, costs=None):
    allocation = _only_key(ballot, "points")
    if not isinstance(allocation, dict):
        raise BallotError('"points" must be an object {measure id: points}.')
    normalised = {}
    for raw, value in allocation.items():
        option = _option(option_ids, raw, "points")
        if option in normalised:
            raise BallotError(f"points: measure {option} appears twice.")
        value = _whole(value, f"points[{option}]")
        if value < 0:
            raise BallotError(f"points[{option}]: points cannot be negative.")
        if value:
            normalised[option] = value
    if not normalised:
        raise BallotError("Give at least one point.")
    if settings.get("use_costs"):
        # Participatory budgeting: choose measures whose costs fit the budget.
        if any(v != 1 for v in normalised.values()):
            raise BallotError("In participatory budgeting each chosen measure gets exactly 1 point.")
        budget = Decimal(str(settings["budget"]))
        total = sum((Decimal(str(costs[o])) for o in normalised), Decimal(0))
        if total > budget:
            raise BallotError(f"The chosen measures cost {total} EUR, more than the budget of {budget} EUR.")
    else:
        budget = settings.get("budget_points", DEFAULT_POINTS_BUDGET)
        total = sum(normalised.values())
        if total > budget:
            raise BallotError(f"You have {budget} points; this ballot gives {total}.")
    return {"points": {str(k): normalised[k] for k in sorted(normalised)}}


VALIDATORS = {"approval": approval, "score": score, "ranking": ranking, "points": points}


def normalise(method, settings, option_ids, ballot, costs=None):
    if method not in VALIDATORS:
        raise BallotError(f"Consultations of the method {method!r} take pairwise votes, not ballots.")
    if method == "points":
        return points(settings, set(option_ids), ballot, costs)
    return VALIDATORS[method](settings, set(option_ids), ballot)


def content_for_count(method, content):
    """A stored ballot as the tally functions take it (int keys)."""
    if method == "approval":
        return content["approve"]
    if method == "ranking":
        return content["ranking"]
    key = "scores" if method == "score" else "points"
    return {int(k): v for k, v in content[key].items()}
