"""Rankings side by side: the counts of one consultation, and experts beside citizens.

- :func:`disagreements`: where the counts of one method (ranking: Schulze, Borda,
  Copeland, first choices; score: mean and majority judgment) disagree.
- :func:`kendall_tau`: Kendall's tau-b of two rankings over their common options.
- :func:`experts_vs_citizens`: workshop (expert) scores beside consultation
  (citizen) scores, overall and per field of action.

Pure functions over plain data; int option ids; texts in German and English
({"de": [...], "en": [...]}). A place is 1 + the number of options strictly ahead,
so tied options share the best of their places.
"""

import math

import numpy as np

from voting.tally import registry

DECIMALS = 6
# How many of the largest place differences are named.
TOP_DIFFERENCES = 3

# --- helpers ------------------------------------------------------------------------


def _key(option):
    """Option ids are ints; after JSON they may come back as strings."""
    if isinstance(option, str) and option.lstrip("-").isdigit():
        return int(option)
    return option


def _places_from_groups(ranking) -> dict:
    places, ahead = {}, 0
    for group in ranking:
        for option in group:
            places[_key(option)] = ahead + 1
        ahead += len(group)
    return places


def _places_from_scores(scores: dict) -> dict:
    """Place per option, higher score first; options without a score are left out."""
    scored = {option: value for option, value in scores.items() if value is not None}
    return {option: 1 + sum(other > value for other in scored.values()) for option, value in scored.items()}


def _label(labels, option, lang: str) -> str:
    label = (labels or {}).get(option, (labels or {}).get(str(option)))
    if isinstance(label, dict):
        label = label.get(lang) or label.get("de")
    if label:
        return str(label)
    return f"Maßnahme {option}" if lang == "de" else f"measure {option}"


def _count_name(name: str, lang: str) -> str:
    return registry.summary_name(name, lang)


