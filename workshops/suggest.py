"""Suggested clusters: groups of similar cards, found from their texts alone.

A pure function over plain data (no models, no database), so that it is tested on its
own and runs wherever the command handler calls it. The method (docs/architecture.md,
"Suggested clusters"):

1. Each card's text is split into words; stop words of German and English are dropped;
   every word is reduced to its stem with the Snowball stemmer of the card's language
   (the language whose stop words the card uses more; when that does not decide, the
   hint, else both stems). German writes compounds as one word ("Busverbindung"), so the
   stems are also described by their character 4- and 5-grams, which links "Bus" with
   "Busverbindung" and "Glasfaser" with "Glasfaserausbau".
2. Two TF-IDF matrices (whole stems, character grams of the stems), each row of unit
   length, are joined with weights; cards with no word left are set aside.
3. Agglomerative clustering (cosine distance, average linkage) is cut at a distance
   threshold: cards join only if they are, on average, similar enough. Groups of one
   card are left out; at most ``MAX_GROUPS`` of the largest groups are proposed.
4. A group's title is made of its top terms: the stems with the highest summed weight
   over its cards, each shown as the word the cards wrote most often.
"""

import re
import unicodedata
from collections import Counter, defaultdict

import snowballstemmer

# numpy, scipy and scikit-learn are imported where they are used: together they take
# seconds to load, which every server process would otherwise pay at start for a
# command that a facilitator sends now and then.

MAX_CARDS = 2000
MAX_GROUPS = 12
TITLE_TERMS = 3
TITLE_MAX = 120
# Average cosine distance up to which groups are joined. Short cards share few terms, so
# even cards on one topic are far apart in absolute terms (similarity ~0.05-0.1 against
# ~0.002 between topics); set on real-looking cards (tests/workshops/test_suggest_clusters.py):
# lower splits topics into fragments, higher lets unrelated cards in.
DISTANCE_THRESHOLD = 0.97
# Weight of the whole stems against the character grams in the joined vector.
STEM_WEIGHT = 0.5
GRAM_WEIGHT = 0.5
LANGUAGES = ("de", "en")


def _word_set(text):
    return frozenset(text.split())


GERMAN_STOP_WORDS = _word_set(
    """
    aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim
    bin bis bitte bzw da dabei damit dann darf das dass dem den denn der des dessen die dies
    diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines etwa
    etwas euch für gibt gut hat hier ich ihr im immer in ist ja jede jedem jeden jeder jedes
    jetzt kann kein keine keinen können man mehr mein meine meinem meinen meiner mit muss
    müssen nach nicht noch nur ob oder ohne per sehr sein seine sich sie sind so soll sollen
    sollte sollten statt über um und uns unser unsere unter viel viele vom von vor war wäre
    was weil wenig wenn wer werden wie wieder wir wird wo zu zum zur zwischen schon sowie
    ganz gerne eher bisher dafür daher einfach endlich genau bereits damit beispielsweise z b
    """
)

ENGLISH_STOP_WORDS = _word_set(
    """
    a about after all also an and any are as at be because been being but by can could did do
    does each every for from get had has have he her here his how i if in into is it its just
    like make many me more most much my need needs no not of on one only or other our out over
    please should so some such than that the their them then there these they this those to too
    up us very was we were what when where which while who why will with would you your
    instead
    """
)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STEMMERS = {"de": snowballstemmer.stemmer("german"), "en": snowballstemmer.stemmer("english")}
_STOP_WORDS = {"de": GERMAN_STOP_WORDS, "en": ENGLISH_STOP_WORDS}


def _check(cards, language_hint):
    if language_hint is not None and language_hint not in LANGUAGES:
        raise ValueError(f"language_hint must be one of {', '.join(LANGUAGES)} or None.")
    if not isinstance(cards, list | tuple):
        raise TypeError("cards must be a list of (id, text) pairs.")
    if len(cards) > MAX_CARDS:
        raise ValueError(f"At most {MAX_CARDS} cards can be grouped at once.")
    seen = set()
    checked = []
    for card in cards:
        if not isinstance(card, list | tuple) or len(card) != 2:
            raise TypeError("Each card must be an (id, text) pair.")
        card_id, text = card
        if isinstance(card_id, bool) or not isinstance(card_id, int):
            raise TypeError("A card's id must be an integer.")
        if not isinstance(text, str):
            raise TypeError("A card's text must be a string.")
        if card_id in seen:
            raise ValueError(f"Card {card_id} is given twice.")
        seen.add(card_id)
        checked.append((card_id, text))
    # Sorted by id: the same cards give the same groups, whatever order they came in.
    return sorted(checked)


