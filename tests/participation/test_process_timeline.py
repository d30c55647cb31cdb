"""A process has a dated timeline (information, workshops, consultation, evaluation,
decision, implementation): its page shows every phase, which one runs now and what comes
next; the pages of its consultations and workshops say the same in one line; the API lists
the phases; the admin edits them, audited."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from participation.models import AuditLogEntry, ProcessPhase
from tests import factories
from tests.voting.helpers import make_consultation
from workshops.actions import create_workshop


def add_phases(process):
    """Past, running, next and a later open-ended phase, around today."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    phases = [
        ("workshops", today - 60 * day, today - 31 * day, "", ""),
        ("consultation", today - 30 * day, today + 10 * day, "", ""),
        ("evaluation", today + 11 * day, today + 40 * day, "Auswertung mit Unsicherheit", "Evaluation, uncertain"),
        ("implementation", today + 41 * day, None, "", ""),
    ]
    for kind, starts_on, ends_on, title, title_en in phases:
        ProcessPhase.objects.create(
            process=process,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            title=title,
            title_en=title_en,
            description=f"Was in der Phase {kind} geschieht.",
        )
    return today + 11 * day


def german_date(day):
    return day.strftime("%d.%m.%Y")


@pytest.mark.django_db
def test_the_process_page_shows_every_phase_the_running_one_and_what_comes_next(process):
    next_start = add_phases(process)

    html = Client().get(process.get_absolute_url()).content.decode()
    section = html.split('class="process-timeline"', 1)[1].split("</section>", 1)[0]

    assert "Zeitplan" in html
    phases = section.split('<ol class="timeline">', 1)[1]
    order = [phases.index(name) for name in ("Expertenworkshops", "Befragung", "Auswertung mit", "Umsetzung")]
    assert order == sorted(order)
    assert "Jetzt: <strong>Befragung</strong>" in section
    assert f"Als Nächstes: <strong>Auswertung mit Unsicherheit</strong> ab {german_date(next_start)}" in section
    assert section.count('aria-current="step"') == 1
    assert "Was in der Phase evaluation geschieht." in section
    assert "bis offen" in section  # the open-ended last phase


@pytest.mark.django_db
def test_a_consultation_and_a_workshop_of_the_process_say_where_it_stands():
    consultation, facilitator, _ids = make_consultation()
    process = consultation.process
    add_phases(process)
    workshop = create_workshop(facilitator, process, "Zukunftswerkstatt")

    for url in (consultation.get_absolute_url(), f"/w/{workshop.code}/"):
        html = Client().get(url).content.decode()
        aside = html.split('class="process-now"', 1)[1].split("</aside>", 1)[0]
        assert f'href="{process.get_absolute_url()}#zeitplan"' in aside, url
        assert "Jetzt: <strong>Befragung</strong>" in aside and "Als Nächstes:" in aside, url


@pytest.mark.django_db
def test_in_english_the_phases_are_named_in_english(process):
    next_start = add_phases(process)

    html = Client().get(f"/en{process.get_absolute_url()}").content.decode()

    assert "Timeline" in html and "Now: <strong>Survey</strong>" in html
    assert "Next: <strong>Evaluation, uncertain</strong>" in html
    assert next_start.strftime("%B") in html  # the date written the English way


@pytest.mark.django_db
def test_without_phases_nothing_is_said(process):
    html = Client().get(process.get_absolute_url()).content.decode()

    assert "Zeitplan" not in html and "Als Nächstes" not in html


@pytest.mark.django_db
def test_the_api_lists_the_phases_in_order(process):
    add_phases(process)

    (listed,) = [p for p in Client().get("/api/processes/").json()["results"] if p["id"] == process.pk]

    assert [(p["kind"], p["kind_label_en"]) for p in listed["phases"]] == [
        ("workshops", "Expert workshops"),
        ("consultation", "Survey"),
        ("evaluation", "Evaluation"),
        ("implementation", "Implementation"),
    ]
    assert listed["phases"][-1]["ends_on"] is None


@pytest.mark.django_db
def test_phases_are_edited_in_the_process_admin_and_audited(admin_client):
    process = factories.make_process(slug="zeitplan")
    data = {
        "title": process.title,
        "slug": process.slug,
        "published": "on",
        "facilitators": [],
        "phases-TOTAL_FORMS": "1",
        "phases-INITIAL_FORMS": "0",
        "phases-0-kind": "consultation",
        "phases-0-starts_on": "2027-01-10",
        "phases-0-ends_on": "2027-01-05",
    }
    response = admin_client.post(f"/admin/participation/process/{process.pk}/change/", data)
    assert response.status_code == 200 and not ProcessPhase.objects.exists()  # ends before it starts

    data["phases-0-ends_on"] = "2027-02-10"
    response = admin_client.post(f"/admin/participation/process/{process.pk}/change/", data)

    assert response.status_code == 302
    (phase,) = ProcessPhase.objects.all()
    assert (phase.kind, str(phase.starts_on)) == ("consultation", "2027-01-10")
    assert AuditLogEntry.objects.filter(action="create", target_type="processphase").count() == 1
