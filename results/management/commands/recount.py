"""python manage.py recount BUNDLE: recount an open-data bundle.

Exit codes: 0 the result matches the published one exactly, 1 it does not,
2 the bundle cannot be read or recounted.
"""

import sys

from django.core.management.base import BaseCommand

from results.recount import recount_bundle


class Command(BaseCommand):
    help = "Recount an open-data bundle and compare it with the published result."

    def add_arguments(self, parser):
        parser.add_argument("bundle", help="the ZIP file from /api/consultations/{id}/open-data")
        parser.add_argument(
            "--sha256", dest="expected_sha256", help="the SHA-256 published on the results page, to check against"
        )

    def handle(self, bundle, expected_sha256=None, **options):
        report = recount_bundle(bundle, expected_sha256=expected_sha256)
        (self.stdout if report.ok else self.stderr).write(report.text())
        sys.exit(report.exit_code)
