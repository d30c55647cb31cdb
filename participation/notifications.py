"""Follow and be told: who follows what, who is told of a change, and the mail that tells them.

A change (a new status, an official answer, a consultation that opens …) becomes one
``Notification`` row per follower inside the change's transaction; the unique key per
account and change means nobody is told of it twice. After the commit a task is queued
(``deliver_notifications``) and the worker (``manage.py db_worker``) mails what is pending:
at once (after ``NOTIFICATION_DELAY`` seconds, so that changes made together come in one
mail) or, for accounts that chose it, in the weekly digest (``manage.py
send_notification_digests``). Rows are marked sent in the transaction that mails them;
a failed delivery leaves them pending for the retry.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import extensions
from .models import (
    FOLLOW_FIELDS,
    FieldOfAction,
    Follow,
    LivingLab,
    Measure,
    Notification,
    NotificationMail,
    Process,
    Project,
    User,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "participation.notifications.unsubscribe"
SITE_NAME = "Heilbronn gestaltet digital"

# What a follow form may name, as "<kind>:<id>".
FOLLOWABLE = {"process": Process, "field": FieldOfAction, "measure": Measure, "project": Project, "lab": LivingLab}


# --- What is public, and what covers what ---------------------------------------------------


_PUBLIC_FLAG = {"measure": "published", "livinglab": "published", "project": "public"}


def is_public(target):
    """Only what anybody may read is followed and told of."""
    name = target._meta.model_name
    if name == "process":
        return target.published
    flag = _PUBLIC_FLAG.get(name)
    return target.process.published and (flag is None or getattr(target, flag))


def covering(target):
    """The target and what contains it: who follows any of these hears of the target."""
    name = target._meta.model_name
    if name == "process":
        return [target]
    found = [target, target.process]
    if name in {"measure", "project"} and target.field_id:
        found.append(target.field)
    if name == "project":
        found.extend(target.labs.all())
    return found


def followed_target(kind, object_id):
    """The public object a follow form names, or None."""
    model = FOLLOWABLE.get(kind)
    if model is None:
        return None
    target = model.objects.select_related(*([] if model is Process else ["process"])).filter(pk=object_id).first()
    return target if target is not None and is_public(target) else None


# --- Following --------------------------------------------------------------------------


def _require_account(user):
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Melden Sie sich an, um zu folgen."))


def follow(user, target):
    """The account follows ``target`` (public only). Returns ``(follow, created)``. The first
    follow sets the language of the mails to the one the account is reading in."""
    _require_account(user)
    if not is_public(target):
        raise ValidationError({"target": _("Dem können Sie nicht folgen.")})
    field = FOLLOW_FIELDS[target._meta.model_name]
    with transaction.atomic():
        first = not Follow.objects.filter(user=user).exists()
        existing = Follow.objects.filter(user=user, **{field: target}).first()
        if existing is not None:
            return existing, False
        created = Follow.objects.create(user=user, **{field: target})
        language = (translation.get_language() or "de")[:2]
        if first and language in dict(settings.LANGUAGES) and user.language != language:
            User.objects.filter(pk=user.pk).update(language=language)
            user.language = language
    return created, True


def unfollow(user, target):
    """The account stops following ``target``. Returns whether it followed."""
    _require_account(user)
    field = FOLLOW_FIELDS[target._meta.model_name]
    deleted, _rows = Follow.objects.filter(user=user, **{field: target}).delete()
    return bool(deleted)


def is_following(user, target):
    if not (user and user.is_authenticated):
        return False
    return Follow.objects.filter(user=user, **{FOLLOW_FIELDS[target._meta.model_name]: target}).exists()


def follows_of(user):
    """The account's follows with their targets, newest first."""
    return list(
        Follow.objects.filter(user=user).select_related(
            "process", "field__process", "measure__process", "project__process", "lab__process"
        )
    )


