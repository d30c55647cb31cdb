"""Every change of a consultation: set-up, opening and closing, access codes,
ballots, pairwise votes and proposals. Each validates, writes in one transaction
and leaves the register and the ballot box unlinked."""

import contextlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from participation import rules
from participation.actions import free_measure_slug, record_audit
from participation.errors import Conflict, RateLimited, Unauthenticated
from participation.models import Measure, MeasureOrigin
from participation.security import count_hit, limit, window_key

from . import ballots as ballot_rules
from . import mixing, notifications
from .models import (
    STATEMENT_LENGTH,
    AccessCode,
    Ballot,
    BudgetBallot,
    BudgetRule,
    Channel,
    Consultation,
    ConsultationOption,
    ConsultationState,
    Eligibility,
    Method,
    PairwiseVote,
    PaperBallot,
    PaperState,
    Phase,
    Proposal,
    ProposalStatus,
    ReceiptLookup,
    Statement,
    StatementState,
    VoterRecord,
)
from .selectors import visible_consultations

# 16 characters from a 25-letter alphabet: about 2^74 codes, not guessable.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
ACCESS_CODE_LENGTH = 16
RECEIPT_LENGTH = 12
MAX_CODES_PER_REQUEST = 5000
MAX_OPTIONS = 200

# Wrong access codes per client address in a 15-minute window; beyond it further wrong codes
# from that address are answered 429 with Retry-After instead of 403. A right code is always
# taken, whatever others behind the same address (a school, a town hall) typed: guessing one of
# about 2^74 codes is hopeless at any rate the servers can answer (docs/security.md), so the
# limit is a brake for scripts, not a lock on an address.
FAILED_ATTEMPTS_LIMIT = 200
LOCKOUT_SECONDS = 15 * 60
# Changes of one voter's ballot per hour: generous for people, a brake for scripts.
CHANGES_PER_HOUR = 60
PROPOSALS_PER_VOTER = 5
BALLOTS_PER_ADDRESS_PER_HOUR = 3000


# --- helpers ----------------------------------------------------------------------


def _random_code(length):
    """``length`` characters of CODE_ALPHABET, each uniformly at random: one read of the
    system's randomness per code instead of one per character (a ballot's receipt is
    drawn on every new ballot); bytes at or above the largest multiple of the
    alphabet's size are skipped, so that no character is likelier than another."""
    size = len(CODE_ALPHABET)
    limit = 256 - 256 % size
    chars = []
    while len(chars) < length:
        chars.extend(CODE_ALPHABET[byte % size] for byte in secrets.token_bytes(length + 4) if byte < limit)
    return "".join(chars[:length])


def format_code(code, group=4):
    return "-".join(code[i : i + group] for i in range(0, len(code), group))


def normalise_code(raw):
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())[:64]


def hash_access_code(consultation_id, code):
    return salted_hmac("voting.access_code", f"{consultation_id}:{normalise_code(code)}").hexdigest()


def ballot_key_for(consultation_id, identity):
    """The box's key for a voter: a keyed hash, not reversible without the server secret."""
    return salted_hmac("voting.ballot_key", f"{consultation_id}:{identity}").hexdigest()


def _require_manager(user, consultation_or_process):
    process = getattr(consultation_or_process, "process", consultation_or_process)
    if not rules.can_manage_process(user, process):
        raise PermissionDenied(_("Nur die Moderation dieses Prozesses darf das."))


# --- set-up -----------------------------------------------------------------------

ISO_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Consultations of this platform open and close within these years.
MIN_YEAR, MAX_YEAR = 2000, 2200


