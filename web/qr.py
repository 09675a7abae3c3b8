"""The guide's address as a QR code, for passing the guide on in person: drawn once at build
time with segno, as a small SVG among the static files (so it is hashed, precached and works
offline). Only with SITE_URL: a QR code of a relative address would lead nowhere."""

import io

import segno

#: Its name among the static files (served hashed: /static/qr.<hash>.svg).
QR_NAME = "qr.svg"


def qr_svg(address):
    """Return an SVG QR code of an address: medium error correction (a scratched screen still
    reads), a quiet zone of 4 modules as the standard asks, no XML declaration."""
    out = io.BytesIO()
    segno.make(address, error="m", micro=False).save(
        out, kind="svg", scale=4, border=4, xmldecl=False, svgclass=None, lineclass=None,
        dark="#000", light="#fff")
    return out.getvalue()
