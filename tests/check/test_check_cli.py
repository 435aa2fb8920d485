"""``taiyaku check`` as a command: the sample volume, text/JSON/HTML output, exit codes, usage errors, start-up."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import parse_html

from .support import REPO, Repo, check_json, documents, run_check

NO_GIT = "not a git repository: outdated translations are not checked"


def copy_sample(target: Path) -> Path:
    """The sample volume's own files (no git history) in ``target``."""
    for name in ("content", "locales", "templates", "images"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "volume.toml", target / "volume.toml")
    return target


def test_sample_volume_passes() -> None:
    code, out, err = run_check("--root", REPO)
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0].split() == ["language", "documents", "complete", "outdated", "incomplete", "missing", "orphan",
                                "UI", "strings"]
    assert lines[1].split()[:7] == ["ja", "6", "6", "0", "0", "0", "0"]
    assert lines[2:] == ["", "check passed: 0 errors, 0 warnings"]


def test_sample_volume_without_history(tmp_path: Path) -> None:
    code, report = check_json("--root", copy_sample(tmp_path / "sample"))
    assert code == 0
    assert report["notes"] == [NO_GIT] and report["errors"] == report["warnings"] == 0
    assert {doc["status"] for doc in report["languages"]["ja"]["documents"]} == {"complete"}
    assert report["languages"]["ja"]["catalog"]["problems"] == []


def test_text_report(check_root) -> None:
    root = check_root("structure")
    code, out, err = run_check("--root", root)
    assert (code, err) == (1, "")
    ui = out.splitlines()[2].split()[-1]
    assert out == (
        f"note: {NO_GIT}\n"
        "language  documents  complete  outdated  incomplete  missing  orphan  UI strings\n"
        f"ja                5         0         0           5        0       0  {ui:>10}\n"
        "\n"
        "content/ja/01-missing-section.md:11: section-missing: section 'Second' of the source (line 11, 1 block) "
        "is missing here\n"
        "content/ja/02-extra-section.md:9: section-extra: section '訳者あとがき' has no counterpart in the source\n"
        "content/ja/03-missing-paragraph.md:7: block-missing: a paragraph (line 7) of the source has no counterpart "
        "here (if the translation merged it into the block before, mark that one <!-- taiyaku: merged 2 -->)\n"
        "content/ja/04-extra-paragraph.md:9: block-extra: a paragraph here has no counterpart in the source (a split "
        "paragraph: <!-- taiyaku: split N --> before its first part; a translator's note: <!-- taiyaku: added -->)\n"
        "content/ja/05-block-kind.md:7: block-kind: a paragraph where the source has a figure (source line 7)\n"
        "\n"
        "check failed: 5 errors, 0 warnings\n")


def test_warnings_and_strict(check_root) -> None:
    root = check_root("numbers")
    code, out, _ = run_check("--root", root)
    assert code == 0
    assert "content/ja/02-missing.md:5: warning: number-missing: 1960 of the source (line 5) not found here\n" in out
    assert out.endswith("check passed: 0 errors, 1 warning\n")
    code, out, _ = run_check("--root", root, "--strict")
    assert code == 1 and out.endswith("check failed: 0 errors, 1 warning (--strict: warnings count)\n")


def test_json_to_a_file(check_root, tmp_path: Path) -> None:
    root = check_root("missing_orphan")
    target = tmp_path / "reports" / "status.json"
    code, out, err = run_check("--root", root, "--format", "json", "--output", target)
    assert (code, out) == (1, "")
    assert f"wrote {target}" in err
    report = json.loads(target.read_text(encoding="utf-8"))
    assert set(report) >= {"source_language", "ok", "languages"}
    assert report["ok"] is False
    assert set(report["languages"]["ja"]) >= {"summary", "documents", "catalog"}


def test_lang_narrows(check_root) -> None:
    root = check_root("complete")
    shutil.copytree(root / "content" / "ja", root / "content" / "fr")
    _, both = check_json("--root", root)
    assert list(both["languages"]) == ["fr", "ja"]
    code, only = check_json("--root", root, "--lang", "ja")
    assert code == 0 and list(only["languages"]) == ["ja"]


def test_html_report(repo: Repo, tmp_path: Path) -> None:
    repo.write("content/en/one.md", '---\ntitle: "One"\n---\n\nThe first paragraph, from 1951.\n')
    repo.write("content/ja/one.md", '---\ntitle: "一"\n---\n\n第一段落（1951年）。\n')
    repo.write("content/en/two.md", '---\ntitle: "Two"\n---\n\nThe second <document>.\n')
    repo.commit("Add one and two")
    repo.write("content/en/one.md", '---\ntitle: "One"\n---\n\nThe first paragraph, from 1952.\n')
    repo.commit("Correct the year")
    target = tmp_path / "status.html"
    code, _, _ = run_check("--root", repo.root, "--format", "html", "--output", target)
    assert code == 1
    page = parse_html(target)
    statuses = [el.text for el in page.find_all("span", class_="status")]
    assert "outdated" in statuses and "missing" in statuses
    changes = page.find("table", class_="changes")
    cells = [td.text for td in changes.find_all("td")]
    assert cells[1:] == ["The first paragraph, from 1951.", "The first paragraph, from 1952.", "第一段落（1951年）。"]
    assert [el.text for el in changes.find_all("del")] == ["1951"]
    assert [el.text for el in changes.find_all("ins")] == ["1952"]
    assert changes.find_all("td")[3].attrs["lang"] == "ja"
    assert "<document>" not in target.read_text(encoding="utf-8")  # everything is escaped


