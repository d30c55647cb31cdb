"""The open-data bundle of a published result: a ZIP anyone can recount.

- ``ballots.json``: the anonymous ballot file the result was counted from (linked or,
  with receipt lookup "counted", unlinked: see results.ballotfile);
- ``result.json``: the published snapshot's bytes, exactly (its SHA-256 is the snapshot's);
- ``consultation.json``: the consultation, its options and its register figures;
- ``manifest.json``: the SHA-256 of every other file, and the snapshot's;
- ``ballots.pb`` (participatory budgets only): the same ballots as a Pabulib file;
- ``README.txt``: how to recount, in German and English.
"""

import io
import zipfile

from .ballotfile import is_unlinked_bytes
from .compute import SCHEMA, canonical_bytes, sha256_hex
from .exports import to_pabulib

CONSULTATION_SCHEMA = "heilbronn-participation/consultation/1"
MANIFEST_SCHEMA = "heilbronn-participation/open-data-manifest/1"
FILES = ("ballots.json", "result.json", "consultation.json", "README.txt")
# A fixed time for every entry, so the same snapshot always gives the same ZIP bytes.
ENTRY_TIME = (2000, 1, 1, 0, 0, 0)

README = """\
Offene Daten einer Bürgerbefragung / Open data of a citizen consultation
=======================================================================

DEUTSCH

Diese ZIP-Datei enthält das veröffentlichte Ergebnis einer Befragung und alle
anonymen Stimmzettel, aus denen es berechnet wurde:

  ballots.json       die anonymen Stimmzettel, nach Quittungscode sortiert
                     (Paarvergleich: die einzelnen Vergleiche, ohne Quittung)
  result.json        das veröffentlichte Ergebnis, Byte für Byte
  consultation.json  die Befragung, ihre Maßnahmen und die Beteiligungszahlen
  manifest.json      die SHA-256-Prüfsumme jeder Datei

Die SHA-256-Prüfsumme von result.json ist die auf der Ergebnisseite
veröffentlichte Prüfsumme. Nachzählen mit dem Quellcode der Plattform:

  python manage.py recount DIESE-DATEI.zip

Das Programm prüft die Prüfsummen, berechnet das Ergebnis aus ballots.json neu
und vergleicht es Byte für Byte mit result.json. Mit Ihrem Quittungscode finden
Sie Ihren eigenen Stimmzettel in ballots.json. Die Stimmzettel enthalten keine
Namen, Konten oder Zeiten: Niemand kann aus diesen Daten ablesen, wer wie
abgestimmt hat.

ENGLISH

This ZIP file holds the published result of a consultation and every anonymous
ballot it was counted from (files as listed above). The SHA-256 of result.json
is the checksum published on the results page. To recount with the platform's
source code:

  python manage.py recount THIS-FILE.zip

It checks the checksums, recomputes the result from ballots.json and compares
it byte for byte with result.json. Your receipt code finds your own ballot in
ballots.json. The ballots hold no names, accounts or times.

Format: docs/results-schema.md in the platform's source code.
"""


# The README of an unlinked ballot file (receipt lookup "counted"); the one above stays
# byte for byte as it was, so bundles of linked files do not change.
README_UNLINKED = """\
Offene Daten einer Bürgerbefragung / Open data of a citizen consultation
=======================================================================

DEUTSCH

Diese ZIP-Datei enthält das veröffentlichte Ergebnis einer Befragung und alle
anonymen Stimmzettel, aus denen es berechnet wurde:

  ballots.json       die Inhalte aller gezählten Stimmzettel (nach ihrem
                     JSON-Text sortiert) und getrennt davon alle Quittungscodes
                     (sortiert); keine Quittung ist einem Inhalt zugeordnet
  result.json        das veröffentlichte Ergebnis, Byte für Byte
  consultation.json  die Befragung, ihre Maßnahmen und die Beteiligungszahlen
  manifest.json      die SHA-256-Prüfsumme jeder Datei

Die SHA-256-Prüfsumme von result.json ist die auf der Ergebnisseite
veröffentlichte Prüfsumme. Nachzählen mit dem Quellcode der Plattform:

  python manage.py recount DIESE-DATEI.zip

Das Programm prüft die Prüfsummen, berechnet das Ergebnis aus ballots.json neu
und vergleicht es Byte für Byte mit result.json. Mit Ihrem Quittungscode sehen
Sie, dass Ihr Stimmzettel gezählt wurde, aber nicht, welcher Inhalt zu ihm
gehört: So kann niemand mit einer Quittung beweisen, wie er abgestimmt hat
(Schutz vor Stimmenkauf). Die Stimmzettel enthalten keine Namen, Konten oder
Zeiten.

ENGLISH

This ZIP file holds the published result of a consultation and every anonymous
ballot it was counted from (files as listed above): ballots.json lists the
contents of all counted ballots (sorted by their JSON text) and, apart from them,
all receipt codes (sorted); no receipt is tied to a content. The SHA-256 of
result.json is the checksum published on the results page. To recount with the
platform's source code:

  python manage.py recount THIS-FILE.zip

It checks the checksums, recomputes the result from ballots.json and compares
it byte for byte with result.json. Your receipt code shows that your ballot was
counted, not which content is yours, so that no receipt can prove a vote to a
buyer. The ballots hold no names, accounts or times.

Format: docs/results-schema.md in the platform's source code.
"""


