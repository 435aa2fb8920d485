"""Issue 25: the compressed page content of a volume's last assembly is kept (``pdf/deflated.py``), so that a
rebuild compresses only the pages that changed, and writes the same bytes as without it."""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path

import deflate
import pikepdf
import pytest

from taiyaku.pdf.deflated import DeflateMemo, memo_path


def test_the_memo_gives_what_libdeflate_gives_and_keeps_only_what_was_used(tmp_path: Path) -> None:
    path = memo_path(tmp_path, "volume-en.pdf")
    first = DeflateMemo(path, 9)
    pages = [f"BT /F1 10 Tf ({n}) Tj ET\n".encode() * 50 for n in range(5)]
    made = [first.compress(page) for page in pages]
    assert made == [bytes(deflate.zlib_compress(page, 9)) for page in pages]
    assert [zlib.decompress(m) for m in made] == pages
    first.save()
    second = DeflateMemo(path, 9)
    assert second.compress(pages[0]) == made[0] and second.hits == 1
    assert second.compress(b"a new page") == bytes(deflate.zlib_compress(b"a new page", 9)) and second.hits == 1
    second.save()
    third = DeflateMemo(path, 9)
    assert third.compress(pages[1]) == made[1] and third.hits == 0  # not used by the last assembly: gone
    assert DeflateMemo(path, 6).compress(b"a new page") == bytes(deflate.zlib_compress(b"a new page", 6))


@pytest.mark.parametrize("damage", [b"", b"TYDM1 0.0.0 9\n", lambda data: data[:-3], lambda data: data[:20]])
def test_a_damaged_memo_is_an_empty_one(tmp_path: Path, damage) -> None:
    path = memo_path(tmp_path, "v")
    memo = DeflateMemo(path, 9)
    memo.compress(b"x" * 100)
    memo.save()
    data = path.read_bytes()
    path.write_bytes(damage(data) if callable(damage) else damage)
    again = DeflateMemo(path, 9)
    assert again.compress(b"x" * 100) == bytes(deflate.zlib_compress(b"x" * 100, 9)) and again.hits == 0


@pytest.mark.pdf
def test_a_rebuild_compresses_the_changed_pages_only_and_writes_the_same_volume(
        make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    cache = tmp_path / "cache"
    assert run("build", "--root", root, "--format", "pdf", "--out", tmp_path / "a", "--cache-dir", cache)[0] == 0
    assert len(list(cache.rglob("deflated-*.bin"))) == 2  # one per volume
    source = root / "content/en/02-two.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    # The volume is assembled in a worker; the build says (-v) how many streams it compressed.
    code, err = run("build", "-v", "--root", root, "--format", "pdf", "--out", tmp_path / "b", "--cache-dir", cache)
    assert code == 0
    volume = "pdf/minimal-en.pdf"
    (rebuilt,) = [int(found) for found in re.findall(r"minimal-en\.pdf: assembled in [\d.]+ s; (\d+) streams", err)]
    bare = tmp_path / "bare-cache"
    shutil.copytree(cache, bare)
    for memo in bare.rglob("deflated-*.bin"):
        memo.unlink()
    assert run("build", "--root", root, "--format", "pdf", "--out", tmp_path / "c", "--cache-dir", bare)[0] == 0
    from taiyaku.pdf.furniture import FURNITURE_ARTIFACT

    with pikepdf.open(tmp_path / "b" / volume) as pdf:
        stamped = sum(FURNITURE_ARTIFACT in page.obj.Contents.read_bytes() for page in pdf.pages)
    assert 0 < rebuilt < stamped  # the second paper's pages, not the first's
    assert (tmp_path / "b" / volume).read_bytes() == (tmp_path / "c" / volume).read_bytes()
