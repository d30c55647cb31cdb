"""Followers of a process or of a measure on the ballot hear by mail when a consultation
opens, when it closes and when its result is published, also when the clock opens it;
each of them once, and nobody who does not follow."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from participation import notifications
from participation.models import Measure
from results.actions import publish
from tests import factories
from tests.mail_server import run_worker
from tests.voting.helpers import make_consultation
from voting import actions
from voting.models import Consultation

pytestmark = pytest.mark.django_db(transaction=True)


def test_followers_hear_of_opening_closing_and_the_result(mail_server):
    consultation, facilitator, measure_ids = make_consultation(open_now=False)
    by_process, by_measure, bystander = (factories.make_user() for _ in range(3))
    notifications.follow(by_process, consultation.process)
    notifications.follow(by_measure, Measure.objects.get(pk=measure_ids[1]))

    actions.open_consultation(facilitator, consultation)
    run_worker()
    actions.close_consultation(facilitator, consultation)
    run_worker()
    publish(facilitator, consultation)
    run_worker()

    expected = [
        "Befragung „Welche Maßnahmen zuerst?“ ist geöffnet",
        "Befragung „Welche Maßnahmen zuerst?“ ist beendet",
        "Ergebnis veröffentlicht: Welche Maßnahmen zuerst?",
    ]
    assert mail_server.subjects(by_process.email) == expected
    assert mail_server.subjects(by_measure.email) == expected
    assert mail_server.subjects(bystander.email) == []
    publish(facilitator, consultation)  # the same data: the same snapshot, no news
    run_worker()
    assert len(mail_server.subjects(by_process.email)) == 3


def test_the_clock_opens_a_scheduled_consultation_and_followers_hear_of_it(mail_server):
    now = timezone.now()
    consultation, facilitator, _ids = make_consultation(
        open_now=False, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=7)
    )
    follower = factories.make_user()
    notifications.follow(follower, consultation.process)
    actions.schedule_consultation(facilitator, consultation)
    run_worker()
    assert mail_server.subjects(follower.email) == []  # scheduled, not open yet
    waiting = DBTaskResult.objects.filter(status="READY").order_by("run_after")
    assert [task.run_after for task in waiting] == [now + timedelta(hours=1), now + timedelta(days=7)]

    # An hour later: the consultation is open by the clock, and its announcement is due.
    Consultation.objects.filter(pk=consultation.pk).update(opens_at=timezone.now() - timedelta(seconds=1))
    DBTaskResult.objects.filter(pk=waiting[0].pk).update(run_after=timezone.now())
    run_worker()
    (subject,) = mail_server.subjects(follower.email)
    assert subject.startswith("Befragung „Welche Maßnahmen zuerst?“ ist geöffnet: Sie können bis ")
