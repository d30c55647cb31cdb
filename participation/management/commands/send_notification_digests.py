"""Queue the weekly digest for every account that chose it (run weekly, e.g. Monday morning)."""

from django.core.management.base import BaseCommand

from participation import notifications


class Command(BaseCommand):
    help = "Queue the weekly notification digest of every account that chose it and has news."

    def handle(self, *args, **options):
        count = notifications.queue_digests()
        self.stdout.write(f"Queued {count} digest(s); `manage.py db_worker` sends them.")
