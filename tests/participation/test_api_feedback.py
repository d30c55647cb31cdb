"""The API lists visible feedback on what is published, each with the city's answer (or
null), filtered by what it is about and by answered or not; hidden feedback and feedback on
unpublished things do not exist there; nobody's name is in it."""

import json

import pytest
from django.test import Client

from participation import actions
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(process, facilitator):
    measure = factories.make_measure(process)
    hidden_measure = factories.make_measure(process, published=False)
    internal_project = factories.make_project(process, public=False)
    author = factories.make_user(username="lena-schmidt")
    answered = actions.post_feedback(author, measure, "Bitte auch nachts.")
    actions.answer_feedback(facilitator, answered, "Machen wir.", "adopted")
    open_one = actions.post_feedback(author, process, "Wann geht es los?")
    hidden = actions.post_feedback(author, measure, "Versteckt")
    actions.moderate_feedback(facilitator, hidden, hide=True)
    unseen = [
        hidden,
        actions.post_feedback(author, hidden_measure, "Zu Unveröffentlichtem"),
        actions.post_feedback(author, internal_project, "Zu Internem"),
    ]
    return measure, answered, open_one, unseen


def test_the_list_has_the_visible_feedback_with_the_citys_answer_and_no_names(world, facilitator):
    measure, answered, open_one, unseen = world

    response = Client().get("/api/feedback/")

    assert response.status_code == 200
    listed = response.json()["results"]
    assert [item["id"] for item in listed] == [answered.pk, open_one.pk]
    first, second = listed
    assert (first["target_kind"], first["target_id"], first["text"]) == ("measure", measure.pk, "Bitte auch nachts.")
    assert (first["answer"]["text"], first["answer"]["state"], first["answer"]["state_label_en"]) == (
        "Machen wir.",
        "adopted",
        "adopted",
    )
    assert (second["target_kind"], second["answer"]) == ("process", None)
    text = json.dumps(response.json())
    assert "lena-schmidt" not in text and facilitator.get_username() not in text
    for item in unseen:
        assert Client().get(f"/api/feedback/{item.pk}/").status_code == 404


def test_filters_by_target_and_by_answered(world):
    measure, answered, open_one, _unseen = world

    def ids(query):
        response = Client().get(f"/api/feedback/?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids(f"measure={measure.pk}") == [answered.pk]
    assert ids("answered=true") == [answered.pk]
    assert ids("answered=false") == [open_one.pk]
    for bad in ("answered=maybe", "measure=abc", "measure=0", "lab=-1"):
        response = Client().get(f"/api/feedback/?{bad}")
        assert response.status_code == 400, bad
