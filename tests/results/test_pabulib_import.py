"""A real participatory budget imported from Pabulib and counted by the platform end to end.

Data: Warsaw 2017, Anin district (tests/data/pabulib, see its README for source and
citation): 17 projects, 510 approval ballots; the city funded by the greedy rule, so the
platform's greedy count must fund exactly the city's projects, in the result it publishes,
its Pabulib export and its recount."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from participation.models import Measure
from results.actions import publish
from results.recount import recount_bundle
from tests import factories, pabulib_data
from voting import pabulib
from voting.models import Ballot, Consultation

pytestmark = pytest.mark.django_db


def test_anin_is_imported_counted_published_and_recounted(client):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    out = io.StringIO()
    call_command(
        "import_pabulib",
        str(pabulib_data.path(pabulib_data.ANIN)),
        "--process",
        process.slug,
        "--facilitator",
        facilitator.username,
        stdout=out,
    )
    assert "17 Maßnahmen, 510 Stimmzettel, 0 abgewiesen" in out.getvalue()
    consultation = Consultation.objects.get(process=process)
    assert consultation.phase == "closed" and consultation.settings["budget_ballot"] == "approval"
    assert Ballot.objects.filter(consultation=consultation).count() == 510
    assert Measure.objects.filter(process=process).count() == 17

    snapshot, _created = publish(facilitator, consultation)
    result = snapshot.result
    assert result["main_count"] == "equal_shares"
    file = pabulib.read_pb(pabulib_data.text(pabulib_data.ANIN))
    city = {p["name"][:200] for p in file.projects if p.get("selected", "0") not in ("", "0")}
    titles = {str(option["id"]): option["title"] for option in result["options"]}
    greedy = {titles[str(pk)] for pk in result["count"]["greedy"]["selected"]}
    assert greedy == city
    spent = result["count"]["equal_shares"]["spent"]
    assert spent <= float(Decimal(file.meta["budget"]))

    exported = pabulib.read_pb(
        client.get(f"/api/consultations/{consultation.pk}/export", {"format": "pb"}).content.decode()
    )
    assert len(exported.votes) == 510
    report = recount_bundle(client.get(f"/api/consultations/{consultation.pk}/open-data").content)
    assert report.status == "match", report.text()


def test_a_file_that_cannot_be_read_changes_nothing(tmp_path):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    broken = tmp_path / "broken.pb"
    broken.write_text("META\nkey;value\nbudget;abc\n", encoding="utf-8")
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        call_command("import_pabulib", str(broken), "--process", process.slug, "--facilitator", facilitator.username)
    assert not Consultation.objects.exists() and not Measure.objects.exists()
