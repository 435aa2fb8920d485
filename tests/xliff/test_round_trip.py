"""``xliff export`` then ``import``: nothing changes that the translator did not change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from taiyaku.check import check_volume
from taiyaku.xliff.export import collect_units
from taiyaku.xliff.inline import write_segment
from taiyaku.xliff.frames import frame_of

from .conftest import snapshot
from .support import taiyaku

pytestmark = pytest.mark.slow  # whole-volume and bundle round trips

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
FORMATS = [("1.2", "xlf", ()), ("2.0", "xlf", ("--xliff-version", "2.0")), ("po", "po", ("--format", "po"))]


@pytest.mark.parametrize(("name", "suffix", "options"), FORMATS, ids=[f[0] for f in FORMATS])
def test_sample_round_trip_is_byte_identical(sample: Path, tmp_path: Path, name: str, suffix: str,
                                             options: tuple[str, ...]) -> None:
    before = snapshot(sample)
    exchange = tmp_path / f"all.{suffix}"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "--all", "-o", exchange, *options) == 0
    assert taiyaku(sample, "xliff", "import", exchange, "--dry-run") == 0
    assert taiyaku(sample, "xliff", "import", exchange) == 0
    assert snapshot(sample) == before


@pytest.mark.parametrize(("name", "suffix", "options"), FORMATS[::2], ids=[f[0] for f in FORMATS[::2]])
def test_cncf_glossary_round_trip_is_byte_identical(cncf_bundle: Path, tmp_path: Path, name: str, suffix: str,
                                                    options: tuple[str, ...]) -> None:
    before = snapshot(cncf_bundle)
    exchange = tmp_path / f"all.{suffix}"
    assert taiyaku(cncf_bundle, "xliff", "export", "--lang", "ja", "--all", "-o", exchange, *options) == 0
    assert taiyaku(cncf_bundle, "xliff", "import", exchange) == 0
    assert snapshot(cncf_bundle) == before


def _rewritten(root: Path) -> tuple[int, list[str]]:
    """Every block written back from its segment: how many, and those that came out different."""
    collected = collect_units(root, "ja", every=True)
    count, different = 0, []
    for doc in collected.export.documents:
        for unit in doc.units:
            for block, segment in ((unit.source_block, unit.source), (unit.translation_block, unit.target)):
                if block is None or segment is None:
                    continue
                framed = frame_of(block)
                assert framed is not None
                frame = framed[0]
                count += 1
                text = "\n".join(frame.wrap(write_segment(segment, table=frame.table, single_line=frame.single_line)))
                if text != block.text:
                    different.append(block.text)
    return count, different


def test_every_block_of_the_sample_is_written_back_as_it_was(sample: Path) -> None:
    # Not only unchanged units skipped: a block rebuilt from its segment (tags and escaped text) is the same.
    count, different = _rewritten(sample)
    assert count > 450 and different == []


def test_blocks_of_the_cncf_glossary_are_written_back_as_they_were(cncf_bundle: Path) -> None:
    # A few blocks gain an escape that renders the same (a `<>` in prose, a line starting `- ` inside a paragraph).
    count, different = _rewritten(cncf_bundle)
    assert count > 1000 and len(different) <= 2, different


def _pseudo(text: str) -> str:
    """A pseudo-translation: the text between its leading and trailing white space bracketed."""
    match = re.match(r"(\s*)(.*?)(\s*)$", text, re.S)
    assert match is not None
    return f"{match[1]}〔{match[2]}〕{match[3]}" if match[2] else text


def test_pseudo_translation_round_trip_builds_and_checks(sample: Path, tmp_path: Path) -> None:
    before = check_volume(sample, ["ja"]).counts()
    exchange = tmp_path / "all.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "--all", "-o", exchange) == 0
    tree = etree.parse(str(exchange))
    targets = tree.findall(".//x:trans-unit/x:target", NS)
    for target in targets:
        target.text = _pseudo(target.text or "")
        for child in target:
            child.tail = _pseudo(child.tail or "")
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    assert taiyaku(sample, "xliff", "import", exchange) == 0
    changed = [p for p in (sample / "content" / "ja").glob("*.md") if "〔" in p.read_text(encoding="utf-8")]
    assert len(changed) == 6
    errors, _ = check_volume(sample, ["ja"]).counts()
    assert errors <= before[0]
    assert taiyaku(sample, "build", "--format", "html", "--lang", "ja") == 0
    pages = list((sample / "build" / "html" / "ja").rglob("*.html"))
    assert pages
    assert any("〔" in p.read_text(encoding="utf-8") for p in pages)


def test_splicing_keeps_a_bom_and_crlf_line_ends() -> None:
    from taiyaku.xliff.splice import Edit, ValueEdit, apply_edits, line_edits

    data = "\ufeff---\r\ntitle: \"A\"\r\nkeywords: [\"x\", \"y\"]\r\n---\r\n\r\nOne.\r\n\r\nTwo.\r\n".encode()
    lines = data[3:].decode().replace("\r\n", "\n").split("\n")
    values = [ValueEdit(3, 11, 3, 14, '"エックス"'), ValueEdit(3, 16, 3, 19, '"ワイ"'), ValueEdit(2, 7, 2, 10, '"エー"')]
    edits = line_edits(lines, values) + [Edit(8, 8, 0, ("二。",)), Edit(8, 7, 1, ("新しい段落。", ""))]
    assert apply_edits(data, edits).decode() == \
        "\ufeff---\r\ntitle: \"エー\"\r\nkeywords: [\"エックス\", \"ワイ\"]\r\n---\r\n\r\nOne.\r\n\r\n新しい段落。\r\n\r\n二。\r\n"


def test_blocks_merged_split_or_omitted_on_purpose_are_left_out(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    root = tmp_path / "markers"
    shutil.copytree(Path(__file__).parents[1] / "check" / "roots" / "markers", root)
    before = snapshot(root)
    exchange = tmp_path / "all.xlf"
    assert taiyaku(root, "xliff", "export", "--lang", "ja", "--all", "-o", exchange) == 0
    err = capsys.readouterr().err
    assert "content/ja/01-merged.md: 2 block(s) merged, split or omitted on purpose left out (source line 5…)" in err
    assert "content/ja/04-omitted.md: 1 block(s)" in err
    ids = [u.get("id") for u in etree.parse(str(exchange)).findall(".//x:trans-unit", NS)]
    assert len(ids) == 12 and not [i for i in ids if i.startswith("04-omitted.md:b2")]
    assert taiyaku(root, "xliff", "import", exchange) == 0
    assert snapshot(root) == before
