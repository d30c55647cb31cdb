"""Background tasks of the ground floor, run by ``python manage.py db_worker``."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import notifications

logger = logging.getLogger(__name__)


@task()
def deliver_notifications(user_id, digest=False, attempt=1):
    """Mail an account what is pending for it. When the SMTP server is away or refuses, the
    changes stay pending and the task comes back later (1, 2, 4 … minutes), up to
    ``NOTIFICATION_ATTEMPTS`` times; after that the next change or digest takes them along."""
    try:
        return notifications.deliver(user_id, digest=digest)
    except (OSError, smtplib.SMTPException) as error:  # smtplib's errors are OSErrors too
        if attempt >= settings.NOTIFICATION_ATTEMPTS:
            logger.error("Mail to account %s failed %s times, giving up for now: %s", user_id, attempt, error)
            raise
        wait = timedelta(minutes=2 ** (attempt - 1))
        logger.warning("Mail to account %s failed (%s), next attempt in %s", user_id, error, wait)
        deliver_notifications.using(run_after=timezone.now() + wait).enqueue(
            user_id, digest=digest, attempt=attempt + 1
        )
        return 0
