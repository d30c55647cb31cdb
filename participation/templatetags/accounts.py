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


@register.simple_tag
def city_login_label():
    """The words of the button that signs in with the city's account, in the page's language."""
    from django.conf import settings
    from django.utils.translation import get_language

    english = (get_language() or "de").startswith("en")
    return settings.CITY_LOGIN_LABEL_EN if english else settings.CITY_LOGIN_LABEL
