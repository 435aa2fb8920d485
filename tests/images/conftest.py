"""A volume with a large photo (made on the fly: nothing binary is committed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .photos import noisy_photo

FIGURE = """![A noisy photo of a gradient](figures/photo.png)
Figure 1. A photo.

## {heading}

![A small photo](figures/small.jpg)

![A chart](figures/chart.svg)

"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n'


@pytest.fixture(scope="session")
def _photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The images, made once per session (the 3000×2000 PNG takes a second)."""
    folder = tmp_path_factory.mktemp("photos")
    noisy_photo(folder / "photo.png")
    noisy_photo(folder / "small.jpg", 800, 600, seed=1, fmt="JPEG")
    (folder / "chart.svg").write_text(SVG)
    return folder


@pytest.fixture
def photo_root(make_root, _photos: Path) -> Path:
    """The minimal volume with a 3000×2000 noisy PNG as its first figure, an 800×600 JPEG and an SVG, in both
    languages (line 7 of each 01-one.md names the photo, line 12 the JPEG, line 14 the SVG)."""
    root = make_root("minimal")
    for lang, heading in (("en", "A section"), ("ja", "ある節")):
        figures = root / "content" / lang / "figures"
        figures.mkdir()
        for image in _photos.iterdir():
            (figures / image.name).write_bytes(image.read_bytes())
        path = root / "content" / lang / "01-one.md"
        path.write_text(path.read_text(encoding="utf-8").replace(f"## {heading}\n", FIGURE.format(heading=heading)),
                        encoding="utf-8")
    return root
