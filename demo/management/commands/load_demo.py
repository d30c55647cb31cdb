"""manage.py load_demo: the Heilbronn demo process "Gesamtkonzept Digitalisierung".

The content lives in the TOML files of ``demo/data`` (read by ``demo.content``);
``demo.loader`` writes it, idempotently. This module adds the safety check and
the summary.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from demo import content
from demo.loader import DemoLoader
from participation.models import Feedback


class Command(BaseCommand):
    help = (
        "Load the Heilbronn demo process 'Gesamtkonzept Digitalisierung' (German, with English translations), "
        "the demo facilitator 'moderation' and the demo citizen 'buergerin'. Safe to run again: objects are "
        "matched by slug or username, nothing is duplicated or deleted. Each run restores the demo texts, "
        "statuses and the demo accounts' passwords (see demo/data/*.toml) if they were changed; "
        "objects added by hand and the moderation state of feedback are kept. Development only: it refuses "
        "to run with DEBUG off unless --allow-production is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off. The demo accounts have passwords published in the README.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: the demo accounts have publicly known passwords. "
                "Pass --allow-production if you really want the demo data here."
            )
        loader = DemoLoader(content.read())
        try:
            with transaction.atomic():
                process = loader.load()
        except ValidationError as exc:
            raise CommandError(f"The demo data is invalid, nothing was loaded: {exc}") from exc
        self.report(process, loader)

    def report(self, process, loader):
        projects = process.projects.all()
        accounts = loader.content.accounts
        token = Token.objects.get(user__username=accounts["facilitator"]["username"])
        lines = [
            f"Demo process {process.title!r} ({process.slug}):",
            f"  fields of action: {process.fields.count()}",
            f"  measures: {process.measures.count()}",
            f"  projects: {projects.count()} ({projects.filter(public=False).count()} internal)",
            f"  living labs: {process.labs.count()}",
            f"  feedback: {Feedback.objects.filter(measure__process=process).count()}",
            "Rows created: {created}, updated: {updated}, unchanged: {unchanged}.".format(
                created=loader.tally["created"], updated=loader.tally["updated"], unchanged=loader.tally["unchanged"]
            ),
            f"Facilitator: {accounts['facilitator']['username']} / {accounts['facilitator']['password']} "
            f"(API token {token.key})",
            f"Citizen: {accounts['citizen']['username']} / {accounts['citizen']['password']}",
        ]
        self.stdout.write("\n".join(lines))
