"""QR codes for join links, drawn as SVG by the qrcode library (no image library needed)."""

import io

import qrcode
import qrcode.image.svg


def qr_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
