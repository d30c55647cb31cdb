"""Audience formats live across screens: a word cloud grows on the console and the
participants' boards as answers come in, and a Q&A where upvotes reorder the questions
everywhere, the facilitator marks one answered (it moves to the collapsed list) and hides
another (it leaves the participants' screens). Three Chromium contexts; axe at 0 violations
on the board and the console with both formats showing."""

import pytest
from playwright.sync_api import expect

from .test_consultation_form_browser import axe_clean
from .test_workshop_browser import join, login

pytestmark = pytest.mark.browser


def poll(page, question):
    return page.locator(".ws-poll", has_text=question)


def question(page, text):
    return page.locator("#ws-qa .ws-qa__item", has_text=text)


def answer_words(page, question_text, *words):
    entry = poll(page, question_text)
    for index, word in enumerate(words, start=1):
        entry.get_by_label(f"Antwort {index}", exact=True).fill(word)
    entry.get_by_role("button", name="Stimme abgeben").click()
    expect(entry.locator(".ws-poll__saved")).not_to_be_empty()


def test_word_cloud_and_questions_live_on_three_screens(live, new_context):
    code = live.workshop(title="Stadt von morgen", anonymous_posting=True)
    console = login(new_context(), live)
    console.goto(f"{live.base}/w/{code}/console/")
    expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    anna = join(new_context(), live, code, "Anna")
    ben = join(new_context(), live, code, "Ben")

    # The facilitator makes a word cloud in the console: no options needed.
    ask = "Was braucht die Stadt?"
    console.get_by_label("Frage", exact=True).fill(ask)
    console.get_by_label("Art", exact=True).select_option("words")
    expect(console.locator("#ws-poll-options-fields")).to_be_hidden()
    console.get_by_role("button", name="Abstimmung anlegen").click()
    poll(console, ask).get_by_role("button", name="Abstimmung öffnen").click()

    answer_words(anna, ask, "Bäume", "mehr  Grün", "und")
    answer_words(ben, ask, "bäume", "Radwege")
    for page in (console, anna, ben):
        cloud = poll(page, ask).locator(".ws-cloud")
        expect(cloud.locator(".ws-cloud__word")).to_have_count(3)
        expect(cloud.locator(".ws-cloud__word--top")).to_have_text("Bäume")
        expect(poll(page, ask).locator(".ws-results__votes")).to_have_text("2 Antworten")
    # Sized by count, and as a list with counts for everyone who wants it.
    sizes = anna.eval_on_selector_all(
        ".ws-cloud__word", "els => Object.fromEntries(els.map(e => [e.textContent, parseFloat(e.style.fontSize)]))"
    )
    assert sizes["Bäume"] > sizes["Radwege"] == sizes["mehr Grün"]
    toggle = poll(ben, ask).get_by_role("button", name="als Liste")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    listed = poll(ben, ask).locator(".ws-cloud__list li")
    expect(listed.first).to_have_text("Bäume (2 Nennungen)")
    expect(listed).to_have_count(3)
    expect(poll(ben, ask).locator(".ws-cloud")).to_be_hidden()

    # Q&A: questions come in, upvotes put the most wanted one on top everywhere.
    anna.get_by_label("Ihre Frage", exact=True).fill("Wann kommt die Straßenbahn?")
    anna.get_by_role("button", name="Frage stellen").click()
    expect(question(anna, "Straßenbahn")).to_contain_text("Ihre Frage")
    expect(question(anna, "Straßenbahn").get_by_role("button", name="Frage unterstützen: Wann kommt")).to_have_count(0)
    ben.get_by_label("Ihre Frage", exact=True).fill("Wer bezahlt die Bäume?")
    ben.get_by_label("ohne meinen Namen fragen").check()
    ben.get_by_role("button", name="Frage stellen").click()
    expect(question(anna, "Wer bezahlt")).to_contain_text("ohne Namen")
    expect(question(console, "Straßenbahn")).to_contain_text("von Anna")

    upvote = question(anna, "Wer bezahlt").get_by_role("button", name="Frage unterstützen: Wer bezahlt die Bäume?")
    upvote.click()
    expect(upvote).to_have_attribute("aria-pressed", "true")
    for page in (console, anna, ben):
        expect(question(page, "Wer bezahlt").locator(".ws-qa__votes")).to_have_text("1 Stimme")
        expect(page.locator("#ws-qa-list > li").first).to_contain_text("Wer bezahlt")
    question(console, "Wer bezahlt").get_by_role("button", name="Frage unterstützen").click()
    expect(question(ben, "Wer bezahlt").locator(".ws-qa__votes")).to_have_text("2 Stimmen")
    upvote.click()  # Anna takes hers back
    expect(upvote).to_have_attribute("aria-pressed", "false")
    expect(question(ben, "Wer bezahlt").locator(".ws-qa__votes")).to_have_text("1 Stimme")

    # Answered: collapsed at the bottom on every screen; hidden: gone for the participants.
    question(console, "Wer bezahlt").get_by_role("button", name="Als beantwortet markieren").click()
    for page in (console, anna, ben):
        expect(page.locator("#ws-qa-answered-summary")).to_have_text("Beantwortete Fragen (1)")
        expect(page.locator("#ws-qa-answered-list")).to_contain_text("Wer bezahlt")
        expect(page.locator("#ws-qa-answered-list")).to_be_hidden()  # collapsed
    expect(anna.locator("#ws-announcer")).to_contain_text("Beantwortet: Wer bezahlt die Bäume?")
    question(console, "Straßenbahn").get_by_role("button", name="Für alle ausblenden").click()
    expect(question(console, "Straßenbahn")).to_contain_text("ausgeblendet")
    for page in (anna, ben):
        expect(question(page, "Straßenbahn")).to_have_count(0)

    # The answered ones open by keyboard.
    ben.locator("#ws-qa-answered-summary").press("Enter")
    expect(ben.locator("#ws-qa-answered-list")).to_be_visible()

    axe_clean(ben, "board with a word cloud and Q&A")
    axe_clean(console, "console with a word cloud and Q&A")
