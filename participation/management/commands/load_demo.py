"""manage.py load_demo: the Heilbronn demo process "Gesamtkonzept Digitalisierung".

The content lives in ``participation.demo_data``; this module only writes it.
Every object is matched by its natural key (process slug; process and slug for
fields, measures, projects and labs; username for accounts), so a second run
creates nothing new. A row is saved only when its demo values differ from the
database, which restores demo content someone edited and leaves untouched rows
alone. Nothing is ever deleted, and links are only added, never removed.
"""

from collections import Counter

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from participation import demo_data, demo_participation
from participation.actions import AuditAction, record_audit
from participation.management.commands.create_facilitator import facilitator_group
from participation.models import Feedback, FieldOfAction, LivingLab, Measure, Process, Project, Role, User


class Command(BaseCommand):
    help = (
        "Load the Heilbronn demo process 'Gesamtkonzept Digitalisierung' (German, with English translations), "
        "the demo facilitator 'moderation' and the demo citizen 'buergerin'. Safe to run again: objects are "
        "matched by slug or username, nothing is duplicated or deleted. Each run restores the demo texts, "
        "statuses and the demo accounts' passwords (see participation/demo_data.py) if they were changed; "
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
        self.tally = Counter()
        try:
            with transaction.atomic():
                process = self.load()
        except ValidationError as exc:
            raise CommandError(f"The demo data is invalid, nothing was loaded: {exc}") from exc
        self.report(process)

    # Loading

    def load(self):
        process = self.sync(Process, {"slug": demo_data.PROCESS["slug"]}, _values(demo_data.PROCESS))
        fields = {
            item["slug"]: self.sync(FieldOfAction, {"process": process, "slug": item["slug"]}, _values(item))
            for item in demo_data.FIELDS
        }
        measures = {
            item["slug"]: self.sync(
                Measure,
                {"process": process, "slug": item["slug"]},
                {**_values(item, "field"), "field": fields[item["field"]]},
            )
            for item in demo_data.MEASURES
        }
        projects = {
            item["slug"]: self.sync(
                Project,
                {"process": process, "slug": item["slug"]},
                {**_values(item, "field"), "field": fields[item["field"]]},
            )
            for item in demo_data.PROJECTS
        }
        for item in demo_data.LABS:
            lab = self.sync(LivingLab, {"process": process, "slug": item["slug"]}, _values(item, "projects"))
            lab.projects.add(*(projects[slug] for slug in item["projects"]))

        facilitator = self.sync_account(demo_data.DEMO_ACCOUNTS["facilitator"], Role.FACILITATOR, staff=True)
        self.make_facilitator(facilitator, process)
        citizen = self.sync_account(demo_data.DEMO_ACCOUNTS["citizen"], Role.CITIZEN, staff=False)
        for item in demo_data.FEEDBACK:
            # Feedback has no slug: author, target and text together identify it.
            self.sync(Feedback, {"author": citizen, "measure": measures[item["measure"]], "text": item["text"]}, {})
        ordered = [measures[item["slug"]] for item in demo_data.MEASURES]
        self.tally["created"] += demo_participation.load(process, ordered, facilitator)
        return process

    def sync(self, model, lookup, values):
        """Create the object, or bring the fields in ``values`` back to the demo state."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj, state = model(**lookup, **values), "created"
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if not changed:
                self.tally["unchanged"] += 1
                return obj
            for name in changed:
                setattr(obj, name, values[name])
            state = "updated"
        obj.full_clean()
        obj.save()
        self.tally[state] += 1
        return obj

    def sync_account(self, account, role, staff):
        user = User.objects.filter(username=account["username"]).first()
        state = "created" if user is None else "updated"
        user = user or User(username=account["username"])
        values = {
            "email": account["email"],
            "first_name": account["first_name"],
            "last_name": account["last_name"],
            "role": role,
            "is_staff": staff,
            "is_active": True,
            "email_verified": True,
        }
        changed = [name for name, value in values.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, values[name])
        # Re-hashing on every run would change the row each time; only a wrong password is reset.
        if not user.check_password(account["password"]):
            user.set_password(account["password"])
            changed.append("password")
        if state == "created" or changed:
            user.full_clean()
            user.save()
            self.tally[state] += 1
        else:
            self.tally["unchanged"] += 1
        return user

    def make_facilitator(self, user, process):
        # Permissions are normally created after migrate; make sure the group finds them in any case.
        create_permissions(apps.get_app_config("participation"), verbosity=0)
        create_permissions(apps.get_app_config("workshops"), verbosity=0)
        user.groups.add(facilitator_group())
        if not process.facilitators.filter(pk=user.pk).exists():
            process.facilitators.add(user)
            record_audit(None, AuditAction.UPDATE, process, {"facilitator_added": user.get_username()})
        Token.objects.get_or_create(user=user)

    # Output

    def report(self, process):
        projects = process.projects.all()
        accounts = demo_data.DEMO_ACCOUNTS
        token = Token.objects.get(user__username=accounts["facilitator"]["username"])
        lines = [
            f"Demo process {process.title!r} ({process.slug}):",
            f"  fields of action: {process.fields.count()}",
            f"  measures: {process.measures.count()}",
            f"  projects: {projects.count()} ({projects.filter(public=False).count()} internal)",
            f"  living labs: {process.labs.count()}",
            f"  feedback: {Feedback.objects.filter(measure__process=process).count()}",
            "Rows created: {created}, updated: {updated}, unchanged: {unchanged}.".format(
                created=self.tally["created"], updated=self.tally["updated"], unchanged=self.tally["unchanged"]
            ),
            f"Facilitator: {accounts['facilitator']['username']} / {accounts['facilitator']['password']} "
            f"(API token {token.key})",
            f"Citizen: {accounts['citizen']['username']} / {accounts['citizen']['password']}",
        ]
        self.stdout.write("\n".join(lines))


def _values(item, *relations):
    """The model fields of a demo item: everything but the natural key and the relations."""
    return {key: value for key, value in item.items() if key != "slug" and key not in relations}
