"""The WeasyPrint adapter: the only importer of WeasyPrint; each fix probed and switched on separately."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from taiyaku.pdf import weasy
from taiyaku.pdf.weasy import fix as fix_module

PDF_PACKAGE = Path(weasy.__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_only_the_adapter_imports_weasyprint() -> None:
    src = PDF_PACKAGE.parent
    importers = sorted(
        path.relative_to(src).as_posix() for path in src.rglob("*.py")
        if any(name.split(".")[0] in ("weasyprint", "pydyf") for name in _imports(path)))
    assert importers and all(path.startswith("pdf/weasy/") for path in importers), importers


def test_every_fix_applies_to_the_installed_weasyprint() -> None:
    assert fix_module.VERSION.startswith("70.")
    assert weasy.apply() == {"footnotes": True, "first-word-hyphen": True, "japanese-lines": True,
                             "hyphenation": True, "stylesheet-cache": True, "page-styles": True,
                             "leaders": True}
    from taiyaku.pdf.weasy.deferfonts import DEFERRED_FONTS  # switched on by the writing of a part

    assert DEFERRED_FONTS.applies()


def test_another_version_switches_off_only_the_bug_fixes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A WeasyPrint that may have repaired the footnote bugs keeps taiyaku's Japanese justification and
    hyphenation rules (features, not bug fixes); the stylesheet cache and the page styles, which know WeasyPrint
    70's ``CSS`` objects and page types, go off too, as does the leaders' (it knows how 70 fills a leader)."""
    monkeypatch.setattr(fix_module, "VERSION", "71.0")
    assert {fix.name: fix.applies() for fix in weasy.fixes()} == {
        "footnotes": False, "first-word-hyphen": False, "japanese-lines": True, "hyphenation": True,
        "stylesheet-cache": False, "page-styles": False, "leaders": False}


def test_a_changed_function_switches_off_its_fix_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import inline

    def text_align(context, line, width):  # type: ignore[no-untyped-def]  # a parameter gone
        return 0

    monkeypatch.setattr(inline, "text_align", text_align)
    assert {fix.name: fix.applies() for fix in weasy.fixes()} == {
        "footnotes": True, "first-word-hyphen": True, "japanese-lines": False, "hyphenation": True,
        "stylesheet-cache": True, "page-styles": True, "leaders": True}


def test_unpatched_restores_weasyprints_functions_and_reapplies() -> None:
    from weasyprint.layout import block, inline

    weasy.apply()
    with weasy.unpatched():
        assert block._linebox_layout.__module__ == "weasyprint.layout.block"
        assert inline.text_align.__module__ == "weasyprint.layout.inline"
        assert not any(fix.active for fix in weasy.fixes())
    assert block._linebox_layout.__module__ == "taiyaku.pdf.weasy.hyphenation"  # the outermost of two wrappers
    assert inline.text_align.__module__ == "taiyaku.pdf.weasy.japanese"
    assert all(fix.active for fix in weasy.fixes())


def _japanese_line_ends(html_body: str) -> list[float]:
    """Right edges (CSS px) of the non-final lines of a justified Japanese paragraph, and the measure."""
    html = ('<html lang="ja"><style>@page { size: 400px 400px; margin: 0 } body { margin: 0 } p { font: 16px "Noto Serif CJK JP"; '
            f'width: 310px; margin: 0; text-align: justify }}</style><body><p>{html_body}</p></body></html>')
    document = weasy.render(html)
    boxes = weasy.box_types()
    lines = [b for b in weasy.page_box(document.pages[0]).descendants() if isinstance(b, boxes.LineBox)]
    ends = []
    for line in lines[:-1]:
        texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
        ends.append(max(b.position_x + b.width for b in texts))
    return ends


JAPANESE = "日本の防衛関係費は、二〇一三年度から毎年増えている。" * 4


def test_japanese_lines_are_justified() -> None:
    weasy.apply()
    ends = _japanese_line_ends(JAPANESE)
    assert len(ends) >= 3 and all(end == pytest.approx(310, abs=0.5) for end in ends), ends


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="reproduces WeasyPrint justifying only at spaces: Japanese lines stay ragged "
                          "(fix 'japanese-lines')")
def test_unpatched_weasyprint_justifies_japanese_lines() -> None:
    with weasy.unpatched():
        ends = _japanese_line_ends(JAPANESE)
    assert all(end == pytest.approx(310, abs=0.5) for end in ends), ends
