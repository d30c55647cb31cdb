"""The English interface: a complete catalogue, a committed .mo that matches it, and no German left on English pages."""

import gettext
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from . import factories

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
TEMPLATE_DIR = Path(settings.BASE_DIR) / "frontend" / "templates"

# %(name)s, %d, %% and {name}: what gettext/str.format fill in at runtime.
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]?\d*(?:\.\d+)?[sdifr]|%[sdifr%]|\{[A-Za-z_][A-Za-z0-9_]*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")

# German menu and header words; the English pages must not show them.
GERMAN_CHROME = [
    "Maßnahmen",
    "Handlungsfelder",
    "Reallabore",
    "Über den Prozess",
    "Anmelden",
    "Registrieren",
    "Zum Inhalt springen",
    "Hauptnavigation",
]
ENGLISH_CHROME = ["Measures", "Fields of action", "Living labs", "About the process", "Log in", "Skip to content"]


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def _live(entries):
    return [e for e in entries if not e.obsolete]


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _forms(entry):
    """(source, translation) pairs: one for a plain entry, one per plural form otherwise."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [(entry.msgid if n == 0 else entry.msgid_plural, text) for n, text in sorted(entry.msgstr_plural.items())]


def test_the_catalogue_is_not_empty(po):
    assert len(_live(po)) > 300


def test_every_entry_is_translated_and_checked(po):
    untranslated = [e.msgid for e in _live(po) if any(not text.strip() for _source, text in _forms(e))]
    fuzzy = [e.msgid for e in _live(po) if e.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert not po.metadata_is_fuzzy


def test_plural_entries_have_both_english_forms(po):
    for entry in _live(po):
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


def test_placeholders_and_html_survive_translation(po):
    broken = []
    for entry in _live(po):
        for source, text in _forms(entry):
            if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(text)):
                broken.append(("placeholders", source, text))
            if Counter(HTML_TAG.findall(source)) != Counter(HTML_TAG.findall(text)):
                broken.append(("html", source, text))
    assert broken == []


def test_committed_mo_matches_the_po(po):
    """Fresh clones use the committed .mo; after editing the .po, run compilemessages."""
    assert MO_PATH.exists(), "run: manage.py compilemessages -l en"
    mo = polib.mofile(str(MO_PATH))

    def catalogue(entries):
        return {_key(e): (e.msgstr, dict(e.msgstr_plural)) for e in entries}

    # msgfmt leaves out the header, untranslated and fuzzy entries.
    assert catalogue(e for e in mo if e.msgid) == catalogue(e for e in _live(po) if e.translated())


class _VisibleText(HTMLParser):
    """Text a reader sees or hears (content plus labels in attributes), minus scripts and parts marked
    with another language than the page's (the language switch names "Deutsch" on purpose)."""

    SPOKEN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self._skip_tag = None
        self._skip_depth = 0
        self._page_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._skip_tag:
            self._skip_depth += tag == self._skip_tag
            return
        if tag == "html":
            self._page_lang = attrs.get("lang")
        elif tag in {"script", "style"} or attrs.get("lang", self._page_lang) != self._page_lang:
            self._skip_tag, self._skip_depth = tag, 1
            return
        self.parts.extend(v for k, v in attrs.items() if k in self.SPOKEN_ATTRIBUTES and v)
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"} and attrs.get("value"):
            self.parts.append(attrs["value"])  # a button's label; other values are data, not interface text

    def handle_endtag(self, tag):
        if self._skip_tag == tag:
            self._skip_depth -= 1
            if self._skip_depth == 0:
                self._skip_tag = None

    def handle_data(self, data):
        if not self._skip_tag and data.strip():
            self.parts.append(data.strip())


def visible_text(response):
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return "\n".join(parser.parts)


@pytest.fixture
def content(db):
    """A published process with one of everything, each with an English title."""
    process = factories.make_process(
        slug="digital", title="Digitalstrategie", title_en="Digital strategy", summary_en="What the city plans."
    )
    field = factories.make_field(process, slug="bildung", title="Bildung", title_en="Education")
    measure = factories.make_measure(
        field=field, slug="tablets", title="Tablets für Schulen", title_en="Tablets for schools", summary_en="Tablets."
    )
    project = factories.make_project(
        field=field, slug="portal", title="Bürgerportal", title_en="Citizen portal", owner_organisation="City"
    )
    lab = factories.make_lab(process, slug="mitte", title="Reallabor Mitte", title_en="Central living lab")
    return {"process": process, "field": field, "measure": measure, "project": project, "lab": lab}


def _pages(content):
    with translation.override("de"):
        return [
            "/",
            "/handlungsfelder/",
            "/massnahmen/",
            "/projekte/",
            "/reallabore/",
            "/ueber/",
            content["process"].get_absolute_url(),
            content["field"].get_absolute_url(),
            content["measure"].get_absolute_url(),
            content["project"].get_absolute_url(),
            content["lab"].get_absolute_url(),
        ]


def test_german_pages_show_the_german_menu(client, content):
    for path in _pages(content):
        text = visible_text(client.get(path))
        for word in GERMAN_CHROME:
            assert word in text, (path, word)


def test_english_pages_show_no_german_interface_words(client, content):
    for path in _pages(content):
        response = client.get("/en" + path)
        assert response.status_code == 200, path
        text = visible_text(response)
        for word in GERMAN_CHROME:
            assert word not in text, (path, word)
        for word in ENGLISH_CHROME:
            assert word in text, (path, word)
        # With English content, any umlaut or ß left is an untranslated interface string.
        assert not re.findall(r"\S*[äöüÄÖÜß]\S*", text), path


def test_english_pages_for_a_signed_in_citizen_are_english(citizen_client, content):
    response = citizen_client.get("/en" + _pages(content)[8])  # the measure, with the feedback form
    text = visible_text(response)
    assert "Log out" in text
    assert "Send feedback" in text
    assert "Abmelden" not in text
    assert not re.findall(r"\S*[äöüÄÖÜß]\S*", text)


# {% translate "…" %} / {% trans '…' %}, optionally with `context "…"`, `noop` or `as var`.
# {% blocktranslate %} blocks are left out: their msgids depend on whitespace and variables,
# which a regex cannot reproduce reliably; makemessages covers them.
TRANSLATE_TAG = re.compile(
    r"""\{%-?\s*trans(?:late)?\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)"""
    r"""(?:[^%]*?\bcontext\s+(?P<cq>["'])(?P<context>.*?)(?P=cq))?[^%]*%\}""",
    re.DOTALL,
)
# _("…") used as an argument inside template tags, e.g. section_label=_("Projekte").
UNDERSCORE_CONSTANT = re.compile(r"""\b_\((?P<q>["'])(?P<msgid>.*?)(?P=q)\)""")


def template_strings():
    found = set()
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        source = path.read_text(encoding="utf-8")
        for match in TRANSLATE_TAG.finditer(source):
            # The translate tag looks a literal % up as %%, as makemessages writes it.
            found.add((match["context"] or "", match["msgid"].replace("%", "%%"), path.relative_to(TEMPLATE_DIR)))
        for match in UNDERSCORE_CONSTANT.finditer(source):
            found.add(("", match["msgid"], path.relative_to(TEMPLATE_DIR)))
    return found


def test_the_template_extractor_finds_strings():
    strings = {msgid for _context, msgid, _path in template_strings()}
    assert "Zum Inhalt springen" in strings
    assert "Sprache" in strings  # single quotes
    assert "Projekte" in strings  # _("…") constant


def test_every_template_string_has_an_english_translation(po):
    translated = {(e.msgctxt or "", e.msgid) for e in _live(po) if not e.fuzzy and e.translated()}
    missing = sorted(
        f"{path}: {msgid!r}" for context, msgid, path in template_strings() if (context, msgid) not in translated
    )
    assert missing == [], "run makemessages -l en, translate, then compilemessages"


# _("…"), gettext("…") and gettext_lazy("…") with one plain literal in the project's Python code.
SINGULAR_CALL = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*(?P<q>["'])(?P<msgid>[^"'\\\n]*?)(?P=q)\s*\)""")
NOT_PROJECT_CODE = {".venv", "tests", "bench", "staticfiles", "migrations", "node_modules"}


def code_strings():
    found = set()
    for path in sorted(Path(settings.BASE_DIR).rglob("*.py")):
        relative = path.relative_to(settings.BASE_DIR)
        if NOT_PROJECT_CODE.isdisjoint(relative.parts):
            found.update(("", m["msgid"], relative) for m in SINGULAR_CALL.finditer(path.read_text(encoding="utf-8")))
    return found


def test_every_singular_string_has_its_own_entry_in_the_mo():
    """The gettext of some Python releases (Debian's 3.11.2) does not look a singular string up in a plural
    entry with the same msgid: the page would show the German word. A counted use needs its own context."""
    with MO_PATH.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    missing = sorted(
        f"{path}: {msgid!r}"
        for context, msgid, path in template_strings() | code_strings()
        if (f"{context}\x04{msgid}" if context else msgid) not in catalog
    )
    assert len(code_strings()) > 100
    assert missing == []


# Words that mark a sentence as English or German; the source strings are German.
ENGLISH_MARKERS = {"the", "is", "are", "must", "be", "cannot", "this", "you", "your", "please", "of", "to"}
ENGLISH_MARKERS |= {"and", "not", "with", "for", "only", "may", "can", "has", "have", "were", "will", "it", "or"}
GERMAN_MARKERS = {"der", "die", "das", "ist", "sind", "muss", "nicht", "und", "oder", "mit", "für", "ein", "eine"}
GERMAN_MARKERS |= {"nur", "darf", "kann", "hat", "haben", "wird", "es", "sie", "ihr", "ihre", "bitte", "von", "zu"}


def test_source_strings_are_german(po):
    """A message written in English in the code would reach German pages untranslated."""
    english = []
    for entry in _live(po):
        words = [w.lower() for w in re.findall(r"[A-Za-zÄÖÜäöüß]+", entry.msgid)]
        marked_english = sum(w in ENGLISH_MARKERS for w in words)
        if marked_english >= 2 and marked_english > sum(w in GERMAN_MARKERS for w in words):
            english.append((entry.msgid, entry.occurrences[:1]))
    assert english == []
