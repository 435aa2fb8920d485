#!/usr/bin/env python3
"""Draw the sample volume's cover image: a red sun rising over a striped Pacific at dawn.

Writes ``images/cover.jpg`` (1240 × 1754 px, A4 portrait at 150 dpi) with Pillow, which WeasyPrint already
needs. The picture is made here, from nothing but geometry, so it is the project's own work and is shipped
under the volume's licence; its credit line is in ``volume.toml``.

Output is deterministic: running the script twice gives identical files.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "images" / "cover.jpg"
WIDTH, HEIGHT = 1240, 1754
HORIZON = int(HEIGHT * 0.62)


def mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    """The colour a fraction ``t`` of the way from ``a`` to ``b``."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def draw() -> Image.Image:
    """The cover, drawn from back to front: sky, sun, sea, the sun's path on the water."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    pen = ImageDraw.Draw(image)
    night, dawn, glow = (16, 32, 72), (92, 104, 150), (242, 196, 160)
    for y in range(HORIZON):
        t = y / HORIZON
        colour = mix(night, dawn, t / 0.7) if t < 0.7 else mix(dawn, glow, (t - 0.7) / 0.3)
        pen.line([(0, y), (WIDTH, y)], fill=colour)
    # Fifty small stars in the dark upper sky, placed by a fixed rule rather than at random.
    for i in range(50):
        x = (i * 397 + 131) % WIDTH
        y = (i * 211 + 67) % int(HORIZON * 0.45)
        r = 2 + i % 3
        pen.ellipse([x - r, y - r, x + r, y + r], fill=(236, 236, 244))
    sun_x, sun_y, sun_r = WIDTH // 2, HORIZON - 40, 250
    halo = Image.new("L", (WIDTH, HEIGHT), 0)
    ImageDraw.Draw(halo).ellipse([sun_x - sun_r - 60, sun_y - sun_r - 60, sun_x + sun_r + 60, sun_y + sun_r + 60],
                                 fill=120)
    halo = halo.filter(ImageFilter.GaussianBlur(50))
    image.paste(Image.new("RGB", (WIDTH, HEIGHT), (250, 170, 120)), (0, 0), halo)
    pen = ImageDraw.Draw(image)
    pen.ellipse([sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r], fill=(188, 0, 45))
    # The sea: thirteen bands of alternating depth, the lower ones darker, like the stripes of a flag at rest.
    bands = 13
    for band in range(bands):
        top = HORIZON + round((HEIGHT - HORIZON) * (band / bands) ** 1.3)
        bottom = HORIZON + round((HEIGHT - HORIZON) * ((band + 1) / bands) ** 1.3)
        base = mix((40, 60, 110), (10, 22, 52), band / bands)
        colour = base if band % 2 else mix(base, (255, 255, 255), 0.12)
        pen.rectangle([0, top, WIDTH, bottom], fill=colour)
    # The sun's reflection: short strokes that narrow towards the horizon.
    for k in range(40):
        y = HORIZON + 8 + round((HEIGHT - HORIZON - 16) * (k / 40) ** 1.2)
        half = round(40 + 180 * (k / 40)) + round(20 * math.sin(k * 1.7))
        pen.line([(sun_x - half, y), (sun_x + half, y)], fill=(214, 70, 80), width=4 + k // 8)
    return image


def main() -> None:
    """Write the cover image."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    draw().save(OUT, "JPEG", quality=85, optimize=True, progressive=False, dpi=(150, 150))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
