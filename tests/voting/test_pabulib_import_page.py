"""The facilitators' page that imports a Pabulib file (/befragungen/neu/pabulib/).

A facilitator uploads a real file (Warsaw 2017, Anin: 17 projects, 510 approval ballots;
tests/data/pabulib) and lands on the management page of the closed consultation; a file
that is not Pabulib, has wrong numbers, is empty, too large or not UTF-8 is refused next
to the field with the reader's words, the other inputs kept and nothing written. Others
get 404, as on the other facilitators' pages; the form needs its CSRF token.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from participation.models import AuditLogEntry, Measure
from tests import factories, pabulib_data
from voting import pabulib_actions
from voting.models import Ballot, Consultation

pytestmark = pytest.mark.django_db

URL = "/befragungen/neu/pabulib/"
SMALL = """META
key;value
description;Kleiner Test
num_projects;2
num_votes;2
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
1;60;Bänke
2;50;Bäume
VOTES
voter_id;vote
a;1,2
b;2
"""


@pytest.fixture
def process():
    return factories.make_process(title="Bürgerhaushalt Anin")


@pytest.fixture
def facilitator(process):
    return factories.make_facilitator(process)


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


def upload(content, name="budget.pb"):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode(), "text/plain")


def post(client, process, content, name="budget.pb", **extra):
    data = {"process": process.pk, "file": upload(content, name), "rule": "equal_shares", "confirm": "on", **extra}
    return client.post(URL, data)


def nothing_written():
    return not (Consultation.objects.exists() or Measure.objects.exists() or AuditLogEntry.objects.exists())


def test_the_form_names_the_process_the_limit_and_both_rules(facilitator_client, process):
    other = factories.make_process(title="Fremder Prozess")
    page = facilitator_client.get(URL, {"process": process.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{process.pk}" selected>' in html
    assert "Fremder Prozess" not in html and str(other.pk) not in html.split('name="process"')[1].split("</select>")[0]
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert "höchstens 20 MB" in html
    assert "Methode der gleichen Anteile:" in html and "Nach Stimmen:" in html
    assert 'value="equal_shares"' in html.split("checked")[0].rsplit("<input", 1)[1]
    assert 'name="confirm"' in html and 'for="id_confirm"' in html
    # By id as well, as the facilitator's home links to it.
    assert facilitator_client.get(URL, {"process": process.pk}).status_code == 200


def test_the_new_consultation_page_and_the_home_link_here(facilitator_client, process):
    create = facilitator_client.get("/befragungen/neu/", {"process": process.slug}).content.decode()
    assert f'href="{URL}?process={process.slug}"' in create
    home = facilitator_client.get("/moderation/").content.decode()
    assert f'href="{URL}?process={process.pk}"' in home


def test_a_facilitator_imports_a_real_budget_and_lands_on_its_management_page(facilitator_client, process, facilitator):
    data = pabulib_data.path(pabulib_data.ANIN).read_bytes()
    response = post(facilitator_client, process, data, name=pabulib_data.ANIN, rule="greedy")
    consultation = Consultation.objects.get(process=process)
    assert response.status_code == 302
    assert response["Location"] == f"/befragungen/{consultation.pk}/verwaltung/"
    assert consultation.phase == "closed" and consultation.settings["budget_rule"] == "greedy"
    assert Ballot.objects.filter(consultation=consultation).count() == 510
    assert Measure.objects.filter(process=process, published=True).count() == 17
    entry = AuditLogEntry.objects.get(action="consultation.import_pabulib")
    assert entry.actor == facilitator and entry.target_id == str(consultation.pk)
    assert entry.details["file"] == pabulib_data.ANIN and entry.details["ballots"] == 510
    assert len(entry.details["sha256"]) == 64
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "Maßnahmen: 17, Stimmzettel: 510" in page


def test_the_english_page_says_the_same(facilitator_client, process):
    response = facilitator_client.post(
        "/en" + URL, {"process": process.pk, "file": upload(SMALL), "rule": "equal_shares", "confirm": "on"}
    )
    assert response.status_code == 302
    assert Ballot.objects.count() == 2
    assert Consultation.objects.get().settings["budget_rule"] == "equal_shares"


BAD_FILES = {
    "not_pabulib": (b"%PDF-1.7\n1 0 obj\n", "Keine lesbare Pabulib-Datei. Zeile 1: the file must start with META"),
    "wrong_numbers": (SMALL.replace("num_votes;2", "num_votes;3"), "Zeile 5: num_votes is 3, but the file has 2"),
    "bad_cost": (
        SMALL.replace("1;60;", "1;sechzig;"),
        "Zeile 10: cost of project &#x27;1&#x27; &#x27;sechzig&#x27; is not a number",
    ),
    "empty": (b"", "Die übermittelte Datei ist leer."),
    "not_utf8": (
        SMALL.replace("Bänke", "B\udce4nke").encode("utf-8", "surrogateescape"),
        "kein Text in UTF-8 (Zeile 10)",
    ),
    "ordinal": (SMALL.replace("approval", "ordinal"), "ordinal ballots rank projects"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_next_to_the_field_and_nothing_is_written(facilitator_client, process, case):
    content, message = BAD_FILES[case]
    response = post(facilitator_client, process, content, rule="greedy")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="id_file_error"' in html and 'aria-invalid="true"' in html
    # The summary links to the field; the other inputs are kept.
    assert 'href="#id_file"' in html and "Es wurde nichts geändert." in html
    assert f'<option value="{process.pk}" selected>' in html
    assert 'value="greedy"' in html.split("checked")[0].rsplit("<input", 1)[1]
    assert 'id="id_confirm" checked' in html
    assert nothing_written()


def test_a_file_over_the_limit_is_refused(facilitator_client, process, monkeypatch):
    monkeypatch.setattr(pabulib_actions, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr("voting.forms.MAX_FILE_BYTES", 100)
    response = post(facilitator_client, process, SMALL)
    assert response.status_code == 400
    assert "Die Datei ist größer als 20 MB." in response.content.decode()
    assert nothing_written()


def test_the_action_refuses_a_file_over_the_limit_itself(process, facilitator):
    with pytest.raises(pabulib_actions.UnreadableFile, match="größer als 20 MB"):
        pabulib_actions.import_pabulib(facilitator, process, b"x" * (pabulib_actions.MAX_FILE_BYTES + 1))
    assert nothing_written()


def test_without_the_confirmation_or_a_file_nothing_happens(facilitator_client, process):
    response = facilitator_client.post(URL, {"process": process.pk, "file": upload(SMALL), "rule": "greedy"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte bestätigen Sie den Import." in html and 'href="#id_confirm"' in html
    response = facilitator_client.post(URL, {"process": process.pk, "rule": "greedy", "confirm": "on"})
    assert response.status_code == 400
    assert "Pabulib-Datei (.pb): Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert nothing_written()


def test_a_set_up_the_actions_refuse_writes_nothing(facilitator_client, process):
    # "At most 0 projects" is refused by the consultation's set-up after the measures were made: all rolled back.
    response = post(facilitator_client, process, SMALL.replace("budget;100", "budget;100\nmax_length;0"))
    assert response.status_code == 400
    assert "Die Datei ergibt keine gültige Befragung" in response.content.decode()
    assert nothing_written()


def test_others_get_404_and_change_nothing(client, process):
    stranger = factories.make_process(title="Anderswo")
    other = factories.make_facilitator(stranger)
    for user in (None, factories.make_user(), other):
        client.logout()
        if user is not None:
            client.force_login(user)
        get = client.get(URL, {"process": process.slug})
        sent = post(client, process, SMALL)
        if user is None:
            assert get.status_code == 302 and "/konto/anmelden/" in get["Location"]
            assert sent.status_code == 302 and "/konto/anmelden/" in sent["Location"]
        else:
            assert (get.status_code, sent.status_code) == (404, 404), user
    # The facilitator of another process sees only their own, by id too.
    assert client.get(URL, {"process": process.pk}).status_code == 404
    assert client.get(URL).status_code == 200
    assert not Consultation.objects.exists() and not Measure.objects.exists()


def test_the_form_needs_its_csrf_token(facilitator, process):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    assert post(client, process, SMALL).status_code == 403
    assert nothing_written()
