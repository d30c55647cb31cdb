"""After the retention time, a finished process keeps its counts and results but nothing
that ties it to a person: no workshop names or accounts, no register links, no ballot key
that the server secret could trace back, no proposer, no feedback."""

from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from participation.actions import post_feedback, report_feedback
from participation.models import Feedback, FeedbackReport
from results.compute import consultation_result
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions as voting
from voting.models import Ballot, VoterRecord
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import CommandReceipt, Participant, ParticipantRole


def finished(days_ago, open_consultation=False):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="account")
    process = consultation.process
    process.ends_on = date.today() - timedelta(days=days_ago)
    process.save()
    voters = [factories.make_user() for _ in range(3)]
    for voter in voters:
        voting.cast_ballot(consultation, voting.Voter(consultation.pk, user_id=voter.pk), {"approve": [ids[0]]})
    if not open_consultation:
        consultation = voting.close_consultation(facilitator, consultation)
    workshop = create_workshop(facilitator, process, "Werkstatt")
    expert = join_workshop(workshop, voters[0], "Erika Mustermann", ParticipantRole.EXPERT)
    apply_command(expert.pk, {"type": "card.add", "id": "1", "text": "Idee"})
    post_feedback(voters[1], process, "Meine Meinung")
    report_feedback(voters[2], Feedback.objects.get(author=voters[1]), "unpassend")
    return consultation, workshop, voters


@override_settings(PERSONAL_DATA_RETENTION_DAYS=30)
def test_a_finished_process_loses_its_personal_data_and_keeps_its_counts(db):
    consultation, workshop, voters = finished(days_ago=31)
    keys_before = set(Ballot.objects.filter(consultation=consultation).values_list("ballot_key", flat=True))
    result_before = consultation_result(consultation)
    out = StringIO()

    call_command("purge_personal_data", stdout=out)

    assert "1 finished process(es)" in out.getvalue()
    register = VoterRecord.objects.filter(consultation=consultation)
    assert register.count() == 3  # the turnout stays
    assert not register.filter(user__isnull=False).exists()
    ballots = Ballot.objects.filter(consultation=consultation)
    assert ballots.count() == 3
    assert keys_before.isdisjoint(ballots.values_list("ballot_key", flat=True))
    assert consultation_result(consultation)["turnout"] == result_before["turnout"]
    participants = Participant.objects.filter(workshop=workshop)
    assert not participants.filter(user__isnull=False).exists()
    assert not participants.filter(display_name="Erika Mustermann").exists()
    assert workshop.cards.count() == 1
    assert not CommandReceipt.objects.filter(participant__workshop=workshop).exists()
    assert not Feedback.objects.exists() and not FeedbackReport.objects.exists()
    # The voters' accounts themselves are not the process's to delete.
    assert all(type(v).objects.filter(pk=v.pk).exists() for v in voters)


@override_settings(PERSONAL_DATA_RETENTION_DAYS=30)
def test_recent_or_still_voting_processes_are_left_alone(db):
    recent, _w1, _v1 = finished(days_ago=10)
    voting_still, _w2, _v2 = finished(days_ago=40, open_consultation=True)
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "0 finished process(es)" in out.getvalue()
    call_command("purge_personal_data", stdout=StringIO())
    assert VoterRecord.objects.filter(user__isnull=False).count() == 6
    assert Participant.objects.filter(display_name="Erika Mustermann").count() == 2
    assert Feedback.objects.count() == 2


@override_settings(PERSONAL_DATA_RETENTION_DAYS=30)
def test_a_dry_run_counts_and_changes_nothing_and_a_second_run_finds_nothing(db):
    _consultation, _workshop, _voters = finished(days_ago=31)
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "would remove" in out.getvalue() and "voter_records: 3" in out.getvalue()
    assert VoterRecord.objects.filter(user__isnull=False).count() == 3
    call_command("purge_personal_data", stdout=StringIO())
    again = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=again)
    assert "voter_records: 0" in again.getvalue() and "ballot_keys: 0" in again.getvalue()
    assert "participants: 0" in again.getvalue() and "feedback: 0" in again.getvalue()


@override_settings(PERSONAL_DATA_RETENTION_DAYS=30)
def test_an_opinion_map_keeps_its_groups_but_no_key_the_secret_could_trace(db):
    from voting import opinion_actions
    from voting.models import Statement, StatementVote
    from voting.opinion_selectors import map_of_answers, numbered_answers

    def compute_map(consultation):
        _numbers, statements, answers = numbered_answers(consultation)
        return map_of_answers(consultation.pk, statements, answers)

    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    texts = [f"Aussage {n}" for n in range(8)]
    consultation = voting.open_consultation(
        facilitator,
        voting.create_consultation(
            facilitator, process, {"title": "Karte", "method": "opinion", "eligibility": "account", "statements": texts}
        ),
    )
    statements = list(Statement.objects.filter(consultation=consultation).order_by("pk"))
    people = [factories.make_user() for _ in range(6)]
    for n, person in enumerate(people):
        voter = voting.Voter(consultation.pk, user_id=person.pk)
        for index, statement in enumerate(statements):
            opinion_actions.answer_statement(consultation, voter, statement.pk, 1 if (index < 4) == (n < 3) else -1)
    opinion_actions.propose_statement(consultation, voting.Voter(consultation.pk, user_id=people[0].pk), "Neu")
    voting.close_consultation(facilitator, consultation)
    process.ends_on = date.today() - timedelta(days=31)
    process.save()
    sizes_before = [group["size"] for group in compute_map(consultation)["groups"]]
    traced = {voting.Voter(consultation.pk, user_id=person.pk).ballot_key for person in people}

    call_command("purge_personal_data", stdout=StringIO())

    keys = set(StatementVote.objects.filter(consultation=consultation).values_list("ballot_key", flat=True))
    assert len(keys) == 6 and not keys & traced and all(key.startswith("purged:") for key in keys)
    assert not Statement.objects.filter(consultation=consultation).exclude(author_key="").exists()
    assert [group["size"] for group in compute_map(consultation)["groups"]] == sizes_before
