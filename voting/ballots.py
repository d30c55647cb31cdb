"""Ballot shapes per method: validation and normalisation, pure functions.

``normalise(method, settings, option_ids, costs, ballot)`` returns the canonical
content stored in the box (so that the same ballot sent twice compares equal) or
raises ``BallotError`` with a message that says what is wrong.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Grades 0..5; the words shown when a consultation grades in words.
SCORE_MIN, SCORE_MAX = 0, 5
DEFAULT_POINTS_BUDGET = 100


class BallotError(ValueError):
    pass


def _option(option_ids, raw, where):
    if type(raw) is int and raw in option_ids:
        return raw
    if isinstance(raw, bool):
        raise BallotError(_("%(where)s: %(value)s ist keine Maßnahmen-ID.") % {"where": where, "value": repr(raw)})
    # ASCII digits only ("²" is a digit to isdigit(), not to int()), and no more than an id has
    # (int() refuses over 4,300 digits).
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) <= 19:
        raw = int(raw)
    if not isinstance(raw, int):
        raise BallotError(_("%(where)s: %(value)s ist keine Maßnahmen-ID.") % {"where": where, "value": repr(raw)})
    if raw not in option_ids:
        raise BallotError(
            _("%(where)s: Die Maßnahme %(id)s steht nicht auf diesem Stimmzettel.") % {"where": where, "id": raw}
        )
    return raw


def _whole(value, where):
    if isinstance(value, bool) or not isinstance(value, int):
        raise BallotError(_("%(where)s: %(value)s ist keine ganze Zahl.") % {"where": where, "value": repr(value)})
    return value


def _only_key(ballot, key):
    if not isinstance(ballot, dict) or set(ballot) != {key}:
        raise BallotError(_('Der Stimmzettel muss ein Objekt mit genau dem Schlüssel "%(key)s" sein.') % {"key": key})
    return ballot[key]


def approval(settings, option_ids, ballot):
    approved = _only_key(ballot, "approve")
    if not isinstance(approved, list):
        raise BallotError(_('"approve" muss eine Liste von Maßnahmen-IDs sein.'))
    ids = [_option(option_ids, raw, "approve") for raw in approved]
    if len(set(ids)) != len(ids):
        raise BallotError(_('"approve" nennt eine Maßnahme zweimal.'))
    limit = settings.get("max_approvals")
    if limit and len(ids) > limit:
        raise BallotError(
            ngettext(
                "Sie dürfen höchstens %(limit)d Maßnahme zustimmen; dieser Stimmzettel stimmt %(count)d zu.",
                "Sie dürfen höchstens %(limit)d Maßnahmen zustimmen; dieser Stimmzettel stimmt %(count)d zu.",
                limit,
            )
            % {"limit": limit, "count": len(ids)}
        )
    return {"approve": sorted(ids)}


def score(settings, option_ids, ballot):
    scores = _only_key(ballot, "scores")
    if not isinstance(scores, dict) or not scores:
        raise BallotError(_('"scores" muss ein Objekt {Maßnahmen-ID: Note} mit mindestens einer Note sein.'))
    normalised = {}
    for raw, grade in scores.items():
        option = _option(option_ids, raw, "scores")
        if option in normalised:
            raise BallotError(_("scores: Die Maßnahme %(id)s ist zweimal benotet.") % {"id": option})
        grade = _whole(grade, f"scores[{option}]")
        if not SCORE_MIN <= grade <= SCORE_MAX:
            raise BallotError(
                _("%(where)s: Noten gehen von %(min)d bis %(max)d, nicht %(grade)d.")
                % {"where": f"scores[{option}]", "min": SCORE_MIN, "max": SCORE_MAX, "grade": grade}
            )
        normalised[option] = grade
    return {"scores": {str(k): normalised[k] for k in sorted(normalised)}}


def ranking(settings, option_ids, ballot):
    groups = _only_key(ballot, "ranking")
    if not isinstance(groups, list) or not groups or not all(isinstance(g, list) and g for g in groups):
        raise BallotError(
            _('"ranking" muss eine nicht leere Liste nicht leerer Gruppen sein, z. B. [[3], [1, 7], [2]].')
        )
    seen = set()
    normalised = []
    for place, group in enumerate(groups, start=1):
        ids = []
        for raw in group:
            if type(raw) is int and raw in option_ids:
                option = raw  # the usual case, without building the label of an error
            else:
                option = _option(option_ids, raw, _("ranking, Platz %(place)d") % {"place": place})
            if option in seen:
                raise BallotError(
                    _("%(where)s: Die Maßnahme %(id)s kommt zweimal vor.") % {"where": "ranking", "id": option}
                )
            seen.add(option)
            ids.append(option)
        normalised.append(sorted(ids))
    return {"ranking": normalised}


def points(settings, option_ids, ballot, costs=None):
    allocation = _only_key(ballot, "points")
    if not isinstance(allocation, dict):
        raise BallotError(_('"points" muss ein Objekt {Maßnahmen-ID: Punkte} sein.'))
    normalised = {}
    for raw, value in allocation.items():
        option = _option(option_ids, raw, "points")
        if option in normalised:
            raise BallotError(
                _("%(where)s: Die Maßnahme %(id)s kommt zweimal vor.") % {"where": "points", "id": option}
            )
        value = _whole(value, f"points[{option}]")
        if value < 0:
            raise BallotError(_("%(where)s: Punkte können nicht negativ sein.") % {"where": f"points[{option}]"})
        if value:
            normalised[option] = value
    if not normalised:
        raise BallotError(_("Vergeben Sie mindestens einen Punkt."))
    style = settings.get("budget_ballot", "knapsack") if settings.get("use_costs") else None
    if style in ("knapsack", "approval") and any(v != 1 for v in normalised.values()):
        # Participatory budgeting by approval: each chosen project gets 1 point.
        raise BallotError(_("Beim Bürgerhaushalt bekommt jede gewählte Maßnahme genau 1 Punkt."))
    if style == "knapsack":
        # The chosen projects' costs must fit the budget together.
        budget = Decimal(str(settings["budget"]))
        total = sum((Decimal(str(costs[o])) for o in normalised), Decimal(0))
        if total > budget:
            raise BallotError(
                _("Die gewählten Maßnahmen kosten %(total)s EUR, mehr als das Budget von %(budget)s EUR.")
                % {"total": total, "budget": budget}
            )
    elif style == "approval":
        limit = settings.get("max_projects")
        if limit is not None and len(normalised) > limit:
            raise BallotError(
                _("Sie können höchstens %(limit)d Projekte wählen; dieser Stimmzettel wählt %(n)d.")
                % {"limit": limit, "n": len(normalised)}
            )
    else:
        budget = settings.get("budget_points", DEFAULT_POINTS_BUDGET)
        total = sum(normalised.values())
        if total > budget:
            raise BallotError(
                _("Sie haben %(budget)d Punkte; dieser Stimmzettel vergibt %(total)d.")
                % {"budget": budget, "total": total}
            )
    return {"points": {str(k): normalised[k] for k in sorted(normalised)}}


VALIDATORS = {"approval": approval, "score": score, "ranking": ranking, "points": points}


def normalise(method, settings, option_ids, ballot, costs=None):
    if method not in VALIDATORS:
        raise BallotError(
            _("Befragungen mit dem Verfahren %(method)s nehmen Paarvergleiche an, keine Stimmzettel.")
            % {"method": repr(method)}
        )
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
