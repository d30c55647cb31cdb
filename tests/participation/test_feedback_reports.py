import pytest
from django.test import Client

from participation import actions
from participation.models import Feedback, FeedbackReport, FeedbackStatus
from tests import factories


@pytest.fixture
def measure(process):
    return factories.make_measure(process)


@pytest.fixture
def feedback(measure):
    return actions.post_feedback(factories.make_user(), measure, "Eine strittige Aussage.")


def _report(client, feedback, reason=""):
    return client.post(f"/rueckmeldungen/{feedback.pk}/melden/", {"reason": reason})


@pytest.mark.django_db
def test_reporting_flags_the_feedback_and_the_page_says_so(citizen_client, citizen, feedback, measure):
    page = citizen_client.get(measure.get_absolute_url()).content.decode()
    assert f'action="/rueckmeldungen/{feedback.pk}/melden/"' in page

    response = _report(citizen_client, feedback, "Beleidigend")

    assert response.status_code == 302
    assert response["Location"] == f"{measure.get_absolute_url()}#rueckmeldung-{feedback.pk}"
    feedback.refresh_from_db()
    assert feedback.flagged is True
    report = FeedbackReport.objects.get()
    assert (report.reporter, report.reason) == (citizen, "Beleidigend")
    page = citizen_client.get(measure.get_absolute_url()).content.decode()
    assert "Von Ihnen gemeldet" in page
    assert f'action="/rueckmeldungen/{feedback.pk}/melden/"' not in page
    # Still visible to the public until the moderation decides.
    assert "Eine strittige Aussage." in Client().get(measure.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_reporting_twice_creates_one_report(citizen_client, feedback):
    _report(citizen_client, feedback)
    second = _report(citizen_client, feedback, "nochmal")

    assert second.status_code == 302
    assert FeedbackReport.objects.filter(feedback=feedback).count() == 1


@pytest.mark.django_db
def test_anonymous_visitors_cannot_report(client, feedback, measure):
    assert f"/rueckmeldungen/{feedback.pk}/melden/" not in client.get(measure.get_absolute_url()).content.decode()

    response = _report(client, feedback)

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
    assert not FeedbackReport.objects.exists()
    feedback.refresh_from_db()
    assert feedback.flagged is False


@pytest.mark.django_db
def test_hidden_feedback_and_unknown_ids_cannot_be_reported(citizen_client, feedback):
    Feedback.objects.filter(pk=feedback.pk).update(status=FeedbackStatus.HIDDEN)

    assert _report(citizen_client, feedback).status_code == 404
    assert citizen_client.post("/rueckmeldungen/999999/melden/").status_code == 404
    assert citizen_client.post("/rueckmeldungen/abc/melden/").status_code == 404
    assert not FeedbackReport.objects.exists()


@pytest.mark.django_db
def test_a_report_reason_over_500_characters_is_refused(citizen_client, feedback):
    response = _report(citizen_client, feedback, "g" * 501)

    assert response.status_code == 400
    assert "500" in response.content.decode()
    assert not FeedbackReport.objects.exists()


@pytest.mark.django_db
def test_reporting_is_post_only(citizen_client, feedback):
    assert citizen_client.get(f"/rueckmeldungen/{feedback.pk}/melden/").status_code == 405
