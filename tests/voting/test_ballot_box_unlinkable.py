"""A copy of the database taken after a consultation closes does not link a ballot to
its voter: not by the transaction id (``xmin``), the physical order (``ctid``, SQLite's
``rowid``), the ids, the receipts, nor by the dead row versions left in the data files.

Ballots are cast in a known order, each with a content that tells who cast it; then the
test tries what an attacker with ``psql`` would try. Before the seal the attacks work
(so the test can fail); after it, every order is a random permutation of the true one.
"""

import itertools
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from scipy.stats import spearmanr

from tests import factories
from voting import actions, mixing
from voting.models import Ballot, Consultation, PairwiseVote, VoterRecord

from .helpers import make_consultation

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 60
CHANGERS = 10
# For a random order of 60, Spearman's rho has a standard deviation of 1/sqrt(59) = 0.13:
# |rho| >= 0.55 happens by chance about twice in 100,000; the true order gives 1.
UNRELATED = 0.55


def physical(table, column, where, params):
    """``column`` of the rows in the order they lie in the table's data file."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where} ORDER BY {order}", params)  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def rho(order, truth):
    """Spearman's rho between the positions of the same items in two lists."""
    position = {item: n for n, item in enumerate(order)}
    return spearmanr([position[item] for item in truth], range(len(truth))).statistic


def xmin_links(consultation):
    """How many ballots share their transaction id with a row of the register."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM voting_ballot b WHERE b.consultation_id = %s AND EXISTS ("
            " SELECT 1 FROM voting_voterrecord r WHERE r.consultation_id = b.consultation_id"
            " AND r.xmin::text = b.xmin::text)",
            [consultation.pk],
        )
        return cursor.fetchone()[0]


def raw_tuple_xmins(table):
    """Transaction ids of every tuple in the table's data file, dead versions included, as
    pageinspect reads them from the pages (what a file-level copy holds)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int")  # noqa: S608
        (pages,) = cursor.fetchone()
        xmins = set()
        for page in range(pages):
            cursor.execute(
                "SELECT t_xmin FROM heap_page_items(get_raw_page(%s, %s)) WHERE t_xmin IS NOT NULL", [table, page]
            )
            xmins.update(str(row[0]) for row in cursor.fetchall())
        return xmins


def register_xmins(consultation):
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM voting_voterrecord WHERE consultation_id = %s", [consultation.pk])
        return {row[0] for row in cursor.fetchall()}


def cast_in_known_order():
    """60 voters, each ranking the options in an order of
    their own; then 10 of them change their ballot. Returns the consultation, the
    facilitator, and the contents in the order of their last write."""
    consultation, facilitator, ids = make_consultation(method="ranking", eligibility="account", n_options=5)
    rankings = [[[m] for m in order] for order in itertools.permutations(ids)]
    voters = [actions.Voter(consultation.pk, user_id=factories.make_user().pk) for _ in range(VOTERS)]
    written = []
    for n, voter in enumerate(voters):
        actions.cast_ballot(consultation, voter, {"ranking": rankings[n]})
        written.append(n)
    first_cast = list(written)
    for n in range(CHANGERS):
        voter = voters[n * 5]
        actions.cast_ballot(consultation, voter, {"ranking": rankings[VOTERS + n]})
        written.remove(n * 5)
        written.append(VOTERS + n)
        first_cast[n * 5] = VOTERS + n
    truth = Order(str({"ranking": rankings[n]}) for n in written)
    # A changed ballot may stay where it was first written (SQLite's rowid, PostgreSQL's
    # updates within the page): the order of first casting leaks as much.
    truth.first_cast = [str({"ranking": rankings[n]}) for n in first_cast]
    return consultation, facilitator, truth, ids


class Order(list):
    """Contents in the order of their last write; ``first_cast`` in the order of the first."""

    first_cast = ()


def contents_in_file_order(consultation):
    return [str(c) for c in physical("voting_ballot", "content", "consultation_id = %s", [consultation.pk])]


def decoded(values):
    return [str(json.loads(v)) if isinstance(v, str) else str(v) for v in values]


