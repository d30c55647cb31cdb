"""The English demo texts are American English, like the interface (center, catalog, organize)."""

import re

from demo import content

# British spellings and words the texts used; each with its American form in the comment.
BRITISH = [
    r"centres?",  # center
    r"catalogues?",  # catalog
    r"licences?",  # license
    r"\w+is(?:e|es|ed|ing|ation|ations)",  # -ize, -ization (checked against ALLOWED below)
    r"neighbour\w*",  # neighbor
    r"colour\w*",  # color
    r"favour\w*",  # favor
    r"programmes?",  # program
    r"e-mail",  # email
    r"car parks?",  # parking garage
    r"pavements?",  # sidewalk
    r"rubbish",  # trash
    r"pupils?",  # student
    r"autumn",  # fall
    r"shop window",  # storefront
]
# Words that end in -ise in American English too.
ALLOWED = {
    "advertising",
    "otherwise",
    "expertise",
    "premises",
    "promise",
    "precise",
    "exercise",
    "noise",
    "raise",
    "rise",
    "wise",
    "enterprise",
    "revised",
    "advise",
    "advised",
    "supervised",
    "surprise",
    "compromise",
    "promised",
    "raised",
    "arise",
    "Otherwise",
    "Precise",
    "Expertise",
}


def english_texts(value, english=False):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from english_texts(item, english or str(key).endswith("_en"))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from english_texts(item, english)
    elif isinstance(value, str) and english:
        yield value


def test_english_demo_texts_use_american_spelling():
    demo = content.read()
    texts = list(
        english_texts([demo.process, demo.fields, demo.measures, demo.projects, demo.labs, demo.consultations])
    )
    assert len(texts) > 100
    found = set()
    for text in texts:
        for pattern in BRITISH:
            found.update(re.findall(rf"\b{pattern}\b", text, flags=re.IGNORECASE))
    assert sorted(found - ALLOWED) == []
