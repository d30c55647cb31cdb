"""Re-mixing the ballot box, so that a copy of the database does not tell which ballot
belongs to which row of the register.

A ballot and its register row are written in one transaction. On PostgreSQL they then
share the transaction id (``xmin``), their physical places (``ctid``) follow the order of
casting, and so does SQLite's hidden ``rowid``; the register's ids and access-code ids
follow the same order. Mixing rewrites every ballot (and pairwise answer, and opinion-map
answer) of a
consultation in a fresh random order in one transaction: afterwards all of them carry the
mixing transaction's id, sit in the table in an order drawn from the system's randomness,
and the superseded row versions are vacuumed away.

- While a consultation takes ballots, ``manage.py mix_ballot_boxes`` (run it every few
  minutes) mixes every box that received ballots since its last mix: what an operator
  watching the live database can link is limited to the ballots cast since the last run.
- After the close the box is *sealed*: mixed once more, pairwise answers lose their
  times, and the tables are rewritten (PostgreSQL ``VACUUM FULL``, SQLite ``VACUUM``) so
  that no superseded row version stays in the data files. Closing by hand seals at once;
  a consultation that closed by the clock is sealed by the next ``mix_ballot_boxes`` run
  or, at the latest, when its results are published.
"""

import logging
import secrets
import time

from django.db import connection, transaction
from django.utils import timezone

from .models import Ballot, Consultation, PairwiseVote, Phase, StatementVote

log = logging.getLogger(__name__)

_BATCH = 2000
OLDER_SNAPSHOT_WAIT = 10


def is_sealed(consultation):
    """Closed, and mixed after the close: nothing in the database follows the order of casting."""
    return (
        consultation.phase == Phase.CLOSED
        and consultation.box_mixed_at is not None
        and consultation.closes_at is not None
        and consultation.box_mixed_at >= consultation.closes_at
    )


def mix_ballot_box(consultation_id, seal=False):
    """Rewrite the consultation's ballots and pairwise answers in a random order, in one
    transaction that waits for ballots in flight (they hold a share lock on the
    consultation's row) and holds new ones back until it commits. With ``seal``, also give
    pairwise answers one common time. Returns the number of rows rewritten."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
        now = timezone.now()
        if connection.vendor == "postgresql":
            count = _mix_postgresql(consultation.pk, seal, now)
        else:
            count = _mix_generic(consultation.pk, seal, now)
        Consultation.objects.filter(pk=consultation.pk).update(box_mixed_at=now)
    return count


def seal_after_close(consultation_id):
    """``seal_ballot_box`` for ``transaction.on_commit`` of the close: the close stands even
    if sealing fails now, and the next ``mix_ballot_boxes`` run or the publication seals."""
    try:
        seal_ballot_box(consultation_id)
    except Exception:
        log.exception("sealing the ballot box of consultation %s failed; the next run retries", consultation_id)


def seal_ballot_box(consultation_id):
    """Mix a closed consultation's box a last time and rewrite the tables, unless that is
    done already. Returns True if it sealed the box now."""
    consultation = Consultation.objects.get(pk=consultation_id)
    if consultation.phase != Phase.CLOSED or is_sealed(consultation):
        return False
    mix_ballot_box(consultation.pk, seal=True)
    rewrite_tables()
    log.info("ballot box of consultation %s sealed", consultation.pk)
    return True


def rewrite_tables():
    """Drop superseded row versions from the data files. Outside a transaction only
    (VACUUM cannot run inside one); inside one (tests) it is left to the next call."""
    if connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _wait_for_older_snapshots(cursor)
            # FULL writes new files holding only the live rows, in their mixed order; it locks
            # these two tables for the moment it takes (about a second per 100,000 ballots).
            cursor.execute("VACUUM FULL voting_ballot, voting_pairwisevote, voting_statementvote")
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")
    return True


def _wait_for_older_snapshots(cursor, seconds=OLDER_SNAPSHOT_WAIT):
    """A rewrite keeps row versions that a transaction begun before the mix may still see
    (a running report, a dump, an automatic ANALYZE, in any database of the cluster):
    wait, boundedly, until no such transaction is left among those this role may see."""
    deadline = time.monotonic() + seconds
    cursor.execute("SELECT mod(txid_current(), 4294967296)")
    (now_xid,) = cursor.fetchone()
    while time.monotonic() < deadline:
        # Any database's: a transaction id still running anywhere in the cluster holds back
        # what VACUUM may remove here too.
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND ("
            " age(backend_xmin) >= age(%s::text::xid) OR age(backend_xid) >= age(%s::text::xid))",
            [str(now_xid), str(now_xid)],
        )
        if cursor.fetchone()[0] == 0:
            return True
        time.sleep(0.1)
    log.warning("sealing a ballot box: a transaction older than the mix still runs; its row versions stay")
    return False


def vacuum_open_boxes():
    """Frees the superseded row versions after mixing open boxes, without the exclusive lock
    of a rewrite: the old versions' space is marked free and reused by later writes."""
    if connection.in_atomic_block or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM voting_ballot, voting_pairwisevote, voting_statementvote")
    return True


