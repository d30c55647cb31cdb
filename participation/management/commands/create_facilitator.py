"""manage.py create_facilitator USERNAME: an account for city staff who run processes.

The account gets the facilitator role, may use the Django admin for the content
of the platform (through the group "Moderation", not user management), becomes
facilitator of the processes given with --process, and gets an API token that is
printed on its own line for scripts. Without --process it asks which processes
when run at a terminal, and otherwise warns (on stderr) that the account may not
create workshops or consultations anywhere yet.
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from rest_framework.authtoken.models import Token

from participation.actions import AuditAction, record_audit
from participation.models import Process, Role

FACILITATOR_GROUP = "Moderation"
# The content facilitators look after in the admin. User accounts stay with administrators.
MANAGED_MODELS = (
    "process",
    "processphase",
    "fieldofaction",
    "measure",
    "project",
    "livinglab",
    "feedback",
    "feedbackreport",
)
# Shown in the admin, changed only by their actions (answers and status on the pages).
READ_ONLY_MODELS = ("auditlogentry", "feedbackanswer", "statuschange")
# Content of other apps they look after too: (app label, model).
MANAGED_APP_MODELS = (("workshops", "workshop"),)


def facilitator_group():
    """The group that gives facilitators the admin permissions for the platform's content."""
    group, _ = Group.objects.get_or_create(name=FACILITATOR_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="participation", content_type__model__in=MANAGED_MODELS
    )
    group.permissions.add(*permissions)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="participation",
            content_type__model__in=READ_ONLY_MODELS,
            codename__startswith="view_",
        )
    )
    for app_label, model in MANAGED_APP_MODELS:
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, content_type__model=model))
    return group


class Command(BaseCommand):
    help = (
        "Create a facilitator account (or make an existing account a facilitator) and print its API token. "
        "The password comes from --password or is asked for twice; an existing account keeps its password "
        "when --password is not given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="The password (otherwise asked for, for a new account).")
        parser.add_argument("--email", default=None, help="E-mail address of the account.")
        parser.add_argument(
            "--process",
            dest="processes",
            nargs="+",
            action="extend",
            default=[],
            metavar="SLUG",
            help="Slug of a process the account facilitates (several allowed).",
        )

    def handle(self, *args, username, password, email, processes, **options):
        User = get_user_model()
        username = User.normalize_username((username or "").strip())
        if not username:
            raise CommandError("The username must not be empty.")
        username_field = User._meta.get_field(User.USERNAME_FIELD)
        try:
            username_field.clean(username, None)
        except ValidationError as exc:
            raise CommandError(f"Invalid username {username!r}: {' '.join(exc.messages)}") from None

        process_list = self._processes(processes)
        user = User.objects.filter(username=username).first()
        email = self._email(email, user, User)

        if user is None:
            user = User(username=username)
        if password is None and user.pk is None:
            password = self._ask_password()
        if not process_list and not (user.pk and user.facilitated_processes.exists()) and sys.stdin.isatty():
            process_list = self._ask_processes(username)
        user.role = Role.FACILITATOR
        user.is_staff = True
        user.is_active = True
        if email is not None:
            user.email = email
            # Given by whoever runs the command, who vouches for it.
            user.email_verified = bool(email)
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("Password rejected: " + " ".join(exc.messages)) from None
            user.set_password(password)

        created = user.pk is None
        with transaction.atomic():
            user.save()
            user.groups.add(facilitator_group())
            for process in process_list:
                if not process.facilitators.filter(pk=user.pk).exists():
                    process.facilitators.add(user)
                    record_audit(None, AuditAction.UPDATE, process, {"facilitator_added": user.get_username()})
            token, _ = Token.objects.get_or_create(user=user)

        processes_note = f" for {', '.join(p.slug for p in process_list)}" if process_list else ""
        verb = "Created" if created else "Updated"
        if not user.facilitated_processes.exists():
            self.stderr.write(self._no_process_warning(username))
        self.stdout.write(f"{verb} facilitator {username!r}{processes_note}. API token:")
        self.stdout.write(token.key)

    def _no_process_warning(self, username):
        """A facilitator of no process is refused every workshop and consultation (403)."""
        processes = list(Process.objects.order_by("slug").values_list("slug", flat=True))
        if processes:
            remedy = (
                f"Processes: {', '.join(processes)}. Add one with: "
                f"manage.py create_facilitator {username} --process {processes[0]}"
            )
        else:
            remedy = (
                f"There is no process yet: create one in the admin (/admin/), then run "
                f"manage.py create_facilitator {username} --process SLUG"
            )
        return (
            f"Warning: {username!r} facilitates no process, so creating a workshop or consultation "
            f"(e.g. POST /api/workshops/) is refused with 403 until --process names one. {remedy}"
        )

    def _ask_processes(self, username):
        """At a terminal: which processes the account facilitates (Enter for none)."""
        processes = list(Process.objects.order_by("slug"))
        if not processes:
            return []
        self.stdout.write(f"Processes {username!r} could facilitate (--process SLUG):")
        for process in processes:
            self.stdout.write(f"  {process.slug}  {process.title}")
        try:
            answer = input("Slugs separated by spaces (Enter for none): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("Cancelled; nothing was changed.") from None
        return self._processes(answer.split())

    def _processes(self, slugs):
        slugs = list(dict.fromkeys(slug.strip() for slug in slugs))
        found = {p.slug: p for p in Process.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise CommandError(f"Unknown process slug(s): {', '.join(unknown) or repr('')}.")
        return [found[slug] for slug in slugs]

    def _email(self, email, user, User):
        if email is None:
            return None
        email = email.strip()
        if not email:
            return ""
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Invalid e-mail address {email!r}.") from None
        clash = User.objects.filter(email__iexact=email)
        if user is not None:
            clash = clash.exclude(pk=user.pk)
        if clash.exists():
            raise CommandError(f"The e-mail address {email!r} belongs to another account.")
        return email

    def _ask_password(self):
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("No password given; use --password when not running interactively.") from None
        if first != second:
            raise CommandError("The passwords do not match.")
        if not first:
            raise CommandError("The password must not be empty.")
        return first
