"""``build --json``: the build's summary as JSON on stdout, the log on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taiyaku.pdf.jobs import TypesetReport

REPORT_KEYS = sorted(TypesetReport.__dataclass_fields__)


@pytest.mark.pdf
def test_summary_with_each_pdfs_typesetting_report(make_root, run, tmp_path: Path, capsys) -> None:
    root, out = make_root("minimal"), tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--json", "--no-cache")
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert err.splitlines()[-1] == (f"built 34 files into {out}: minimal-en.pdf (5 pages), minimal-ja.pdf (5 pages), "
                                    "minimal-en-ja.pdf (9 pages)")
    typesetting = {name: pdf.pop("typesetting") for name, pdf in summary["pdfs"].items()}
    assert summary == {
        "out_dir": str(out), "files": 34, "unchanged": False, "warnings": 0, "cached": [],
        "pdfs": {"minimal-en.pdf": {"pages": 5, "cached": False}, "minimal-ja.pdf": {"pages": 5, "cached": False},
                 "minimal-en-ja.pdf": {"pages": 9, "cached": False}},
    }
    # The facing edition's report: spreads, rows in step, blank share (taiyaku.facing.report).
    facing = typesetting.pop("minimal-en-ja.pdf")
    assert facing["rows"] == facing["rows_in_step"] > 0 and facing["pages"] == 9
    for report in typesetting.values():
        assert sorted(report) == REPORT_KEYS
        assert report["blank_pages"] == 0 and report["notes_on_next_page"] == 0
    assert typesetting["minimal-en.pdf"]["hyphenation_refused"] == {"capitalised": 10}


def test_html_only_and_unchanged(make_root, run, tmp_path: Path, capsys) -> None:
    root, out = make_root("minimal"), tmp_path / "out"
    assert run("build", "--root", root, "--out", out, "--format", "html", "--json")[0] == 0
    first = json.loads(capsys.readouterr().out)
    assert first == {"out_dir": str(out), "files": 14, "unchanged": False, "warnings": 0, "cached": [], "pdfs": {}}
    code, err = run("build", "--root", root, "--out", out, "--format", "html", "--json")
    assert (code, err) == (0, f"nothing changed since the last build into {out}\n")
    assert json.loads(capsys.readouterr().out) == {**first, "unchanged": True}


def test_a_failed_build_prints_no_json(make_root, run, tmp_path: Path, capsys) -> None:
    code, err = run("build", "--root", make_root("bad_yaml"), "--out", tmp_path / "out", "--json")
    assert code == 1 and err.endswith("error: build: 1 problem found; nothing was written\n")
    assert capsys.readouterr().out == ""
