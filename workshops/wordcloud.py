"""Open-text answers shown as a word cloud (poll kind ``words``): checking an answer and
counting the answers. Pure functions over plain data (no ORM).

An answer is a list of 1 to ``WORDS_MAX`` short texts. Texts count as the same when they
are equal after case folding, trimming and collapsing inner spaces; a phrase ("mehr Grün")
stays a phrase. A single word that carries no meaning ("und", "the") is not counted.
"""

from collections import Counter

WORDS_MAX = 3
WORD_MAX = 40
# The cloud shows at most this many words; people cannot read more from the back of a room.
CLOUD_SIZE = 50
# Punctuation at either end of an answer ("Klima!", „Bus“) does not make it another word.
EDGE_PUNCTUATION = ".,;:!?¡¿…\"'„“”‚‘’«»‹›()[]{}<>-–—/\\*_#|~"

# German and English function words: alone they say nothing about the question. One text,
# split, reads better than a list of some 250 quoted words.
STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus
    bei bin bis bist da damit dann das dass dem den denn der des dich die dies diese diesem diesen dieser dieses
    dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer eure für gegen hab habe haben
    hat hatte hier hin hinter ich ihm ihn ihnen ihr ihre im in ins ist ja jede jedem jeden jeder jedes jetzt
    kann kein keine keinem keinen keiner man manche mein meine mich mir mit muss nach nein nicht nichts noch nun
    nur ob oder ohne sehr sein seine sich sie sind so soll sollte sonst um und uns unser unsere unter viel vom
    von vor war waren was weil welche wenn wer werden wie wieder will wir wird wo zu zum zur über
    a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only
    or other our ours out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours
    """.split()  # noqa: SIM905
)


def clean(text):
    """The answer as shown: trimmed, end punctuation and runs of spaces removed."""
    return " ".join(text.split()).strip(EDGE_PUNCTUATION + " ").strip()


def word_key(text):
    """What makes two answers the same word: the cleaned text, case-folded."""
    return clean(text).casefold()


def is_stop_word(key):
    return " " not in key and key in STOP_WORDS


class WordsError(ValueError):
    """An answer that is not 1 to WORDS_MAX texts of 1 to WORD_MAX characters."""


def check_answer(choice):
    """The answer as stored: the cleaned texts, each once (by ``word_key``), in the given
    order. Raises WordsError saying what is wrong."""
    if not isinstance(choice, list) or not 1 <= len(choice) <= WORDS_MAX:
        raise WordsError(f"'choice' must be a list of 1 to {WORDS_MAX} texts.")
    answer, seen = [], set()
    for raw in choice:
        if not isinstance(raw, str):
            raise WordsError(f"Each answer must be a text of 1 to {WORD_MAX} characters.")
        text = clean(raw)
        if not text or len(text) > WORD_MAX:
            raise WordsError(f"Each answer must be a text of 1 to {WORD_MAX} characters.")
        key = text.casefold()
        if key not in seen:
            seen.add(key)
            answer.append(text)
    return answer


def word_tally(choices, size=CLOUD_SIZE):
    """``{"votes": n, "options": [{"word", "value"}]}``: the ``size`` most frequent words of
    the answers (each answer counts a word once), most frequent first, ties alphabetical. A
    word is shown in the spelling most people used (the first seen on a tie)."""
    counts = Counter()
    spellings = {}  # key -> Counter of spellings, in order of first use
    for choice in choices:
        answer = {}  # key -> the first spelling in this answer
        for text in choice:
            if isinstance(text, str):
                answer.setdefault(word_key(text), clean(text))
        for key, text in answer.items():
            if not key or is_stop_word(key):
                continue
            counts[key] += 1
            spellings.setdefault(key, Counter())[text] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:size]
    return {
        "votes": len(choices),
        "options": [{"word": spellings[key].most_common(1)[0][0], "value": n} for key, n in ranked],
    }
