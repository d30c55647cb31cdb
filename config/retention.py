"""Deleting personal data of finished processes after the retention time.

A process is finished when its end date (``Process.ends_on``) is more than
``settings.PERSONAL_DATA_RETENTION_DAYS`` days ago and none of its consultations still
takes ballots. For such a process ``purge_personal_data`` removes what ties the process
to people, and keeps everything that is counted or published:

- workshops: participants lose their account link and their display names ("Teilnehmende 3"),
  in the participant rows and in the stored events replayed on sync;
  the commands' receipts (which participant sent which command id) go. Cards, votes and
  polls stay, so the workshop's results still add up.
- consultations: the register keeps one row per voter (the turnout) but no longer says who
  (no account, no access code, no browser hash); each ballot's key, a keyed hash of the
  voter, is replaced by a random one, so not even the server secret links a ballot to a
  voter any more; proposals forget their proposer. Ballots, receipts and results stay.
- feedback on the process and its measures, projects and labs, and the reports on it, go
  (their text is a person's own writing, tied to their account).

Run daily: ``python manage.py purge_personal_data`` (``--dry-run`` only counts).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from participation.models import Feedback, Process

# Participants of a purged workshop are "Teilnehmende 3": distinct, so a board still reads as a conversation.
PSEUDONYM_PREFIX = "Teilnehmende "


def finished_processes(today=None, days=None):
    from voting.models import Consultation, ConsultationState

    today = today or timezone.localdate()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = today - timedelta(days=days)
    candidates = Process.objects.filter(ends_on__isnull=False, ends_on__lt=cutoff)
    now = timezone.now()
    still_voting = Consultation.objects.filter(process__in=candidates).exclude(
        Q(state=ConsultationState.CLOSED) | Q(closes_at__lte=now) | Q(state=ConsultationState.DRAFT)
    )
    return candidates.exclude(pk__in=still_voting.values("process_id"))


def purge_personal_data(today=None, days=None, dry_run=False):
    """Counts of what was (or, with ``dry_run``, would be) removed, per kind."""
    from voting.models import Ballot, PaperEntry, Proposal, Statement, StatementVote, VoterRecord
    from workshops.actions import anonymise_participants
    from workshops.models import CommandReceipt, Participant

    processes = list(finished_processes(today, days))
    counts = {"processes": len(processes)}
    with transaction.atomic():
        participants = Participant.objects.filter(workshop__process__in=processes).exclude(
            display_name__regex=rf"^{PSEUDONYM_PREFIX}[0-9]+$", user__isnull=True
        )
        receipts = CommandReceipt.objects.filter(participant__workshop__process__in=processes)
        register = VoterRecord.objects.filter(consultation__process__in=processes).filter(
            Q(user__isnull=False) | Q(access_code__isnull=False) | ~Q(browser_hash="")
        )
        ballots = Ballot.objects.filter(consultation__process__in=processes).exclude(ballot_key__startswith="purged:")
        proposals = Proposal.objects.filter(consultation__process__in=processes).exclude(proposer_key="")
        # Opinion maps: each participant's answers keep one key (the map groups by it), a random one.
        answers = StatementVote.objects.filter(consultation__process__in=processes).exclude(
            ballot_key__startswith="purged:"
        )
        answer_keys = list(answers.values_list("consultation_id", "ballot_key").distinct())
        statements = Statement.objects.filter(consultation__process__in=processes).exclude(author_key="")
        # Typed paper ballots: who typed them, and the contents of any never settled.
        paper_entries = PaperEntry.objects.filter(consultation__process__in=processes).filter(
            Q(worker__isnull=False) | Q(content__isnull=False)
        )
        feedback = Feedback.objects.filter(
            Q(process__in=processes)
            | Q(measure__process__in=processes)
            | Q(project__process__in=processes)
            | Q(lab__process__in=processes)
        )
        counts.update(
            participants=participants.count(),
            command_receipts=receipts.count(),
            voter_records=register.count(),
            ballot_keys=ballots.count(),
            proposals=proposals.count(),
            answer_keys=len(answer_keys),
            statements=statements.count(),
            paper_entries=paper_entries.count(),
            feedback=feedback.count(),
        )
        if dry_run:
            return counts
        # The same function as account deletion: the stored events lose the names too.
        anonymise_participants(participants, lambda pk: f"{PSEUDONYM_PREFIX}{pk}")
        receipts.delete()
        register.update(user=None, access_code=None, browser_hash="")
        # Random keys, unique per consultation as the constraint wants.
        renamed = [
            Ballot(pk=pk, ballot_key=f"purged:{secrets.token_hex(24)}") for pk in ballots.values_list("pk", flat=True)
        ]
        Ballot.objects.bulk_update(renamed, ["ballot_key"], batch_size=1000)
        proposals.update(proposer_key="")
        _rekey_answers(StatementVote, answer_keys)
        statements.update(author_key="")
        paper_entries.update(worker=None, content=None)
        feedback.delete()  # its reports go with it (CASCADE)
    return counts


def _rekey_answers(model, answer_keys, batch_size=1000):
    """Give every participant's answers in each consultation one new random key: one UPDATE
    per consultation (per thousand participants), each old key mapped by a CASE."""
    by_consultation = {}
    for consultation_id, key in answer_keys:
        by_consultation.setdefault(consultation_id, []).append(key)
    for consultation_id, keys in by_consultation.items():
        for start in range(0, len(keys), batch_size):
            batch = keys[start : start + batch_size]
            renamed = [When(ballot_key=key, then=Value(f"purged:{secrets.token_hex(24)}")) for key in batch]
            model.objects.filter(consultation_id=consultation_id, ballot_key__in=batch).update(
                ballot_key=Case(*renamed, output_field=CharField())
            )
