"""python manage.py import_pabulib FILE.pb --process SLUG --facilitator USERNAME [--rule equal_shares|greedy]

Brings a participatory budget from Pabulib (pabulib.org) into the platform: each project
becomes a measure of the process (its cost as the estimate), the budget a closed
consultation with every ballot of the file cast through the one ballot path, so that the
platform's results module (both rules, the bootstrap, the exports, the PDF, the open
data) works on real instances once the facilitator publishes it. Everything is done as
the named facilitator of the process and written to the audit log. Amounts keep the
file's currency (the description says so).

Exit codes: 0 imported, 2 the file cannot be read or the set-up is refused (one line on stderr).
"""

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from participation.actions import create_measure
from participation.models import Process, User
from voting import actions
from voting.ballots import BallotError
from voting.pabulib import PabulibError, budget_profile, option_ids, read_pb

TITLE_LENGTH = 200


def _settings(instance, profile, rule):
    meta = instance.meta
    budget = profile.budget
    settings = {
        "use_costs": True,
        "budget": int(budget) if budget == budget.to_integral_value() else float(budget),
        "budget_rule": rule,
    }
    if profile.vote_type in ("cumulative", "scoring"):
        most = max((sum(ballot.values()) for ballot in profile.ballots), default=1)
        settings["budget_ballot"] = "points"
        settings["budget_points"] = int(meta.get("max_sum_points") or most)
    else:
        settings["budget_ballot"] = "approval"
        longest = meta.get("max_length")
        if longest and str(longest).isascii() and str(longest).isdigit():
            settings["max_projects"] = int(longest)
    return settings


class Command(BaseCommand):
    help = "Import a Pabulib .pb file as a closed participatory budget of a process."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a Pabulib .pb file")
        parser.add_argument("--process", required=True, help="the slug of the process")
        parser.add_argument("--facilitator", required=True, help="the user name of a facilitator of the process")
        parser.add_argument("--rule", choices=("equal_shares", "greedy"), default="equal_shares")

    def handle(self, file, process, facilitator, rule="equal_shares", **options):
        try:
            instance = read_pb(Path(file).read_text(encoding="utf-8"))
            profile = budget_profile(instance)
        except (OSError, UnicodeDecodeError, PabulibError) as error:
            raise CommandError(
                _("Die Datei %(path)s kann nicht gelesen werden: %(error)s") % {"path": file, "error": error}
            ) from None
        found = Process.objects.filter(slug=process).first()
        user = User.objects.filter(username=facilitator).first()
        if found is None or user is None:
            raise CommandError(_("Prozess oder Moderator nicht gefunden."))
        try:
            consultation, refused = self._import(instance, profile, found, user, rule)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Befragung %(id)s angelegt: %(projects)s Maßnahmen, %(ballots)s Stimmzettel, %(refused)s abgewiesen.")
            % {
                "id": consultation.pk,
                "projects": len(profile.options),
                "ballots": len(profile.ballots) - refused,
                "refused": refused,
            }
        )

    def _import(self, instance, profile, process, user, rule):
        projects = {str(p["project_id"]): p for p in instance.projects}
        ids = option_ids(instance)
        currency = instance.meta.get("currency", "")
        with transaction.atomic():
            measure_of = {}
            for option in profile.options:
                project = projects[ids[option]]
                name = (project.get("name") or "").strip() or _("Projekt %(id)s") % {"id": ids[option]}
                measure = create_measure(
                    user,
                    {
                        "process": process,
                        "title": name[:TITLE_LENGTH],
                        "summary": _("Aus Pabulib: Projekt %(id)s, Kosten %(cost)s %(currency)s.")
                        % {"id": ids[option], "cost": project["cost"], "currency": currency},
                        "estimated_cost": project["cost"],
                        "published": True,
                    },
                )
                measure_of[option] = measure.pk
            description = instance.meta.get("description") or instance.meta.get("instance") or "Pabulib"
            consultation = actions.create_consultation(
                user,
                process,
                {
                    "title": description[:TITLE_LENGTH],
                    "description": _("Aus Pabulib eingelesen; Beträge in %(currency)s.")
                    % {"currency": currency or "?"},
                    "method": "points",
                    "eligibility": "open",
                    "options": [measure_of[option] for option in profile.options],
                    "settings": _settings(instance, profile, rule),
                },
            )
            consultation = actions.open_consultation(user, consultation)
        refused = 0
        for vote, ballot in zip(instance.votes, profile.ballots, strict=True):
            voter = actions.Voter(
                consultation.pk, browser_hash=hashlib.sha256(f"pabulib:{vote['voter_id']}".encode()).hexdigest()
            )
            try:
                actions.cast_ballot(consultation, voter, {"points": {str(measure_of[o]): n for o, n in ballot.items()}})
            except (ValidationError, BallotError):
                refused += 1
        return actions.close_consultation(user, consultation), refused
