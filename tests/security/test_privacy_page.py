"""The privacy notice says how long personal data are kept, with the configured number of days."""

from django.test import override_settings
from pytest_django.asserts import assertContains


@override_settings(PERSONAL_DATA_RETENTION_DAYS=90)
def test_the_privacy_notice_names_the_retention_time(client, db):
    response = client.get("/ueber/")
    assertContains(response, "90 Tage nach dem Ende eines Beteiligungsprozesses löschen wir")
    assertContains(response, "IP-Adressen speichern wir nicht dauerhaft")