def test_usage_errors(check_root, tmp_path: Path) -> None:
    root = check_root("complete")
    assert run_check("--root", root, "--lang", "de")[::2] == (
        2, "error: --lang de: not a language of this volume (translations: ja)\n")
    assert run_check("--root", root, "--lang", "en")[::2] == (
        2, "error: --lang en: that is the source language; name a translation's language\n")
    assert run_check("--root", root, "--pin", "content/en/01-guide.md")[::2] == (
        2, "error: --pin content/en/01-guide.md: that is a source document; pin its translation "
           "(content/<lang>/01-guide.md)\n")
    assert run_check("--root", root, "--pin", "nowhere.md")[0] == 2
    assert run_check("--root", root, "--format", "yaml")[0] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run_check("--root", empty)
    assert (code, out) == (2, "")
    assert err == (f"error: no content/ folder under {empty}: a volume keeps its documents in content/<lang>/*.md "
                   "(or says where they are with [content] source and translations in volume.toml)\n")
    assert run_check("--root", tmp_path / "absent")[0] == 2


def test_pin_without_git_fails_cleanly(check_root) -> None:
    root = check_root("complete")
    before = (root / "content/ja/01-guide.md").read_bytes()
    code, out, err = run_check("--root", root, "--pin", "content/ja/01-guide.md")
    assert code == 1 and "Traceback" not in err
    assert err == "error: content/ja/01-guide.md: cannot pin: the volume is not in a git repository with commits\n"
    assert (root / "content/ja/01-guide.md").read_bytes() == before
    assert out.endswith("check passed: 0 errors, 0 warnings\n")


def test_quiet_keeps_stderr_empty(check_root) -> None:
    code, out, err = run_check("--root", check_root("complete"), "-q")
    assert (code, err) == (0, "") and out


def test_check_does_not_load_the_pdf_machinery(check_root) -> None:
    root = check_root("complete")
    code = (
        "import sys\n"
        "from taiyaku import cli\n"
        f"argv = ['check', '--root', {str(root)!r}, '-q']\n"
        "if 'check' in cli.COMMANDS:\n"
        "    status = cli.main(argv)\n"
        "else:\n"
        "    from taiyaku.check import check_volume\n"
        f"    status = check_volume(__import__('pathlib').Path({str(root)!r})).exit_code()\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('weasyprint', 'taiyaku.pdf')))\n"
        "print(status, loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "0 []"


def test_command_line_parser_does_not_load_the_checker() -> None:
    """Issue 20: every command makes the whole parser; ``check``'s options cost no import of the checker, its
    config reading or Babel (``build --help``, ``new`` and the others never use them)."""
    code = (
        "import contextlib, io, sys\n"
        "from taiyaku import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    cli.main(['build', '--help'])\n"
        "heavy = ('taiyaku.check.volume', 'taiyaku.check.document', 'taiyaku.config', 'taiyaku.read', 'babel', "
        "'yaml', 'jinja2', 'lxml')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_documents_helper_matches_contract(check_root) -> None:
    """Every document entry carries the contract's fields, with statuses from the fixed set."""
    _, report = check_json("--root", check_root("references"))
    for doc in documents(report).values():
        assert set(doc) >= {"source", "translation", "status", "problems", "source_changes"}
        assert doc["status"] in ("missing", "orphan", "outdated", "incomplete", "complete")
        for item in doc["problems"]:
            assert set(item) >= {"kind", "severity", "message", "source_line", "translation_line"}
            assert item["severity"] in ("error", "warning")


def test_bad_check_settings_are_reported(check_root) -> None:
    root = check_root("complete")
    (root / "volume.toml").write_text('[check]\nignore_commit_markers = "fix typo"\nmarkers = 1\ncatalogs = "no"\n'
                                      'pin_key = "a b"\n[content]\nexclude = "x"\n', encoding="utf-8")
    code, report = check_json("--root", root)
    assert code == 1
    assert report["problems"] == [
        {"path": "volume.toml", "line": 2, "kind": "config", "severity": "error",
         "message": "check.ignore_commit_markers: expected a list of strings, got 'fix typo'"},
        {"path": "volume.toml", "line": 3, "kind": "config", "severity": "error",
         "message": "check.markers: unknown setting (known: catalogs, equivalents, glossary, identifiers, "
                    "ignore_commit_markers, markdown, pin_key, style, style_severity, terminology, "
                    "translatable_keys)"},
        {"path": "volume.toml", "line": 4, "kind": "config", "severity": "error",
         "message": "check.catalogs: expected true or false, got 'no'"},
        {"path": "volume.toml", "line": 5, "kind": "config", "severity": "error",
         "message": "check.pin_key: expected a front matter key (letters, digits, '_', '-', '.'), got 'a b'"},
        {"path": "volume.toml", "line": 7, "kind": "config", "severity": "error",
         "message": "content.exclude: expected a list of strings, got 'x'"},
    ]
