"""Write docs/assets/images/og-image.png (1200×630), the default link-preview image, with the
standard library only: an indigo card with a light shield emblem. Run once; the PNG is committed."""
import struct
import zlib
from pathlib import Path

W, H = 1200, 630
BG, FG, BAND = (48, 63, 159), (255, 255, 255), (63, 81, 181)


def pixel(x, y):
    if y > H - 90:
        return BAND
    cx, top, bottom, half = W // 2, 130, 470, 150
    if top <= y <= bottom:
        t = (y - top) / (bottom - top)
        w = half if t < 0.55 else half * (1 - (t - 0.55) / 0.45)
        if abs(x - cx) <= w:
            inner = abs(x - cx) <= w - 22 and top + 22 <= y <= bottom - 30
            if inner:
                return FG if 280 <= y <= 310 and abs(x - cx) <= 80 else BG
            return FG
    return BG


def main():
    rows = b"".join(b"\x00" + bytes(c for x in range(W) for c in pixel(x, y)) for y in range(H))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    out = Path(__file__).resolve().parents[1] / "docs" / "assets" / "images" / "og-image.png"
    out.write_bytes(png)
    print(out, len(png), "bytes")


if __name__ == "__main__":
    main()
