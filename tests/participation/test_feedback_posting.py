import pytest
from django.contrib.messages import get_messages
from django.test import Client

from participation.models import Feedback
from tests import factories


def _url(kind, pk):
    return f"/rueckmeldungen/{kind}/{pk}/"


@pytest.fixture
def measure(process):
    return factories.make_measure(process)


@pytest.mark.django_db
def test_a_verified_citizen_posts_and_is_sent_back_to_the_page_with_a_message(citizen_client, citizen, measure):
    response = citizen_client.post(_url("measure", measure.pk), {"text": "Gute Idee, bitte auch in Böckingen."})

    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{measure.get_absolute_url()}#rueckmeldung-{feedback.pk}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Danke! Ihre Rückmeldung ist veröffentlicht."]
    assert (feedback.author, feedback.measure, feedback.text) == (
        citizen,
        measure,
        "Gute Idee, bitte auch in Böckingen.",
    )


@pytest.mark.django_db
def test_feedback_text_is_shown_escaped_with_line_breaks_on_the_detail_page(citizen_client, measure):
    citizen_client.post(_url("measure", measure.pk), {"text": "<script>alert(1)</script>\nZweite Zeile"})

    html = Client().get(measure.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Zweite Zeile" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("kind", ["process", "project", "lab"])
@pytest.mark.django_db
def test_processes_projects_and_labs_take_feedback_too(citizen_client, process, kind):
    target = {
        "process": lambda: process,
        "project": lambda: factories.make_project(process),
        "lab": lambda: factories.make_lab(process),
    }[kind]()

    response = citizen_client.post(_url(kind, target.pk), {"text": "Danke für die Information."})

    assert response["Location"] == f"{target.get_absolute_url()}#rueckmeldung-{Feedback.objects.get().pk}"
    assert "Danke für die Information." in Client().get(target.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_unverified_citizen_cannot_post_and_is_told_to_verify(client, measure):
    client.force_login(factories.make_user(verified=False))

    page = client.get(measure.get_absolute_url()).content.decode()
    response = client.post(_url("measure", measure.pk), {"text": "Ich bin noch nicht bestätigt."})

    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in page
    assert 'name="text"' not in page
    assert response.status_code == 403
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_anonymous_visitors_see_login_and_register_links_and_cannot_post(client, measure):
    page = client.get(measure.get_absolute_url()).content.decode()
    response = client.post(_url("measure", measure.pk), {"text": "Anonym"})

    assert "/konto/anmelden/?next=" in page
    assert 'href="/konto/registrieren/?next=' in page
    assert 'name="text"' not in page
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_over_long_text_is_refused_with_a_message_and_nothing_is_saved(citizen_client, measure):
    response = citizen_client.post(_url("measure", measure.pk), {"text": "x" * 2001})

    html = response.content.decode()
    assert response.status_code == 400
    assert "höchstens 2000 Zeichen" in html
    assert "2001 Zeichen" in html
    assert 'aria-invalid="true"' in html
    assert "x" * 2001 in html  # what was typed is not lost
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_windows_line_breaks_count_as_one_character(citizen_client, measure):
    text = ("a" * 9 + "\r\n") * 200  # 2000 characters as the browser counts them

    response = citizen_client.post(_url("measure", measure.pk), {"text": text})

    assert response.status_code == 302
    assert len(Feedback.objects.get().text) == 2000 - 1  # the last line break is stripped


@pytest.mark.parametrize("text", ["", "   \n  ", "nul\x00zeichen"])
@pytest.mark.django_db
def test_empty_or_invalid_text_is_refused(citizen_client, measure, text):
    response = citizen_client.post(_url("measure", measure.pk), {"text": text})

    assert response.status_code == 400
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_unpublished_targets_are_404(citizen_client, process):
    hidden_measure = factories.make_measure(process, published=False)
    internal_project = factories.make_project(process, public=False)
    draft_process = factories.make_process(published=False)

    for kind, pk in [("measure", hidden_measure.pk), ("project", internal_project.pk), ("process", draft_process.pk)]:
        assert citizen_client.post(_url(kind, pk), {"text": "Hallo"}).status_code == 404
        assert citizen_client.get(_url(kind, pk)).status_code == 404
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_bad_kinds_and_ids_are_404_not_500(citizen_client, measure):
    for path in [
        "/rueckmeldungen/workshop/1/",
        f"/rueckmeldungen/measure/{measure.pk + 1000}/",
        "/rueckmeldungen/measure/abc/",
        "/rueckmeldungen/measure/-1/",
    ]:
        assert citizen_client.post(path, {"text": "Hallo"}).status_code == 404, path


@pytest.mark.django_db
def test_posting_without_csrf_token_is_refused(citizen, measure):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    response = client.post(_url("measure", measure.pk), {"text": "Ohne Token"})

    assert response.status_code == 403
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_the_feedback_page_in_english_redirects_to_the_english_page(citizen_client, measure):
    response = citizen_client.post("/en" + _url("measure", measure.pk), {"text": "Nice idea"})

    assert response.status_code == 302
    assert response["Location"].startswith("/en/")
