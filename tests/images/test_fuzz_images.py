"""Damaged image files of every kind: the image code answers with an ImageProblem (a `path:line: image:` error),
never another exception (a traceback)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from taiyaku.images.cache import ImageCache
from taiyaku.images.info import ImageProblem, read_info
from taiyaku.images.print import print_images
from taiyaku.images.site import variant_files, variants_for


def _sample(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((1000, 300)).convert("RGB").save(out, format=fmt)
    return out.getvalue()


SAMPLES = [_sample(fmt) for fmt in ("PNG", "JPEG", "WEBP", "GIF")]
damaged = st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from(SAMPLES), st.integers(0, 4000)).map(lambda t: t[0][:t[1]]),  # cut short
    st.tuples(st.sampled_from(SAMPLES), st.integers(0, 200), st.binary(min_size=1, max_size=8))
    .map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1] + len(t[2]):]),  # a few header bytes overwritten
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=damaged, suffix=st.sampled_from([".png", ".jpg", ".webp", ".gif"]))
def test_a_damaged_file_is_an_image_problem(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"figure{suffix}"
        path.write_bytes(data)
        try:
            read_info(path)
            variant_files(path, variants_for(path, path.name), ImageCache(Path(folder) / "cache"))
        except ImageProblem:
            pass
        # The PDF's fetcher never fails: a copy, or the file as it is (None).
        copy = print_images("A4", "en", "screen", Path(folder) / "cache").serve(path)
        assert copy is None or copy.is_file()
