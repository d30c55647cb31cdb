"""Changes elsewhere that a live workshop must hear of at once."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from participation.models import Process, User

from .actions import revoke_lost_facilitators


@receiver(m2m_changed, sender=Process.facilitators.through)
def facilitators_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_remove", "post_clear"):
        return
    if reverse:  # user.facilitated_processes.remove(...): the instance is the user
        user_ids = {instance.pk}
    elif action == "post_clear":
        user_ids = None  # the cleared set is gone: look at every facilitator participant of the process
    else:
        user_ids = set(pk_set or ())
    if user_ids is None:
        from .models import Participant

        user_ids = set(
            Participant.objects.filter(workshop__process=instance, user__isnull=False).values_list("user_id", flat=True)
        )
    if user_ids:
        transaction.on_commit(lambda: revoke_lost_facilitators(user_ids))


# Saves that cannot change who facilitates (a login stamps last_login).
UNRELATED_FIELDS = {"last_login", "password"}


@receiver(post_save, sender=User)
def account_changed(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= UNRELATED_FIELDS):
        return
    transaction.on_commit(lambda: revoke_lost_facilitators({instance.pk}))
