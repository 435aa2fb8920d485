"""Problems the typesetter finds in the laid-out pages, named with their source file and line."""

from __future__ import annotations

from taiyaku.errors import Diagnostic


def test_missing_glyph_fails_the_build_naming_character_and_line(build_pdf) -> None:
    built = build_pdf("robustness")
    assert built.code == 1
    # "path:line: message", or "path:line: pdf: message" once the pipeline reports located problems itself.
    line = next(line for line in built.log.splitlines() if "U+E123" in line)
    assert line.startswith("content/en/01-problems.md:7: ") or "typesetting failed: content/en/01-problems.md:7: " in line
    assert "no font has the character '\\ue123' (U+E123): it would print as an empty box" in line
    assert not built.pdf("robust-en.pdf").exists()


def test_problems_are_located(build_pdf) -> None:
    built = build_pdf("robustness", profile="screen")
    (result,) = built.results
    problems = {(p.path, p.line, p.severity): p.message for p in result.problems}
    assert problems[("content/en/01-problems.md", 7, "error")].startswith("no font has the character")
    table = problems[("content/en/01-problems.md", 11, "warning")]
    assert table.startswith("table “Identifier Meaning an-identifier")
    assert "wider than the text block" in table
    assert all(isinstance(p, Diagnostic) for p in result.problems)