def boxes_to_mix():
    """Consultations whose box holds ballots written since its last mix, or which closed
    and are not sealed yet."""
    candidates = Consultation.objects.exclude(state="draft")
    for consultation in candidates.only("pk", "state", "opens_at", "closes_at", "box_mixed_at"):
        if consultation.phase == Phase.CLOSED:
            if not is_sealed(consultation):
                yield consultation, True
        elif consultation.phase == Phase.OPEN and _written_since_mix(consultation):
            yield consultation, False


def _written_since_mix(consultation):
    """Whether any ballot or pairwise answer was written after the last mix: on PostgreSQL,
    a row whose transaction id differs from the others'; elsewhere by counting on."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT xmin::text) FROM ("
                " SELECT xmin FROM voting_ballot WHERE consultation_id = %s"
                " UNION ALL SELECT xmin FROM voting_pairwisevote WHERE consultation_id = %s"
                " UNION ALL SELECT xmin FROM voting_statementvote WHERE consultation_id = %s) AS box",
                [consultation.pk, consultation.pk, consultation.pk],
            )
            (versions,) = cursor.fetchone()
        return versions > 1 or (versions == 1 and consultation.box_mixed_at is None)
    return True


def _mix_postgresql(consultation_id, seal, now):
    # The order comes from a keyed hash under a fresh random key: a permutation nobody can
    # predict or recompute, drawn by the server without sending the rows to Python.
    key = secrets.token_hex(32)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE mixing_ballots ON COMMIT DROP AS "
            "SELECT id, consultation_id, ballot_key, receipt, content, channel "
            "FROM voting_ballot WHERE consultation_id = %s",
            [consultation_id],
        )
        cursor.execute("DELETE FROM voting_ballot WHERE consultation_id = %s", [consultation_id])
        cursor.execute(
            "INSERT INTO voting_ballot (id, consultation_id, ballot_key, receipt, content, channel) "
            "SELECT id, consultation_id, ballot_key, receipt, content, channel FROM mixing_ballots "
            "ORDER BY sha256(convert_to(id::text || %s, 'UTF8'))",
            [key],
        )
        ballots = cursor.rowcount
        # Dropped at once, not at the commit: a caller may mix several boxes in one transaction.
        cursor.execute("DROP TABLE mixing_ballots")
        cursor.execute(
            "CREATE TEMPORARY TABLE mixing_pairs ON COMMIT DROP AS "
            "SELECT id, consultation_id, ballot_key, left_id, right_id, choice, request_id, created "
            "FROM voting_pairwisevote WHERE consultation_id = %s",
            [consultation_id],
        )
        cursor.execute("DELETE FROM voting_pairwisevote WHERE consultation_id = %s", [consultation_id])
        cursor.execute(
            "INSERT INTO voting_pairwisevote "
            "(id, consultation_id, ballot_key, left_id, right_id, choice, request_id, created) "
            "SELECT id, consultation_id, ballot_key, left_id, right_id, choice, request_id, "
            "CASE WHEN %s THEN %s ELSE created END FROM mixing_pairs "
            "ORDER BY sha256(convert_to(id::text || %s, 'UTF8'))",
            [seal, now, key],
        )
        pairs = cursor.rowcount
        cursor.execute("DROP TABLE mixing_pairs")
        cursor.execute(
            "CREATE TEMPORARY TABLE mixing_answers ON COMMIT DROP AS "
            "SELECT id, consultation_id, statement_id, ballot_key, value "
            "FROM voting_statementvote WHERE consultation_id = %s",
            [consultation_id],
        )
        cursor.execute("DELETE FROM voting_statementvote WHERE consultation_id = %s", [consultation_id])
        cursor.execute(
            "INSERT INTO voting_statementvote (id, consultation_id, statement_id, ballot_key, value) "
            "SELECT id, consultation_id, statement_id, ballot_key, value FROM mixing_answers "
            "ORDER BY sha256(convert_to(id::text || %s, 'UTF8'))",
            [key],
        )
        answers = cursor.rowcount
        cursor.execute("DROP TABLE mixing_answers")
    return ballots + pairs + answers


def _mix_generic(consultation_id, seal, now):
    shuffle = secrets.SystemRandom().shuffle
    ballots = list(Ballot.objects.filter(consultation_id=consultation_id))
    pairs = list(PairwiseVote.objects.filter(consultation_id=consultation_id))
    answers = list(StatementVote.objects.filter(consultation_id=consultation_id))
    shuffle(ballots)
    shuffle(pairs)
    shuffle(answers)
    Ballot.objects.filter(consultation_id=consultation_id).delete()
    PairwiseVote.objects.filter(consultation_id=consultation_id).delete()
    StatementVote.objects.filter(consultation_id=consultation_id).delete()
    Ballot.objects.bulk_create(ballots, batch_size=_BATCH)
    StatementVote.objects.bulk_create(answers, batch_size=_BATCH)
    # bulk_create stamps every answer with the time of the mix (auto_now_add): on these
    # databases the answers' own times go at every mix; sealing gives them one time.
    PairwiseVote.objects.bulk_create(pairs, batch_size=_BATCH)
    if seal:
        PairwiseVote.objects.filter(consultation_id=consultation_id).update(created=now)
    return len(ballots) + len(pairs) + len(answers)
