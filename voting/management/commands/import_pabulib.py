"""python manage.py import_pabulib FILE.pb --process SLUG --facilitator USERNAME [--rule equal_shares|greedy]

Brings a participatory budget from Pabulib (pabulib.org) into the platform as the named
facilitator of the process: a thin wrapper around ``voting.pabulib_actions.import_pabulib``,
which the facilitators' import page (``/befragungen/neu/pabulib/``) calls as well. Each
project becomes a measure of the process, the budget a closed consultation with every
ballot of the file cast through the one ballot path, all in one transaction and written
to the audit log. Amounts keep the file's currency (the description says so).

Exit codes: 0 imported, 2 the file cannot be read or the set-up is refused (one line on stderr).
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from participation.models import Process, User
from voting.pabulib_actions import RULES, UnreadableFile, import_pabulib


class Command(BaseCommand):
    help = "Import a Pabulib .pb file as a closed participatory budget of a process."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a Pabulib .pb file")
        parser.add_argument("--process", required=True, help="the slug of the process")
        parser.add_argument("--facilitator", required=True, help="the user name of a facilitator of the process")
        parser.add_argument("--rule", choices=[str(rule) for rule in RULES], default="equal_shares")

    def handle(self, file, process, facilitator, rule="equal_shares", **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise self._unreadable(file, error) from None
        found = Process.objects.filter(slug=process).first()
        user = User.objects.filter(username=facilitator).first()
        if found is None or user is None:
            raise CommandError(_("Prozess oder Moderator nicht gefunden."))
        try:
            result = import_pabulib(user, found, data, rule, file_name=Path(file).name)
        except UnreadableFile as error:
            raise self._unreadable(file, error.detail) from None
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(
            _("Befragung %(id)s angelegt: %(projects)s Maßnahmen, %(ballots)s Stimmzettel, %(refused)s abgewiesen.")
            % {
                "id": result.consultation.pk,
                "projects": result.measures,
                "ballots": result.ballots,
                "refused": result.refused,
            }
        )

    def _unreadable(self, file, error):
        return CommandError(
            _("Die Datei %(path)s kann nicht gelesen werden: %(error)s") % {"path": file, "error": error}
        )
