"""The outputs registry: --format names, and a build of some outputs keeping the others' files in a folder they
share (``pdf/`` holds the volumes, the offprints and the facing edition)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from taiyaku.errors import ConfigError, Diagnostics
from taiyaku.outputs import REGISTRY, kept_files, load_output, parse_formats, select_outputs
from taiyaku.pipeline import BuildOptions, load_volume
from taiyaku.writer import OutputWriter

ROOTS = Path(__file__).parent / "roots"


def test_format_names_are_the_registry_s() -> None:
    assert parse_formats("html, pdf,html") == ("html", "pdf")
    assert set(REGISTRY) == {"pdf", "epub", "facing", "html"}
    with pytest.raises(ConfigError):
        parse_formats("html,mobi")


def test_the_site_runs_last_and_all_is_what_the_volume_enables(tmp_path: Path) -> None:
    volume = load_volume(BuildOptions(root=ROOTS / "minimal"), Diagnostics())
    assert [o.name for o in select_outputs(("all",), volume)] == ["pdf", "epub", "facing", "html"]
    assert [o.name for o in select_outputs(("html", "pdf"), volume)] == ["pdf", "html"]


def test_a_build_of_the_pdfs_keeps_the_facing_edition_and_the_other_way_round(tmp_path: Path) -> None:
    volume = load_volume(BuildOptions(root=ROOTS / "minimal"), Diagnostics())
    out = tmp_path / "out"
    files = ["pdf/minimal-en.pdf", "pdf/minimal-ja.pdf", "pdf/minimal-en/one.pdf", "pdf/minimal-en-ja.pdf"]
    for rel in files:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(rel.encode())
    for chosen, kept in ((["pdf"], ["pdf/minimal-en-ja.pdf"]), (["facing"], files[:3])):
        writer = OutputWriter(out, ["pdf"], carry=kept_files([load_output(n) for n in chosen], volume))
        try:
            staged = sorted(p.relative_to(writer.stage).as_posix() for p in writer.stage.rglob("*.pdf"))
        finally:
            writer.abort()
        assert staged == sorted(kept), chosen
    # A folder no other output shares: nothing to keep.
    assert kept_files([load_output("epub")], volume) is None
    shutil.rmtree(out)
