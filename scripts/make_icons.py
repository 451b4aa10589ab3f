#!/usr/bin/env python3
"""Generate the app icon: assets/icon.svg (source) and the sizes each OS wants.

The design is the window icon drawn in code by src/app/mod.rs::icon(): a 4x4 grid of
viridis cells (the MI heatmap glyph) with a bright diagonal, on a dark rounded square.

Outputs (all committed; rerun after changing the design):
  assets/icon.svg                 source
  assets/icons/NxN.png            16 24 32 48 64 128 256 512 1024 (Linux hicolor, packager)
  assets/icons/icon.ico           16 24 32 48 64 128 256, PNG-compressed entries (Windows)
  assets/icons/icon.icns          16..1024 incl. @2x types, PNG entries (macOS)
  assets/icon.png                 256x256 copy for anything that wants one file

Needs: python3, rsvg-convert (Debian: librsvg2-bin). ICO and ICNS are written here
byte by byte so the output does not depend on an ImageMagick version.
Usage: python3 scripts/make_icons.py   (from the repository root)
"""
import pathlib
import shutil
import struct
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
ICONS = ASSETS / "icons"

# Matplotlib's viridis at 17 points, the same table as src/app/colormap.rs.
VIRIDIS = [
    (68, 1, 84), (72, 24, 106), (71, 44, 122), (66, 64, 134), (59, 82, 139),
    (51, 99, 141), (44, 114, 142), (38, 130, 142), (33, 145, 140), (31, 160, 136),
    (40, 174, 128), (63, 188, 115), (94, 201, 98), (132, 212, 75), (173, 220, 48),
    (216, 226, 25), (253, 231, 37),
]


def viridis(t):
    t = min(max(t, 0.0), 1.0)
    pos = t * (len(VIRIDIS) - 1)
    i = min(int(pos), len(VIRIDIS) - 2)
    f = pos - i
    a, b = VIRIDIS[i], VIRIDIS[i + 1]
    return tuple(int(round(a[k] + (b[k] - a[k]) * f)) for k in range(3))


def cell_value(cx, cy):
    """Same pattern as the in-code window icon."""
    if cx == cy:
        return 1.0
    v = ((cx * 7 + cy * 7 + cx * cy) % 5) / 5.0
    return 0.15 + 0.6 * v


def svg():
    size, margin, gap, n = 256, 24, 8, 4
    cell = (size - 2 * margin - (n - 1) * gap) / n
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">',
        "  <title>MI Workbench</title>",
        f'  <rect x="0" y="0" width="{size}" height="{size}" rx="44" ry="44" fill="#1e1e24"/>',
    ]
    for cy in range(n):
        for cx in range(n):
            r, g, b = viridis(cell_value(cx, cy))
            x = margin + cx * (cell + gap)
            y = margin + cy * (cell + gap)
            parts.append(
                f'  <rect x="{x:g}" y="{y:g}" width="{cell:g}" height="{cell:g}" rx="6" ry="6" '
                f'fill="#{r:02x}{g:02x}{b:02x}"/>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render(src, px, dst):
    subprocess.run(["rsvg-convert", "-w", str(px), "-h", str(px), "-o", str(dst), str(src)], check=True)


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def write_ico(pngs, dst):
    """ICO with PNG-compressed images (Windows Vista and later, and rc/windres, accept them)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for data in pngs:
        w, h = png_size(data)
        entries += struct.pack("<BBBBHHII", w % 256, h % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    dst.write_bytes(header + entries + blobs)


# ICNS element types that hold PNG data, by pixel size (several types share a size).
ICNS_TYPES = [
    (b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"icp6", 64), (b"ic12", 64),
    (b"ic07", 128), (b"ic08", 256), (b"ic13", 256), (b"ic09", 512), (b"ic14", 512),
    (b"ic10", 1024),
]


def write_icns(png_by_size, dst):
    body = b""
    for kind, px in ICNS_TYPES:
        data = png_by_size[px]
        body += kind + struct.pack(">I", 8 + len(data)) + data
    dst.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def main():
    if shutil.which("rsvg-convert") is None:
        sys.exit("rsvg-convert not found: apt-get install librsvg2-bin")
    ICONS.mkdir(parents=True, exist_ok=True)
    src = ASSETS / "icon.svg"
    src.write_text(svg())
    sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
    data = {}
    for px in sizes:
        out = ICONS / f"{px}x{px}.png"
        render(src, px, out)
        data[px] = out.read_bytes()
    write_ico([data[px] for px in [16, 24, 32, 48, 64, 128, 256]], ICONS / "icon.ico")
    write_icns(data, ICONS / "icon.icns")
    shutil.copyfile(ICONS / "256x256.png", ASSETS / "icon.png")
    for p in sorted([src, ASSETS / "icon.png", *ICONS.iterdir()]):
        print(f"{p.relative_to(ROOT)}  {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
