"""``{% return_here as here %}``: the page the header's sign-in and registration links come
back to (``?next=``, checked again by ``account_views.next_url``)."""

from django import template

from .pages import _this_page

register = template.Library()


@register.simple_tag(takes_context=True)
def return_here(context):
    """This page, without a letter's access code; "" on the start page (where one lands
    anyway), on account pages and on pages no address resolves to (errors)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace == "accounts" or match.view_name == "pages:home":
        return ""
    return _this_page(context)
