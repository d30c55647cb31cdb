"""Paper ballots in the same count as the online ones.

A consultation with access codes and a ballot (approval, score, ranking, points and
budgets; not pairwise, not an opinion map) may also be answered on paper: the citizen
fills in the paper ballot that came with the letter and returns it with the code.
Election workers, named per consultation by its facilitators, type in code and marks.

Double entry: two different people type each paper ballot independently. A paper ballot
counts as soon as two different people typed the same content; until then nothing of it
is in the box. The first entry leaves it *waiting*; a second, different one makes it
*disputed*, and then a third person (another election worker or a facilitator) types it
once more (``resolve_paper_ballot``): matching an earlier entry, it counts. A code whose
register row is online when the paper arrives is *refused* (409), and an online ballot
for a code that came back on paper is refused in its turn (``actions.paper_used``).

Spoiled: a paper ballot whose marks cannot be counted (too many crosses, over the points
budget, nothing legible) is typed as *spoiled* instead of with marks (``spoiled=True``).
Two entries saying spoiled agree; a spoiled and a valid entry differ (disputed, a third
person settles it as for any other difference). A spoiled paper ballot puts nothing in the
box and nothing in the register, but it spends the code as a counted one does (its row is
not refused, so ``actions._returned_on_paper`` and ``CAST_SQL`` refuse the code online),
and the result counts it among the paper ballots received (``turnout.paper_ballots``).

Exactly once: the paper ballot's row (one per access code) is locked while entries are
compared, so parallel entries of one code are decided one after the other; the ballot is
written by ``actions.write_new_ballot`` under the same ballot key as an online ballot of
that code, so the box's unique key and the register's unique code allow one ballot per
code whichever channel comes first. A spoiled one writes no ballot, so before it is
decided a trial ballot under that key (rolled back at once, ``_online_came_first``) waits
for an online ballot of the code in flight: if that one commits, it came first and the
paper ballot is refused, exactly as when a counted one meets it.

When: while the consultation is open and after its close, until a result is published.
Entries take the consultation's row lock as ballots do (a share lock while it is open;
after the close an exclusive one, since a counted paper ballot unseals the box so that it
is mixed again before publishing): publishing waits for entries in flight, and an entry
after the publication finds the snapshot and is refused.

Once a paper ballot is counted, spoiled or refused, its entries' contents are cleared: no
table then ties an access code to a vote (the paper itself is the record).
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from participation import rules
from participation.actions import record_audit
from participation.errors import Conflict

from . import actions, selectors
from . import ballots as ballot_rules
from .models import (
    Ballot,
    Channel,
    Consultation,
    ConsultationState,
    ElectionWorker,
    PaperBallot,
    PaperEntry,
    PaperState,
    Phase,
    VoterRecord,
)

MAX_USER_ID = 2**63 - 1


class AuditAction:
    WORKER_ADD = "consultation.election_worker.add"
    WORKER_REMOVE = "consultation.election_worker.remove"
    ENTERED = "paper_ballot.entered"
    COUNTED = "paper_ballot.counted"
    DISPUTED = "paper_ballot.disputed"
    REFUSED = "paper_ballot.refused"
    SPOILED = "paper_ballot.spoiled"


def _require_paper(consultation):
    if not selectors.takes_paper(consultation):
        raise Conflict(
            _(
                "Papierstimmzettel gibt es nur bei Befragungen mit Zugangscodes und einem Stimmzettel "
                "(nicht beim Paarvergleich und nicht bei der Meinungslandkarte)."
            )
        )


def is_election_worker(user, consultation):
    return bool(
        user is not None
        and user.is_authenticated
        and ElectionWorker.objects.filter(consultation=consultation, user=user).exists()
    )


def can_resolve(user, consultation):
    """Who may type a disputed paper ballot a third time: election workers and the facilitators."""
    return is_election_worker(user, consultation) or rules.can_manage_process(user, consultation.process)


# --- election workers -------------------------------------------------------------------


def add_election_worker(user, consultation, worker_user):
    """Name ``worker_user`` an election worker of the consultation. Returns (worker, created)."""
    actions._require_manager(user, consultation)
    _require_paper(consultation)
    if worker_user is None or not worker_user.is_active:
        raise ValidationError({"user": [_("Dieses Konto gibt es nicht.")]})
    with transaction.atomic():
        worker, created = ElectionWorker.objects.get_or_create(
            consultation=consultation, user=worker_user, defaults={"added_by": user}
        )
        if created:
            record_audit(user, AuditAction.WORKER_ADD, consultation, {"user": worker_user.pk})
    return worker, created


def find_user(user_id=None, username=None):
    """The account named by id or username for ``add_election_worker``; ValidationError if none."""
    User = get_user_model()
    if user_id is not None:
        if isinstance(user_id, bool) or not isinstance(user_id, int) or not 0 < user_id <= MAX_USER_ID:
            raise ValidationError({"user": [_("Die ID eines Kontos ist eine ganze Zahl.")]})
        found = User.objects.filter(pk=user_id, is_active=True).first()
    elif isinstance(username, str) and 0 < len(username) <= 150 and "\x00" not in username:
        found = User.objects.filter(username=username, is_active=True).first()
    else:
        raise ValidationError({"user": [_("Nennen Sie das Konto mit user (ID) oder username.")]})
    if found is None:
        raise ValidationError({"user": [_("Dieses Konto gibt es nicht.")]})
    return found


def remove_election_worker(user, consultation, worker_user_id):
    """Take the role away; their entries stay. True if they had it."""
    actions._require_manager(user, consultation)
    with transaction.atomic():
        deleted, _rows = ElectionWorker.objects.filter(consultation=consultation, user_id=worker_user_id).delete()
        if deleted:
            record_audit(user, AuditAction.WORKER_REMOVE, consultation, {"user": worker_user_id})
    return bool(deleted)


# --- entries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperOutcome:
    state: str
    counted: bool = False  # this entry put the ballot into the box


def enter_paper_ballot(worker_user, consultation, code, ballot, address="unknown", spoiled=False):
    """One election worker's typing of one returned paper ballot (see the module's rules):
    its marks as ``ballot``, or ``spoiled=True`` (and no ballot) when it cannot be counted."""
    if not is_election_worker(worker_user, consultation):
        raise PermissionDenied(
            _("Nur die Wahlhelferinnen und Wahlhelfer dieser Befragung geben Papierstimmzettel ein.")
        )
    _require_paper(consultation)
    voter, code_end, content = _code_and_content(consultation, code, ballot, address, spoiled)
    return _enter(worker_user, consultation, voter, code_end, content, spoiled, resolving=False)


def resolve_paper_ballot(user, consultation, code, ballot, address="unknown", spoiled=False):
    """A third person types a disputed paper ballot: it counts (or is spoiled) when it
    matches an earlier entry."""
    if not can_resolve(user, consultation):
        raise PermissionDenied(
            _("Abweichende Papierstimmzettel klären die Wahlhelferinnen und Wahlhelfer oder die Moderation.")
        )
    _require_paper(consultation)
    voter, code_end, content = _code_and_content(consultation, code, ballot, address, spoiled)
    return _enter(user, consultation, voter, code_end, content, spoiled, resolving=True)


def _code_and_content(consultation, code, ballot, address, spoiled=False):
    """The voter of the typed code (as ``resolve_voter`` finds it: a wrong code is counted
    against the address and refused with the same help) and the normalised ballot (None
    for a spoiled one). Whether it is spoiled is checked first, before the code."""
    if not isinstance(spoiled, bool):
        raise ValidationError({"spoiled": [_("Muss true oder false sein.")]})
    if spoiled and ballot is not None:
        raise ValidationError(
            {"ballot": [_("Ein ungültiger Stimmzettel wird ohne Stimmen eingegeben: lassen Sie ballot weg.")]}
        )
    voter = actions.resolve_voter(consultation, access_code=code, address=address)
    if spoiled:
        return voter, actions.normalise_code(code)[-4:], None
    option_ids, costs = actions._options_and_costs(consultation)
    try:
        content = ballot_rules.normalise(consultation.method, consultation.settings, option_ids, ballot, costs)
    except ballot_rules.BallotError as error:
        raise ValidationError({"ballot": [str(error)]}) from None
    return voter, actions.normalise_code(code)[-4:], content


class _ExclusiveNeeded(Exception):
    """The consultation closed between the first look and the lock: go again with the exclusive lock."""


def _enter(user, consultation, voter, code_end, content, spoiled, resolving):
    exclusive = consultation.phase != Phase.OPEN
    while True:
        try:
            with transaction.atomic():
                fresh = _lock_consultation(consultation.pk, exclusive)
                if fresh.phase != Phase.OPEN and not exclusive:
                    raise _ExclusiveNeeded
                _require_entries_taken(fresh)
                outcome = _decide(user, fresh, voter, code_end, content, spoiled, resolving)
                if outcome.counted and fresh.phase == Phase.CLOSED:
                    # A sealed box holds a ballot written after its seal: mixed again
                    # (mix_ballot_boxes, or at the latest before publishing).
                    Consultation.objects.filter(pk=fresh.pk).update(box_mixed_at=None)
            break
        except _ExclusiveNeeded:
            exclusive = True
    if outcome.state == PaperState.REFUSED:
        raise Conflict(online_used())
    return outcome


def online_used():
    return _(
        "Mit diesem Code wurde schon online abgestimmt; der Papierstimmzettel zählt nicht "
        "und ist als zurückgewiesen vermerkt."
    )


def _lock_consultation(consultation_id, exclusive):
    """The consultation read under its row lock: shared while ballots come in online
    (as theirs), exclusive after the close (publishing and closing take that one too)."""
    if connection.vendor == "postgresql" and not exclusive:
        rows = list(
            Consultation.objects.raw("SELECT * FROM voting_consultation WHERE id = %s FOR SHARE", [consultation_id])
        )
        if not rows:
            raise Consultation.DoesNotExist
        return rows[0]
    return Consultation.objects.select_for_update().get(pk=consultation_id)


def _require_entries_taken(consultation):
    if consultation.state == ConsultationState.DRAFT or consultation.phase == Phase.SCHEDULED:
        raise Conflict(_("Die Befragung ist noch nicht geöffnet."))
    # The snapshots of results (results.models.ResultSnapshot), by their relation's name.
    if consultation.snapshots.exists():
        raise Conflict(_("Das Ergebnis ist veröffentlicht; Papierstimmzettel können nicht mehr eingegeben werden."))


def _decide(user, consultation, voter, code_end, content, spoiled, resolving):
    """Under the consultation's lock: the entry and what comes of it, under the lock of
    the code's paper-ballot row. Two entries agree when both say spoiled, or neither does
    and their contents are the same."""
    code_id = voter.access_code_id
    PaperBallot.objects.bulk_create(
        [PaperBallot(consultation=consultation, access_code_id=code_id, code_end=code_end)], ignore_conflicts=True
    )
    paper = PaperBallot.objects.select_for_update().get(access_code_id=code_id)
    if paper.state == PaperState.COUNTED:
        raise Conflict(_("Dieser Papierstimmzettel ist schon gezählt."))
    if paper.state == PaperState.REFUSED:
        raise Conflict(online_used())
    if paper.state == PaperState.SPOILED:
        raise Conflict(_("Dieser Papierstimmzettel ist schon als ungültig vermerkt."))
    entries = list(PaperEntry.objects.filter(access_code_id=code_id))
    if any(entry.worker_id == user.pk for entry in entries):
        raise Conflict(
            _("Sie haben diesen Papierstimmzettel schon eingegeben; die nächste Eingabe macht eine andere Person.")
        )
    if resolving and paper.state != PaperState.DISPUTED:
        raise Conflict(_("Geklärt werden nur Papierstimmzettel, deren Eingaben voneinander abweichen."))
    if not resolving and paper.state == PaperState.DISPUTED:
        raise Conflict(
            _(
                "Die Eingaben zu diesem Papierstimmzettel weichen ab; eine dritte Person klärt ihn "
                "(paper-ballots/resolve)."
            )
        )
    if VoterRecord.objects.filter(consultation=consultation, access_code_id=code_id).exists():
        return _refuse(user, consultation, paper)
    PaperEntry.objects.create(
        consultation=consultation, access_code_id=code_id, worker=user, content=content, spoiled=spoiled
    )
    details = {"paper_ballot": paper.pk}
    agreed = any(entry.spoiled == spoiled and (spoiled or entry.content == content) for entry in entries)
    if agreed and spoiled:
        if _online_came_first(consultation, voter):
            return _refuse(user, consultation, paper, entered=True)
        paper.state = PaperState.SPOILED
        paper.decided_by = user if resolving else None
        paper.save(update_fields=["state", "decided_by"])
        PaperEntry.objects.filter(access_code_id=code_id).update(content=None)
        record_audit(user, AuditAction.SPOILED, consultation, details)
        return PaperOutcome(PaperState.SPOILED)
    if agreed:
        try:
            with transaction.atomic():
                actions.write_new_ballot(consultation, voter, content, channel=Channel.PAPER)
        except IntegrityError:
            # An online ballot of this code was committed just before: it came first.
            if Ballot.objects.filter(consultation=consultation, ballot_key=voter.ballot_key).exists():
                return _refuse(user, consultation, paper, entered=True)
            raise
        paper.state = PaperState.COUNTED
        paper.decided_by = user if resolving else None
        paper.save(update_fields=["state", "decided_by"])
        PaperEntry.objects.filter(access_code_id=code_id).update(content=None)
        record_audit(user, AuditAction.COUNTED, consultation, details)
        return PaperOutcome(PaperState.COUNTED, counted=True)
    if entries:
        if paper.state != PaperState.DISPUTED:
            paper.state = PaperState.DISPUTED
            paper.save(update_fields=["state"])
        record_audit(user, AuditAction.DISPUTED, consultation, details)
        return PaperOutcome(PaperState.DISPUTED)
    record_audit(user, AuditAction.ENTERED, consultation, details)
    return PaperOutcome(PaperState.WAITING)


class _TrialOnly(Exception):
    """Rolls the trial ballot of ``_online_came_first`` back."""


def _online_came_first(consultation, voter):
    """Whether an online ballot of the voter's code is in the box, committed or in flight.
    A trial ballot under the code's ballot key, rolled back at once: the box's unique key
    makes it wait for a parallel online ballot of the code, and fail if that one commits
    (as ``write_new_ballot`` does for a counted paper ballot). Nothing of it stays."""
    try:
        with transaction.atomic():
            Ballot.objects.create(
                consultation=consultation,
                ballot_key=voter.ballot_key,
                # Not a receipt anyone holds (receipts are letters and digits in groups).
                receipt=f"trial-{uuid.uuid4().hex[:14]}",
                content={},
                channel=Channel.PAPER,
            )
            raise _TrialOnly
    except _TrialOnly:
        return False
    except IntegrityError:
        if Ballot.objects.filter(consultation=consultation, ballot_key=voter.ballot_key).exists():
            return True
        raise


def _refuse(user, consultation, paper, entered=False):
    """The code voted online first: the paper ballot is refused, and no content is kept."""
    if not entered:
        PaperEntry.objects.create(
            consultation=consultation, access_code_id=paper.access_code_id, worker=user, content=None
        )
    PaperEntry.objects.filter(access_code_id=paper.access_code_id).update(content=None)
    paper.state = PaperState.REFUSED
    paper.save(update_fields=["state"])
    record_audit(user, AuditAction.REFUSED, consultation, {"paper_ballot": paper.pk})
    return PaperOutcome(PaperState.REFUSED)


# --- reads ------------------------------------------------------------------------------

LISTED_STATES = (PaperState.WAITING, PaperState.DISPUTED)


def paper_ballots(user, consultation, state=None):
    """The paper ballots still to finish (or those of one ``state``), for the consultation's
    election workers and facilitators: each by the code's last four characters. The typed
    contents of disputed ones only for the facilitators, side by side, to settle them (a
    spoiled entry as ``{"spoiled": true}``)."""
    manager = rules.can_manage_process(user, consultation.process)
    if not (manager or is_election_worker(user, consultation)):
        raise PermissionDenied(_("Nur die Wahlhelferinnen und Wahlhelfer und die Moderation sehen das."))
    if state is not None and state not in PaperState.values:
        raise ValidationError(
            {"state": [_("Muss eines von %(values)s sein.") % {"values": ", ".join(PaperState.values)}]}
        )
    rows = PaperBallot.objects.filter(consultation=consultation).order_by("created", "id")
    rows = rows.filter(state=state) if state else rows.filter(state__in=LISTED_STATES)
    entries = {}
    for entry in PaperEntry.objects.filter(access_code__paper_ballot__in=rows).order_by("created", "id"):
        entries.setdefault(entry.access_code_id, []).append({"spoiled": True} if entry.spoiled else entry.content)
    listed = []
    for paper in rows:
        typed = entries.get(paper.access_code_id, [])
        listed.append(
            {
                "id": paper.pk,
                "code_end": paper.code_end,
                "state": paper.state,
                "entries": len(typed),
                "contents": typed if manager and paper.state == PaperState.DISPUTED else None,
            }
        )
    return listed