def set_preferences(user, mail, language):
    """How and in which language the account's news reach it."""
    _require_account(user)
    errors = {}
    if mail not in NotificationMail.values:
        errors["notification_mail"] = _("Bitte wählen Sie, wie wir Ihnen schreiben.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Bitte wählen Sie eine Sprache aus der Liste.")
    if errors:
        raise ValidationError(errors)
    User.objects.filter(pk=user.pk).update(notification_mail=mail, language=language)
    user.notification_mail, user.language = mail, language


def unsubscribe_token(user):
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_of_unsubscribe_token(token):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return User.objects.filter(pk=data.get("user")).first()


def unsubscribe(user):
    """No more mail about what the account follows (the follows stay, for the manage page)."""
    return (
        User.objects.filter(pk=user.pk)
        .exclude(notification_mail=NotificationMail.OFF)
        .update(notification_mail=NotificationMail.OFF)
    )


# --- Telling the followers ---------------------------------------------------------------


def recipients(targets):
    """Accounts that follow any of ``targets`` and may be mailed: active, with a confirmed
    address, and not unsubscribed."""
    query = Q()
    for target in targets:
        query |= Q(**{f"follows__{FOLLOW_FIELDS[target._meta.model_name]}": target})
    if not query:
        return User.objects.none()
    return (
        User.objects.filter(query, is_active=True, email_verified=True)
        .exclude(email="")
        .exclude(notification_mail=NotificationMail.OFF)
        .distinct()
    )


def notify(kind, object_id, targets, key=None, only=None):
    """Tell the followers of ``targets`` of a change (``kind`` with its object). Call it
    inside the change's transaction: the rows commit with it, and the mail is queued after
    the commit. ``only`` limits it to some accounts (e.g. the author of answered feedback).
    Returns how many accounts are newly told."""
    key = key or f"{kind}:{object_id}"
    people = recipients(targets)
    if only is not None:
        people = people.filter(pk__in=[user.pk for user in only if user is not None])
    people = list(people.values_list("pk", "notification_mail"))
    if not people:
        return 0
    told = {row.user_id for row in Notification.objects.filter(key=key, user_id__in=[pk for pk, _mail in people])}
    new = [(pk, mail) for pk, mail in people if pk not in told]
    Notification.objects.bulk_create(
        [Notification(user_id=pk, kind=kind, object_id=object_id, key=key) for pk, _mail in new],
        ignore_conflicts=True,  # told by a concurrent call already: once is enough
    )
    at_once = [pk for pk, mail in new if mail == NotificationMail.IMMEDIATE]
    if at_once:
        transaction.on_commit(lambda: _queue(at_once))
    return len(new)


def _queue(user_ids):
    run_after = timezone.now() + timedelta(seconds=settings.NOTIFICATION_DELAY)
    for user_id in user_ids:
        deliver_notifications.using(run_after=run_after).enqueue(user_id)


def queue_digests():
    """Queue the weekly digest of every account that chose it and has news. Returns how many."""
    user_ids = list(
        User.objects.filter(notification_mail=NotificationMail.WEEKLY, notifications__sent_at=None, is_active=True)
        .distinct()
        .values_list("pk", flat=True)
    )
    for user_id in user_ids:
        deliver_notifications.enqueue(user_id, digest=True)
    return len(user_ids)


# --- The mail ----------------------------------------------------------------------------


@task()
def deliver_notifications(user_id, digest=False, attempt=1):
    """The worker's task: mail an account what is pending for it. When the SMTP server is
    away or refuses, the changes stay pending and the task comes back later (1, 2, 4 …
    minutes), up to ``NOTIFICATION_ATTEMPTS`` times; after that the next change or digest
    takes them along."""
    try:
        return deliver(user_id, digest=digest)
    except (OSError, smtplib.SMTPException) as error:  # smtplib's errors are OSErrors too
        if attempt >= settings.NOTIFICATION_ATTEMPTS:
            logger.error("Mail to account %s failed %s times, giving up for now: %s", user_id, attempt, error)
            raise
        wait = timedelta(minutes=2 ** (attempt - 1))
        logger.warning("Mail to account %s failed (%s), next attempt in %s", user_id, error, wait)
        retry = deliver_notifications.using(run_after=timezone.now() + wait)
        retry.enqueue(user_id, digest=digest, attempt=attempt + 1)
        return 0


