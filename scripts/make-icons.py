"""Draws the kiosk's PNG icons (assets/icon-192.png, assets/icon-512.png):
a smiling face on the kiosk's accent colour, matching assets/icon.svg.
Run once after changing the design; the PNGs are committed.

    python3 scripts/make-icons.py
"""
import struct
import zlib

ACCENT = (0x0B, 0x3D, 0x5C, 255)
FACE = (0xFF, 0xD3, 0x4D, 255)
INK = ACCENT


def pixel(x, y):
    """Colour at (x, y) in a 64-unit design square, like icon.svg."""
    def inside(cx, cy, r):
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

    if inside(25, 27, 3) or inside(39, 27, 3):
        return INK
    # The smile: a band under the centre between radii 10 and 14.
    d2 = (x - 32) ** 2 + (y - 30) ** 2
    if y > 33 and 10 * 10 <= d2 <= 13 * 13 and 21 <= x <= 43:
        return INK
    if inside(32, 32, 20):
        return FACE
    return ACCENT


def png(size):
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            row.extend(pixel((i + 0.5) * 64 / size, (j + 0.5) * 64 / size))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


for size in (192, 512):
    with open(f"assets/icon-{size}.png", "wb") as out:
        out.write(png(size))