def _decimal(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "de" else text


def _span(low: int, high: int, lang: str) -> str:
    if low == high:
        return f"Platz {low}" if lang == "de" else f"place {low}"
    return f"Plätze {low} bis {high}" if lang == "de" else f"places {low} to {high}"


def _place_range(places: dict) -> tuple[int, int]:
    """Best and worst of an option's places in several counts."""
    found = [place for place in places.values() if place is not None]
    return (min(found), max(found)) if found else (0, 0)


def _counts_in(count) -> list[tuple[str, dict]]:
    """The named counts inside a method's count, the deciding one first."""
    if not isinstance(count, dict):
        return []
    names = registry.count_names(count)
    if len(names) > 1:
        return [(name, count[name]) for name in names if isinstance(count.get(name), dict)]
    if "ranking" in count:
        return [(count.get("method") or "count", count)]
    return [(name, part) for name, part in count.items() if isinstance(part, dict) and "ranking" in part]


# --- Kendall's tau ------------------------------------------------------------------


def _values(ranking) -> dict:
    """Option -> a number where higher is better. A list of tie groups (best first)
    gives minus the place; a mapping is taken as it is (scores, or places: as long as
    both sides of a comparison are of the same kind, tau is the same)."""
    if isinstance(ranking, dict):
        return {_key(option): value for option, value in ranking.items() if value is not None}
    return {option: -place for option, place in _places_from_groups(ranking).items()}


def kendall_tau(ranking_a, ranking_b) -> float | None:
    """Kendall's tau-b over the options both rankings contain, ties accounted for.

    Each ranking is a list of tie groups, best first (``[[3], [1, 7], [2]]``), or a
    mapping {option: score}; two mappings of places work too. None when fewer than
    two common options, or when one side ties all of them (tau-b is undefined then).
    """
    a, b = _values(ranking_a), _values(ranking_b)
    common = [option for option in a if option in b]
    if len(common) < 2:
        return None
    x = np.array([a[option] for option in common], dtype=np.float64)
    y = np.array([b[option] for option in common], dtype=np.float64)
    upper = np.triu_indices(len(common), 1)
    dx = np.sign(x[:, None] - x[None, :])[upper]
    dy = np.sign(y[:, None] - y[None, :])[upper]
    pairs = len(dx)
    untied_x, untied_y = pairs - int((dx == 0).sum()), pairs - int((dy == 0).sum())
    if not untied_x or not untied_y:
        return None
    return float((dx * dy).sum()) / math.sqrt(untied_x * untied_y)


def _agreement_words(tau: float) -> dict:
    if tau >= 0.7:
        return {"de": "stimmen stark überein", "en": "agree strongly"}
    if tau >= 0.4:
        return {"de": "stimmen deutlich überein", "en": "agree clearly"}
    if tau >= 0.1:
        return {"de": "stimmen schwach überein", "en": "agree weakly"}
    if tau > -0.1:
        return {"de": "stimmen kaum überein", "en": "hardly agree"}
    return {"de": "sind eher gegenläufig", "en": "tend to run opposite"}


def _rounded(value):
    return None if value is None else round(value, DECIMALS)


# --- disagreements between the counts of one method --------------------------------


def disagreements(count, labels=None) -> dict:
    """Where the counts of one consultation disagree.

    ``count`` is a full count as ``voting.tally`` gives it (ranking: Schulze, Borda,
    Copeland, first choices; score: mean and majority judgment; a method with one
    count simply agrees with itself). ``labels`` ({option: text or {"de", "en"}})
    names the measures in the summary; by default "Maßnahme 12".

    Returns ``counts`` (names, deciding one first), ``winners`` {name: [ids]},
    ``same_winners``, ``same_ranking``, ``places`` {option: {name: place}},
    ``differences`` (options whose place differs: ``option``, ``places``,
    ``spread`` = worst minus best place; largest spread first), ``tau`` {name:
    Kendall's tau-b against the deciding count} and ``summary`` {"de", "en"}.
    """
    parts = _counts_in(count)
    names = [name for name, _ in parts]
    places_by_count = {name: _places_from_groups(part.get("ranking") or []) for name, part in parts}
    options = list(places_by_count[names[0]]) if names else []
    winners = {name: [_key(o) for o in (part.get("ranking") or [[]])[0]] for name, part in parts}
    places = {option: {name: places_by_count[name].get(option) for name in names} for option in options}

    ordered = []
    for position, option in enumerate(options):
        best, worst = _place_range(places[option])
        if worst > best:  # largest spread first, then the better placed
            row = {"option": option, "places": places[option], "spread": worst - best}
            ordered.append(((best - worst, best, position), row))
    differences = [row for _, row in sorted(ordered, key=lambda item: item[0])]

    same_winners = len({tuple(sorted(w)) for w in winners.values()}) <= 1
    same_ranking = not differences and same_winners
    tau = {
        name: _rounded(kendall_tau(parts[0][1].get("ranking") or [], part.get("ranking") or []))
        for name, part in parts[1:]
    }
    result = {
        "counts": names,
        "winners": winners,
        "same_winners": same_winners,
        "same_ranking": same_ranking,
        "places": places,
        "differences": differences,
        "tau": tau,
    }
    if isinstance(count, dict) and count.get("method") == "budget" and len(parts) > 1:
        result["funding"] = _funding(parts)
        result["summary"] = _funding_summary(result["funding"], names, labels)
    else:
        result["summary"] = _disagreement_summary(result, count, labels)
    return result


def _funding(parts) -> dict:
    """What each rule of a participatory budget funds, and what only one of them funds."""
    funded = {name: [_key(o) for o in part.get("selected") or []] for name, part in parts}
    every = set.intersection(*(set(ids) for ids in funded.values()))
    return {
        "selected": funded,
        "same": all(set(ids) == every for ids in funded.values()),
        "only": {name: [o for o in ids if o not in every] for name, ids in funded.items()},
    }


# How a rule is named in a sentence on what only it funds.
_FUNDED_BY = {
    "de": {"equal_shares": "nach der Methode der gleichen Anteile", "greedy": "nach Stimmen (solange das Geld reicht)"},
    "en": {"equal_shares": "by the Method of Equal Shares", "greedy": "by votes while the money lasts"},
}


def _funding_summary(funding, names, labels) -> dict:
    summary = {"de": [], "en": []}
    if funding["same"]:
        summary["de"].append("Beide Regeln fördern dieselben Projekte.")
        summary["en"].append("Both rules fund the same projects.")
        return summary
    for lang in ("de", "en"):
        for name in names:
            listed = ", ".join(_label(labels, o, lang) for o in funding["only"][name])
            listed = listed or ("keines" if lang == "de" else "none")
            rule = _FUNDED_BY[lang].get(name) or _count_name(name, lang)
            prefix = f"Nur {rule} gefördert" if lang == "de" else f"Funded only {rule}"
            summary[lang].append(f"{prefix}: {listed}.")
    return summary


def _disagreement_summary(result, count, labels) -> dict:
    summary = {"de": [], "en": []}
    names = result["counts"]
    if len(names) < 2:
        return summary
    if result["same_ranking"]:
        summary["de"].append("Alle Zählverfahren ergeben dieselbe Rangfolge.")
        summary["en"].append("All counting methods give the same ranking.")
        return summary
    for lang in ("de", "en"):
        winners = result["winners"]
        if result["same_winners"]:
            first = ", ".join(_label(labels, o, lang) for o in winners[names[0]])
            text = (
                f"Alle Zählverfahren ergeben denselben ersten Platz: {first}."
                if lang == "de"
                else f"All counting methods give the same first place: {first}."
            )
        else:
            each = "; ".join(
                f"{_count_name(name, lang)}: {', '.join(_label(labels, o, lang) for o in winners[name])}"
                for name in names
            )
            text = (
                f"Die Zählverfahren ergeben verschiedene erste Plätze – {each}."
                if lang == "de"
                else f"The counting methods disagree on first place – {each}."
            )
        summary[lang].append(text)

        condorcet = count.get("condorcet_winner") if isinstance(count, dict) else None
        if condorcet is not None:
            missing = [name for name in names if _key(condorcet) not in winners[name]]
            if missing:
                methods = ", ".join(_count_name(name, lang) for name in missing)
                who = _label(labels, _key(condorcet), lang)
                summary[lang].append(
                    f"{who} gewinnt jeden direkten Vergleich (Condorcet-Sieger), steht aber bei {methods} "
                    "nicht auf Platz 1."
                    if lang == "de"
                    else f"{who} wins every head-to-head comparison (Condorcet winner) but is not first by {methods}."
                )

        differing = result["differences"]
        if differing:
            named = ", ".join(
                f"{_label(labels, row['option'], lang)} ({_span(*_place_range(row['places']), lang)})"
                for row in differing[:TOP_DIFFERENCES]
            )
            if len(differing) == 1:
                text = (
                    f"Nur bei einer Maßnahme unterscheidet sich der Platz zwischen den Zählverfahren: {named}."
                    if lang == "de"
                    else f"Only one measure is placed differently by the counting methods: {named}."
                )
            else:
                text = (
                    f"Bei {len(differing)} Maßnahmen unterscheiden sich die Plätze zwischen den Zählverfahren, "
                    f"am stärksten bei: {named}."
                    if lang == "de"
                    else f"{len(differing)} measures are placed differently by the counting methods, "
                    f"most of all: {named}."
                )
            summary[lang].append(text)
    return summary


# --- experts beside citizens --------------------------------------------------------


def experts_vs_citizens(expert_scores, citizen_scores, fields, labels=None) -> dict:
    """Experts' and citizens' rankings of the measures both rated, side by side.

    ``expert_scores`` and ``citizen_scores``: {measure: score}, higher is better
    (None: not rated); ``fields``: {measure: field of action id or None}; ``labels``
    names measures in the summaries (see :func:`disagreements`).

    Returns the comparison over all common measures: ``measures`` (rows with
    ``measure``, ``field``, ``expert_score``, ``citizen_score``, ``expert_place``,
    ``citizen_place``, ``difference`` = citizen place minus expert place; in the
    citizens' order), ``common``, ``tau`` (Kendall's tau-b, None with fewer than
    two measures), ``agree`` (measures on the same or an adjacent place),
    ``differ`` (up to three with the largest place difference, at least 2 places),
    ``summary`` {"de", "en"}; and ``fields`` {field id: the same comparison over
    that field's common measures, places counted within the field}.
    """
    experts = {_key(m): s for m, s in expert_scores.items() if s is not None}
    citizens = {_key(m): s for m, s in citizen_scores.items() if s is not None}
    field_of = {_key(m): f for m, f in (fields or {}).items()}
    common = [m for m in experts if m in citizens]
    overall = _side_by_side({m: experts[m] for m in common}, {m: citizens[m] for m in common}, field_of, labels)
    by_field = {}
    for field in sorted({field_of.get(m) for m in common if field_of.get(m) is not None}):
        members = [m for m in common if field_of.get(m) == field]
        by_field[field] = _side_by_side(
            {m: experts[m] for m in members}, {m: citizens[m] for m in members}, field_of, labels
        )
    overall["fields"] = by_field
    return overall


def _side_by_side(experts: dict, citizens: dict, field_of: dict, labels) -> dict:
    expert_places, citizen_places = _places_from_scores(experts), _places_from_scores(citizens)
    order = sorted(experts, key=lambda m: (citizen_places[m], expert_places[m], m))
    rows = [
        {
            "measure": m,
            "field": field_of.get(m),
            "expert_score": _score(experts[m]),
            "citizen_score": _score(citizens[m]),
            "expert_place": expert_places[m],
            "citizen_place": citizen_places[m],
            "difference": citizen_places[m] - expert_places[m],
        }
        for m in order
    ]
    tau = kendall_tau(experts, citizens) if len(rows) >= 2 else None
    agree = [row["measure"] for row in rows if abs(row["difference"]) <= 1]
    largest = sorted((row for row in rows if abs(row["difference"]) >= 2), key=lambda row: -abs(row["difference"]))
    differ = [row["measure"] for row in largest[:TOP_DIFFERENCES]]
    result = {
        "measures": rows,
        "common": len(rows),
        "tau": _rounded(tau),
        "agree": agree,
        "differ": differ,
    }
    result["summary"] = _comparison_summary(result, {row["measure"]: row for row in rows}, labels)
    return result


def _score(value):
    if hasattr(value, "item"):  # a numpy number
        value = value.item()
    return round(value, DECIMALS) if isinstance(value, float) else value


def _comparison_summary(result, rows, labels) -> dict:
    n, tau = result["common"], result["tau"]
    if n < 2:
        return {
            "de": [
                "Zu wenige Maßnahmen wurden von Fachleuten und Bürgerschaft bewertet, um die Rangfolgen zu vergleichen."
            ],
            "en": ["Too few measures were rated by both experts and citizens to compare the rankings."],
        }
    de = [f"{n} Maßnahmen wurden sowohl von Fachleuten als auch von Bürgerinnen und Bürgern bewertet."]
    en = [f"Experts and citizens both rated {n} measures."]
    if tau is None:
        de.append("Eine Seite bewertet alle gleich; die Rangfolgen lassen sich nicht vergleichen.")
        en.append("One side rates them all the same; the rankings cannot be compared.")
    else:
        words = _agreement_words(tau)
        de.append(f"Die Rangfolgen {words['de']} (Kendalls Tau = {_decimal(tau, 'de')}).")
        en.append(f"The rankings {words['en']} (Kendall's tau = {_decimal(tau, 'en')}).")
    de.append(f"Auf gleichem oder benachbartem Platz: {len(result['agree'])} von {n} Maßnahmen.")
    en.append(f"On the same or an adjacent place: {len(result['agree'])} of {n} measures.")
    if result["differ"]:
        for lang, out in (("de", de), ("en", en)):
            named = ", ".join(
                f"{_label(labels, m, lang)} ("
                + (
                    f"Fachleute Platz {rows[m]['expert_place']}, Bürgerschaft Platz {rows[m]['citizen_place']}"
                    if lang == "de"
                    else f"experts place {rows[m]['expert_place']}, citizens place {rows[m]['citizen_place']}"
                )
                + ")"
                for m in result["differ"]
            )
            out.append(f"Am weitesten auseinander: {named}." if lang == "de" else f"Furthest apart: {named}.")
    return {"de": de, "en": en}