# The README of an opinion map: the file holds numbered answers, not ballots.
README_OPINION = """\
Offene Daten einer Meinungslandkarte / Open data of an opinion map
==================================================================

DEUTSCH

Diese ZIP-Datei enthält die veröffentlichte Meinungslandkarte und alle
anonymen Antworten, aus denen sie berechnet wurde:

  ballots.json       die Antworten: je Antwort [Person, Aussage, Antwort],
                     Antwort 1 = stimme zu, -1 = stimme nicht zu, 0 = weiß nicht;
                     die Personen sind von 1 an nummeriert, in zufälliger Folge
  result.json        die veröffentlichte Karte, Byte für Byte
  consultation.json  die Befragung, ihre Aussagen und die Beteiligungszahlen
  manifest.json      die SHA-256-Prüfsumme jeder Datei

Die SHA-256-Prüfsumme von result.json ist die auf der Ergebnisseite
veröffentlichte Prüfsumme. Nachrechnen mit dem Quellcode der Plattform:

  python manage.py recount DIESE-DATEI.zip

Das Programm prüft die Prüfsummen, berechnet die Karte (Punkte, Gruppen, was
die Gruppen auszeichnet, Gemeinsamkeiten) aus ballots.json neu und vergleicht
sie Byte für Byte mit result.json. Die Antworten enthalten keine Namen, Konten
oder Zeiten: Niemand kann aus diesen Daten ablesen, wer wie geantwortet hat.

ENGLISH

This ZIP file holds the published opinion map and every anonymous answer it
was computed from: ballots.json lists [participant, statement, answer] with
1 agree, -1 disagree, 0 pass; participants are numbered from 1 in a random
order. The SHA-256 of result.json is the checksum published on the results
page. To recompute the map with the platform's source code:

  python manage.py recount THIS-FILE.zip

It checks the checksums, recomputes the map from ballots.json and compares it
byte for byte with result.json. The answers hold no names, accounts or times.

Format: docs/results-schema.md in the platform's source code.
"""


README_PABULIB = """
PABULIB

  ballots.pb         dieselben Stimmzettel im Format von Pabulib (pabulib.org):
                     Projekte mit Kosten und Förderung, je Stimmzettel eine Zeile /
                     the same ballots in Pabulib's format, a line per ballot;
                     `recount` checks that both files hold the same ballots.
"""


def consultation_file(result):
    """What a recount needs besides the ballots, taken from the published result."""
    turnout = {key: value for key, value in result["turnout"].items() if key != "ballots"}
    return {
        "schema": CONSULTATION_SCHEMA,
        "result_schema": SCHEMA,
        "consultation": result["consultation"],
        "options": result["options"],
        "turnout": turnout,
    }


def _write(archive, name, data):
    info = zipfile.ZipInfo(name, date_time=ENTRY_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def bundle(snapshot):
    """The ZIP bytes of a published snapshot's open data."""
    result_bytes = snapshot.canonical.encode("utf-8")
    ballots = snapshot.ballots.encode("utf-8")
    if (snapshot.result.get("count") or {}).get("method") == "opinion":
        readme = README_OPINION
    else:
        readme = README_UNLINKED if is_unlinked_bytes(ballots) else README
    files = {
        "ballots.json": ballots,
        "result.json": result_bytes,
        "consultation.json": canonical_bytes(consultation_file(snapshot.result)),
    }
    if (snapshot.result.get("count") or {}).get("method") == "budget":
        # Participatory budgets also as Pabulib, the research library's format.
        files["ballots.pb"] = to_pabulib(snapshot.result, snapshot.ballot_data)
        readme += README_PABULIB
    files["README.txt"] = readme.encode("utf-8")
    manifest = {
        "schema": MANIFEST_SCHEMA,
        "consultation": snapshot.consultation_id,
        "snapshot_sha256": snapshot.sha256,
        "published_at": snapshot.published_at.isoformat(),
        "files": {name: sha256_hex(data) for name, data in files.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            _write(archive, name, data)
        _write(archive, "manifest.json", canonical_bytes(manifest))
    return buffer.getvalue()
