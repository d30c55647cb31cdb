"""The workshop spreadsheets (CSV and XLSX) show each closed poll's result as a table:
one row per option, one column per figure, not JSON in a cell. The JSON export keeps
its machine form (``final_results`` as the poll's result text)."""

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import ParticipantRole

pytestmark = pytest.mark.django_db


def closed_polls(process, facilitator):
    workshop = create_workshop(facilitator, process, "Export")
    chief = join_workshop(workshop, facilitator, "Moderation", ParticipantRole.FACILITATOR)
    experts = [join_workshop(workshop, None, name, ParticipantRole.EXPERT) for name in ("Anna", "Ben", "Cem")]
    polls = {}
    for n, (kind, extra) in enumerate((("single", {}), ("scale", {}))):
        apply_command(
            chief.pk,
            {
                "type": "poll.create",
                "id": f"c{n}",
                "question": f"Frage {kind}",
                "kind": kind,
                **extra,
                "options": ["Radwege", "Busse"],
            },
        )
        poll = workshop.polls.order_by("-pk").first()
        apply_command(chief.pk, {"type": "poll.open", "id": f"o{n}", "poll": poll.pk})
        polls[kind] = (poll, list(poll.options.order_by("position")))
    single, (radwege, busse) = polls["single"]
    for i, (expert, choice) in enumerate(zip(experts, (radwege, radwege, busse), strict=True)):
        apply_command(expert.pk, {"type": "poll.vote", "id": f"s{i}", "poll": single.pk, "choice": choice.pk})
    scale, (s_radwege, s_busse) = polls["scale"]
    for i, (expert, grades) in enumerate(zip(experts, ((5, 2), (4, 2), (5, None)), strict=True)):
        choice = {str(s_radwege.pk): grades[0], **({str(s_busse.pk): grades[1]} if grades[1] else {})}
        apply_command(expert.pk, {"type": "poll.vote", "id": f"v{i}", "poll": scale.pk, "choice": choice})
    for n, (poll, _) in enumerate(polls.values()):
        apply_command(chief.pk, {"type": "poll.close", "id": f"x{n}", "poll": poll.pk})
    return workshop


def test_poll_results_are_rows_per_option_with_columns(client, process, facilitator):
    workshop = closed_polls(process, facilitator)
    client.force_login(facilitator)
    url = f"/api/workshops/{workshop.code}/export"

    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content), read_only=True)
    header, *rows = book["Abstimmungsergebnisse"].iter_rows(values_only=True)
    table = [dict(zip(header, row, strict=True)) for row in rows]
    by_option = {(row["Frage"], row["Beschriftung"]): row for row in table}
    assert len(table) == 4
    radwege = by_option[("Frage single", "Radwege")]
    assert (radwege["Art"], radwege["Ergebnis"], radwege["Ergebnis in"], radwege["Abgegebene Stimmen"]) == (
        "Einfachauswahl",
        2,
        "Stimmen",
        3,
    )
    assert by_option[("Frage single", "Busse")]["Ergebnis"] == 1
    scale = by_option[("Frage scale", "Radwege")]
    assert scale["Ergebnis"] == pytest.approx(4.67)
    assert scale["Personen"] == 3
    assert [scale[f"Bewertung {g} (Anzahl)"] for g in range(1, 6)] == [0, 0, 0, 1, 2]
    assert by_option[("Frage scale", "Busse")]["Personen"] == 2
    # No JSON left in any cell of the polls sheet.
    cells = [c for row in book["Abstimmungen"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any(cell.startswith(("{", "[")) for cell in cells)

    with zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv", "lang": "en"}).content)) as archive:
        results = list(csv.DictReader(io.StringIO(archive.read("poll_results.csv").decode("utf-8-sig"))))
        polls = next(csv.reader(io.StringIO(archive.read("polls.csv").decode("utf-8-sig"))))
    assert {row["Label"]: row["Result"] for row in results if row["Question"] == "Frage single"} == {
        "Radwege": "2",
        "Busse": "1",
    }
    assert not any("JSON" in column for column in polls)

    data = client.get(url, {"format": "json"}).json()
    assert json.loads(data["polls"][0]["final_results"])["votes"] == 3
