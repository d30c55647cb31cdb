"""A participatory budget from Pabulib (pabulib.org) brought into a process: the one
action behind ``manage.py import_pabulib`` and the facilitators' import page
(``/befragungen/neu/pabulib/``).

Each project of the file becomes a measure of the process (its cost as the estimate),
the budget a consultation that is opened, receives every ballot of the file through the
one ballot path (``actions.cast_ballot``) and is closed, so that the results module
(both rules, the bootstrap, the exports, the PDF, the open data) works on real
instances once the facilitator publishes it. Everything is done as the facilitator, in
one transaction: a file that cannot be read, or a set-up the actions refuse, changes
nothing. Each step is in the audit log as it would be by hand, and the import itself
once more with the file's SHA-256. Amounts keep the file's currency (the description
says so).
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participation.actions import create_measure, record_audit

from . import actions
from .ballots import BallotError
from .models import BudgetRule, Consultation
from .pabulib import BudgetProfile, PabulibError, PBInstance, budget_profile, option_ids, read_pb

# The largest file the page takes (the city-wide Warsaw 2026 file has 3 MB).
MAX_FILE_MB = 20
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
RULES = (BudgetRule.EQUAL_SHARES, BudgetRule.GREEDY)
TITLE_LENGTH = 200


@dataclass
class PabulibImport:
    """What an import brought in: the closed consultation and its counts."""

    consultation: Consultation
    measures: int
    ballots: int
    refused: int


class UnreadableFile(ValidationError):
    """The file is no Pabulib budget the platform can count: a ValidationError on ``file``
    with the message for the page; ``detail`` is the reader's own words (with the line,
    where it knows it), ``line`` that line number or None."""

    def __init__(self, message, detail=None, line=None):
        self.detail = detail or message
        self.line = line
        super().__init__({"file": [message]})


def _reader_error(error):
    message = str(error.args[0]) if error.args else str(error)
    if error.line is None:
        return UnreadableFile(_("Keine lesbare Pabulib-Datei: %(error)s") % {"error": message}, message)
    message = message.removeprefix(f"line {error.line}: ")
    return UnreadableFile(
        _("Keine lesbare Pabulib-Datei. Zeile %(line)s: %(error)s") % {"line": error.line, "error": message},
        str(error),
        error.line,
    )


def read_budget(data):
    """``(instance, profile)`` of a ``.pb`` file given as bytes; raises :class:`UnreadableFile`
    when it is empty, too large, not UTF-8 or not a Pabulib budget the platform can count."""
    if not data:
        raise UnreadableFile(_("Die Datei ist leer."))
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(_("Die Datei ist größer als %(limit)s MB.") % {"limit": MAX_FILE_MB})
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableFile(
            _("Die Datei ist kein Text in UTF-8 (Zeile %(line)s); Pabulib-Dateien sind UTF-8.") % {"line": line},
            line=line,
        ) from None
    try:
        instance = read_pb(text)
        profile = budget_profile(instance)
    except PabulibError as error:
        raise _reader_error(error) from None
    if not profile.options:
        raise UnreadableFile(_("Die Datei enthält keine Projekte."))
    return instance, profile


def _settings(instance: PBInstance, profile: BudgetProfile, rule):
    meta = instance.meta
    budget = profile.budget
    settings = {
        "use_costs": True,
        "budget": int(budget) if budget == budget.to_integral_value() else float(budget),
        "budget_rule": rule,
    }
    if profile.vote_type in ("cumulative", "scoring"):
        most = max((sum(ballot.values()) for ballot in profile.ballots), default=1)
        settings["budget_ballot"] = "points"
        settings["budget_points"] = int(meta.get("max_sum_points") or most)
    else:
        settings["budget_ballot"] = "approval"
        longest = meta.get("max_length")
        if longest and str(longest).isascii() and str(longest).isdigit():
            settings["max_projects"] = int(longest)
    return settings


def import_pabulib(user, process, data, rule=BudgetRule.EQUAL_SHARES, file_name=""):
    """Import the ``.pb`` file ``data`` (bytes) into ``process`` as ``user``, a facilitator
    of it; the closed consultation decides by ``rule`` (``equal_shares`` or ``greedy``).

    Raises PermissionDenied for anyone else, :class:`UnreadableFile` (a ValidationError on
    ``file``) for a file that cannot be read, a ValidationError on ``rule`` for an unknown
    rule and on ``file`` when the actions refuse what the file sets up; then nothing is
    written. Ballots the consultation's rules refuse are counted, not cast.
    """
    actions._require_manager(user, process)
    if rule not in RULES:
        raise ValidationError({"rule": [_("Unbekannte Entscheidungsregel.")]})
    instance, profile = read_budget(data)
    try:
        with transaction.atomic():
            result = _import(user, process, instance, profile, str(rule))
            record_audit(
                user,
                "consultation.import_pabulib",
                result.consultation,
                {
                    "file": file_name[:200],
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "rule": str(rule),
                    "measures": result.measures,
                    "ballots": result.ballots,
                    "refused": result.refused,
                },
            )
    except ValidationError as error:
        if isinstance(error, UnreadableFile):
            raise
        raise ValidationError(
            {"file": [_("Die Datei ergibt keine gültige Befragung: %(error)s") % {"error": " ".join(error.messages)}]}
        ) from None
    return result


def _import(user, process, instance, profile, rule):
    projects = {str(p["project_id"]): p for p in instance.projects}
    ids = option_ids(instance)
    currency = instance.meta.get("currency", "")
    measure_of = {}
    for option in profile.options:
        project = projects[ids[option]]
        name = (project.get("name") or "").strip() or _("Projekt %(id)s") % {"id": ids[option]}
        measure = create_measure(
            user,
            {
                "process": process,
                "title": name[:TITLE_LENGTH],
                "summary": _("Aus Pabulib: Projekt %(id)s, Kosten %(cost)s %(currency)s.")
                % {"id": ids[option], "cost": project["cost"], "currency": currency},
                "estimated_cost": project["cost"],
                "published": True,
            },
        )
        measure_of[option] = measure.pk
    description = instance.meta.get("description") or instance.meta.get("instance") or "Pabulib"
    consultation = actions.create_consultation(
        user,
        process,
        {
            "title": description[:TITLE_LENGTH],
            "description": _("Aus Pabulib eingelesen; Beträge in %(currency)s.") % {"currency": currency or "?"},
            "method": "points",
            "eligibility": "open",
            "options": [measure_of[option] for option in profile.options],
            "settings": _settings(instance, profile, rule),
        },
    )
    consultation = actions.open_consultation(user, consultation)
    refused = 0
    for vote, ballot in zip(instance.votes, profile.ballots, strict=True):
        voter = actions.Voter(
            consultation.pk, browser_hash=hashlib.sha256(f"pabulib:{vote['voter_id']}".encode()).hexdigest()
        )
        try:
            actions.cast_ballot(consultation, voter, {"points": {str(measure_of[o]): n for o, n in ballot.items()}})
        except (ValidationError, BallotError):
            refused += 1
    consultation = actions.close_consultation(user, consultation)
    return PabulibImport(consultation, len(profile.options), len(profile.ballots) - refused, refused)
