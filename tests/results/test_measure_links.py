"""A measure's page names where it was put to the vote: the consultations that had it on the
ballot (not drafts), their published results, and the closed expert polls in workshops with
public results (which stand beside the citizens' on the process's comparison page)."""

import pytest
from django.test import Client

from results.actions import publish
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions as voting
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import ParticipantRole, Poll

pytestmark = pytest.mark.django_db


def expert_poll(facilitator, process, measure, question, hidden=False):
    workshop = create_workshop(facilitator, process, "Expertenrunde Mobilität")
    moderator = join_workshop(workshop, facilitator, "Moderation", ParticipantRole.FACILITATOR)
    n = iter(range(100))

    def run(command):
        apply_command(moderator.pk, {"id": f"c{next(n)}", **command})

    options = [{"measure": measure.pk}, "Etwas anderes"]
    run({"type": "poll.create", "question": question, "kind": "single", "options": options, "hidden": hidden})
    poll = Poll.objects.get(workshop=workshop, question=question)
    run({"type": "poll.open", "poll": poll.pk})
    run({"type": "poll.close", "poll": poll.pk})
    return workshop


def section(html):
    return html.split('id="beteiligung"', 1)[1].split("</section>", 1)[0]


def test_a_measure_names_its_consultation_its_published_result_and_the_expert_poll():
    consultation, facilitator, ids = make_consultation()
    process = consultation.process
    measure = process.measures.get(pk=ids[0])
    draft = voting.create_consultation(
        facilitator,
        process,
        {"title": "Noch ein Entwurf", "method": "ranking", "eligibility": "account", "options": ids},
    )
    expert_poll(facilitator, process, measure, "Was zuerst?")
    expert_poll(facilitator, process, measure, "Geheime Frage", hidden=True)

    html = section(Client().get(measure.get_absolute_url()).content.decode())
    assert f'href="{consultation.get_absolute_url()}">Welche Maßnahmen zuerst?</a>' in html
    assert draft.title not in html
    assert "Expertenrunde Mobilität: Was zuerst?" in html
    assert f'href="/ergebnisse/prozesse/{process.slug}/"' in html
    assert "Geheime Frage" not in html  # its results were never shown
    assert "Ergebnis:" not in html

    voting.cast_ballot(
        consultation, voting.Voter(consultation.pk, user_id=factories.make_user().pk), {"ranking": [[ids[0]]]}
    )
    publish(facilitator, voting.close_consultation(facilitator, consultation))
    html = section(Client().get(measure.get_absolute_url()).content.decode())
    assert f'<a href="/ergebnisse/{consultation.pk}/">' in html and "veröffentlicht am" in html

    english = section(Client().get(f"/en{measure.get_absolute_url()}").content.decode())
    assert "Survey:" in english and "Result:" in english and "published on" in english


def test_a_measure_nobody_voted_on_has_no_such_section(process):
    measure = factories.make_measure(process)

    assert 'id="beteiligung"' not in Client().get(measure.get_absolute_url()).content.decode()