def _datetime(value, name, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            errors[name] = [
                _("Bitte ein Datum zwischen %(first)d und %(last)d.") % {"first": MIN_YEAR, "last": MAX_YEAR}
            ]
            return None
    else:
        # ISO 8601 with a date written with dashes: Python alone would read "111111111111" as 1111-11-11.
        parsed = parse_datetime(value) if isinstance(value, str) and ISO_DATE_START.match(value) else None
        if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
            errors[name] = [_("Kein Datum mit Uhrzeit (ISO 8601, z. B. 2026-12-01T09:00:00+01:00).")]
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _clean_settings(method, raw, errors):
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        errors["settings"] = [_("Muss ein Objekt sein.")]
        return {}
    allowed = {
        Method.APPROVAL: {"max_approvals"},
        Method.SCORE: {"labels"},
        Method.RANKING: set(),
        Method.POINTS: {"budget_points", "use_costs", "budget", "budget_ballot", "budget_rule", "max_projects"},
        Method.PAIRWISE: {"allow_proposals"},
        Method.OPINION: {"allow_statements"},
    }[method]
    unknown = set(raw) - allowed
    if unknown:
        errors["settings"] = [
            _("Unbekannte Einstellung(en) für %(method)s: %(names)s.")
            % {"method": method, "names": ", ".join(sorted(unknown))}
        ]
        return {}
    clean = {}
    if "max_approvals" in raw and raw["max_approvals"] is not None:
        value = raw["max_approvals"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors["settings"] = [_("max_approvals muss eine ganze Zahl ≥ 1 sein.")]
        clean["max_approvals"] = value
    if "labels" in raw:
        if raw["labels"] not in ("numbers", "words"):
            errors["settings"] = [_('labels muss "numbers" oder "words" sein.')]
        clean["labels"] = raw["labels"]
    if method == Method.POINTS:
        clean["use_costs"] = bool(raw.get("use_costs", False))
        if clean["use_costs"]:
            budget = raw.get("budget")
            if isinstance(budget, bool) or not isinstance(budget, int | float) or budget <= 0:
                errors["settings"] = [_("Ein Bürgerhaushalt braucht budget (EUR, > 0).")]
            clean["budget"] = budget
            _clean_budget_settings(raw, clean, errors)
        else:
            if any(key in raw for key in BUDGET_ONLY):
                errors["settings"] = [
                    _("%(names)s gelten nur für einen Bürgerhaushalt (use_costs).")
                    % {"names": ", ".join(sorted(BUDGET_ONLY & set(raw)))}
                ]
            points = raw.get("budget_points", ballot_rules.DEFAULT_POINTS_BUDGET)
            if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 10000:
                errors["settings"] = [_("budget_points muss eine ganze Zahl von 1 bis 10000 sein.")]
            clean["budget_points"] = points
    if method == Method.PAIRWISE:
        clean["allow_proposals"] = bool(raw.get("allow_proposals", True))
    if method == Method.OPINION:
        clean["allow_statements"] = bool(raw.get("allow_statements", True))
    return clean


BUDGET_ONLY = frozenset({"budget_ballot", "budget_rule", "max_projects"})


def _clean_budget_settings(raw, clean, errors):
    """A participatory budget's ballot and counting rule (see ``voting.ballots.points``
    and ``voting.tally.count_consultation``)."""
    style = raw.get("budget_ballot", BudgetBallot.KNAPSACK)
    if style not in BudgetBallot.values:
        errors["settings"] = [
            _("budget_ballot muss eines von %(values)s sein.") % {"values": ", ".join(BudgetBallot.values)}
        ]
    clean["budget_ballot"] = style
    rule = raw.get("budget_rule", BudgetRule.EQUAL_SHARES)
    if rule not in BudgetRule.values:
        errors["settings"] = [
            _("budget_rule muss eines von %(values)s sein.") % {"values": ", ".join(BudgetRule.values)}
        ]
    clean["budget_rule"] = rule
    if style == BudgetBallot.POINTS:
        points = raw.get("budget_points", ballot_rules.DEFAULT_POINTS_BUDGET)
        if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 10000:
            errors["settings"] = [_("budget_points muss eine ganze Zahl von 1 bis 10000 sein.")]
        clean["budget_points"] = points
    elif "budget_points" in raw:
        errors["settings"] = [_("budget_points gilt nur, wenn Punkte auf Projekte verteilt werden.")]
    max_projects = raw.get("max_projects")
    if max_projects is not None:
        if style != BudgetBallot.APPROVAL:
            errors["settings"] = [_("max_projects gilt nur für Zustimmung zu Projekten (budget_ballot approval).")]
        elif isinstance(max_projects, bool) or not isinstance(max_projects, int) or not 1 <= max_projects <= 1000:
            errors["settings"] = [_("max_projects muss eine ganze Zahl von 1 bis 1000 sein.")]
        clean["max_projects"] = max_projects


def default_receipt_lookup(method, settings):
    """Budgets (money) show only "counted" for a receipt, so that a receipt cannot prove a
    vote to a buyer; other methods show the ballot, so that voters can check it."""
    if method == Method.POINTS and (settings or {}).get("use_costs"):
        return ReceiptLookup.COUNTED
    return ReceiptLookup.CONTENT


SETUP_FIELDS = frozenset(
    {
        "title",
        "title_en",
        "description",
        "description_en",
        "method",
        "eligibility",
        "options",
        "settings",
        "opens_at",
        "closes_at",
        "interim_results",
        "receipt_lookup",
    }
)
TEXT_FIELDS = frozenset({"title", "title_en", "description", "description_en"})
# The names of the set-up in refusals, as the form labels them.
SETUP_LABELS = {
    "title": _lazy("Titel"),
    "title_en": _lazy("Titel (englisch)"),
    "description": _lazy("Erläuterung"),
    "description_en": _lazy("Erläuterung (englisch)"),
    "method": _lazy("Verfahren"),
    "eligibility": _lazy("Wer darf teilnehmen?"),
    "options": _lazy("Maßnahmen auf dem Stimmzettel"),
    "settings": _lazy("Einstellungen des Verfahrens"),
    "opens_at": _lazy("Öffnet am"),
    "closes_at": _lazy("Schließt am"),
    "interim_results": _lazy("Zwischenergebnisse öffentlich zeigen"),
    "receipt_lookup": _lazy("Was zeigt die Quittung nach der Veröffentlichung?"),
}


def _clean_text_field(data, name, limit, errors, required=False):
    text = str(data.get(name) or "")
    if name.startswith("title"):
        text = text.strip()
    if required and not text:
        errors[name] = [_("Dieses Feld ist erforderlich.")]
    elif len(text) > limit:
        errors[name] = [_("Höchstens %(limit)d Zeichen.") % {"limit": limit}]
    return text


def _clean_setup(process, data):
    """The whole set-up of a consultation from ``data`` (the API's shape), checked as
    create and update share it; raises ValidationError with the fields' messages."""
    errors = {}
    clean = {
        "title": _clean_text_field(data, "title", 200, errors, required=True),
        "title_en": _clean_text_field(data, "title_en", 200, errors),
        "description": _clean_text_field(data, "description", 20000, errors),
        "description_en": _clean_text_field(data, "description_en", 20000, errors),
    }
    method = data.get("method")
    if method not in Method.values:
        errors["method"] = [_("Muss eines von %(values)s sein.") % {"values": ", ".join(Method.values)}]
    eligibility = data.get("eligibility")
    if eligibility not in Eligibility.values:
        errors["eligibility"] = [_("Muss eines von %(values)s sein.") % {"values": ", ".join(Eligibility.values)}]
    options = data.get("options")
    if options is None and method == Method.OPINION:
        options = []  # an opinion map is about statements; measures are optional
    fewest = 0 if method == Method.OPINION else 2
    measures = []
    if not isinstance(options, list) or not fewest <= len(options) <= MAX_OPTIONS:
        errors["options"] = [_("Wählen Sie %(low)d bis %(limit)d Maßnahmen.") % {"low": fewest, "limit": MAX_OPTIONS}]
    elif any(isinstance(o, bool) or not isinstance(o, int) for o in options) or len(set(options)) != len(options):
        errors["options"] = [_("Die Maßnahmen-IDs müssen verschiedene ganze Zahlen sein.")]
    else:
        found = {m.pk: m for m in Measure.objects.filter(process=process, pk__in=options)}
        missing = [o for o in options if o not in found]
        if missing:
            errors["options"] = [
                _("Keine Maßnahmen dieses Prozesses: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            ]
        measures = [found[o] for o in options if o in found]
    settings = _clean_settings(method, data.get("settings"), errors) if method in Method.values else {}
    if method == Method.POINTS and settings.get("use_costs") and measures:
        without_cost = [m.pk for m in measures if m.estimated_cost is None]
        if without_cost:
            errors["options"] = [
                _("Ein Bürgerhaushalt braucht Kosten für jede Maßnahme; es fehlen: %(ids)s.")
                % {"ids": ", ".join(map(str, without_cost))}
            ]
    opens_at = _datetime(data.get("opens_at"), "opens_at", errors)
    closes_at = _datetime(data.get("closes_at"), "closes_at", errors)
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = [_("Das Ende muss nach dem Beginn liegen.")]
    receipt_lookup = data.get("receipt_lookup") or default_receipt_lookup(method, settings)
    if receipt_lookup not in ReceiptLookup.values:
        errors["receipt_lookup"] = [_("Muss eines von %(values)s sein.") % {"values": ", ".join(ReceiptLookup.values)}]
    statements = _clean_statements(data.get("statements"), method, errors)
    if errors:
        raise ValidationError(errors)
    clean.update(
        statements=statements,
        method=method,
        settings=settings,
        eligibility=eligibility,
        opens_at=opens_at,
        closes_at=closes_at,
        interim_results=bool(data.get("interim_results", False)),
        receipt_lookup=receipt_lookup,
        measures=measures,
    )
    return clean


MAX_STATEMENTS = 500


def _clean_statements(raw, method, errors):
    """An opinion map's first statements: texts of 1 to 280 characters."""
    if raw is None:
        return []
    if method != Method.OPINION:
        errors["statements"] = [_("Aussagen gibt es nur bei einer Meinungslandkarte.")]
        return []
    if not isinstance(raw, list) or len(raw) > MAX_STATEMENTS or any(not isinstance(t, str) for t in raw):
        errors["statements"] = [_("Eine Liste von höchstens %(limit)d Texten.") % {"limit": MAX_STATEMENTS}]
        return []
    texts = [" ".join(text.split()) for text in raw]
    if any(not text or len(text) > STATEMENT_LENGTH for text in texts):
        errors["statements"] = [_("Jede Aussage hat 1 bis %(limit)d Zeichen.") % {"limit": STATEMENT_LENGTH}]
    return texts


def create_consultation(user, process, data):
    """A new consultation in draft. ``data`` is what the API received."""
    _require_manager(user, process)
    setup = _clean_setup(process, data)
    measures = setup.pop("measures")
    statements = setup.pop("statements")
    with transaction.atomic():
        consultation = Consultation.objects.create(process=process, created_by=user, **setup)
        ConsultationOption.objects.bulk_create(
            ConsultationOption(consultation=consultation, measure=m, position=n) for n, m in enumerate(measures)
        )
        Statement.objects.bulk_create(
            Statement(consultation=consultation, text=text, state=StatementState.PUBLISHED, by_facilitators=True)
            for text in statements
        )
        record_audit(user, "create", consultation, {"method": setup["method"], "eligibility": setup["eligibility"]})
    return consultation


def has_votes(consultation):
    """Whether anyone has voted yet (a ballot, a pairwise answer or a row of the register)."""
    return (
        consultation.voters.exists()
        or consultation.ballots.exists()
        or consultation.pairwise_votes.exists()
        or consultation.statement_votes.exists()
    )


def editable_setup(consultation):
    """What of the set-up may still change, and why the rest may not ("" when all may).

    A draft, and a scheduled consultation nobody has voted in, may change in everything.
    Once it is open (or has votes) every ballot must count by the rules it was cast
    under: method, measures, settings, eligibility, interim results, what a receipt shows
    and the start stay as they are; the texts and the end may change. After the close
    only the texts may. Printed access codes tie the eligibility rule down."""
    phase = consultation.phase
    if phase == Phase.CLOSED:
        return TEXT_FIELDS, _("Die Befragung ist beendet; änderbar sind nur noch Titel und Erläuterung.")
    if phase == Phase.OPEN or has_votes(consultation):
        return TEXT_FIELDS | {"closes_at"}, _(
            "Die Befragung läuft. Damit alle Stimmen nach denselben Regeln zählen, stehen Verfahren, Maßnahmen, "
            "Einstellungen, Teilnahme und Beginn fest; änderbar sind Titel, Erläuterung und das Ende."
        )
    if consultation.access_codes.exists():
        return SETUP_FIELDS - {"eligibility"}, _(
            "Für diese Befragung sind schon Zugangscodes erzeugt; die Teilnahme bleibt daher beim Zugangscode, "
            "sonst gälten die Briefe nicht mehr."
        )
    return SETUP_FIELDS, ""


def _current_setup(consultation):
    setup = {name: getattr(consultation, name) for name in SETUP_FIELDS - {"options"}}
    setup["options"] = list(consultation.options.order_by("position", "id").values_list("measure_id", flat=True))
    return setup


def _moves_now(changes):
    """Refusals for a new start or end of a published consultation that lies in the past:
    saving it would open or close the consultation without the confirmation those steps ask."""
    now = timezone.now()
    errors = {}
    if "opens_at" in changes and (changes["opens_at"] is None or changes["opens_at"] <= now):
        errors["opens_at"] = [
            _(
                "Ein Beginn, der schon vorbei oder leer ist, öffnete die Befragung sofort; "
                "dafür gibt es „Jetzt öffnen“ mit Bestätigung."
            )
        ]
    if "closes_at" in changes and changes["closes_at"] is not None and changes["closes_at"] <= now:
        errors["closes_at"] = [
            _(
                "Ein Ende, das schon vorbei ist, beendete die Befragung sofort; "
                "dafür gibt es „Befragung schließen“ mit Bestätigung."
            )
        ]
    return errors


def update_consultation(user, consultation, data):
    """Change the set-up of a consultation; keys missing from ``data`` stay as they are.

    Checked as on creation; a change of what may no longer change (``editable_setup``)
    is refused with the reason, and then nothing is changed. Returns the consultation
    and the names of the fields that changed (none when nothing did)."""
    _require_manager(user, consultation)
    unknown = set(data) - SETUP_FIELDS
    if unknown:
        raise ValidationError(
            {"settings": [_("Unbekannte Felder: %(names)s.") % {"names": ", ".join(sorted(unknown))}]}
        )
    with transaction.atomic():
        # The state cannot move under the check: opening and closing wait for this lock.
        fresh = Consultation.objects.select_for_update().select_related("process").get(pk=consultation.pk)
        current = _current_setup(fresh)
        merged = {**current, **data}
        if merged["method"] != current["method"] and "settings" not in data:
            merged["settings"] = {}  # the old method's settings mean nothing to the new one
        if "receipt_lookup" not in data and current["receipt_lookup"] == default_receipt_lookup(
            current["method"], current["settings"]
        ):
            merged["receipt_lookup"] = None  # it followed the default: it follows a new method's default
        setup = _clean_setup(fresh.process, merged)
        measures = setup.pop("measures")
        setup.pop("statements")  # added one by one once the map exists (add_statement)
        new_options = [m.pk for m in measures]
        changed = sorted(
            name
            for name in SETUP_FIELDS
            if (set(new_options) != set(current["options"]) if name == "options" else setup[name] != current[name])
        )
        editable, reason = editable_setup(fresh)
        errors = {
            name: [
                _("„%(field)s“ lässt sich nicht mehr ändern. %(reason)s")
                % {"field": SETUP_LABELS[name], "reason": reason}
            ]
            for name in changed
            if name not in editable
        }
        if fresh.state != ConsultationState.DRAFT:
            errors.update(_moves_now({n: setup[n] for n in changed if n in editable}))
        if errors:
            raise ValidationError(errors)
        if not changed:
            return fresh, []
        fields = [name for name in changed if name != "options"]
        for name in fields:
            setattr(fresh, name, setup[name])
        if fields:
            fresh.save(update_fields=fields)
        if "options" in changed:
            # Only drafts and unvoted scheduled consultations get here: no ballot names these rows.
            fresh.options.exclude(measure_id__in=new_options).delete()
            kept = {option.measure_id: option for option in fresh.options.all()}
            for position, measure in enumerate(measures):
                option = kept.get(measure.pk)
                if option is None:
                    ConsultationOption.objects.create(consultation=fresh, measure=measure, position=position)
                elif option.position != position:
                    option.position = position
                    option.save(update_fields=["position"])
        record_audit(user, "consultation.update", fresh, {"fields": changed})
        if fresh.state != ConsultationState.DRAFT:
            notifications.announce_after_commit(fresh)
    return fresh, changed


def open_consultation(user, consultation):
    _require_manager(user, consultation)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.phase == Phase.OPEN:
            raise Conflict(_("Die Befragung ist bereits geöffnet."))
        now = timezone.now()
        if consultation.state == ConsultationState.CLOSED or (consultation.closes_at and consultation.closes_at <= now):
            raise Conflict(
                _("Eine beendete Befragung kann nicht wieder geöffnet werden; ihr Ergebnis würde sich ändern.")
            )
        consultation.state = ConsultationState.OPEN
        if consultation.opens_at is None or consultation.opens_at > now:
            consultation.opens_at = now
        consultation.save(update_fields=["state", "opens_at"])
        record_audit(user, "consultation.open", consultation)
        notifications.announce_after_commit(consultation)
    return consultation


def schedule_consultation(user, consultation):
    """Publish the consultation so that it opens (and closes) by the clock."""
    _require_manager(user, consultation)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.state != ConsultationState.DRAFT:
            raise Conflict(_("Nur ein Entwurf kann zeitgesteuert veröffentlicht werden."))
        if not consultation.opens_at:
            raise ValidationError(
                {"opens_at": [_("Legen Sie einen Beginn fest, um die Befragung zeitgesteuert zu veröffentlichen.")]}
            )
        consultation.state = ConsultationState.OPEN
        consultation.save(update_fields=["state"])
        record_audit(user, "consultation.schedule", consultation, {"opens_at": consultation.opens_at.isoformat()})
        notifications.announce_after_commit(consultation)
    return consultation


def close_consultation(user, consultation):
    _require_manager(user, consultation)
    with transaction.atomic():
        # Waits for ballots in flight: they hold a share lock on this row.
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.state == ConsultationState.CLOSED:
            raise Conflict(_("Die Befragung ist bereits beendet."))
        if consultation.state == ConsultationState.DRAFT:
            raise Conflict(_("Ein Entwurf kann nicht beendet werden; er war nie geöffnet."))
        now = timezone.now()
        consultation.state = ConsultationState.CLOSED
        if consultation.closes_at is None or consultation.closes_at > now:
            consultation.closes_at = now
        consultation.save(update_fields=["state", "closes_at"])
        record_audit(user, "consultation.close", consultation)
        notifications.announce_after_commit(consultation)
        # Mixed and rewritten once the close is committed, so that no ballot waits for it.
        transaction.on_commit(lambda: mixing.seal_after_close(consultation.pk))
    return consultation


def generate_access_codes(user, consultation, count):
    """New codes for printed letters. Returned once; only their keyed hashes are kept."""
    _require_manager(user, consultation)
    if consultation.eligibility != Eligibility.ACCESS_CODE:
        raise Conflict(_("Diese Befragung verwendet keine Zugangscodes."))
    if consultation.phase == Phase.CLOSED:
        raise Conflict(_("Die Befragung ist beendet."))
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_CODES_PER_REQUEST:
        raise ValidationError({"count": [_("Eine ganze Zahl von 1 bis %(limit)d.") % {"limit": MAX_CODES_PER_REQUEST}]})
    codes = [_random_code(ACCESS_CODE_LENGTH) for _ in range(count)]
    with transaction.atomic():
        batch = (
            AccessCode.objects.filter(consultation=consultation)
            .order_by("-batch")
            .values_list("batch", flat=True)
            .first()
            or 0
        ) + 1
        AccessCode.objects.bulk_create(
            AccessCode(consultation=consultation, code_hash=hash_access_code(consultation.pk, code), batch=batch)
            for code in codes
        )
        record_audit(user, "consultation.access_codes", consultation, {"count": count, "batch": batch})
    return [format_code(code) for code in codes], batch


# --- who is voting ----------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    """An eligible voter, as far as the register needs to know them."""

    consultation_id: int
    user_id: int | None = None
    access_code_id: int | None = None
    browser_hash: str = ""

    @property
    def identity(self):
        if self.user_id:
            return f"user:{self.user_id}"
        if self.access_code_id:
            return f"code:{self.access_code_id}"
        return f"browser:{self.browser_hash}"

    @property
    def ballot_key(self):
        return ballot_key_for(self.consultation_id, self.identity)


def _failure_key(address):
    """The cache key of this address's wrong codes in the current window."""
    return window_key(f"voting:failed-codes:{address}", LOCKOUT_SECONDS)


def _wrong_code(address, consultation, code):
    """Count a wrong code from ``address``; beyond the limit the answer slows the sender down.
    Within it, say whether the code belongs to another consultation or to none."""
    failures, remaining = count_hit(f"voting:failed-codes:{address}", LOCKOUT_SECONDS)
    if failures is not None and failures > FAILED_ATTEMPTS_LIMIT:
        raise RateLimited(
            _(
                "Dieser Zugangscode gilt nicht. Aus Ihrem Netz kamen zuletzt sehr viele falsche Zugangscodes; "
                "weitere falsche Codes werden eine Weile abgewiesen. Ein richtiger Code wird weiterhin angenommen."
            ),
            remaining,
        )
    elsewhere = _consultation_of_code(consultation, code)
    if elsewhere is None:
        raise PermissionDenied(_unknown_code_message(code))
    if elsewhere.process.published and elsewhere.state != ConsultationState.DRAFT:
        raise PermissionDenied(
            _(
                "Dieser Zugangscode gilt nicht für diese Befragung, sondern für die Befragung „%(title)s“. "
                "Öffnen Sie die Adresse aus Ihrem Brief oder scannen Sie seinen QR-Code."
            )
            % {"title": elsewhere.title_t}
        )
    raise PermissionDenied(_("Dieser Zugangscode gilt nicht für diese Befragung."))


def _consultation_of_code(consultation, code):
    """The other consultation this code was made for, or None. Codes are hashed per
    consultation, so the code is hashed for each one that uses codes; only a well-formed
    code can be one."""
    if len(code) != ACCESS_CODE_LENGTH or set(code) - set(CODE_ALPHABET):
        return None
    others = Consultation.objects.filter(eligibility=Eligibility.ACCESS_CODE).exclude(pk=consultation.pk)
    hashes = {hash_access_code(pk, code): pk for pk in others.values_list("pk", flat=True)}
    for consultation_id, code_hash in AccessCode.objects.filter(code_hash__in=hashes).values_list(
        "consultation_id", "code_hash"
    ):
        if hashes[code_hash] == consultation_id:
            return Consultation.objects.select_related("process").get(pk=consultation_id)
    return None


def _unknown_code_message(code):
    """A code that exists nowhere: most often a typo. Say what to look for in the letter."""
    parts = [
        _(
            "Diesen Zugangscode gibt es nicht. Prüfen Sie die Schreibweise: Der Code steht in Ihrem Brief "
            "im Kasten „Ihr Zugangscode“ und hat 16 Zeichen in vier Gruppen."
        )
    ]
    if len(code) != ACCESS_CODE_LENGTH:
        parts.append(
            ngettext("Sie haben %(count)d Zeichen eingegeben.", "Sie haben %(count)d Zeichen eingegeben.", len(code))
            % {"count": len(code)}
        )
    foreign = list(dict.fromkeys(ch for ch in code if ch not in CODE_ALPHABET))
    if foreign:
        chars = ", ".join(_("„%(char)s“") % {"char": ch} for ch in foreign)
        parts.append(
            ngettext(
                "Das Zeichen %(chars)s kommt in Zugangscodes nicht vor.",
                "Die Zeichen %(chars)s kommen in Zugangscodes nicht vor.",
                len(foreign),
            )
            % {"chars": chars}
        )
    parts.append(
        _(
            "Damit nichts verwechselt wird, enthalten Zugangscodes nur die Buchstaben %(letters)s "
            "und die Ziffern %(digits)s: keine 0 und kein O, keine 1, kein I und kein L."
        )
        % {
            "letters": " ".join(ch for ch in CODE_ALPHABET if ch.isalpha()),
            "digits": " ".join(ch for ch in CODE_ALPHABET if ch.isdigit()),
        }
    )
    return " ".join(parts)


def _access_code_id(consultation_id, code_hash):
    """The id of the consultation's access code with this keyed hash, or None. The ballot
    path on PostgreSQL has it already (``ballot_consultation``); this is for the rest."""
    return (
        AccessCode.objects.filter(consultation_id=consultation_id, code_hash=code_hash)
        .values_list("id", flat=True)
        .first()
    )


def resolve_voter(consultation, user=None, access_code=None, browser_token=None, address="unknown"):
    """Who is voting, by the consultation's eligibility rule; refuses who may not."""
    if consultation.eligibility == Eligibility.ACCOUNT:
        if user is None or not user.is_authenticated:
            raise Unauthenticated(
                _("Melden Sie sich mit einem bestätigten Konto an, um an dieser Befragung teilzunehmen.")
            )
        if not rules.can_give_feedback(user):
            raise PermissionDenied(_("Bestätigen Sie zuerst Ihre E-Mail-Adresse; dann können Sie abstimmen."))
        return Voter(consultation.pk, user_id=user.pk)
    if consultation.eligibility == Eligibility.ACCESS_CODE:
        code = normalise_code(access_code)
        if not code:
            raise ValidationError(
                {"access_code": [_("Für diese Befragung brauchen Sie den Zugangscode aus Ihrem Brief.")]}
            )
        code_hash = hash_access_code(consultation.pk, code)
        # ``ballot_consultation`` may have read the code's record with the consultation.
        known = getattr(consultation, "ballot_access_code", None)
        record_id = known[1] if known and known[0] == code_hash else _access_code_id(consultation.pk, code_hash)
        if record_id is None:
            _wrong_code(address, consultation, code)
        return Voter(consultation.pk, access_code_id=record_id)
    if not browser_token:
        raise ValidationError(
            {"browser": [_("Offene Befragungen brauchen Cookies: Erlauben Sie sie und laden Sie die Seite neu.")]}
        )
    browser_hash = salted_hmac("voting.browser", f"{consultation.pk}:{browser_token}").hexdigest()
    return Voter(consultation.pk, browser_hash=browser_hash)


def _hour(now):
    return now.replace(minute=0, second=0, microsecond=0)


def _share_lock(consultation_id):
    """Ballots take a share lock on the consultation row: closing waits for them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM voting_consultation WHERE id = %s FOR SHARE", [consultation_id])


def _locked_consultation(consultation_id):
    """The consultation as it is now, read with a share lock on its row (see ``_share_lock``)
    in the same query on PostgreSQL."""
    if connection.vendor == "postgresql":
        rows = list(
            Consultation.objects.raw("SELECT * FROM voting_consultation WHERE id = %s FOR SHARE", [consultation_id])
        )
        if not rows:
            raise Consultation.DoesNotExist
        return rows[0]
    return Consultation.objects.get(pk=consultation_id)


def _options_and_costs(consultation):
    rows = list(
        ConsultationOption.objects.filter(consultation=consultation).values_list(
            "measure_id", "measure__estimated_cost"
        )
    )
    return [m for m, _ in rows], dict(rows)


def _changes_key(ballot_key):
    """The cache key of a voter's changes in the current hour."""
    return window_key(f"voting:changes:{ballot_key}", 3600)


def _limit_changes(voter):
    # Skipped while the cache (Redis) is away: a change is never refused for that.
    count, remaining = count_hit(f"voting:changes:{voter.ballot_key}", 3600)
    if count is not None and count > CHANGES_PER_HOUR:
        raise RateLimited(
            _("Sie haben diesen Stimmzettel sehr oft geändert; versuchen Sie es in einer Stunde wieder."), remaining
        )


@dataclass
class CastResult:
    receipt: str
    created: bool
    changed: bool


def limit_ballots_from(consultation, address):
    """New ballots from one network address per hour, in open consultations only: there
    anyone can vote once per browser, so a script could stuff the box; a whole school
    voting from one address stays far below the limit. Where voters are eligible by
    account or access code, each valid ballot is one eligible voter's and is never
    turned away for sharing an address (failed codes and changes are limited instead)."""
    if consultation.eligibility != Eligibility.OPEN:
        return
    limit(
        f"ballots:{consultation.pk}:{address}",
        BALLOTS_PER_ADDRESS_PER_HOUR,
        3600,
        _("Sehr viele Stimmzettel aus Ihrem Netz in der letzten Stunde; bitte versuchen Sie es später."),
    )


# The consultation a ballot is for, with its options and their costs, in one read
# (PostgreSQL). Table names as in the models' Meta.
BALLOT_CONSULTATION_SQL = """
SELECT c.id, c.process_id, c.method, c.settings, c.eligibility, c.state, c.opens_at, c.closes_at,
       ARRAY(SELECT o.measure_id FROM voting_consultationoption o
              WHERE o.consultation_id = c.id ORDER BY o.position, o.id),
       ARRAY(SELECT m.estimated_cost FROM voting_consultationoption o
              JOIN participation_measure m ON m.id = o.measure_id
              WHERE o.consultation_id = c.id ORDER BY o.position, o.id),
       (SELECT a.id FROM voting_accesscode a WHERE a.consultation_id = c.id AND a.code_hash = %s)
  FROM voting_consultation c
  JOIN participation_process p ON p.id = c.process_id
 WHERE c.id = %s AND p.published AND c.state <> %s
"""
BALLOT_FIELDS = ["id", "process_id", "method", "settings", "eligibility", "state", "opens_at", "closes_at"]


def ballot_consultation(pk, user, access_code=None):
    """The consultation ``user`` may see (``selectors.visible_consultations``) that a ballot
    is cast in, or None; on PostgreSQL read with its options, and the record of the access
    code the request carries (for ``resolve_voter``), in one query for anyone who sees only
    what is public, the other fields left to load when asked for."""
    if connection.vendor != "postgresql" or rules.is_facilitator(user) or not 0 < pk < 2**63:
        return visible_consultations(user).select_related(None).prefetch_related(None).filter(pk=pk).first()
    code = normalise_code(access_code)
    code_hash = hash_access_code(pk, code) if code else None
    with connection.cursor() as cursor:
        cursor.execute(BALLOT_CONSULTATION_SQL, [code_hash, pk, ConsultationState.DRAFT])
        row = cursor.fetchone()
    if row is None:
        return None
    *values, option_ids, costs, access_code_id = row
    if isinstance(values[3], str):
        values[3] = json.loads(values[3])
    consultation = Consultation.from_db(connection.alias, BALLOT_FIELDS, values)
    consultation.ballot_options = (option_ids, dict(zip(option_ids, costs, strict=True)))
    if code_hash is not None:
        consultation.ballot_access_code = (code_hash, access_code_id)
    return consultation


def cast_ballot(consultation, voter, ballot):
    """Create or replace the voter's ballot. The same ballot again changes nothing.
    Every ballot goes through here, whatever its eligibility and whichever door it came
    in by (the API, the form without JavaScript); the caller has resolved the voter."""
    if consultation.method == Method.PAIRWISE:
        raise Conflict(_("Diese Befragung nimmt Paarvergleiche an: Verwenden Sie /pairs."))
    option_ids, costs = getattr(consultation, "ballot_options", None) or _options_and_costs(consultation)
    try:
        content = ballot_rules.normalise(consultation.method, consultation.settings, option_ids, ballot, costs)
    except ballot_rules.BallotError as error:
        raise ValidationError({"ballot": [str(error)]}) from None
    for attempt in range(3):
        try:
            if connection.vendor == "postgresql":
                # Each statement is its own transaction; inside a caller's, a savepoint.
                with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
                    result = _cast_in_one_statement(consultation, voter, content)
                if result is not None:
                    return result
            # Anything unusual (not accepting, a parallel request of this voter), and SQLite:
            # the same steps with the ORM, which also says why not.
            return _cast_once(consultation, voter, content)
        except IntegrityError:
            # A parallel request of the same voter created the ballot first: go again, it now exists.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _cast_once(consultation, voter, content):
    with transaction.atomic():
        fresh = _locked_consultation(consultation.pk)
        if not fresh.is_accepting:
            raise Conflict(
                _("Die Befragung ist beendet; Stimmen können nicht mehr abgegeben oder geändert werden.")
                if fresh.phase == Phase.CLOSED
                else _("Die Befragung ist noch nicht geöffnet.")
            )
        existing = Ballot.objects.select_for_update().filter(consultation=fresh, ballot_key=voter.ballot_key).first()
        if (existing is not None and existing.channel == Channel.PAPER) or (
            existing is None and _returned_on_paper(voter)
        ):
            raise Conflict(paper_used())
        if existing is not None:
            if existing.content == content:
                return CastResult(existing.receipt, created=False, changed=False)
            _limit_changes(voter)
            # A new receipt for the new ballot: the old receipt no longer shows what counts,
            # so no receipt can prove to a buyer that a vote was not changed afterwards.
            existing.content = content
            existing.receipt = format_code(_random_code(RECEIPT_LENGTH))
            existing.save(update_fields=["content", "receipt"])
            VoterRecord.objects.filter(consultation=fresh, **_register_lookup(voter)).update(changes=F("changes") + 1)
            return CastResult(existing.receipt, created=False, changed=True)
        return CastResult(write_new_ballot(fresh, voter, content), created=True, changed=True)


def paper_used():
    """The refusal of an online ballot for a code whose letter came back on paper."""
    return _("Dieser Code wurde schon auf Papier abgegeben.")


def _returned_on_paper(voter):
    """Whether the voter's access code came back on paper (typed in, not refused)."""
    return bool(voter.access_code_id) and (
        PaperBallot.objects.filter(access_code_id=voter.access_code_id).exclude(state=PaperState.REFUSED).exists()
    )


def write_new_ballot(consultation, voter, content, channel=Channel.ONLINE):
    """The voter's first ballot into the box and the voter into the register, inside the
    caller's transaction (which holds the consultation's lock); the receipt. The one
    writer of new ballots besides ``CAST_SQL``: online (``_cast_once``) and paper
    (``paper_actions``). Raises IntegrityError when the voter has a ballot already."""
    receipt = format_code(_random_code(RECEIPT_LENGTH))
    Ballot.objects.create(
        consultation=consultation, ballot_key=voter.ballot_key, receipt=receipt, content=content, channel=channel
    )
    # Into the register unless already there: one INSERT ... ON CONFLICT DO NOTHING
    # instead of get_or_create's SELECT, SAVEPOINT, INSERT, RELEASE.
    VoterRecord.objects.bulk_create(
        [
            VoterRecord(
                consultation=consultation,
                **_register_lookup(voter),
                first_voted_hour=_hour(timezone.now()),
                channel=channel,
            )
        ],
        ignore_conflicts=True,
    )
    return receipt


# The consultation while it accepts ballots (Consultation.phase_at(now) == open: the same
# rule on the same clock), under a share lock: closing takes an exclusive one, so it waits
# for the ballots in flight. Table names as in the models' Meta.
ACCEPTING_SQL = """
WITH accepting AS (
    SELECT id FROM voting_consultation
     WHERE id = %(consultation)s AND state = %(open)s
       AND (opens_at IS NULL OR opens_at <= %(now)s)
       AND (closes_at IS NULL OR closes_at > %(now)s)
       FOR SHARE
)
"""

# A new ballot into the box and its voter into the register, or the voter's ballot found.
# Not for a code whose letter came back on paper (a paper ballot typed in and not refused:
# one probe of a unique index, and none without a code). Channel "online" is the columns'
# default. Composed of constants only (no value is formatted into the text).
CAST_SQL = (
    ACCEPTING_SQL  # noqa: S608
    + """, existing AS (
    SELECT b.receipt, b.content = %(content)s::jsonb AS same, b.channel
      FROM voting_ballot b JOIN accepting c ON b.consultation_id = c.id
     WHERE b.ballot_key = %(key)s
       FOR UPDATE OF b
), new_ballot AS (
    INSERT INTO voting_ballot (id, consultation_id, ballot_key, receipt, content)
    SELECT %(id)s, c.id, %(key)s, %(receipt)s, %(content)s::jsonb FROM accepting c
     WHERE NOT EXISTS (SELECT 1 FROM existing)
       AND NOT EXISTS (SELECT 1 FROM voting_paperballot p
                        WHERE p.access_code_id = %(code)s AND p.state <> %(refused)s)
        ON CONFLICT DO NOTHING
    RETURNING receipt
), registered AS (
    INSERT INTO voting_voterrecord
           (consultation_id, user_id, access_code_id, browser_hash, first_voted_hour, changes)
    SELECT %(consultation)s, %(user)s, %(code)s, %(browser)s, %(hour)s, 0 FROM new_ballot
        ON CONFLICT DO NOTHING
)
SELECT (SELECT receipt FROM new_ballot), (SELECT receipt FROM existing), (SELECT same FROM existing),
       (SELECT channel FROM existing)
"""
)

# The voter's ballot replaced under a new receipt and the change counted in the register;
# never a paper ballot.
CHANGE_SQL = (
    ACCEPTING_SQL  # noqa: S608
    + """, replaced AS (
    UPDATE voting_ballot b SET content = %(content)s::jsonb, receipt = %(receipt)s
      FROM accepting c
     WHERE b.consultation_id = c.id AND b.ballot_key = %(key)s AND b.content <> %(content)s::jsonb
       AND b.channel = %(online)s
    RETURNING b.receipt
), counted AS (
    UPDATE voting_voterrecord r SET changes = r.changes + 1
     WHERE r.consultation_id = %(consultation)s AND r.{register} = %(register)s
       AND EXISTS (SELECT 1 FROM replaced)
)
SELECT (SELECT receipt FROM replaced)
"""
)
# The register columns a voter is found by; only these are formatted into CHANGE_SQL.
REGISTER_COLUMNS = frozenset({"user_id", "access_code_id", "browser_hash"})


def _cast_in_one_statement(consultation, voter, content):
    """PostgreSQL: the steps of ``_cast_once`` in one statement each, one transaction each
    (share lock, ballot and register together). None when the ORM must decide: the
    consultation does not accept ballots now, a parallel request of this voter came first."""
    now = timezone.now()
    values = {
        "consultation": consultation.pk,
        "open": ConsultationState.OPEN,
        "now": now,
        "content": json.dumps(content),
        "key": voter.ballot_key,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            CAST_SQL,
            {
                **values,
                "id": uuid.uuid4(),
                "receipt": format_code(_random_code(RECEIPT_LENGTH)),
                "user": voter.user_id,
                "code": voter.access_code_id,
                "browser": voter.browser_hash,
                "hour": _hour(now),
                "refused": PaperState.REFUSED,
            },
        )
        new_receipt, old_receipt, same, channel = cursor.fetchone()
        if new_receipt is not None:
            return CastResult(new_receipt, created=True, changed=True)
        if old_receipt is None or channel != Channel.ONLINE:
            # Not accepting, a parallel request, or a code that came back on paper: the ORM says why.
            return None
        if same:
            return CastResult(old_receipt, created=False, changed=False)
        _limit_changes(voter)
        # A new receipt for the new ballot: the old receipt no longer shows what counts,
        # so no receipt can prove to a buyer that a vote was not changed afterwards.
        ((column, register),) = _register_lookup(voter).items()
        assert column in REGISTER_COLUMNS
        cursor.execute(
            CHANGE_SQL.format(register=column),
            {
                **values,
                "receipt": format_code(_random_code(RECEIPT_LENGTH)),
                "register": register,
                "online": Channel.ONLINE,
            },
        )
        (receipt,) = cursor.fetchone()
    return None if receipt is None else CastResult(receipt, created=False, changed=True)


def _register_lookup(voter):
    if voter.user_id:
        return {"user_id": voter.user_id}
    if voter.access_code_id:
        return {"access_code_id": voter.access_code_id}
    return {"browser_hash": voter.browser_hash}


def current_ballot(consultation, voter):
    """The voter's ballot while the consultation takes ballots. After the close a code or
    an account no longer shows it: whoever holds a letter (or printed it) could otherwise
    read the vote then, and a voter could prove it to a buyer."""
    if consultation.phase == Phase.CLOSED:
        raise Conflict(
            _(
                "Die Befragung ist beendet. Ihr Stimmzettel wird nicht mehr angezeigt, damit niemand mit Ihrem "
                "Zugangscode nachsehen kann, wie Sie abgestimmt haben. Mit Ihrer Quittung prüfen Sie im "
                "veröffentlichten Ergebnis, dass er gezählt wurde."
            )
        )
    ballot = Ballot.objects.filter(consultation=consultation, ballot_key=voter.ballot_key).first()
    if ballot is not None and ballot.channel == Channel.PAPER:
        # Typed in from the returned letter: neither shown nor changed online.
        raise Conflict(paper_used())
    return None if ballot is None else {"receipt": ballot.receipt, "ballot": ballot.content}


# --- pairwise ---------------------------------------------------------------------


REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def record_pair(consultation, voter, left, right, choice, request_id=None):
    """Record one pairwise answer. With the client's ``request_id``, sending the same
    answer again (a retry after an error or a lost response) records it once: the
    result says whether this request recorded it (True) or an earlier one had (False)."""
    if consultation.method != Method.PAIRWISE:
        raise Conflict(_("Diese Befragung vergleicht keine Paare."))
    errors = {}
    option_ids = set(ConsultationOption.objects.filter(consultation=consultation).values_list("measure_id", flat=True))
    for name, value in (("left", left), ("right", right)):
        if isinstance(value, bool) or not isinstance(value, int) or value not in option_ids:
            errors[name] = [_("Keine Maßnahme dieser Befragung.")]
    if not errors and left == right:
        errors["right"] = [_("Vergleichen Sie zwei verschiedene Maßnahmen.")]
    if choice not in PairwiseVote.Choice.values:
        errors["choice"] = [_("Muss left, right oder skip sein.")]
    if request_id is not None and not (isinstance(request_id, str) and REQUEST_ID_PATTERN.fullmatch(request_id)):
        errors["id"] = [_("Bis zu 64 Zeichen aus Buchstaben, Ziffern und _ . : - (oder weglassen).")]
    if errors:
        raise ValidationError(errors)
    request_id = request_id or ""
    try:
        with transaction.atomic():
            _share_lock(consultation.pk)
            fresh = Consultation.objects.get(pk=consultation.pk)
            if not fresh.is_accepting:
                raise Conflict(_("Die Befragung ist nicht geöffnet."))
            if request_id and _pair_recorded(fresh.pk, voter, request_id):
                return False
            _limit_changes(voter)
            PairwiseVote.objects.create(
                consultation=fresh,
                ballot_key=voter.ballot_key,
                left_id=left,
                right_id=right,
                choice=choice,
                request_id=request_id,
            )
            VoterRecord.objects.get_or_create(
                consultation=fresh, **_register_lookup(voter), defaults={"first_voted_hour": _hour(timezone.now())}
            )
    except IntegrityError:
        # A parallel twin of this request (same id) was recorded first.
        if request_id and _pair_recorded(consultation.pk, voter, request_id):
            return False
        raise
    return True


def _pair_recorded(consultation_id, voter, request_id):
    return PairwiseVote.objects.filter(
        consultation_id=consultation_id, ballot_key=voter.ballot_key, request_id=request_id
    ).exists()


def propose_measure(consultation, voter, title, description=""):
    if consultation.method != Method.PAIRWISE or not consultation.settings.get("allow_proposals", True):
        raise Conflict(_("Diese Befragung nimmt keine Vorschläge an."))
    if not consultation.is_accepting:
        raise Conflict(_("Die Befragung ist nicht geöffnet."))
    errors = {}
    title = str(title or "").strip()
    description = str(description or "").strip()
    if not title:
        errors["title"] = [_("Dieses Feld ist erforderlich.")]
    elif len(title) > 200:
        errors["title"] = [_("Höchstens %(limit)d Zeichen.") % {"limit": 200}]
    if len(description) > 2000:
        errors["description"] = [_("Höchstens %(limit)d Zeichen.") % {"limit": 2000}]
    if errors:
        raise ValidationError(errors)
    if Proposal.objects.filter(consultation=consultation, proposer_key=voter.ballot_key).count() >= PROPOSALS_PER_VOTER:
        raise RateLimited(_("Sie haben bereits %(count)d Vorschläge gemacht.") % {"count": PROPOSALS_PER_VOTER}, 3600)
    return Proposal.objects.create(
        consultation=consultation, title=title, description=description, proposer_key=voter.ballot_key
    )


def decide_proposal(user, proposal, approve):
    """A facilitator lets a proposal in (as a new measure on the ballot) or turns it down."""
    _require_manager(user, proposal.consultation)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
        if proposal.status != ProposalStatus.PENDING:
            raise Conflict(_("Über diesen Vorschlag ist bereits entschieden."))
        consultation = proposal.consultation
        if approve:
            slug = free_measure_slug(consultation.process, proposal.title)
            measure = Measure.objects.create(
                process_id=consultation.process_id,
                title=proposal.title,
                slug=slug,
                summary=proposal.description[:500],
                description=proposal.description,
                origin=MeasureOrigin.CITIZEN,
                published=True,
            )
            last = consultation.options.order_by("-position").values_list("position", flat=True).first() or 0
            ConsultationOption.objects.create(consultation=consultation, measure=measure, position=last + 1)
            proposal.measure = measure
            proposal.status = ProposalStatus.APPROVED
        else:
            proposal.status = ProposalStatus.REJECTED
        proposal.save(update_fields=["status", "measure"])
        record_audit(user, "proposal.approve" if approve else "proposal.reject", proposal)
    return proposal
