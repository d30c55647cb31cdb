"""Follow and be told, in real Chromium against the demo, with a real SMTP server and the
real worker (`manage.py db_worker`): a citizen comments on a measure and follows it; the
facilitator answers the comment and moves the measure on; the citizen receives exactly one
mail (the digest variant: one weekly digest) with both, unsubscribes with one click from
the mail's link, and receives nothing more when the measure moves on again."""

import re

import pytest
from playwright.sync_api import expect

from tests.mail_server import MailServer
from tests.workshops.live_site import manage

from .conftest import DEMO_CITIZEN, DEMO_PROCESS
from .test_accountability_browser import answer_publicly, sign_in
from .test_axe_pages import assert_accessible

pytestmark = pytest.mark.browser

CITIZEN_EMAIL = "buergerin@example.org"


@pytest.fixture
def mail():
    server = MailServer().start()
    yield server
    server.stop()


def run_worker(demo, mail, digest=False):
    env = {**demo.live.site.env, **mail.env()}
    if digest:
        manage(env, "send_notification_digests")
    manage(env, "db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def move_on(facilitator, page, status, reason):
    facilitator.goto(page)
    facilitator.get_by_text("Stand ändern").click()
    facilitator.get_by_label("Neuer Stand").select_option(status)
    facilitator.get_by_label("Begründung:", exact=True).fill(reason)
    facilitator.get_by_role("button", name="Neuen Stand veröffentlichen").click()
    expect(facilitator).to_have_url(re.compile(r"#verlauf$"))


# Each variant on its own measure, on no ballot, so that nothing else the demo does is news to it.
@pytest.mark.parametrize(
    ("variant", "slug", "width"),
    [("immediate", "digitales-schaufenster", 1280), ("weekly", "pflegeplatzboerse", 360)],
)
def test_a_follower_is_told_once_and_unsubscribes_with_one_click(demo, browser, mail, variant, slug, width):
    base = demo.base
    measure = f"{base}/prozesse/{DEMO_PROCESS}/massnahmen/{slug}/"
    citizen_context, citizen = sign_in(browser, demo, *DEMO_CITIZEN, width=width)
    facilitator_context, facilitator = sign_in(browser, demo, "e2e-moderation", "Kessel-Wabe-0815-e2e", width=width)
    try:
        # How the citizen wants to hear of it (this also switches mail on again after the other variant).
        citizen.goto(f"{base}/konto/benachrichtigungen/")
        choice = "sofort" if variant == "immediate" else "einmal pro Woche als Übersicht"
        citizen.get_by_label(choice).check()
        citizen.get_by_role("button", name="Einstellungen speichern").click()
        expect(citizen.get_by_text("Ihre Einstellungen sind gespeichert.")).to_be_visible()

        question = f"Wann geht es los? ({variant})"
        citizen.goto(measure)
        citizen.get_by_label("Ihre Rückmeldung").fill(question)
        citizen.get_by_role("button", name="Rückmeldung senden").click()
        expect(citizen.locator(".feedback-item", has_text=question)).to_have_count(1)
        citizen.get_by_role("button", name="Folgen", exact=True).click()
        expect(citizen.get_by_text("Sie folgen jetzt")).to_be_visible()
        expect(citizen.get_by_role("button", name="Nicht mehr folgen")).to_be_visible()
        assert_accessible(citizen, f"measure page, followed, {width} px")

        answer_publicly(facilitator, measure, question, "Im Frühjahr, wir melden uns.", "in_progress")
        move_on(facilitator, measure, "planned", f"Im Haushalt eingeplant ({variant}).")

        run_worker(demo, mail)
        if variant == "weekly":
            assert mail.to(CITIZEN_EMAIL) == []  # nothing at once
            run_worker(demo, mail, digest=True)
        (message,) = mail.to(CITIZEN_EMAIL)
        subject = mail.subjects(CITIZEN_EMAIL)[0]
        assert subject == (
            "2 Neuigkeiten zu dem, dem Sie folgen" if variant == "immediate" else "Ihre Wochenübersicht: 2 Neuigkeiten"
        )
        body = message.get_content()
        assert "Im Frühjahr, wir melden uns." in body and f"Im Haushalt eingeplant ({variant})." in body
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = re.search(r"Keine E-Mails mehr, mit einem Klick: (\S+)", body).group(1)
        assert message["List-Unsubscribe"].strip() == f"<{link}>"

        # The link leads to this server (SITE_URL of the test server may differ): open its path.
        path = re.sub(r"^https?://[^/]+", "", link)
        citizen.goto(f"{base}{path}")
        assert_accessible(citizen, f"unsubscribe page, {width} px")
        citizen.get_by_role("button", name="Keine E-Mails mehr erhalten").click()
        expect(citizen.get_by_role("status")).to_have_text("Sie erhalten keine E-Mails über Neuigkeiten mehr.")

        move_on(facilitator, measure, "in_progress", f"Es geht los ({variant}).")
        run_worker(demo, mail, digest=True)
        assert len(mail.to(CITIZEN_EMAIL)) == 1
    finally:
        citizen_context.close()
        facilitator_context.close()
