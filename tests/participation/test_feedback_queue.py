import pytest

from participation import actions
from tests import factories


@pytest.mark.django_db
def test_the_queue_lists_reported_feedback_of_the_facilitators_processes_only(facilitator_client, process):
    mine = actions.post_feedback(factories.make_user(), factories.make_measure(process), "Gemeldet bei mir")
    actions.report_feedback(factories.make_user(), mine)
    elsewhere = factories.make_process()
    theirs = actions.post_feedback(factories.make_user(), factories.make_lab(elsewhere), "Gemeldet woanders")
    actions.report_feedback(factories.make_user(), theirs)
    actions.post_feedback(factories.make_user(), process, "Nicht gemeldet")

    response = facilitator_client.get("/rueckmeldungen/moderation/")

    html = response.content.decode()
    assert response.status_code == 200
    reported = html.split('id="gemeldet"', 1)[1].split("</section>", 1)[0]
    assert "Gemeldet bei mir" in reported
    assert "Gemeldet woanders" not in html
    assert "Nicht gemeldet" not in reported  # it waits for an answer, further down
    assert "Nicht gemeldet" in html.split('id="unbeantwortet"', 1)[1].split("</section>", 1)[0]
    assert f'action="/rueckmeldungen/{mine.pk}/moderieren/"' in html


@pytest.mark.django_db
def test_hiding_from_the_queue_returns_to_the_queue(facilitator_client, process):
    feedback = actions.post_feedback(factories.make_user(), process, "Aus der Warteschlange")
    actions.report_feedback(factories.make_user(), feedback)

    response = facilitator_client.post(
        f"/rueckmeldungen/{feedback.pk}/moderieren/", {"decision": "hide", "next": "/rueckmeldungen/moderation/"}
    )

    assert response["Location"] == "/rueckmeldungen/moderation/"
    html = facilitator_client.get("/rueckmeldungen/moderation/").content.decode()
    assert "Keine gemeldeten Rückmeldungen" in html
    assert "Aus der Warteschlange" in html  # now under "recently hidden"


@pytest.mark.django_db
def test_citizens_may_not_open_the_queue(citizen_client):
    assert citizen_client.get("/rueckmeldungen/moderation/").status_code == 403
    citizen_client.logout()
    assert citizen_client.get("/rueckmeldungen/moderation/").status_code == 302
