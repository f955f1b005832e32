"""Hostile PDFs, written byte by byte (PyMuPDF would refuse to write most of them): objects nested
deeper than any parser's stack, a page tree claiming millions of pages, a content stream that
inflates to hundreds of MiB from one, an image of 20,000 × 20,000 pixels. A reader must finish on
each within a time and memory bound and say what it could not read."""

from __future__ import annotations

import zlib
from collections.abc import Callable

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (hello 123.45) Tj ET"


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these object bodies (object n is objects[n - 1], 1 the catalog) with a true xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(entries: bytes, data: bytes) -> bytes:
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def deflated(chunk: bytes, times: int) -> bytes:
    """`chunk` repeated `times` times, deflated without ever holding it whole."""
    packer = zlib.compressobj(1)
    return b"".join([*(packer.compress(chunk) for _ in range(times)), packer.flush()])


def one_page(content: bytes, content_entries: bytes = b"", resources: bytes = b"", count: int = 1,
             catalog: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:  # fmt: skip
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> " + resources + b">> >>",
            stream(content_entries, content),
            FONT,
            *extra,
        ]
    )


def nested(depth: int = 100_000) -> bytes:
    """Arrays nested `depth` deep in the catalog, dictionaries 5,000 deep in the page."""
    return one_page(TEXT, catalog=b"/Deep " + b"[" * depth + b"]" * depth + b" ")


def nested_page(depth: int = 5_000) -> bytes:
    return one_page(TEXT, resources=b"/X " + b"<< /A " * depth + b"1" + b" >>" * depth + b" ")


def millions_of_pages(count: int = 10_000_000) -> bytes:
    return one_page(TEXT, count=count)


def decompression_bomb(mib: int = 300) -> bytes:
    """A page whose content stream, under 1 MiB on disk, inflates to `mib` MiB of spaces."""
    return one_page(deflated(b" " * (1 << 20), mib), content_entries=b"/Filter /FlateDecode")


def huge_image(side: int = 20_000) -> bytes:
    """A 20,000 × 20,000 grey image (400 MB decoded) drawn on a page that also has text."""
    image = stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode" % (side, side),
        deflated(b"\xff" * side, side),
    )
    content = b"q 500 0 0 700 40 60 cm /Im1 Do Q " + TEXT
    return one_page(content, resources=b"/XObject << /Im1 6 0 R >> ", extra=(image,))


HOSTILE: dict[str, Callable[[], bytes]] = {
    "nested-arrays": nested,
    "nested-dictionaries": nested_page,
    "millions-of-pages": millions_of_pages,
    "decompression-bomb": decompression_bomb,
    "huge-image": huge_image,
}