def _language(words, hint):
    """The card's language by its stop words; None when they do not decide (and no hint)."""
    german = sum(word in GERMAN_STOP_WORDS for word in words)
    english = sum(word in ENGLISH_STOP_WORDS for word in words)
    if german != english:
        return "de" if german > english else "en"
    return hint


def _fold(stem):
    """Without accents: "Bürgerbüro" stemmed as English still meets the German "burgerburo"."""
    return "".join(char for char in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(char))


def _stems(text, hint, surface):
    """The card's content stems, in order; ``surface`` counts the words written per stem."""
    written = _WORD.findall(text)
    words = [word.lower() for word in written]
    language = _language(words, hint)
    languages = (language,) if language else LANGUAGES
    stems = []
    for original, word in zip(written, words, strict=True):
        if len(word) < 2 or word in GERMAN_STOP_WORDS or word in ENGLISH_STOP_WORDS:
            continue
        # One stem per language; the same stem from both counts once.
        for stem in dict.fromkeys(_fold(_STEMMERS[lang].stemWord(word)) for lang in languages):
            if len(stem) >= 2:
                stems.append(stem)
                surface[stem][original] += 1
    return stems


def _features(documents):
    """Joined TF-IDF rows of whole stems and of the stems' character grams."""
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    whole = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, lowercase=False)
    grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True, lowercase=False)
    stem_matrix = whole.fit_transform(documents)
    gram_matrix = grams.fit_transform(documents)
    joined = hstack([stem_matrix * np.sqrt(STEM_WEIGHT), gram_matrix * np.sqrt(GRAM_WEIGHT)]).tocsr()
    return joined, stem_matrix, whole.get_feature_names_out()


def _title(members, stem_matrix, terms, surface):
    import numpy as np

    weights = np.asarray(stem_matrix[members].sum(axis=0)).ravel()
    shared = np.asarray((stem_matrix[members] > 0).sum(axis=0)).ravel()
    # Terms that several cards of the group share come first, then by weight; ties by the term.
    order = sorted(range(len(terms)), key=lambda i: (-min(shared[i], 2), -weights[i], terms[i]))
    words = []
    for index in order[:TITLE_TERMS]:
        if weights[index] <= 0:
            break
        written = surface[terms[index]]
        words.append(max(written, key=lambda word: (written[word], word[:1].isupper(), word)))
    return ", ".join(words)[:TITLE_MAX]


def suggest_clusters(cards, language_hint=None):
    """Proposed groups of similar cards: ``[{"title": str, "cards": [ids]}]``, largest first.

    ``cards`` is a list of ``(id, text)`` pairs (ids unique integers); ``language_hint``
    ("de" or "en") decides the stemmer where a card's stop words do not. Cards that are
    like no other are in no group. Raises TypeError or ValueError for bad input."""
    cards = _check(cards, language_hint)
    surface = defaultdict(Counter)
    documents, ids = [], []
    for card_id, text in cards:
        stems = _stems(text, language_hint, surface)
        if stems:
            documents.append(" ".join(stems))
            ids.append(card_id)
    if len(documents) < 2:
        return []
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics.pairwise import cosine_distances

    vectors, stem_matrix, terms = _features(documents)
    distances = cosine_distances(vectors)
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=DISTANCE_THRESHOLD,
    ).fit_predict(distances)
    members = defaultdict(list)
    for index, label in enumerate(labels):
        members[label].append(index)
    groups = [indexes for indexes in members.values() if len(indexes) > 1]
    groups.sort(key=lambda indexes: (-len(indexes), ids[indexes[0]]))
    return [
        {"title": _title(indexes, stem_matrix, terms, surface), "cards": [ids[i] for i in indexes]}
        for indexes in groups[:MAX_GROUPS]
    ]
