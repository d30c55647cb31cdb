"""The record of a workshop for its facilitators: the board as SVG and PNG, the minutes as PDF
(workshops.board_render). Checked as the manage pages: visitors sign in first, everyone who
does not facilitate the process gets a 404."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import board_render
from .manage_views import SignIn, _managed_workshop

FORMATS = {
    "svg": ("image/svg+xml; charset=utf-8", lambda workshop: board_render.svg(board_render.board_data(workshop))),
    "png": ("image/png", lambda workshop: board_render.png(board_render.board_data(workshop))),
    "pdf": ("application/pdf", board_render.pdf),
}


@never_cache
@require_GET
def board_record(request, code, fmt):
    try:
        workshop = _managed_workshop(request, code)
    except SignIn:
        return redirect_to_login(request.get_full_path())
    content_type, render = FORMATS[fmt]
    response = HttpResponse(render(workshop), content_type=content_type)
    name = f"workshop-{workshop.code}-{'protokoll' if fmt == 'pdf' else 'board'}.{fmt}"
    # Pictures open in the browser; the minutes are a download.
    disposition = "attachment" if fmt == "pdf" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
