"""Printable access-code letters: one A4 page per code with a QR code of the voting link.

The QR codes are drawn here as inline SVG from the qrcode library's module matrix:
one path of horizontal runs, a few kilobytes per letter and about a millisecond per
code, so a batch of a thousand letters renders in a second or two.
"""

from urllib.parse import urlencode

import qrcode
import qrcode.constants
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

# A fixed mask instead of trying all eight: any mask is valid and scanners read it; the
# search would cost most of the time per code. The letter prints the code as text too.
QR_MASK = 2
QR_BORDER = 4  # quiet zone in modules, as the standard asks


def qr_matrix(text):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def matrix_path(matrix, offset=QR_BORDER):
    """SVG path data: one rectangle per run of dark modules in a row."""
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                parts.append(f"M{start + offset},{y + offset}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(parts)


def qr_svg(text):
    """An inline <svg> of the QR code for ``text``: numbers only, so nothing to escape.
    Hidden from screen readers; the letter gives the link and the code as text."""
    matrix = qr_matrix(text)
    size = len(matrix) + 2 * QR_BORDER
    return mark_safe(  # noqa: S308 - built from numbers only
        f'<svg class="letter__qr" viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg" '
        f'shape-rendering="crispEdges" aria-hidden="true" focusable="false">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{matrix_path(matrix)}"/></svg>'
    )


def voting_link(request, consultation):
    # German paths: the letters go to residents of a German city; the page offers English.
    with translation.override("de"):
        return request.build_absolute_uri(reverse("consultations:detail", args=[consultation.pk]))


def letters_for(request, consultation, codes):
    """One letter per code: the code, the link without it, and the QR code of the link with it."""
    link = voting_link(request, consultation)
    return [{"code": code, "link": link, "qr": qr_svg(f"{link}?{urlencode({'code': code})}")} for code in codes]
