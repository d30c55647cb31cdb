"""Editing a consultation (/befragungen/<pk>/verwaltung/bearbeiten/): everything while it is
a draft; once it runs the texts (German and English) and the end, never what decides how
the ballots count; after the close only the texts. A refused change says why and changes
nothing; only the process's facilitators get the page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from participation.models import AuditLogEntry
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions
from voting.models import Consultation

pytestmark = pytest.mark.django_db


def url(consultation):
    return f"/befragungen/{consultation.pk}/verwaltung/bearbeiten/"


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form_data(consultation, **changes):
    """What the edit form sends back unchanged, as a browser would, plus ``changes``."""
    settings = consultation.settings
    data = {
        "title": consultation.title,
        "title_en": consultation.title_en,
        "description": consultation.description,
        "description_en": consultation.description_en,
        "method": consultation.method,
        "measures": [str(pk) for pk in consultation.options.values_list("measure_id", flat=True)],
        "max_approvals": settings.get("max_approvals") or "",
        "labels": settings.get("labels", "numbers"),
        "budget_points": settings.get("budget_points", 100),
        "budget": settings.get("budget") or "",
        "eligibility": consultation.eligibility,
        "opens_at": local(consultation.opens_at) if consultation.opens_at else "",
        "closes_at": local(consultation.closes_at) if consultation.closes_at else "",
        "receipt_lookup": "",
    }
    if settings.get("use_costs"):
        data["use_costs"] = "on"
    if settings.get("allow_proposals", True):
        data["allow_proposals"] = "on"
    if consultation.interim_results:
        data["interim_results"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def text_data(consultation, **changes):
    """What the edit form of a running consultation sends: its texts and the end."""
    data = {
        "title": consultation.title,
        "title_en": consultation.title_en,
        "description": consultation.description,
        "description_en": consultation.description_en,
        "closes_at": local(consultation.closes_at) if consultation.closes_at else "",
    }
    data.update(changes)
    return data


def errors(response):
    """The form's messages, for a failing assertion to show."""
    return re.findall(
        r'<(?:div class="form-error"|ul class="errorlist[^"]*")[^>]*>(.*?)</(?:div|ul)>',
        response.content.decode(),
        re.S,
    )


def snapshot(consultation):
    fresh = Consultation.objects.get(pk=consultation.pk)
    fields = [f.name for f in Consultation._meta.concrete_fields]
    return (
        {name: getattr(fresh, name) for name in fields},
        list(fresh.options.order_by("position").values_list("measure_id", flat=True)),
    )


def cast_one(consultation, ids):
    voter = actions.resolve_voter(consultation, browser_token="browser-1")
    actions.cast_ballot(consultation, voter, {"approve": [ids[0]]})


# --- a draft: everything may change ------------------------------------------------


