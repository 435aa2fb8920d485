"""What a check run covers: ``check [PATH]...``, ``--lang`` isolation, and the checker on the build's volume."""

from __future__ import annotations

from pathlib import Path

from taiyaku.check import check_volume
from taiyaku.config import load_config
from taiyaku.errors import Diagnostics
from taiyaku.read.sources import read_volume

from .support import check_json, run_check

EN = '---\ntitle: "One"\n---\n\nThe first paragraph, from 1951.\n'
JA = '---\ntitle: "一"\n---\n\n第一段落（1951年）。\n'


def volume(root: Path) -> Path:
    """en and ja complete in two folders; ja misses one document; fr is broken."""
    files = {
        "content/en/guide/one.md": EN, "content/ja/guide/one.md": JA,
        "content/en/two.md": EN, "content/ja/two.md": JA,
        "content/en/three.md": EN,
        "content/fr/two.md": "---\ntitle: [broken\n---\n", "content/fr/orphan.md": "---\ntitle: Orphelin\n---\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def paths_checked(report: dict, lang: str = "ja") -> list[str]:
    return [d["translation"] or d["source"] for d in report["languages"][lang]["documents"]]


def test_paths_limit_the_check(tmp_path: Path) -> None:
    root = volume(tmp_path)
    code, report = check_json("--root", root, "--lang", "ja", root / "content/ja/guide")
    assert (code, paths_checked(report)) == (0, ["content/ja/guide/one.md"])
    code, report = check_json("--root", root, "content/en/three.md")
    assert (code, list(report["languages"]), paths_checked(report)) == (1, ["fr", "ja"], ["content/en/three.md"])
    code, report = check_json("--root", root, "content/ja")
    assert (code, list(report["languages"])) == (1, ["ja"])
    code, _, err = run_check("--root", root, "elsewhere")
    assert (code, err.strip()) == (2, f"error: elsewhere: not a file or folder under {root}/content/")


def test_another_language_never_fails_a_lang_run(tmp_path: Path) -> None:
    root = volume(tmp_path)
    (root / "content/ja/three.md").write_text(JA, encoding="utf-8")
    code, report = check_json("--root", root, "--lang", "ja")
    assert (code, report["problems"], list(report["languages"])) == (0, [], ["ja"])
    code, report = check_json("--root", root)
    assert code == 1 and report["languages"]["fr"]["summary"]["orphan"] == 1


def test_checker_takes_the_build_volume(tmp_path: Path) -> None:
    """The build's volume carries every file read (drafts too), so the checker reads no file again."""
    root = volume(tmp_path)
    (root / "content/en/draft.md").write_text("---\ntitle: Draft\ndraft: true\n---\n\nText.\n", encoding="utf-8")
    diagnostics = Diagnostics()
    config = load_config(root, diagnostics)
    loaded = read_volume(root, config, diagnostics, ["en", "ja"])
    assert "draft.md" in loaded.files["en"] and loaded.document("en", "draft") is None
    for files in loaded.files.values():
        for file in files.values():
            file.source.src_path.unlink()  # the checker must not need them any more
    report = check_volume(loaded, ["ja"], history=False)
    summary = report.languages["ja"].summary()
    assert (summary["complete"], summary["missing"], summary["drafts"]) == (2, 1, 1)
    pair = next(d for d in report.languages["ja"].documents if d.translation == "content/ja/two.md")
    assert [(len(s.source), len(s.translation)) for s in pair.alignment.sections[0][2]] == [(1, 1)]


def test_impossible_date_is_a_front_matter_error(tmp_path: Path) -> None:
    for lang in ("en", "ja"):
        (tmp_path / "content" / lang).mkdir(parents=True)
        (tmp_path / "content" / lang / "one.md").write_text("---\ntitle: T\ndate: 2026-13-45\n---\n\nBody.\n",
                                                            encoding="utf-8")
    code, out, err = run_check("--root", tmp_path)
    assert code == 1 and "Traceback" not in err
    assert ("content/ja/one.md:3: front-matter: invalid YAML: a value that looks like a date is not one (month "
            "must be in 1..12); quote it to keep it as text") in out.splitlines()


def test_check_of_a_tree_without_catalogs_loads_no_renderer(tmp_path: Path) -> None:
    """A cold check reads; it never loads Python-Markdown, Jinja or the PDF machinery."""
    import subprocess
    import sys

    root = volume(tmp_path)
    code = ("import sys; from taiyaku import cli; cli.main(['check', '--root', sys.argv[1], '--lang', 'ja', '-q']); "
            "print(sorted(m for m in ('markdown', 'jinja2', 'weasyprint') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=False)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
