"""The follow button of a process, field of action, measure, project or living lab page."""

from django import template

from .. import notifications
from ..models import FOLLOW_FIELDS

register = template.Library()


@register.inclusion_tag("pages/_follow.html", takes_context=True)
def follow_button(context, target):
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = FOLLOW_FIELDS[target._meta.model_name]
    return {
        "request": request,
        "user": user,
        "target": target,
        "kind": kind,
        "following": notifications.is_following(user, target),
        "csrf_token": context.get("csrf_token"),
    }
