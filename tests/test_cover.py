"""The PDF cover shows what its alt text describes: the band above the title crops the sample's portrait picture
around ``cover_focus``, so that the starry sky, the whole sun and the striped sea are all in view (measured on the
rendered page); ``cover_focus`` is read as a point or a word, and a bad one is named at its line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from taiyaku import config
from taiyaku.errors import Diagnostics

CREAM = (244, 241, 234)
"""The cover page's background (print.css ``@page cover``), where the picture band ends."""


def _blobs(pixels: set[tuple[int, int]]) -> int:
    """Groups of touching pixels (a star is a few pixels at this resolution)."""
    count, left = 0, set(pixels)
    while left:
        count += 1
        todo = [left.pop()]
        while todo:
            x, y = todo.pop()
            for near in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                if near in left:
                    left.remove(near)
                    todo.append(near)
    return count


def _red(pixel: tuple[int, int, int]) -> bool:
    """The sun's red (the sea's reflection is lighter)."""
    r, g, b = pixel
    return r > 150 and g < 60 and b < 80


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_cover_shows_the_starry_sky_the_sun_and_the_sea(sample_volume_pdfs, tmp_path: Path, lang: str) -> None:
    stage, _ = sample_volume_pdfs
    pdf = next((stage / "pdf").glob(f"*-{lang}.pdf"))
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf),
                    str(tmp_path / "cover")], check=True)
    page = Image.open(tmp_path / "cover.png").convert("RGB")
    width, height = page.size
    px = page.load()
    band = next(y for y in range(height) if all(abs(a - b) <= 3 for a, b in zip(px[width // 2, y], CREAM)))
    assert 0.40 * height < band < 0.50 * height  # the picture band: the upper 46 % of the page

    red_rows = {y: sum(1 for x in range(width) if _red(px[x, y])) for y in range(band)}
    widest = max(red_rows.values())
    disk = [y for y, n in red_rows.items() if n >= widest * 0.3]  # the sun, not the thin reflection stripes
    sun_top, horizon = min(disk), max(disk)
    # The whole sun: it starts well below the band's top edge, as round as drawn (its widest row is its diameter,
    # two fifths of the page's width: 500 of 1240 pixels in the picture).
    assert sun_top > 0.2 * band and widest == pytest.approx(width * 500 / 1240, rel=0.1)
    # The sea below it: stripes of dark blue over a tenth of the band at least.
    assert band - horizon > 0.1 * band
    # The starry sky: stars in the upper part of the band, far from the sun's glow.
    stars = {(x, y) for y in range(int(sun_top * 0.6)) for x in range(width) if min(px[x, y]) > 150}
    assert _blobs(stars) >= 8


def test_cover_focus_is_a_point_or_a_word(tmp_path: Path) -> None:
    (tmp_path / "content/en").mkdir(parents=True)
    (tmp_path / "volume.toml").write_text('cover_focus = "40% 25.5%"\n[en]\ncover_focus = "top"\n', encoding="utf-8")
    loaded = config.load_config(tmp_path, Diagnostics())
    assert (loaded.cover_focus, loaded.lang("en").cover_focus) == ("40% 25.5%", "50% 0%")
    assert config.VolumeConfig().cover_focus == "50% 50%"

    (tmp_path / "volume.toml").write_text('slug = "v"\ncover_focus = "middle"\n', encoding="utf-8")
    diagnostics = Diagnostics()
    config.load_config(tmp_path, diagnostics)
    assert [str(d) for d in diagnostics.items] == [
        ("volume.toml:2: config: cover_focus: expected a point of the image as \"<across>% <down>%\" (\"50% 30%\": "
         "the middle, near the top) or one of center, top, bottom, left, right, got 'middle'")]
