import pytest
from django.test import Client

from participation import actions
from participation.models import AuditLogEntry, FeedbackStatus
from tests import factories


@pytest.fixture
def measure(process):
    return factories.make_measure(process)


@pytest.fixture
def hidden_feedback(measure, facilitator):
    author = factories.make_user(username="verfasserin")
    feedback = actions.post_feedback(author, measure, "Unsachlicher Beitrag")
    actions.moderate_feedback(facilitator, feedback, hide=True)
    return feedback


def _page(client, target):
    return client.get(target.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_hidden_feedback_is_invisible_to_the_public_and_to_citizens(citizen_client, hidden_feedback, measure):
    assert "Unsachlicher Beitrag" not in _page(Client(), measure)
    assert "Unsachlicher Beitrag" not in _page(citizen_client, measure)
    assert "Unsachlicher Beitrag" not in Client().get(f"/rueckmeldungen/measure/{measure.pk}/").content.decode()


@pytest.mark.django_db
def test_the_process_facilitator_sees_hidden_feedback_marked_with_a_show_button(
    facilitator_client, hidden_feedback, measure
):
    html = _page(facilitator_client, measure)

    assert "Unsachlicher Beitrag" in html
    assert "Ausgeblendet – nur für die Moderation sichtbar" in html
    assert f'action="/rueckmeldungen/{hidden_feedback.pk}/moderieren/"' in html
    assert "Wieder anzeigen" in html


@pytest.mark.django_db
def test_a_facilitator_of_another_process_neither_sees_nor_moderates_it(client, hidden_feedback, measure):
    client.force_login(factories.make_facilitator(factories.make_process()))

    assert "Unsachlicher Beitrag" not in _page(client, measure)
    response = client.post(f"/rueckmeldungen/{hidden_feedback.pk}/moderieren/", {"decision": "show"})

    assert response.status_code == 404
    hidden_feedback.refresh_from_db()
    assert hidden_feedback.status == FeedbackStatus.HIDDEN


@pytest.mark.django_db
def test_flagged_feedback_is_marked_for_the_facilitator_with_the_number_of_reports(facilitator_client, measure):
    feedback = actions.post_feedback(factories.make_user(), measure, "Gemeldeter Beitrag")
    actions.report_feedback(factories.make_user(), feedback)
    actions.report_feedback(factories.make_user(), feedback)

    html = _page(facilitator_client, measure)

    assert "Gemeldet (2 Meldungen)" in html
    assert "Meldung zurückweisen, sichtbar lassen" in html


@pytest.mark.django_db
def test_hiding_writes_an_audit_entry_without_the_authors_name_or_text(facilitator_client, facilitator, measure):
    feedback = actions.post_feedback(factories.make_user(username="verfasser"), measure, "Persönlicher Text")
    actions.report_feedback(factories.make_user(), feedback)

    response = facilitator_client.post(
        f"/rueckmeldungen/{feedback.pk}/moderieren/", {"decision": "hide", "reason": "Beleidigung"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{measure.get_absolute_url()}#rueckmeldung-{feedback.pk}"
    feedback.refresh_from_db()
    assert (feedback.status, feedback.flagged, feedback.moderated_by) == (FeedbackStatus.HIDDEN, False, facilitator)
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_type, entry.target_id) == (
        "feedback.hide",
        facilitator,
        "feedback",
        str(feedback.pk),
    )
    assert entry.details == {"reason": "Beleidigung"}
    assert "verfasser" not in entry.target_repr
    assert "Persönlicher Text" not in entry.target_repr
    assert "Persönlicher Text" not in _page(Client(), measure)


@pytest.mark.django_db
def test_showing_again_makes_it_public_and_is_logged(facilitator_client, hidden_feedback, measure):
    response = facilitator_client.post(f"/rueckmeldungen/{hidden_feedback.pk}/moderieren/", {"decision": "show"})

    assert response.status_code == 302
    assert "Unsachlicher Beitrag" in _page(Client(), measure)
    assert list(AuditLogEntry.objects.values_list("action", flat=True)) == ["feedback.show", "feedback.hide"]


@pytest.mark.django_db
def test_citizens_cannot_moderate_and_bad_input_is_refused(citizen, facilitator_client, hidden_feedback):
    url = f"/rueckmeldungen/{hidden_feedback.pk}/moderieren/"
    citizen_client = Client()
    citizen_client.force_login(citizen)

    assert citizen_client.post(url, {"decision": "show"}).status_code == 404
    assert Client().post(url, {"decision": "show"}).status_code == 302  # to the login
    assert facilitator_client.post(url, {"decision": "delete"}).status_code == 400
    assert facilitator_client.post(url, {"decision": "show", "reason": "r" * 501}).status_code == 400
    assert facilitator_client.post("/rueckmeldungen/999999/moderieren/", {"decision": "show"}).status_code == 404
    hidden_feedback.refresh_from_db()
    assert hidden_feedback.status == FeedbackStatus.HIDDEN


@pytest.mark.django_db
def test_moderation_ignores_a_foreign_next_url(facilitator_client, hidden_feedback, measure):
    response = facilitator_client.post(
        f"/rueckmeldungen/{hidden_feedback.pk}/moderieren/", {"decision": "show", "next": "https://evil.example/"}
    )

    assert response["Location"] == f"{measure.get_absolute_url()}#rueckmeldung-{hidden_feedback.pk}"
