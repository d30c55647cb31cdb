"""Who may do what in the core domain. One function per rule, no permission strings."""

from .models import Role


def is_facilitator(user):
    """A facilitator account (or a superuser), whatever process."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.FACILITATOR)
    )


def can_manage_process(user, process):
    """Facilitators listed on the process, and superusers, manage its content."""
    if not is_facilitator(user):
        return False
    return user.is_superuser or process.facilitators.filter(pk=user.pk).exists()


def can_give_feedback(user):
    """Signed-in accounts with a confirmed e-mail address may comment."""
    return bool(user and user.is_authenticated and user.is_active and (user.email_verified or user.is_superuser))


def can_moderate_feedback(user, feedback):
    target = feedback.target
    process = target if feedback.process_id else getattr(target, "process", None)
    return process is not None and can_manage_process(user, process)
