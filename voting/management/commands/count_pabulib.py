"""python manage.py count_pabulib FILE.pb [--rule greedy|equal_shares|both]

Counts a participatory budget from Pabulib (pabulib.org) with the platform's own
counting: the greedy rule of ``voting.tally.points.count_points`` and the Method of
Equal Shares of ``voting.tally.budget.count_equal_shares`` with the platform's
completion (``voting.tally.points.BUDGET_COMPLETION``). Prints, per rule, the
funded projects with their costs, and compares them with the file's ``selected``
column (the city's own outcome; any value other than ``0`` or empty counts as
funded). Texts follow the active language (German unless set otherwise).

Exit codes: 0 counted, 2 the file cannot be read or counted (one line on stderr).
"""

from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from voting.pabulib import PabulibError, budget_profile, option_ids, read_pb
from voting.tally.budget import count_equal_shares
from voting.tally.points import BUDGET_COMPLETION, count_points

RULES = ("greedy", "equal_shares")
NAME_WIDTH = 70


def _greedy(options, ballots, costs, budget):
    return count_points(options, ballots, costs=costs, budget=budget)["selected"]


def _equal_shares(options, ballots, costs, budget):
    return count_equal_shares(options, ballots, costs, budget, completion=BUDGET_COMPLETION)["selected"]


COUNTS = {"greedy": _greedy, "equal_shares": _equal_shares}


def _money(amount: Decimal) -> str:
    return number_format(amount, force_grouping=True)


def _short(name: str) -> str:
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"


class Command(BaseCommand):
    help = "Count a Pabulib .pb file with the platform's budget rules and compare with the city's selection."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a Pabulib .pb file")
        parser.add_argument(
            "--rule", choices=(*RULES, "both"), default="both", help="which rule to count with (default: both)"
        )

    def handle(self, file, rule="both", **options):
        path = Path(file)
        try:
            instance = read_pb(path.read_text(encoding="utf-8"))
            profile = budget_profile(instance)
        except (OSError, UnicodeDecodeError, PabulibError) as error:
            message = _("Die Datei %(path)s kann nicht gelesen werden: %(error)s") % {"path": path, "error": error}
            raise CommandError(message, returncode=2) from error
        project_of = option_ids(instance)
        projects = {project["project_id"]: project for project in instance.projects}
        meta = instance.meta
        currency = meta.get("currency", "")
        city = None
        if instance.projects and "selected" in instance.projects[0]:
            city = {pid for pid, project in projects.items() if project["selected"].strip() not in ("", "0")}

        write = self.stdout.write
        write(f"{path.name}: {meta.get('description', '')}")
        write(
            _("%(projects)s Projekte, %(votes)s Stimmzettel (%(vote_type)s), Budget %(budget)s %(currency)s")
            % {
                "projects": len(instance.projects),
                "votes": len(instance.votes),
                "vote_type": profile.vote_type,
                "budget": _money(profile.budget),
                "currency": currency,
            }
        )
        write(_("Regel der Stadt laut Datei: %(rule)s") % {"rule": meta.get("rule", "?")})

        names = {
            "greedy": _("Nach Stimmen, solange das Geld reicht"),
            "equal_shares": _("Methode der gleichen Anteile"),
        }
        for key in RULES if rule == "both" else (rule,):
            selected = [project_of[option] for option in COUNTS[key](*profile[:4])]
            spent = sum((projects[pid]["cost"] for pid in selected), Decimal(0))
            write("")
            write(
                _("%(rule)s: %(count)s Projekte gefördert, %(spent)s von %(budget)s %(currency)s")
                % {
                    "rule": names[key],
                    "count": len(selected),
                    "spent": _money(spent),
                    "budget": _money(profile.budget),
                    "currency": currency,
                }
            )
            self._table(selected, projects)
            if city is None:
                write(_("Die Datei hat keine Spalte selected: kein Vergleich mit der Auswahl der Stadt."))
                continue
            ours = set(selected)
            agree = sum((pid in ours) == (pid in city) for pid in projects)
            write(
                _("Vergleich mit der Auswahl der Stadt: %(agree)s von %(total)s Projekten stimmen überein.")
                % {"agree": agree, "total": len(projects)}
            )
            only_ours = [pid for pid in selected if pid not in city]
            only_city = [pid for pid in projects if pid in city and pid not in ours]
            if only_ours:
                write(_("Nur hier gefördert:"))
                self._table(only_ours, projects)
            if only_city:
                write(_("Nur von der Stadt gefördert:"))
                self._table(only_city, projects)

    def _table(self, ids, projects):
        rows = [(pid, _money(projects[pid]["cost"]), _short(projects[pid].get("name", ""))) for pid in ids]
        id_width = max([len(_("Projekt")), *(len(row[0]) for row in rows)])
        cost_width = max([len(_("Kosten")), *(len(row[1]) for row in rows)])
        self.stdout.write(f"  {_('Projekt'):<{id_width}}  {_('Kosten'):>{cost_width}}  {_('Name')}")
        for pid, cost, name in rows:
            self.stdout.write(f"  {pid:<{id_width}}  {cost:>{cost_width}}  {name}")