def test_a_draft_changes_in_everything(client):
    draft, facilitator, ids = make_consultation("approval", "open", open_now=False, settings={"max_approvals": 2})
    extra = factories.make_measure(draft.process, title="Neue Maßnahme")
    client.force_login(facilitator)
    html = client.get(url(draft)).content.decode()
    assert 'name="method"' in html and 'name="title_en"' in html and 'name="measures"' in html
    assert "Was feststeht" not in html
    response = client.post(
        url(draft),
        form_data(
            draft,
            title="Was kommt zuerst?",
            title_en="What comes first?",
            description_en="Please rank.",
            method="ranking",
            measures=[str(ids[0]), str(ids[1]), str(extra.pk)],
            eligibility="account",
            opens_at="2031-05-01T09:00",
            closes_at="2031-05-20T18:00",
            interim_results="on",
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/befragungen/{draft.pk}/verwaltung/"
    assert "Die Änderungen sind gespeichert." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.title_en, draft.description_en) == (
        "Was kommt zuerst?",
        "What comes first?",
        "Please rank.",
    )
    assert (draft.method, draft.settings, draft.eligibility, draft.interim_results) == ("ranking", {}, "account", True)
    assert local(draft.opens_at) == "2031-05-01T09:00"
    assert set(draft.options.values_list("measure_id", flat=True)) == {ids[0], ids[1], extra.pk}
    entry = AuditLogEntry.objects.get(action="consultation.update", target_id=str(draft.pk))
    assert entry.actor == facilitator
    assert {"title", "title_en", "method", "options", "settings", "eligibility"} <= set(entry.details["fields"])


def test_a_budget_receipt_follows_the_method_unless_chosen(client):
    draft, facilitator, ids = make_consultation("approval", "open", open_now=False)
    client.force_login(facilitator)
    client.post(url(draft), form_data(draft, method="points", use_costs="on", budget="3000"))
    draft.refresh_from_db()
    assert draft.settings == {
        "use_costs": True,
        "budget": 3000,
        "budget_ballot": "knapsack",
        "budget_rule": "equal_shares",
    }
    # Budgets show only "counted" for a receipt (no proof for a vote buyer), as on creation.
    assert draft.receipt_lookup == "counted"


def test_saving_an_unchanged_form_changes_nothing(client):
    draft, facilitator, ids = make_consultation(
        "score", "open", open_now=False, settings={"labels": "words"}, opens_at="2031-01-01T09:00:30+01:00"
    )
    client.force_login(facilitator)
    before = snapshot(draft)
    response = client.post(url(draft), form_data(draft), follow=True)
    assert "Es gab nichts zu ändern." in response.content.decode()
    # The form shows minutes; the seconds of the stored start survive.
    assert snapshot(draft) == before
    assert not AuditLogEntry.objects.filter(action="consultation.update").exists()


def test_the_edit_form_shows_the_current_values(client):
    draft, facilitator, ids = make_consultation(
        "points", "open", open_now=False, settings={"budget_points": 7}, title_en="Which first?"
    )
    client.force_login(facilitator)
    html = client.get(url(draft)).content.decode()
    assert 'value="Which first?"' in html
    assert 'name="budget_points" value="7"' in html
    assert re.search(r'<input type="radio" name="method" value="points"[^>]* checked>', html)


# --- running: texts and the end only -----------------------------------------------


def test_a_running_consultation_takes_new_texts_and_shows_the_rest_read_only(client):
    consultation, facilitator, ids = make_consultation("approval", "open", settings={"max_approvals": 1})
    cast_one(consultation, ids)
    client.force_login(facilitator)
    html = client.get(url(consultation)).content.decode()
    assert "Was feststeht" in html
    assert "Damit alle Stimmen nach denselben Regeln zählen" in html
    assert "Höchstens 1 Zustimmung" in html
    for name in ("method", "measures", "eligibility", "max_approvals", "opens_at", "receipt_lookup"):
        assert f'name="{name}"' not in html, name
    assert 'name="closes_at"' in html and 'name="description_en"' in html
    response = client.post(
        url(consultation),
        text_data(consultation, title_en="Which first?", description_en="Choose one.", description="Wählen Sie eine."),
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.title_en, consultation.description_en) == ("Which first?", "Choose one.")
    assert consultation.description == "Wählen Sie eine."
    # The English page shows the English texts.
    english = client.get(f"/en/befragungen/{consultation.pk}/").content.decode()
    assert "Which first?" in english and "Choose one." in english


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("method", "ranking", "Verfahren"),
        ("measures", None, "Maßnahmen auf dem Stimmzettel"),
        ("eligibility", "account", "Wer darf teilnehmen?"),
        ("max_approvals", "3", "Einstellungen des Verfahrens"),
        ("interim_results", "on", "Zwischenergebnisse öffentlich zeigen"),
        ("receipt_lookup", "counted", "Was zeigt die Quittung nach der Veröffentlichung?"),
        ("opens_at", "2020-01-01T09:00", "Öffnet am"),
    ],
)
def test_what_decides_the_count_is_refused_once_ballots_are_in(client, field, value, label):
    consultation, facilitator, ids = make_consultation("approval", "open", settings={"max_approvals": 1})
    cast_one(consultation, ids)
    client.force_login(facilitator)
    before = snapshot(consultation)
    if field == "measures":
        value = [str(ids[0]), str(ids[1])]
    # A form from before the opening, sent now: with a new title too, which must not be saved either.
    data = form_data(consultation, title="Neuer Titel", **{field: value})
    response = client.post(url(consultation), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"„{label}“ lässt sich nicht mehr ändern." in html
    assert "Es wurde nichts geändert." in html
    assert snapshot(consultation) == before
    assert not AuditLogEntry.objects.filter(action="consultation.update").exists()


def test_an_old_form_with_the_same_set_up_still_saves_its_texts(client):
    """Opened by a colleague while the form was open: unchanged fields are no refusal."""
    consultation, facilitator, ids = make_consultation("approval", "open", open_now=False)
    data = form_data(consultation, title_en="Which first?")
    actions.open_consultation(facilitator, consultation)
    client.force_login(facilitator)
    response = client.post(url(consultation), data)
    assert response.status_code == 302, errors(response)
    consultation.refresh_from_db()
    assert consultation.title_en == "Which first?"


def test_the_end_of_a_running_consultation_moves_but_not_into_the_past(client):
    consultation, facilitator, ids = make_consultation(
        "approval", "open", opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=3)
    )
    client.force_login(facilitator)
    later = timezone.now() + timedelta(days=10)
    response = client.post(url(consultation), text_data(consultation, closes_at=local(later)))
    assert response.status_code == 302, errors(response)
    consultation.refresh_from_db()
    assert local(consultation.closes_at) == local(later)
    before = snapshot(consultation)
    past = timezone.now() - timedelta(hours=2)
    response = client.post(url(consultation), text_data(consultation, closes_at=local(past)))
    assert response.status_code == 400
    assert "„Befragung schließen“ mit Bestätigung" in response.content.decode(), errors(response)
    assert snapshot(consultation) == before
    assert consultation.phase == "open"