def _absolute(path):
    return settings.SITE_URL + path


def deliver(user_id, digest=False):
    """Mail the account what is pending for it, if its choice is this kind of mail (at once,
    or the digest). One mail for everything pending; the rows are marked sent in the same
    transaction, so a failure leaves them for the next attempt and a success is never
    repeated by a later one. Returns the number of changes mailed."""
    wanted = NotificationMail.WEEKLY if digest else NotificationMail.IMMEDIATE
    with transaction.atomic():
        user = User.objects.filter(pk=user_id, is_active=True, email_verified=True).exclude(email="").first()
        if user is None or user.notification_mail != wanted:
            return 0
        # Locked: a second delivery for this account waits, then finds nothing pending.
        pending = list(Notification.objects.select_for_update().filter(user=user, sent_at=None).order_by("pk"))
        if not pending:
            return 0
        with translation.override(user.language):
            items = [
                item
                for item in (extensions.describe_notification(row.kind, row.object_id) for row in pending)
                if item is not None
            ]
            if items:
                _message(user, items, digest, pending).send()
        Notification.objects.filter(pk__in=[row.pk for row in pending]).update(sent_at=timezone.now())
    return len(items)


def _message(user, items, digest, rows):
    for item in items:
        item["url"] = _absolute(item["url"])
    unsubscribe_url = _absolute(reverse("accounts:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        "user": user,
        "items": items,
        "digest": digest,
        "manage_url": _absolute(reverse("accounts:notifications")),
        "unsubscribe_url": unsubscribe_url,
        "site_name": SITE_NAME,
    }
    subject = " ".join(render_to_string("emails/notification_subject.txt", context).split())
    body = render_to_string("emails/notification.txt", context)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            # RFC 8058: mail programs offer "unsubscribe" and POST to the link, one click.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            # The same changes give the same id: a receiver can tell a repeat.
            "Message-ID": f"<notifications.{user.pk}.{rows[0].pk}-{rows[-1].pk}@{domain}>",
        },
    )


# --- The changes of the ground floor ----------------------------------------------------------


def status_changed(change):
    """A measure or project has a new status (``change`` is its row in the history)."""
    target = change.target
    if is_public(target):
        notify("status", change.pk, covering(target))


def feedback_answered(answer):
    """The city answered a feedback, or changed the answer's state: its author hears of it
    when they follow what it is about."""
    feedback = answer.feedback
    target = feedback.target
    if feedback.author_id and feedback.status == "visible" and is_public(target):
        notify("answer", answer.pk, covering(target), key=f"answer:{answer.pk}:{answer.state}", only=[feedback.author])


def _describe_status(change_id):
    from .models import StatusChange

    change = StatusChange.objects.select_related("measure__process", "project__process").filter(pk=change_id).first()
    if change is None or not is_public(change.target):
        return None
    target = change.target
    title = (
        _("Maßnahme „%(title)s“ – neuer Stand: %(status)s")
        if change.measure_id
        else _("Projekt „%(title)s“ – neuer Stand: %(status)s")
    ) % {"title": target.title_t, "status": change.get_status_display()}
    return {"title": title, "text": change.reason_t, "url": target.get_absolute_url() + "#verlauf"}


def _describe_answer(answer_id):
    from .models import FeedbackAnswer

    answer = FeedbackAnswer.objects.select_related("feedback").filter(pk=answer_id).first()
    if answer is None or answer.feedback.status != "visible" or not is_public(answer.feedback.target):
        return None
    target = answer.feedback.target
    title = _("Die Stadt hat Ihre Rückmeldung zu „%(title)s“ beantwortet: %(state)s") % {
        "title": target.title_t,
        "state": answer.get_state_display(),
    }
    return {"title": title, "text": answer.text, "url": f"{target.get_absolute_url()}#antwort-{answer.feedback_id}"}


extensions.register_notification_kind("status", _describe_status)
extensions.register_notification_kind("answer", _describe_answer)
