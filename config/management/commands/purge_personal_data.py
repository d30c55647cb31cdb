"""Remove personal data of processes that ended more than PERSONAL_DATA_RETENTION_DAYS ago."""

from django.core.management.base import BaseCommand

from config.retention import purge_personal_data


class Command(BaseCommand):
    help = (
        "Removes personal data (workshop names, the voter register's links, ballot keys, proposers, feedback) "
        "of processes that ended more than PERSONAL_DATA_RETENTION_DAYS days ago. Counts and results stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be removed")
        parser.add_argument("--days", type=int, default=None, help="override PERSONAL_DATA_RETENTION_DAYS")

    def handle(self, *args, dry_run=False, days=None, **options):
        counts = purge_personal_data(days=days, dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        details = ", ".join(f"{name}: {n}" for name, n in counts.items() if name != "processes")
        self.stdout.write(f"{counts['processes']} finished process(es); {verb} {details}")