def test_a_closed_consultation_changes_only_its_texts(client):
    consultation, facilitator, ids = make_consultation("approval", "open")
    cast_one(consultation, ids)
    actions.close_consultation(facilitator, consultation)
    client.force_login(facilitator)
    html = client.get(url(consultation)).content.decode()
    assert "Die Befragung ist beendet; änderbar sind nur noch Titel und Erläuterung." in html
    assert 'name="closes_at"' not in html
    consultation.refresh_from_db()
    later = timezone.now() + timedelta(days=1)
    before = snapshot(consultation)
    response = client.post(url(consultation), {**text_data(consultation), "closes_at": local(later)})
    assert response.status_code == 400
    assert "„Schließt am“ lässt sich nicht mehr ändern." in response.content.decode()
    assert snapshot(consultation) == before
    response = client.post(url(consultation), text_data(consultation, title_en="Finished"))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title_en == "Finished"
    assert consultation.phase == "closed"


# --- scheduled and access codes ------------------------------------------------------


def test_a_scheduled_consultation_without_votes_still_changes_but_does_not_open_by_the_form(client):
    consultation, facilitator, ids = make_consultation(
        "approval", "open", open_now=False, opens_at=timezone.now() + timedelta(days=2)
    )
    actions.schedule_consultation(facilitator, consultation)
    client.force_login(facilitator)
    assert client.post(url(consultation), form_data(consultation, method="ranking")).status_code == 302
    consultation.refresh_from_db()
    assert consultation.method == "ranking"
    before = snapshot(consultation)
    for opens in ("", local(timezone.now() - timedelta(hours=1))):
        response = client.post(url(consultation), form_data(consultation, opens_at=opens))
        assert response.status_code == 400
        assert "„Jetzt öffnen“ mit Bestätigung" in response.content.decode()
    assert snapshot(consultation) == before
    assert consultation.phase == "scheduled"


