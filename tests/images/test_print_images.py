"""Print copies at the profile's resolution, served instead of the originals; preflight warnings at file:line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from taiyaku.errors import Diagnostics
from taiyaku.images.preflight import check_print
from taiyaku.images.print import print_images, text_block_pt
from taiyaku.pipeline import BuildOptions, load_volume


def test_copy_has_the_profiles_resolution(photo_root: Path, tmp_path: Path):
    photo = photo_root / "content/en/figures/photo.png"
    for profile, width in (("screen", 834), ("print", 1667)):  # 400 pt of text block at 150 and 300 ppi
        copy = print_images("A4", "en", profile, tmp_path / "cache").serve(photo)
        assert copy is not None and copy.is_relative_to(tmp_path / "cache/images")
        with Image.open(copy) as image:
            assert (image.format, image.size) == ("PNG", (width, round(2000 * width / 3000)))
        # Made again in another cache: the same bytes (fixed settings, no metadata).
        again = print_images("A4", "en", profile, tmp_path / "other").serve(photo)
        assert again is not None and again.read_bytes() == copy.read_bytes()
    small = photo_root / "content/en/figures/small.jpg"  # 800 px: fewer than 150 ppi needs, never upscaled
    assert print_images("A4", "en", "screen", tmp_path / "cache").serve(small) is None
    assert print_images("A4", "en", "screen", tmp_path / "cache").serve(photo_root / "content/en/figures/chart.svg") \
        is None


def test_cover_copy_covers_its_box(photo_root: Path, tmp_path: Path):
    photo = photo_root / "content/en/figures/photo.png"
    copy = print_images("A4", "en", "print", tmp_path / "cache", cover=photo).serve(photo)
    with Image.open(copy) as image:
        # The box is 216 mm × 136.6 mm (page and bleed × 46 % of the page), wider than 3:2: its width decides,
        # 8.5 in at 300 ppi.
        assert image.size == (2552, 1701)


def _preflight(root: Path, profile: str) -> list[str]:
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root), diagnostics)
    width, height = text_block_pt("A4", "en", profile)
    check_print(volume.documents["en"], profile, width, height, diagnostics)
    return [str(d) for d in diagnostics.items if d.category == "image"]


def test_preflight_warns_of_soft_and_tall_images(photo_root: Path):
    tall = photo_root / "content/en/figures/tall.png"
    Image.new("RGB", (1700, 4000), "white").save(tall)
    doc = photo_root / "content/en/02-two.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n![A tall strip](figures/tall.png)\n", encoding="utf-8")
    line = doc.read_text(encoding="utf-8").count("\n")
    assert _preflight(photo_root, "print") == [
        "content/en/01-one.md:12: warning: image: figures/small.jpg prints at 144 ppi (800 px across 141 mm): "
        "under 200 ppi it prints soft; an image 1667 px wide prints at 300 ppi",
        f"content/en/02-two.md:{line}: warning: image: figures/tall.png prints 332 mm tall, taller than the page's "
        "text block (237 mm): it runs off the page; crop it or make it wider"]
    # On screen, resolution is not a problem; running off the page still is.
    assert [m.split(": ")[0] for m in _preflight(photo_root, "screen")] == [f"content/en/02-two.md:{line}"]


@pytest.mark.pdf
def test_pdf_embeds_the_copy(run, photo_root: Path, tmp_path: Path):
    out = tmp_path / "out"
    code, err = run("build", "--root", photo_root, "--out", out, "--format", "pdf", "--lang", "en")
    assert code == 0, err
    listing = subprocess.run(["pdfimages", "-list", out / "pdf/minimal-en.pdf"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    sizes = sorted({(int(row.split()[3]), int(row.split()[4])) for row in listing})
    assert sizes == [(800, 600), (834, 556)]  # the photo at 150 ppi across the text block; the JPEG as it is
    assert (out / "pdf/minimal-en.pdf").stat().st_size < 1_500_000  # 12 MB before


def test_cover_under_200_ppi_is_warned_in_print(photo_root: Path, tmp_path: Path):
    from taiyaku.images.preflight import check_cover

    cover = photo_root / "images/cover.jpg"
    cover.parent.mkdir()
    Image.new("RGB", (1240, 1754), "navy").save(cover)
    (photo_root / "volume.toml").write_text('date = "2026-09-19"\ncover = "images/cover.jpg"\n', encoding="utf-8")
    diagnostics = Diagnostics()
    for profile in ("screen", "print"):
        check_cover(photo_root, "images/cover.jpg", print_images("A4", "en", profile, tmp_path, cover=cover),
                    profile, diagnostics)
    assert [str(d) for d in diagnostics.items] == [
        "volume.toml:2: warning: image: cover: images/cover.jpg prints at 146 ppi (1240 px across 216 mm of the "
        "cover): under 200 ppi it prints soft; an image 2552 px wide prints at 300 ppi"]


def test_a_file_only_linked_to_is_not_checked_for_print(photo_root: Path):
    small = "![A small photo](figures/small.jpg)"
    doc = photo_root / "content/en/01-one.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace(small, "[A small photo](figures/small.jpg)"),
                   encoding="utf-8")
    assert _preflight(photo_root, "print") == []


@pytest.mark.pdf
def test_two_clean_builds_make_the_same_pdf(run, photo_root: Path, tmp_path: Path):
    pdfs = []
    for name in ("one", "two"):
        out = tmp_path / name
        code, err = run("build", "--root", photo_root, "--out", out, "--format", "pdf", "--lang", "en",
                        "--cache-dir", tmp_path / f"cache-{name}")
        assert code == 0, err
        pdfs.append((out / "pdf/minimal-en.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