def test_before_the_seal_the_casting_order_is_readable_so_the_attacks_are_real():
    consultation, _, truth, _ = cast_in_known_order()
    in_file = decoded(contents_in_file_order(consultation))
    assert max(rho(in_file, truth), rho(in_file, truth.first_cast)) > 0.8
    if connection.vendor == "postgresql":
        assert xmin_links(consultation) == VOTERS


def test_after_the_close_no_column_order_or_row_version_links_a_ballot_to_its_voter():
    consultation, facilitator, truth, _ = cast_in_known_order()
    register_before, wal_at_close = set(), None
    if connection.vendor == "postgresql":
        register_before = register_xmins(consultation)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            wal_at_close = cursor.fetchone()[0]

    actions.close_consultation(facilitator, consultation)  # seals after the commit
    consultation.refresh_from_db()
    assert mixing.is_sealed(consultation)

    # Every ballot is still there, unchanged, and counted once.
    assert sorted(decoded(contents_in_file_order(consultation))) == sorted(truth)
    assert Ballot.objects.filter(consultation=consultation).count() == VOTERS
    assert VoterRecord.objects.filter(consultation=consultation).count() == VOTERS

    # Physical order, ids and receipts: each a random permutation of the casting order.
    in_file = decoded(contents_in_file_order(consultation))
    assert abs(rho(in_file, truth)) < UNRELATED and abs(rho(in_file, truth.first_cast)) < UNRELATED
    by_content = {str(b.content): b for b in Ballot.objects.filter(consultation=consultation)}
    ids_in_order = [str(b.content) for b in sorted(by_content.values(), key=lambda b: str(b.id))]
    receipts_in_order = [str(b.content) for b in sorted(by_content.values(), key=lambda b: b.receipt)]
    assert abs(rho(ids_in_order, truth)) < UNRELATED
    assert abs(rho(receipts_in_order, truth)) < UNRELATED
    # No time is kept on a ballot at all; the channel says only online or paper.
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(), "voting_ballot")}
    assert columns == {"id", "consultation_id", "ballot_key", "receipt", "content", "channel"}

    if connection.vendor == "postgresql":
        # One transaction id for the whole box, shared with no row of the register.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT xmin::text) FROM voting_ballot WHERE consultation_id = %s", [consultation.pk]
            )
            assert cursor.fetchone()[0] == 1
        assert xmin_links(consultation) == 0
        # The data file holds no superseded version that carries a register's transaction id.
        assert not raw_tuple_xmins("voting_ballot") & (register_before | register_xmins(consultation))
        # Nor a write-ahead-log position from the time of voting: every page was written by the seal.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM generate_series(0, pg_relation_size('voting_ballot') / 8192 - 1) AS page"
                " WHERE (page_header(get_raw_page('voting_ballot', page::int))).lsn < %s::pg_lsn",
                [wal_at_close],
            )
            assert cursor.fetchone()[0] == 0


def test_mixing_while_open_unlinks_what_was_cast_before_and_skips_unchanged_boxes():
    consultation, _, truth, ids = cast_in_known_order()
    call_command("mix_ballot_boxes", verbosity=0)
    consultation.refresh_from_db()
    assert consultation.box_mixed_at is not None
    assert abs(rho(decoded(contents_in_file_order(consultation)), truth)) < UNRELATED
    if connection.vendor == "postgresql":
        assert xmin_links(consultation) == 0
        assert consultation.pk not in [c.pk for c, _ in mixing.boxes_to_mix()]  # nothing new: left alone
    # Voting goes on after a mix; a new ballot is mixed in by the next run.
    newcomer = actions.Voter(consultation.pk, user_id=factories.make_user().pk)
    actions.cast_ballot(consultation, newcomer, {"ranking": [[m] for m in ids]})
    if connection.vendor == "postgresql":
        assert xmin_links(consultation) == 1
        assert consultation.pk in [c.pk for c, _ in mixing.boxes_to_mix()]
    call_command("mix_ballot_boxes", verbosity=0)
    assert Ballot.objects.filter(consultation=consultation).count() == VOTERS + 1
    if connection.vendor == "postgresql":
        assert xmin_links(consultation) == 0


