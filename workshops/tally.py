"""Live poll tallies: pure functions over plain data (no ORM).

``tally(kind, options, choices)`` takes the poll kind, the options as a list of
``(option_id, label)`` and the participants' current choices (already validated),
and returns ``{"votes": n, "options": [{"option", "label", "value", ...}]}`` where
``value`` is what the bars show: votes, dots, mean grade or Borda points. Word clouds
(``words``) have no options: their rows are ``{"word", "value"}`` (``wordcloud``).
"""

from collections import Counter

from .wordcloud import word_tally


def tally(kind, options, choices):
    if kind == "words":
        return word_tally(choices)
    ids = [option_id for option_id, _label in options]
    rows = {option_id: {"option": option_id, "label": label} for option_id, label in options}
    count = Counter()
    if kind in ("single", "multiple"):
        for choice in choices:
            for option_id in [choice] if kind == "single" else choice:
                count[int(option_id)] += 1
        for option_id in ids:
            rows[option_id]["value"] = count[option_id]
    elif kind == "dots":
        voters = Counter()
        for choice in choices:
            for option_id, dots in choice.items():
                if dots:
                    count[int(option_id)] += dots
                    voters[int(option_id)] += 1
        for option_id in ids:
            rows[option_id]["value"] = count[option_id]
            rows[option_id]["voters"] = voters[option_id]
    elif kind == "scale":
        grades = {option_id: Counter() for option_id in ids}
        for choice in choices:
            for option_id, grade in choice.items():
                grades[int(option_id)][grade] += 1
        for option_id in ids:
            histogram = grades[option_id]
            n = sum(histogram.values())
            rows[option_id]["value"] = round(sum(g * c for g, c in histogram.items()) / n, 2) if n else None
            rows[option_id]["count"] = n
            rows[option_id]["distribution"] = [histogram[g] for g in range(1, 6)]
    elif kind == "ranking":
        # Borda count: with n options, first place earns n-1 points, unranked options 0.
        n = len(ids)
        positions = {option_id: [] for option_id in ids}
        for choice in choices:
            for place, option_id in enumerate(choice):
                count[int(option_id)] += n - 1 - place
                positions[int(option_id)].append(place + 1)
        for option_id in ids:
            rows[option_id]["value"] = count[option_id]
            ranks = positions[option_id]
            rows[option_id]["mean_rank"] = round(sum(ranks) / len(ranks), 2) if ranks else None
    else:
        raise ValueError(f"unknown poll kind {kind!r}")
    return {"votes": len(choices), "options": [rows[option_id] for option_id in ids]}
