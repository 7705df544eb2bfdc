"""Draw editors/vscode/images/icon.png, the extension's 128x128 Marketplace icon.

A rounded square in a deep violet with a white ring and tail (a "Q") around a pair of braces, the
mark of a settings file. Pure Python (zlib) so that it needs nothing installed:

    python3 tools/make_icon.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZE = 128
SS = 4  # supersampling per axis, for smooth edges
OUT = Path(__file__).resolve().parents[1] / "editors" / "vscode" / "images" / "icon.png"

BG_TOP = (98, 62, 214)
BG_BOTTOM = (52, 30, 130)
FG = (255, 255, 255)
ACCENT = (255, 196, 77)


def _in_rounded_square(x: float, y: float, r: float = 26.0) -> bool:
    cx = min(max(x, r), SIZE - r)
    cy = min(max(y, r), SIZE - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _in_ring(x: float, y: float) -> bool:
    d = math.hypot(x - 60, y - 60)
    return 30 <= d <= 41


def _in_tail(x: float, y: float) -> bool:
    # A thick segment from inside the ring's lower right towards the corner.
    ax, ay, bx, by = 80.0, 80.0, 104.0, 104.0
    t = max(
        0.0,
        min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    )
    return math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= 6.5


def _in_braces(x: float, y: float) -> bool:
    # "{ }" drawn as two short arcs of thick dots inside the ring.
    for sx in (-1, 1):
        cx = 60 + sx * 9
        for i in range(9):
            ty = 47 + i * 3.25
            bulge = 3.5 * (1 - abs(i - 4) / 4) ** 2
            px = cx + sx * bulge
            if math.hypot(x - px, y - ty) <= 2.6:
                return True
    return False


def pixel(x: int, y: int) -> tuple[int, int, int, int]:
    """Average SS*SS samples of one pixel into RGBA."""
    acc = [0.0, 0.0, 0.0, 0.0]
    for i in range(SS):
        for j in range(SS):
            sx, sy = x + (i + 0.5) / SS, y + (j + 0.5) / SS
            if not _in_rounded_square(sx, sy):
                continue
            t = sy / SIZE
            colour = tuple(BG_TOP[k] * (1 - t) + BG_BOTTOM[k] * t for k in range(3))
            if _in_ring(sx, sy) or _in_tail(sx, sy):
                colour = FG
            elif _in_braces(sx, sy):
                colour = ACCENT
            for k in range(3):
                acc[k] += colour[k]
            acc[3] += 255
    n = SS * SS
    covered = acc[3] / 255
    if covered == 0:
        return (0, 0, 0, 0)
    return tuple(round(acc[k] / covered) for k in range(3)) + (round(acc[3] / n),)


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """Encode 8-bit RGBA rows as a PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    """Write the icon."""
    rows = [bytes(v for x in range(SIZE) for v in pixel(x, y)) for y in range(SIZE)]
    OUT.write_bytes(png(SIZE, SIZE, rows))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
