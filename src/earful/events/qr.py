"""QR codes for printed signs at a stop: an SVG drawn by the `qrcode` package (vector
paths only, no image library), pointing at the stop's feedback form."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

from earful.blog.river_link import absolute

from .models import Stop

FEEDBACK_ANCHOR = "feedback"


def feedback_url(stop: Stop) -> str:
    """The absolute address of the stop's feedback form (from EARFUL_SITE_URL)."""
    return absolute(f"{stop.get_absolute_url()}#{FEEDBACK_ANCHOR}")


@lru_cache(maxsize=128)
def qr_svg(data: str) -> str:
    """An SVG document encoding `data`, error correction M (survives a scuffed print),
    sized by its viewBox so CSS decides how big it prints."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image()
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code" ', 1)