def test_a_consultation_closed_by_the_clock_is_sealed_by_the_next_run():
    consultation, _, truth, _ = cast_in_known_order()
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now())
    call_command("mix_ballot_boxes", verbosity=0)
    consultation.refresh_from_db()
    assert mixing.is_sealed(consultation)
    assert abs(rho(decoded(contents_in_file_order(consultation)), truth)) < UNRELATED
    # Sealed boxes are left alone afterwards.
    assert [c.pk for c, _ in mixing.boxes_to_mix() if c.pk == consultation.pk] == []


def test_pairwise_answers_are_mixed_and_lose_their_times_at_the_seal():
    consultation, facilitator, ids = make_consultation(method="pairwise", eligibility="account", n_options=4)
    pairs = list(itertools.permutations(ids, 2))
    voters = [actions.Voter(consultation.pk, user_id=factories.make_user().pk) for _ in range(len(pairs))]
    for (left, right), voter in zip(pairs, voters, strict=True):
        actions.record_pair(consultation, voter, left, right, "left", request_id=f"r-{left}-{right}")
    truth = Order(f"{left}-{right}" for left, right in pairs)
    answers = set(PairwiseVote.objects.values_list("left_id", "right_id", "choice", "ballot_key", "request_id"))

    actions.close_consultation(facilitator, consultation)

    assert set(PairwiseVote.objects.values_list("left_id", "right_id", "choice", "ballot_key", "request_id")) == answers
    assert PairwiseVote.objects.values("created").distinct().count() == 1
    in_file = [
        f"{left}-{right}"
        for left, right in zip(
            physical("voting_pairwisevote", "left_id", "consultation_id = %s", [consultation.pk]),
            physical("voting_pairwisevote", "right_id", "consultation_id = %s", [consultation.pk]),
            strict=True,
        )
    ]
    # 12 answers: a weaker bound than for 60 ballots, still far from the casting order's 1.
    assert abs(rho(in_file, truth)) < 0.9
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM voting_pairwisevote p JOIN voting_voterrecord r"
                " ON r.consultation_id = p.consultation_id AND r.xmin::text = p.xmin::text"
                " WHERE p.consultation_id = %s",
                [consultation.pk],
            )
            assert cursor.fetchone()[0] == 0


def test_opinion_map_answers_are_mixed_at_the_seal_and_share_no_transaction_with_the_register():
    from voting import opinion_actions
    from voting.models import Statement, StatementVote

    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    consultation = actions.open_consultation(
        facilitator,
        actions.create_consultation(
            facilitator,
            process,
            {"title": "Karte", "method": "opinion", "eligibility": "account", "statements": ["Eins", "Zwei"]},
        ),
    )
    first = Statement.objects.filter(consultation=consultation).order_by("pk").first()
    # Each participant's first answer is written with their register row: one transaction.
    voters = [actions.Voter(consultation.pk, user_id=factories.make_user().pk) for _ in range(VOTERS)]
    for n, voter in enumerate(voters):
        opinion_actions.answer_statement(consultation, voter, first.pk, (n % 3) - 1)
    truth = Order(str(voter.ballot_key) for voter in voters)
    assert rho(physical("voting_statementvote", "ballot_key", "consultation_id = %s", [consultation.pk]), truth) > 0.99
    answers = set(StatementVote.objects.values_list("statement_id", "ballot_key", "value"))

    actions.close_consultation(facilitator, consultation)

    assert set(StatementVote.objects.values_list("statement_id", "ballot_key", "value")) == answers
    in_file = physical("voting_statementvote", "ballot_key", "consultation_id = %s", [consultation.pk])
    assert abs(rho(in_file, truth)) < UNRELATED
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM voting_statementvote a JOIN voting_voterrecord r"
                " ON r.consultation_id = a.consultation_id AND r.xmin::text = a.xmin::text"
                " WHERE a.consultation_id = %s",
                [consultation.pk],
            )
            assert cursor.fetchone()[0] == 0
