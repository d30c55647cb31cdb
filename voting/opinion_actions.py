"""Every change of an opinion map: statements added by the facilitators or proposed by
participants and reviewed, and the participants' answers (agree, disagree, pass). Like
the ballots, answers carry only the voter's ballot key and leave the register apart."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.actions import record_audit
from participation.errors import Conflict, RateLimited
from participation.security import limit

from .actions import _hour, _register_lookup, _require_manager, _share_lock
from .models import STATEMENT_LENGTH, Consultation, Method, Statement, StatementState, StatementVote, VoterRecord

# Statements one participant may propose, and answers one participant may give per hour:
# generous for people (a map rarely has more than a few hundred statements), a brake for scripts.
STATEMENTS_PER_VOTER = 10
ANSWERS_PER_HOUR = 2000


def _opinion_map(consultation):
    if consultation.method != Method.OPINION:
        raise Conflict(_("Diese Befragung ist keine Meinungslandkarte."))


def _clean_text(text, name="text"):
    text = " ".join(str(text or "").split())
    if not text:
        raise ValidationError({name: [_("Dieses Feld ist erforderlich.")]})
    if len(text) > STATEMENT_LENGTH:
        raise ValidationError({name: [_("Höchstens %(limit)d Zeichen.") % {"limit": STATEMENT_LENGTH}]})
    return text


def add_statement(user, consultation, text, text_en=""):
    """A facilitator's statement: visible at once, also while the map runs."""
    _require_manager(user, consultation)
    _opinion_map(consultation)
    text = _clean_text(text)
    text_en = _clean_text(text_en, "text_en") if str(text_en or "").strip() else ""
    if consultation.phase == "closed":
        raise Conflict(_("Die Befragung ist beendet."))
    with transaction.atomic():
        statement = Statement.objects.create(
            consultation=consultation,
            text=text,
            text_en=text_en,
            state=StatementState.PUBLISHED,
            by_facilitators=True,
        )
        record_audit(user, "statement.add", statement)
    return statement


def propose_statement(consultation, voter, text):
    """A participant's statement: it waits for the facilitators' review."""
    _opinion_map(consultation)
    if not consultation.settings.get("allow_statements", True):
        raise Conflict(_("Diese Meinungslandkarte nimmt keine neuen Aussagen an."))
    if not consultation.is_accepting:
        raise Conflict(_("Die Befragung ist nicht geöffnet."))
    text = _clean_text(text)
    with transaction.atomic():
        _share_lock(consultation.pk)
        mine = Statement.objects.filter(consultation=consultation, author_key=voter.ballot_key).count()
        if mine >= STATEMENTS_PER_VOTER:
            raise RateLimited(
                _("Sie haben bereits %(count)d Aussagen vorgeschlagen.") % {"count": STATEMENTS_PER_VOTER}, 3600
            )
        return Statement.objects.create(consultation=consultation, text=text, author_key=voter.ballot_key)


def decide_statement(user, statement, publish):
    """A facilitator shows a statement (a proposal, or one hidden before) or hides it; a
    hidden statement's answers stay stored but no longer count."""
    _require_manager(user, statement.consultation)
    target = StatementState.PUBLISHED if publish else StatementState.HIDDEN
    with transaction.atomic():
        statement = Statement.objects.select_for_update().select_related("consultation").get(pk=statement.pk)
        if statement.state == target:
            raise Conflict(_("Die Aussage ist bereits in diesem Zustand."))
        statement.state = target
        statement.save(update_fields=["state"])
        record_audit(user, "statement.publish" if publish else "statement.hide", statement)
    return statement


def answer_statement(consultation, voter, statement_id, value):
    """Record one participant's answer to a visible statement; a new answer replaces the
    old. Returns True when the answer is new or changed, False when it was so already."""
    _opinion_map(consultation)
    errors = {}
    if isinstance(statement_id, bool) or not isinstance(statement_id, int):
        errors["statement"] = [_("Die ID einer Aussage dieser Befragung ist erforderlich.")]
    if isinstance(value, bool) or value not in StatementVote.Answer.values:
        errors["value"] = [_("Muss 1 (stimme zu), -1 (stimme nicht zu) oder 0 (weiß nicht) sein.")]
    if errors:
        raise ValidationError(errors)
    statement = Statement.objects.filter(
        pk=statement_id, consultation=consultation, state=StatementState.PUBLISHED
    ).first()
    if statement is None:
        raise ValidationError({"statement": [_("Keine sichtbare Aussage dieser Befragung.")]})
    limit(
        f"voting:answers:{voter.ballot_key}",
        ANSWERS_PER_HOUR,
        3600,
        _("Sehr viele Antworten in kurzer Zeit; versuchen Sie es etwas später wieder."),
    )
    for attempt in range(2):
        try:
            return _store_answer(consultation, voter, statement, value)
        except IntegrityError:
            # A parallel twin of this answer was stored first; the second try finds it.
            if attempt:
                raise
    return False


def _store_answer(consultation, voter, statement, value):
    with transaction.atomic():
        _share_lock(consultation.pk)
        fresh = Consultation.objects.get(pk=consultation.pk)
        if not fresh.is_accepting:
            raise Conflict(_("Die Befragung ist nicht geöffnet."))
        changed = (
            StatementVote.objects.filter(statement=statement, ballot_key=voter.ballot_key)
            .exclude(value=value)
            .update(value=value)
        )
        if not changed:
            _answer, changed = StatementVote.objects.get_or_create(
                statement=statement, ballot_key=voter.ballot_key, defaults={"consultation": fresh, "value": value}
            )
        VoterRecord.objects.get_or_create(
            consultation=fresh, **_register_lookup(voter), defaults={"first_voted_hour": _hour(timezone.now())}
        )
    return bool(changed)
