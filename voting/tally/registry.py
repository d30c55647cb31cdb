"""The counts of each method, in one place: their key, their names and the tally
function that makes them, the deciding count first.

The key is the count's name in a method's count and in the published result
(``{"method": "ranking", "schulze": {...}, "borda": {...}}``). Every reader of a
count (the result's core, the bootstrap, the comparison of counts, the pages,
charts, exports and the PDF) takes the list and the names from here.

Names, by where they are shown:

- ``label``: the results page, its charts, the exports' columns and the PDF;
- ``short_label``: a spreadsheet tab (31 characters at most);
- ``table_label``: the tables on the consultation page;
- ``summary_name``: the published comparison of counts (German and English, not
  translated at runtime: it is part of the hashed result).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .approval import count_approval
from .budget import count_equal_shares
from .pairwise import bradley_terry
from .points import count_budget, count_points
from .ranking import borda, copeland, count_ranking, first_choices, schulze
from .score import count_score, majority_judgment, score_mean


@dataclass(frozen=True)
class Count:
    key: str
    tally: object  # (options, data) -> this count alone
    label: str
    short_label: str | None = None  # when the label is too long for a spreadsheet tab
    table_label: str | None = None  # when the consultation page names it otherwise
    summary_name: dict | None = None


@dataclass(frozen=True)
class MethodCounts:
    method: str
    tally: object  # (options, data) -> the method's whole count
    counts: tuple  # of Count, the deciding one first

    @property
    def main(self):
        return self.counts[0]

    @property
    def keys(self):
        return tuple(count.key for count in self.counts)


APPROVAL = Count("approval", count_approval, _("Zustimmungen"))
MEAN = Count(
    "mean",
    score_mean,
    _("Durchschnittliche Bewertung (0 bis 5)"),
    short_label=_("Durchschnittliche Bewertung"),
    table_label=_("Durchschnittliche Bewertung"),
    summary_name={"de": "Mittelwert", "en": "mean"},
)
MAJORITY_JUDGMENT = Count(
    "majority_judgment",
    majority_judgment,
    _("Mehrheitsurteil: Median der Bewertungen"),
    short_label=_("Mehrheitsurteil"),
    table_label=_("Mehrheitsurteil (Median der Bewertungen)"),
    summary_name={"de": "Mehrheitsurteil", "en": "majority judgment"},
)
SCHULZE = Count(
    "schulze",
    schulze,
    _("Schulze-Methode: Zahl der geschlagenen Maßnahmen"),
    short_label=_("Schulze-Methode"),
    table_label=_("Schulze-Methode (Hauptergebnis)"),
    summary_name={"de": "Schulze", "en": "Schulze"},
)
BORDA = Count("borda", borda, _("Borda-Punkte"), summary_name={"de": "Borda", "en": "Borda"})
COPELAND = Count("copeland", copeland, _("Copeland-Punkte"), summary_name={"de": "Copeland", "en": "Copeland"})
FIRST_CHOICES = Count(
    "first_choices", first_choices, _("Erste Plätze"), summary_name={"de": "Erststimmen", "en": "first choices"}
)
POINTS = Count("points", count_points, _("Punkte"))
EQUAL_SHARES = Count(
    "equal_shares",
    count_equal_shares,
    _("Methode der gleichen Anteile: Punkte, Geförderte zuerst"),
    short_label=_("Gleiche Anteile"),
    table_label=_("Methode der gleichen Anteile"),
    summary_name={"de": "Methode der gleichen Anteile", "en": "Method of Equal Shares"},
)
GREEDY = Count(
    "greedy",
    count_points,
    _("Nach Stimmen, solange das Geld reicht: Punkte"),
    short_label=_("Nach Stimmen"),
    table_label=_("Nach Stimmen, solange das Geld reicht"),
    summary_name={"de": "nach Stimmen, solange das Geld reicht", "en": "by votes while the money lasts"},
)
BRADLEY_TERRY = Count(
    "bradley_terry",
    bradley_terry,
    _("Gewinnchance gegen eine zufällige andere Maßnahme (%)"),
    short_label=_("Gewinnchance (Bradley-Terry)"),
    table_label=_("Chance in Prozent, gegen eine zufällige andere Maßnahme zu gewinnen"),
)

METHODS = {
    "approval": MethodCounts("approval", count_approval, (APPROVAL,)),
    "score": MethodCounts("score", count_score, (MEAN, MAJORITY_JUDGMENT)),
    "ranking": MethodCounts("ranking", count_ranking, (SCHULZE, BORDA, COPELAND, FIRST_CHOICES)),
    "points": MethodCounts("points", count_points, (POINTS,)),
    "pairwise": MethodCounts("pairwise", bradley_terry, (BRADLEY_TERRY,)),
    # A participatory budget: a points consultation with costs; its count names the
    # deciding rule in "main" (settings.budget_rule), equal shares unless it says so.
    "budget": MethodCounts("budget", count_budget, (EQUAL_SHARES, GREEDY)),
}
COUNTS = {count.key: count for entry in METHODS.values() for count in entry.counts}


def count_keys(method):
    """The keys of a method's counts, the deciding one first; () for an unknown method."""
    entry = METHODS.get(method)
    return entry.keys if entry else ()


def main_count_name(method):
    """The key of the count a method is decided by (an unknown method: its own name)."""
    entry = METHODS.get(method)
    return entry.main.key if entry else method


def count_kind(method, settings):
    """The entry of ``METHODS`` a consultation is counted by: a points consultation
    with costs is a participatory budget."""
    return "budget" if method == "points" and (settings or {}).get("use_costs") else method


def deciding_count(method, settings):
    """The key of the count that decides this consultation: a budget's chosen rule."""
    if count_kind(method, settings) == "budget":
        return settings.get("budget_rule") or "greedy"
    return main_count_name(method)


def count_names(count):
    """The keys of a count's counts, the deciding one first (a budget's ``main``)."""
    if not isinstance(count, dict):
        return ()
    keys = count_keys(count.get("method"))
    main = count.get("main")
    if main in keys:
        keys = (main, *(key for key in keys if key != main))
    return keys


def several_counts(method):
    """The keys of a method whose count holds several counts, else None."""
    keys = count_keys(method)
    return keys if len(keys) > 1 else None


def _name(key, attribute):
    count = COUNTS.get(key)
    if count is None:
        return key
    return str(getattr(count, attribute) or count.label)


def label(key):
    return _name(key, "label")


def short_label(key):
    return _name(key, "short_label")


def table_label(key):
    return _name(key, "table_label")


def summary_name(key, lang):
    count = COUNTS.get(key)
    names = (count.summary_name if count else None) or {}
    return names.get(lang, key)


def counts_of(count):
    """The named counts inside a method's count, main count first: [(key, count)].

    A method's count is either one ranking (approval, points, pairwise) or holds
    several (score: mean and majority judgment; ranking: Schulze, Borda, ...).
    """
    if not isinstance(count, dict):
        return []
    if "ranking" in count:
        return [(count.get("method") or "count", count)]
    parts = [(name, part) for name, part in count.items() if isinstance(part, dict) and "ranking" in part]
    names = count_names(count)
    main = names[0] if names else main_count_name(count.get("method"))
    parts.sort(key=lambda item: item[0] != main)
    return parts


def main_count(count):
    parts = counts_of(count)
    return parts[0][1] if parts else {}
