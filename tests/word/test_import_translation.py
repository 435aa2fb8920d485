"""A translator's Word file: imported with ``--lang ja --slug treaty-history`` it lands at the path of the
sample's own translation, is the same Markdown, and the volume checks."""

from __future__ import annotations

from pathlib import Path

from helpers import run_taiyaku

from .conftest import REPO, needs_pandoc
from .from_markdown import docx_from_markdown

DOC = "content/ja/02-treaty-history.md"

pytestmark = needs_pandoc


def test_translation_lands_beside_its_source_and_checks(sample: Path, tmp_path: Path) -> None:
    docx = docx_from_markdown(REPO / DOC).write(tmp_path / "翻訳.docx")
    original = (sample / DOC).read_bytes()
    (sample / DOC).write_bytes(original + "\n追記。\n".encode("utf-8"))  # an editor's change since

    code, err = run_taiyaku("--root", sample, "import", docx, "--lang", "ja", "--slug", "treaty-history")
    assert code == 1
    assert err.strip() == (f"error: {docx}: import: would overwrite {DOC}: add --force to replace them")

    (sample / DOC).unlink()
    code, err = run_taiyaku("--root", sample, "import", docx, "--lang", "ja", "--slug", "treaty-history")
    assert code == 0, err
    assert err.strip() == f"imported {docx} into {DOC} (30 notes)"
    # The translator's Word file gives back the sample's translation exactly: front matter, notes, table, list.
    assert (sample / DOC).read_bytes() == original
    code, err = run_taiyaku("--root", sample, "check")
    assert code == 0, err


def test_unchanged_reimport_is_allowed(sample: Path, tmp_path: Path) -> None:
    docx = docx_from_markdown(REPO / DOC).write(tmp_path / "translation.docx")
    code, err = run_taiyaku("--root", sample, "import", docx, "--lang", "ja", "--slug", "treaty-history", "--force")
    assert code == 0, err
    # Importing the same file again would write the same bytes: nothing is overwritten, so no --force is needed.
    code, err = run_taiyaku("--root", sample, "import", docx, "--lang", "ja", "--slug", "treaty-history")
    assert code == 0, err


def test_a_translations_figures_take_the_sources_names(sample: Path, tmp_path: Path) -> None:
    from .docx_builder import Docx, image, para

    doc = Docx()
    svg = (REPO / "content/ja/figures/defense-budget.svg").read_bytes()
    doc.media["rIdImg1"] = svg
    doc.media_ext["rIdImg1"] = "svg"
    doc.add(para("抑止の費用", style="Title"), para("本文。"), para(image("rIdImg1", "棒グラフ", 1)),
            para("図1　防衛関係費", style="Caption"))
    docx = doc.write(tmp_path / "paying.docx")
    code, err = run_taiyaku("--root", sample, "import", docx, "--lang", "ja", "--slug", "paying-for-deterrence",
                            "--force")
    assert code == 0, err
    text = (sample / "content/ja/03-paying-for-deterrence.md").read_text(encoding="utf-8")
    assert "![棒グラフ](figures/defense-budget.svg)\n図1　防衛関係費\n" in text
    assert (sample / "content/ja/figures/defense-budget.svg").read_bytes() == svg
    assert not (sample / "content/ja/figures/paying-for-deterrence-1.svg").exists()