def test_printed_access_codes_fix_the_eligibility(client):
    draft, facilitator, ids = make_consultation("approval", "access_code", open_now=False)
    actions.generate_access_codes(facilitator, draft, 2)
    client.force_login(facilitator)
    html = client.get(url(draft)).content.decode()
    assert 'name="eligibility"' not in html
    assert "schon Zugangscodes erzeugt" in html
    before = snapshot(draft)
    response = client.post(url(draft), form_data(draft, eligibility="open", title="Anders"))
    assert response.status_code == 400
    assert "„Wer darf teilnehmen?“ lässt sich nicht mehr ändern." in response.content.decode()
    assert snapshot(draft) == before


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"title": "x" * 201}, "höchstens 200 Zeichen"),
        ({"title_en": "y" * 201}, "höchstens 200 Zeichen"),
        ({"method": "lotterie"}, "lotterie ist keine gültige Auswahl."),
        ({"measures": ["abc"]}, "ist kein gültiger Wert"),
        ({"measures": ["1"]}, None),
        ({"measures": ["99999999999999999999999"]}, None),
        ({"title": "a\x00b"}, None),
        ({"opens_at": "9999-12-31T23:59"}, "Bitte ein Datum zwischen 2000 und 2200."),
        ({"max_approvals": "99999999999999999999999", "method": "ranking", "measures": ["x"]}, None),
        ({"max_approvals": "viele"}, "Ganze Zahl"),
        ({"max_approvals": "0"}, None),
        ({"opens_at": "morgen"}, "gültiges Datum"),
        ({"opens_at": "2031-05-02T09:00", "closes_at": "2031-05-01T09:00"}, "Das Ende muss nach dem Beginn liegen."),
        ({"method": "points", "use_costs": "on", "budget": ""}, "Ein Bürgerhaushalt braucht budget"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, changes, message):
    draft, facilitator, ids = make_consultation("approval", "open", open_now=False)
    client.force_login(facilitator)
    before = snapshot(draft)
    response = client.post(url(draft), form_data(draft, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte prüfen Sie die markierten Angaben. Es wurde nichts geändert." in html
    if message:
        assert message.lower() in html.lower(), errors(response)
    assert snapshot(draft) == before


def test_measures_of_another_process_are_refused(client):
    draft, facilitator, ids = make_consultation("approval", "open", open_now=False)
    foreign = factories.make_measure(factories.make_process(), title="Fremd")
    client.force_login(facilitator)
    before = snapshot(draft)
    response = client.post(url(draft), form_data(draft, measures=[str(ids[0]), str(foreign.pk)]))
    assert response.status_code == 400
    assert snapshot(draft) == before


def test_the_action_refuses_unknown_fields_and_others(db):
    draft, facilitator, ids = make_consultation("approval", "open", open_now=False)
    with pytest.raises(actions.ValidationError):
        actions.update_consultation(facilitator, draft, {"state": "open"})
    with pytest.raises(actions.PermissionDenied):
        actions.update_consultation(factories.make_facilitator(factories.make_process()), draft, {"title": "x"})
    draft.refresh_from_db()
    assert draft.title == "Welche Maßnahmen zuerst?" and draft.state == "draft"
    # The same measures in another order are no change of the ballot.
    _, changed = actions.update_consultation(facilitator, draft, {"options": list(reversed(ids))})
    assert changed == []


# --- who -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["citizen", "other_facilitator", "facilitator_without_process"])
def test_only_the_processs_facilitators_edit(client, who):
    draft, facilitator, ids = make_consultation("approval", "open")
    users = {
        "citizen": lambda: factories.make_user(),
        "other_facilitator": lambda: factories.make_facilitator(factories.make_process()),
        "facilitator_without_process": lambda: factories.make_facilitator(),
    }
    client.force_login(users[who]())
    before = snapshot(draft)
    assert client.get(url(draft)).status_code == 404
    assert client.post(url(draft), text_data(draft, title="Gekapert")).status_code == 404
    assert snapshot(draft) == before


def test_anonymous_visitors_are_sent_to_the_login_and_admins_may_edit(client):
    consultation, facilitator, ids = make_consultation("approval", "open")
    draft, *_ = make_consultation("approval", "open", open_now=False)
    response = client.get(url(consultation))
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    # A draft does not exist for the public at all.
    assert client.get(url(draft)).status_code == 404
    before = snapshot(consultation)
    response = client.post(url(consultation), text_data(consultation, title="Gekapert"))
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    assert snapshot(consultation) == before
    client.force_login(factories.make_user(is_superuser=True, is_staff=True, username="admin"))
    assert client.get(url(draft)).status_code == 200
    assert client.post(url(consultation), text_data(consultation, title="Vom Admin")).status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Vom Admin"


def test_the_management_page_links_to_the_edit_page(client):
    consultation, facilitator, ids = make_consultation("approval", "open")
    client.force_login(facilitator)
    html = client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert f'href="{url(consultation)}">Befragung bearbeiten</a>' in html


# --- the new-consultation form -------------------------------------------------------------


def test_the_new_form_takes_english_texts_and_a_process_named_by_its_slug(client):
    process = factories.make_process(slug="mobil", title="Mobilität")
    other = factories.make_process(slug="schule", title="Schule")
    facilitator = factories.make_facilitator(process)
    other.facilitators.add(facilitator)
    measures = [factories.make_measure(process, title=f"M{n}") for n in range(2)]
    client.force_login(facilitator)
    html = client.get("/befragungen/neu/?process=mobil").content.decode()
    assert "Im Prozess „Mobilität“." in html
    assert client.get(f"/befragungen/neu/?process={process.pk}").content.decode().count("Im Prozess „Mobilität“.") == 1
    # A slug that is not one's own process: the chooser, with its error; no 500.
    assert client.get("/befragungen/neu/?process=gibt-es-nicht").status_code == 200
    response = client.post(
        "/befragungen/neu/",
        {
            "process": process.pk,
            "title": "Was zuerst?",
            "title_en": "What first?",
            "description_en": "Please choose.",
            "method": "ranking",
            "measures": [m.pk for m in measures],
            "eligibility": "open",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get(title="Was zuerst?")
    assert (consultation.title_en, consultation.description_en) == ("What first?", "Please choose.")
