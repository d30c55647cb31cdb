"""Follow and be told, through a real SMTP server and the real task worker: a follower of a
measure gets one mail, in their language, for the changes made together (a new status, the
city's answer to their feedback); the weekly digest variant gets one digest; one click
(RFC 8058's POST, or the button behind the link) stops all mail; the SMTP server answering
"later" or going away delays the mail and never sends it twice; nobody else hears of it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from participation import actions, notifications
from participation.models import Feedback, Follow, Notification
from tests import factories
from tests.mail_server import run_worker

# Transactions commit for real here: the mail is queued after the commit, and the worker
# (`manage.py db_worker`, run in this process) reads what was committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(db):
    process = factories.make_process()
    field = factories.make_field(process)
    measure = factories.make_measure(process, field, title="Makerspace", title_en="Makerspace for everyone")
    facilitator = factories.make_facilitator(process)
    citizen = factories.make_user(username="lena")
    return process, field, measure, facilitator, citizen


def comment(citizen, measure, text="Gibt es Kurse am Wochenende?"):
    return Feedback.objects.create(author=citizen, measure=measure, text=text)


def test_a_follower_gets_one_mail_in_their_language_for_an_answer_and_a_new_status(mail_server, scene):
    process, field, measure, facilitator, citizen = scene
    feedback = comment(citizen, measure)
    citizen_client = Client()
    citizen_client.force_login(citizen)
    response = citizen_client.post(
        "/en/konto/folgen/", {"target": f"measure:{measure.pk}", "action": "follow", "next": "/en/"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.language == "en"  # the language of the page they followed from

    actions.answer_feedback(facilitator, feedback, "Yes, on Saturdays from March.", "adopted")
    actions.change_status(facilitator, measure, "planned", "Im Haushalt 2027.", "Budgeted for 2027.")
    run_worker()

    (mail,) = mail_server.to(citizen.email)
    body = mail.get_content()
    assert "Makerspace for everyone" in body and "Budgeted for 2027." in body
    assert "Yes, on Saturdays from March." in body and "adopted" in body
    assert mail_server.subjects(citizen.email) == ["2 updates on what you follow"]
    unsubscribe = mail["List-Unsubscribe"].strip()
    assert unsubscribe.startswith("<http://") and "/konto/benachrichtigungen/abbestellen/" in unsubscribe
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in body
    assert not Notification.objects.filter(sent_at=None).exists()

    run_worker()
    assert len(mail_server.to(citizen.email)) == 1
    # The facilitator changed it and follows nothing: no mail to them.
    assert mail_server.to(facilitator.email) == []


def test_one_click_unsubscribes_and_nothing_more_arrives(mail_server, scene):
    process, field, measure, facilitator, citizen = scene
    notifications.follow(citizen, measure)
    actions.change_status(facilitator, measure, "planned")
    run_worker()
    (mail,) = mail_server.to(citizen.email)
    link = mail["List-Unsubscribe"].strip().strip("<>").removeprefix("http://127.0.0.1:8000")

    # A link checker opening the link changes nothing; the mail program's POST does, without a form.
    assert "Keine E-Mails mehr erhalten" in Client().get(link).content.decode()
    citizen.refresh_from_db()
    assert citizen.notification_mail == "immediate"
    response = Client(enforce_csrf_checks=True).post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "keine E-Mails über Neuigkeiten mehr" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.notification_mail == "off"

    actions.change_status(facilitator, measure, "in_progress")
    run_worker()
    assert len(mail_server.to(citizen.email)) == 1
    assert Follow.objects.filter(user=citizen).count() == 1  # the follow stays, to switch mail on again


def test_a_broken_unsubscribe_link_says_so_and_changes_nothing(scene):
    citizen = scene[-1]
    token = notifications.unsubscribe_token(citizen)
    for bad in (token[:-2] + "xx", "kein-token", token.replace(":", "")):
        response = Client().post(f"/konto/benachrichtigungen/abbestellen/{bad}/")
        assert response.status_code == 400 and "Dieser Link ist ungültig" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.notification_mail == "immediate"


def test_the_weekly_digest_brings_a_weeks_changes_in_one_mail(mail_server, scene):
    process, field, measure, facilitator, citizen = scene
    other = factories.make_measure(process, field, title="Digitale Sprechstunde")
    notifications.follow(citizen, field)
    notifications.set_preferences(citizen, "weekly", "de")
    actions.change_status(facilitator, measure, "planned")
    actions.change_status(facilitator, other, "rejected", "Kein Bedarf.")
    run_worker()
    assert mail_server.to(citizen.email) == []  # nothing at once

    call_command("send_notification_digests", verbosity=0)
    run_worker()
    (digest,) = mail_server.to(citizen.email)
    assert mail_server.subjects(citizen.email) == ["Ihre Wochenübersicht: 2 Neuigkeiten"]
    body = digest.get_content()
    assert "Makerspace" in body and "Digitale Sprechstunde" in body and "Kein Bedarf." in body
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    call_command("send_notification_digests", verbosity=0)
    run_worker()
    assert len(mail_server.to(citizen.email)) == 1


@pytest.mark.parametrize("failure", ["refusing", "gone"])
def test_an_smtp_server_that_fails_delays_the_mail_and_it_is_sent_once(mail_server, scene, failure):
    process, field, measure, facilitator, citizen = scene
    notifications.follow(citizen, process)
    if failure == "refusing":
        mail_server.refusing = True
    else:
        mail_server.stop()
    actions.change_status(facilitator, measure, "planned")
    run_worker()
    assert mail_server.to(citizen.email) == []
    (pending,) = Notification.objects.filter(user=citizen)
    assert pending.sent_at is None
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + timedelta(seconds=30)  # not at once: a minute later
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    # The server is back, and the minute has passed.
    if failure == "refusing":
        mail_server.refusing = False
    else:
        mail_server.start()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    (mail,) = mail_server.to(citizen.email)
    assert "Makerspace" in mail.get_content()
    run_worker()
    assert len(mail_server.to(citizen.email)) == 1


def test_who_hears_of_a_change(mail_server, scene):
    process, field, measure, facilitator, citizen = scene
    project = factories.make_project(process, field)
    lab = factories.make_lab(process)
    lab.projects.add(project)
    by_lab = factories.make_user()
    notifications.follow(by_lab, lab)
    unverified = factories.make_user(verified=False)
    notifications.follow(unverified, measure)
    elsewhere = factories.make_user()
    notifications.follow(elsewhere, factories.make_measure(process))
    notifications.follow(citizen, measure)

    actions.change_status(facilitator, project, "running")
    actions.change_status(facilitator, measure, "planned")
    run_worker()

    assert mail_server.subjects(by_lab.email) == [f"Projekt „{project.title}“ – neuer Stand: laufend"]
    assert mail_server.subjects(citizen.email) == ["Maßnahme „Makerspace“ – neuer Stand: geplant"]
    assert mail_server.to(unverified.email) == [] and mail_server.to(elsewhere.email) == []


def test_an_answer_reaches_only_its_author_and_hidden_measures_tell_nobody(mail_server, scene):
    process, field, measure, facilitator, citizen = scene
    neighbour = factories.make_user()
    for person in (citizen, neighbour):
        notifications.follow(person, measure)
    feedback = comment(citizen, measure)
    actions.answer_feedback(facilitator, feedback, "Danke, wir prüfen das.", "considered")
    actions.answer_feedback(facilitator, feedback, "Danke, wir prüfen das genau.", "considered")  # same state
    run_worker()
    assert len(mail_server.to(citizen.email)) == 1 and mail_server.to(neighbour.email) == []

    measure.published = False
    measure.save()
    actions.change_status(facilitator, measure, "planned")
    run_worker()
    assert Notification.objects.filter(kind="status").count() == 0
    assert len(mail_server.to(citizen.email)) == 1


def test_following_from_the_pages(scene):
    process, field, measure, facilitator, citizen = scene
    page = measure.get_absolute_url()
    assert "Anmelden, um zu folgen" in Client().get(page).content.decode()
    response = Client().post("/konto/folgen/", {"target": f"measure:{measure.pk}", "action": "follow", "next": page})
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/?next=")
    assert not Follow.objects.exists()

    client = Client()
    client.force_login(citizen)
    for _ in range(2):
        response = client.post("/konto/folgen/", {"target": f"measure:{measure.pk}", "action": "follow", "next": page})
        assert response.status_code == 302 and response["Location"] == page
    assert Follow.objects.filter(user=citizen, measure=measure).count() == 1
    html = client.get(page).content.decode()
    assert "Nicht mehr folgen" in html and "Sie folgen jetzt „Makerspace“" in html

    manage = client.get("/konto/benachrichtigungen/").content.decode()
    assert "Makerspace" in manage and "Nicht mehr folgen" in manage

    hidden = factories.make_measure(process, published=False)
    for target in (f"measure:{hidden.pk}", "measure:999999", "measure:x", "poll:1", "", "measure:" + "9" * 40):
        response = client.post("/konto/folgen/", {"target": target, "action": "follow", "next": page})
        assert response.status_code == 302
    assert Follow.objects.filter(user=citizen).count() == 1

    client.post("/konto/folgen/", {"target": f"measure:{measure.pk}", "action": "unfollow", "next": page})
    assert not Follow.objects.filter(user=citizen).exists()


def test_preferences_are_checked_and_kept(scene):
    citizen = scene[-1]
    client = Client()
    client.force_login(citizen)
    response = client.post("/konto/benachrichtigungen/", {"notification_mail": "weekly", "language": "en"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.notification_mail, citizen.language) == ("weekly", "en")
    for bad in ({"notification_mail": "hourly", "language": "de"}, {"notification_mail": "off", "language": "fr"}):
        assert client.post("/konto/benachrichtigungen/", bad).status_code == 400
    citizen.refresh_from_db()
    assert (citizen.notification_mail, citizen.language) == ("weekly", "en")
    assert Client().get("/konto/benachrichtigungen/").status_code == 302


def test_follows_are_in_the_data_export_and_go_with_the_account(scene):
    process, field, measure, facilitator, citizen = scene
    notifications.follow(citizen, measure)
    notifications.follow(citizen, process)
    actions.change_status(facilitator, measure, "planned")
    client = Client()
    client.force_login(citizen)
    data = client.get("/konto/daten/").json()
    assert sorted(item["kind"] for item in data["follows"]) == ["measure", "process"]
    assert data["account"]["notification_mail"] == "immediate"
    assert [row["change"] for row in data["notifications"]] == [f"status:{measure.status_changes.get().pk}"]
    client.post("/konto/loeschen/", {"password": factories.PASSWORD, "confirm": "on"})
    assert not Follow.objects.exists() and not Notification.objects.exists()
