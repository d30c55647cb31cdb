import json

import pytest

from participation import actions
from tests import factories


@pytest.mark.django_db
def test_the_export_is_a_json_attachment_with_own_account_feedback_and_reports(citizen_client, citizen, process):
    measure = factories.make_measure(process)
    lab = factories.make_lab(process)
    other = factories.make_user(username="nachbarin", email="nachbarin@example.org")
    others_feedback = actions.post_feedback(other, measure, "Text der Nachbarin")
    mine = actions.post_feedback(citizen, lab, "Mein Text zum Reallabor")
    actions.report_feedback(citizen, others_feedback, "Unpassend")
    actions.report_feedback(other, mine, "Gegenmeldung der Nachbarin")

    response = citizen_client.get("/konto/daten/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="meine-daten-')
    data = json.loads(response.content)
    assert data["account"]["username"] == citizen.username
    assert data["account"]["email"] == citizen.email
    assert data["account"]["email_verified"] is True
    assert [item["text"] for item in data["feedback"]] == ["Mein Text zum Reallabor"]
    assert data["feedback"][0]["target"] == {"kind": "lab", "id": lab.pk, "title": lab.title}
    assert data["feedback"][0]["flagged"] is True
    assert [(r["feedback_id"], r["reason"]) for r in data["reports"]] == [(others_feedback.pk, "Unpassend")]
    raw = response.content.decode()
    for foreign in ("nachbarin", "Text der Nachbarin", "Gegenmeldung der Nachbarin"):
        assert foreign not in raw
    assert citizen.password not in raw
    assert "pbkdf2" not in raw
    assert "password" not in raw


@pytest.mark.django_db
def test_the_export_needs_a_login(client):
    response = client.get("/konto/daten/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
