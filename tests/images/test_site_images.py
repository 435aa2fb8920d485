"""The site's images: variants in a few widths and WebP, a sized <picture>, lazy after the first, SVG untouched,
cached and byte-identical from build to build; bad images named with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from helpers import parse_html, snapshot
from taiyaku.images import encode as encode_module
from taiyaku.images.site import variants_for, widths_for


def test_widths_are_never_upscaled():
    assert widths_for(3000) == [480, 960, 1600]
    assert widths_for(1600) == [480, 960, 1600]
    assert widths_for(800) == [480, 800]
    assert widths_for(300) == [300]


def test_variants_come_from_the_header(photo_root: Path):
    photo = photo_root / "content/en/figures/photo.png"
    assert [(v.rel_path, v.width, v.height, v.format) for v in variants_for(photo, "figures/photo.png")] == [
        ("figures/photo-480w.webp", 480, 320, "WEBP"), ("figures/photo-960w.webp", 960, 640, "WEBP"),
        ("figures/photo-1600w.webp", 1600, 1067, "WEBP"), ("figures/photo-480w.png", 480, 320, "PNG"),
        ("figures/photo-960w.png", 960, 640, "PNG"), ("figures/photo-1600w.png", 1600, 1067, "PNG")]
    assert variants_for(photo_root / "content/en/figures/chart.svg", "figures/chart.svg") == []


def _build(run, root: Path, out: Path, *extra: object) -> str:
    code, err = run("build", "--root", root, "--out", out, "--format", "html", *extra)
    assert code == 0, err
    return err


def test_site_offers_sized_variants(run, photo_root: Path, tmp_path: Path):
    out = tmp_path / "out"
    _build(run, photo_root, out)
    page = parse_html(out / "html/en/one/index.html")
    pictures = page.find_all("picture")
    assert len(pictures) == 2
    source = pictures[0].find_all("source")[0]
    assert source.attrs["type"] == "image/webp"
    assert source.attrs["srcset"] == ("../figures/photo-480w.webp 480w, ../figures/photo-960w.webp 960w, "
                                      "../figures/photo-1600w.webp 1600w")
    first, second = (p.find_all("img")[0].attrs for p in pictures)
    assert first == {"alt": "A noisy photo of a gradient", "src": "../figures/photo-1600w.png",
                     "srcset": "../figures/photo-480w.png 480w, ../figures/photo-960w.png 960w, "
                               "../figures/photo-1600w.png 1600w",
                     "sizes": "(max-width: 40rem) 100vw, 43rem", "width": "1600", "height": "1067"}
    assert (second["width"], second["height"], second["loading"], second["decoding"]) == ("800", "600", "lazy",
                                                                                            "async")
    svg = [img.attrs for img in page.find_all("img") if img.attrs["src"].endswith(".svg")]
    assert svg == [{"alt": "A chart", "src": "../figures/chart.svg", "loading": "lazy", "decoding": "async"}]
    # The parallel view is one folder deeper: the same files, from there.
    parallel = parse_html(out / "html/en/one/parallel/index.html")
    assert any(img.attrs.get("src") == "../../figures/photo-1600w.png" for img in parallel.find_all("img"))
    files = sorted(p.name for p in (out / "html/en/figures").iterdir())
    assert files == ["chart.svg", "photo-1600w.png", "photo-1600w.webp", "photo-480w.png", "photo-480w.webp",
                     "photo-960w.png", "photo-960w.webp", "small-480w.jpg", "small-480w.webp", "small-800w.jpg",
                     "small-800w.webp"]
    with Image.open(out / "html/en/figures/photo-960w.webp") as image:
        assert (image.format, image.size) == ("WEBP", (960, 640))
    site_bytes = sum(p.stat().st_size for p in (out / "html/en/figures").iterdir())
    assert site_bytes < (photo_root / "content/en/figures/photo.png").stat().st_size / 3


def test_a_linked_original_is_published(run, photo_root: Path, tmp_path: Path):
    doc = photo_root / "content/en/02-two.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n[The full photo](figures/photo.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    _build(run, photo_root, out)
    assert (out / "html/en/figures/photo.png").read_bytes() == (photo_root / "content/en/figures/photo.png").read_bytes()


def test_rebuild_makes_no_image_and_the_same_bytes(run, photo_root: Path, tmp_path: Path, monkeypatch):
    _build(run, photo_root, tmp_path / "one")
    made = []
    original = encode_module.encode
    monkeypatch.setattr("taiyaku.images.site.encode", lambda *a, **k: made.append(a) or original(*a, **k))
    (photo_root / "content/en/02-two.md").write_text("---\ntitle: Two\n---\n\nChanged.\n", encoding="utf-8")
    _build(run, photo_root, tmp_path / "two")  # a change elsewhere: the images come from the cache
    assert made == []
    # A fresh cache makes the same bytes (fixed encoder settings, no metadata, no time stamps).
    _build(run, photo_root, tmp_path / "three", "--cache-dir", tmp_path / "other-cache")
    assert len(made) == 10  # 6 + 4 variants; the Japanese copies are the same bytes, made once
    figures = [snapshot(tmp_path / name / "html/en/figures") for name in ("one", "two", "three")]
    assert figures[0] == figures[1] == figures[2]


@pytest.mark.parametrize(("data", "message"), [
    (b"not an image at all", "figures/photo.png cannot be read as an image (damaged, or not an image)"),
    ("tiff", "figures/photo.png is a TIFF image, which browsers cannot show: convert it to PNG or JPEG"),
])
def test_bad_image_is_named_at_its_line(run, photo_root: Path, tmp_path: Path, data, message):
    photo = photo_root / "content/en/figures/photo.png"
    if data == "tiff":
        Image.new("RGB", (20, 10)).save(photo, format="TIFF")
    else:
        photo.write_bytes(data)
    code, err = run("build", "--root", photo_root, "--out", tmp_path / "out", "--format", "html")
    assert code == 1
    assert f"content/en/01-one.md:7: image: {message}\n" in err
    assert "Traceback" not in err


def test_decompression_bomb_is_refused(run, photo_root: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    code, err = run("build", "--root", photo_root, "--out", tmp_path / "out", "--format", "html")
    assert code == 1
    assert ("content/en/01-one.md:7: image: figures/photo.png has more pixels than Pillow's limit "
            "(1,000,000): refused as a possible decompression bomb; scale it down\n") in err
    assert "Traceback" not in err


def test_truncated_image_is_named_at_its_line(run, photo_root: Path, tmp_path: Path):
    small = photo_root / "content/en/figures/small.jpg"
    small.write_bytes(small.read_bytes()[:5000])  # the header reads; the pixels do not
    code, err = run("build", "--root", photo_root, "--out", tmp_path / "out", "--format", "html",
                    "--cache-dir", tmp_path / "cache")
    assert code == 1
    assert "content/en/01-one.md:12: image: figures/small.jpg cannot be read as an image: image file is truncated" \
        in err
    assert "Traceback" not in err


def test_gif_and_webp_are_sized_without_a_picture(tmp_path: Path):
    import xml.etree.ElementTree as etree

    from taiyaku.images.site import responsive

    frames = [Image.new("P", (300, 200), colour) for colour in (1, 2)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:])
    Image.new("RGB", (2000, 1000)).save(tmp_path / "wide.webp")
    gif = responsive(etree.Element("img", {"src": "r:anim.gif", "alt": "a"}), tmp_path / "anim.gif", "anim.gif",
                     lambda rel: f"r:{rel}", eager=False)
    assert (gif.tag, gif.attrib) == ("img", {"src": "r:anim.gif", "alt": "a", "loading": "lazy", "decoding": "async",
                                             "width": "300", "height": "200"})
    webp = responsive(etree.Element("img", {"src": "r:wide.webp", "alt": "w"}), tmp_path / "wide.webp", "wide.webp",
                      lambda rel: f"r:{rel}", eager=True)
    assert (webp.tag, webp.attrib) == ("img", {
        "src": "r:wide-1600w.webp", "alt": "w", "srcset": "r:wide-480w.webp 480w, r:wide-960w.webp 960w, "
        "r:wide-1600w.webp 1600w", "sizes": "(max-width: 40rem) 100vw, 43rem", "width": "1600", "height": "800"})


def test_image_entries_unused_for_a_month_are_pruned(tmp_path: Path):
    import os
    import time

    from taiyaku.images.cache import ImageCache

    cache = ImageCache(tmp_path)
    old = cache.path("a" * 64, ".png")
    fresh = cache.path("b" * 64, ".png")
    for path in (old, fresh):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    os.utime(old, (time.time() - 31 * 86400,) * 2)
    assert cache.prune() == 1
    assert not old.exists() and fresh.exists()
    os.utime(fresh, (time.time() - 31 * 86400,) * 2)
    assert cache.get("b" * 64, ".png", lambda: b"y") == b"x"  # a use keeps it another month
    assert cache.prune() == 0


def test_a_drawing_is_lossless_in_webp(tmp_path: Path):
    import io

    from PIL import ImageDraw

    from taiyaku.images.cache import ImageCache
    from taiyaku.images.site import variant_files

    chart = Image.new("RGB", (1000, 500), "white")
    ImageDraw.Draw(chart).rectangle((100, 100, 300, 480), fill=(200, 30, 30))
    chart.save(tmp_path / "chart.png")
    made = dict(variant_files(tmp_path / "chart.png", variants_for(tmp_path / "chart.png", "chart.png"),
                              ImageCache(tmp_path / "cache")))
    webp = next(data for variant, data in made.items() if variant.rel_path == "chart-1000w.webp")
    with Image.open(io.BytesIO(webp)) as decoded:
        assert decoded.convert("RGB").tobytes() == chart.tobytes()  # every pixel as drawn


def test_a_name_with_a_space_or_comma_stays_one_candidate(run, make_root, tmp_path: Path):
    root = make_root("minimal")
    (root / "content/en/figures").mkdir()
    Image.new("RGB", (600, 300), "teal").save(root / "content/en/figures/sea, at dusk.jpg")
    doc = root / "content/en/02-two.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n![The sea](<figures/sea, at dusk.jpg>)\n", encoding="utf-8")
    out = tmp_path / "out"
    _build(run, root, out)
    img = parse_html(out / "html/en/two/index.html").find_all("img")[0].attrs
    assert img["srcset"] == "../figures/sea%2C%20at%20dusk-480w.jpg 480w, ../figures/sea%2C%20at%20dusk-600w.jpg 600w"
    assert (out / "html/en/figures/sea, at dusk-600w.jpg").is_file()


def test_a_replaced_image_is_sized_again_in_the_same_process(photo_root: Path):
    """`serve` keeps renderings in memory: a page must not keep the old image's size."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pipeline import BuildOptions, load_volume

    def first_img() -> tuple[str, str]:
        volume = load_volume(BuildOptions(photo_root), Diagnostics())
        html = volume.documents["en"][0].html
        return html[html.index("<img"):].split('width="')[1].split('"')[0], html.count("-1600w")

    assert first_img() == ("1600", 3)  # the WebP and PNG srcsets, the src
    Image.new("RGB", (700, 350)).save(photo_root / "content/en/figures/photo.png")
    assert first_img() == ("700", 0)


@pytest.mark.parametrize("mode", ["I;16", "CMYK", "LA", "P"])
def test_any_mode_pillow_reads_gives_variants(tmp_path: Path, mode: str):
    import io

    from taiyaku.images.cache import ImageCache
    from taiyaku.images.site import variant_files

    grey = Image.linear_gradient("L").resize((600, 300))
    source = {"I;16": lambda: grey.convert("I").point(lambda v: v * 256).convert("I;16"),
              "CMYK": lambda: grey.convert("CMYK"), "LA": lambda: grey.convert("LA"),
              "P": lambda: grey.convert("P")}[mode]()
    name = "image.jpg" if mode == "CMYK" else "image.png"
    source.save(tmp_path / name)
    made = variant_files(tmp_path / name, variants_for(tmp_path / name, name), ImageCache(tmp_path / "cache"))
    assert [v.rel_path for v, _ in made][-1] == f"image-600w{Path(name).suffix}"
    with Image.open(io.BytesIO(made[-1][1])) as largest:
        assert largest.size == (600, 300)
        assert largest.convert("L").getextrema()[1] > 200  # not clipped to black (a 16-bit grey scaled to 8 bits)
