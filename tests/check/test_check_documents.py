"""Each problem class on its own fixture root, with the exact JSON ``taiyaku check --format json`` gives.

The roots are copied to a temporary folder, outside any git repository: history is not part of these tests
(see test_check_history.py).
"""

from __future__ import annotations

from typing import Any

from taiyaku.check import check_volume
from taiyaku.i18n import extract_messages
from taiyaku.theme import template_dirs

from .support import check_json, documents

NO_GIT = "not a git repository: outdated translations are not checked"
KEEP = "to keep it on purpose: <!-- taiyaku: ignore untranslated -->"


def problem(kind: str, severity: str, message: str, source_line: int | None, translation_line: int | None
            ) -> dict[str, Any]:
    """A problem object of the JSON contract."""
    return {"kind": kind, "severity": severity, "message": message, "source_line": source_line,
            "translation_line": translation_line}


def entry(name: str, status: str, *problems: dict[str, Any], silenced: int = 0, source: bool = True,
          translation: bool = True, lang: str = "ja") -> dict[str, Any]:
    """A document object of the JSON contract, outside git (no source changes, no base commit)."""
    return {"source": f"content/en/{name}" if source else None,
            "translation": f"content/{lang}/{name}" if translation else None, "status": status,
            "problems": list(problems), "source_changes": [], "source_commits": 0,
            "uncommitted_changes": False, "changed_blocks": [], "source_commit": None,
            "pin_key": "source_commit", "translated_from": None, "base_commit": None, "silenced": silenced}


def summary(documents: int, errors: int = 0, warnings: int = 0, drafts: int = 0, skipped: int = 0,
            **statuses: int) -> dict[str, int]:
    """A language summary object."""
    counts = {"documents": documents, "missing": 0, "orphan": 0, "outdated": 0, "incomplete": 0, "complete": 0}
    counts.update(statuses)
    return counts | {"drafts": drafts, "skipped": skipped, "errors": errors, "warnings": warnings}


def test_complete(check_root) -> None:
    code, report = check_json("--root", check_root("complete"))
    assert code == 0
    assert report["ok"] is True and report["source_language"] == "en" and report["notes"] == [NO_GIT]
    assert report["languages"]["ja"]["summary"] == summary(1, complete=1)
    assert report["languages"]["ja"]["documents"] == [entry("01-guide.md", "complete")]


def test_bom_and_crlf_change_nothing(check_root) -> None:
    root = check_root("complete")
    _, plain = check_json("--root", root)
    for path in (root / "content").rglob("*.md"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    code, converted = check_json("--root", root)
    assert code == 0
    assert converted == plain


def test_missing_orphan_and_drafts(check_root) -> None:
    code, report = check_json("--root", check_root("missing_orphan"))
    assert code == 1
    assert report["languages"]["ja"]["summary"] == summary(3, errors=2, drafts=1, missing=1, orphan=1, complete=1)
    assert report["languages"]["ja"]["documents"] == [
        entry("01-one.md", "complete"),
        entry("02-two.md", "missing", problem("translation-missing", "error",
              "no translation: content/ja/02-two.md does not exist", None, None), translation=False),
        entry("04-extra.md", "orphan", problem("translation-orphan", "error", "no source: content/en/04-extra.md "
              "does not exist (remove the translation, or move it with its source)", None, None), source=False),
    ]


def test_structure(check_root) -> None:
    code, report = check_json("--root", check_root("structure"))
    assert code == 1
    assert report["languages"]["ja"]["summary"] == summary(5, errors=5, incomplete=5)
    assert documents(report) == {
        "01-missing-section.md": entry("01-missing-section.md", "incomplete", problem(
            "section-missing", "error", "section 'Second' of the source (line 11, 1 block) is missing here", 11, 11)),
        "02-extra-section.md": entry("02-extra-section.md", "incomplete", problem(
            "section-extra", "error", "section '訳者あとがき' has no counterpart in the source", None, 9)),
        "03-missing-paragraph.md": entry("03-missing-paragraph.md", "incomplete", problem(
            "block-missing", "error", "a paragraph (line 7) of the source has no counterpart here (if the "
            "translation merged it into the block before, mark that one <!-- taiyaku: merged 2 -->)", 7, 7)),
        "04-extra-paragraph.md": entry("04-extra-paragraph.md", "incomplete", problem(
            "block-extra", "error", "a paragraph here has no counterpart in the source (a split paragraph: "
            "<!-- taiyaku: split N --> before its first part; a translator's note: <!-- taiyaku: added -->)",
            None, 9)),
        "05-block-kind.md": entry("05-block-kind.md", "incomplete", problem(
            "block-kind", "error", "a paragraph where the source has a figure (source line 7)", 7, 7)),
    }


def test_untranslated(check_root) -> None:
    code, report = check_json("--root", check_root("untranslated"))
    assert code == 1
    assert documents(report) == {
        "01-prose.md": entry("01-prose.md", "incomplete",
                             problem("untranslated-block", "error", "paragraph not translated: reads as English prose "
                                     f"and has no Japanese letters (source line 5; {KEEP})", 5, 5),
                             problem("untranslated-block", "error", "heading not translated: English words and no "
                                     f"Japanese letters (source line 7; {KEEP})", 7, 7)),
        # Names alone (NATO, Joseph S. Nye Jr.) and a citation kept as published are fine; prose is not.
        "02-notes.md": entry("02-notes.md", "incomplete",
                             problem("untranslated-block", "error", "list item not translated: reads as English "
                                     f"prose and has no Japanese letters (source line 9; {KEEP})", 9, 9),
                             problem("untranslated-block", "error", "footnote not translated: reads as English "
                                     f"prose and has no Japanese letters (source line 13; {KEEP})", 13, 13)),
        "03-quotation.md": entry("03-quotation.md", "complete", silenced=1),
    }


def test_same_script_pair_compares_with_the_source(check_root) -> None:
    """French and English share a script: only a block identical to its source counts as untranslated."""
    report = check_volume(check_root("latin_pair"), catalogs=False).to_json()
    assert documents(report, "fr") == {"01-pair.md": entry(
        "01-pair.md", "incomplete", problem("untranslated-block", "error", "paragraph not translated: identical to "
                                            f"the source (source line 5; {KEEP})", 5, 5), lang="fr")}


def test_references(check_root) -> None:
    code, report = check_json("--root", check_root("references"))
    assert code == 1
    assert report["languages"]["ja"]["summary"] == summary(2, errors=5, warnings=4, incomplete=2)
    assert documents(report) == {
        "01-footnotes.md": entry(
            "01-footnotes.md", "incomplete",
            problem("footnote-reference-missing", "error", "footnote call [^1] of the source (line 5) is missing", 5, 5),
            problem("footnote-moved", "warning", "footnote call [^3] of the source's block (line 7) is in another "
                    "block here", 7, 7),
            problem("footnote-missing", "error", "footnote [^1] of the source (line 11) has no definition here", 11, 11),
            problem("footnote-extra", "warning", "footnote [^t1] is not in the source (mark a translator's note with "
                    "<!-- taiyaku: added -->)", None, 15)),
        "02-media.md": entry(
            "02-media.md", "incomplete",
            problem("image-missing", "error", "1 image where the source has 2 (source line 5)", 5, 5),
            problem("image-differs", "warning", "image figures/chart-ja.svg differs from the source's "
                    "figures/chart.svg (source line 7)", 7, 7),
            problem("table-columns", "error", "2 cells where the source's row has 3 (source line 12)", 12, 12),
            problem("block-missing", "error", "a table row (line 13) of the source has no counterpart here", 13, 13),
            problem("link-differs", "warning", "link to https://example.org/guidelines of the source (line 16) not "
                    "found here", 16, 15)),
    }


def test_numbers_are_warnings(check_root) -> None:
    root = check_root("numbers")
    code, report = check_json("--root", root)
    assert code == 0  # warnings only
    assert report["ok"] is True
    # Full-width digits, 1,200 / 1200, 43 trillion / 43兆, 200 billion / 2,000億, 1951年, and "two" / "second"
    # spelled out in the source: no warning for 01-numbers.md.
    assert documents(report) == {
        "01-numbers.md": entry("01-numbers.md", "complete"),
        "02-missing.md": entry("02-missing.md", "complete", problem(
            "number-missing", "warning", "1960 of the source (line 5) not found here", 5, 5)),
    }
    strict_code, strict = check_json("--root", root, "--strict")
    assert strict_code == 1 and strict["ok"] is False and strict["strict"] is True


def test_front_matter(check_root) -> None:
    code, report = check_json("--root", check_root("front_matter"))
    assert code == 1
    assert documents(report) == {
        "01-draft.md": entry("01-draft.md", "incomplete", problem(
            "draft", "error", "marked draft: true, so the build leaves the translation out", None, 3)),
        "02-abstract.md": entry("02-abstract.md", "incomplete", problem(
            "front-matter-missing", "error", "the source's front matter has 'abstract' (source line 3), the "
            "translation's does not", 3, 3)),
        "03-title.md": entry(
            "03-title.md", "incomplete",
            problem("untranslated-front-matter", "error", "'title' is not translated: English words and no Japanese "
                    "letters", 2, 2),
            problem("front-matter-differs", "warning", "order 4 differs from the source's 3 (source line 3)", 3, 3)),
        # check: {ignore: [numbers]} silences the number warning.
        "04-ignore.md": entry("04-ignore.md", "complete", silenced=1),
    }


def test_markers(check_root) -> None:
    code, report = check_json("--root", check_root("markers"))
    assert code == 0
    assert documents(report) == {
        "01-merged.md": entry("01-merged.md", "complete"),
        "02-split.md": entry("02-split.md", "complete"),
        "03-added.md": entry("03-added.md", "complete"),
        "04-omitted.md": entry("04-omitted.md", "complete"),
        "05-unknown.md": entry("05-unknown.md", "complete", problem(
            "marker", "warning", "unknown taiyaku marker 'ignroe' (known: ignore, merged, split, added, omitted)",
            None, 5)),
    }


def test_markers_are_needed(check_root) -> None:
    """Without its markers, each of those translations is reported."""
    root = check_root("markers")
    for path in (root / "content" / "ja").glob("0[1-4]-*.md"):
        path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                                if "taiyaku:" not in line), encoding="utf-8")
    _, report = check_json("--root", root)
    kinds = {name: [p["kind"] for p in doc["problems"]] for name, doc in documents(report).items()}
    assert kinds == {"01-merged.md": ["block-missing"], "02-split.md": ["block-extra"],
                     "03-added.md": ["block-extra"], "04-omitted.md": ["block-missing"],
                     "05-unknown.md": ["marker"]}


def test_bad_input_is_reported_not_raised(check_root) -> None:
    code, report = check_json("--root", check_root("bad_input"))
    assert code == 1
    assert documents(report) == {
        "01-encoding.md": entry("01-encoding.md", "incomplete", problem(
            "encoding", "error", "not valid UTF-8 (byte 0xff at offset 31); save the file as UTF-8", None, 5)),
        "02-yaml.md": entry("02-yaml.md", "incomplete", problem(
            "front-matter", "error", "invalid YAML: a list starts here with '[' and is never closed with ']'", None, 3)),
    }
    catalog = report["languages"]["ja"]["catalog"]
    assert catalog["problems"] == [{"kind": "catalog-unreadable", "msgid": None, "line": 7, "severity": "error",
                                    "message": "cannot read catalog: Unknown or misformatted keyword"}]
    assert catalog["exists"] is True and catalog["total"] == 0


def test_catalog(check_root) -> None:
    root = check_root("catalog")
    code, report = check_json("--root", root)
    assert code == 1
    catalog = dict(report["languages"]["ja"]["catalog"])
    theme = catalog.pop("theme")
    used, used_translated = catalog.pop("used"), catalog.pop("used_translated")
    assert catalog == {
        "path": "locales/ja/LC_MESSAGES/messages.po", "exists": True, "total": 3, "translated": 1, "fuzzy": 1,
        "untranslated": 1, "obsolete": 1,
        "problems": [
            {"kind": "fuzzy-string", "msgid": "One more.", "line": 12, "severity": "error",
             "message": "'One more.' is marked fuzzy (the build leaves fuzzy entries out)"},
            {"kind": "untranslated-string", "msgid": "No longer translated.", "line": 16, "severity": "error",
             "message": "'No longer translated.' has no translation"},
            {"kind": "missing-string", "msgid": "Not in the catalog.", "line": None, "severity": "error",
             "message": "'Not in the catalog.' (used in partials/footer.html:3) is in no catalog: run "
                        "`taiyaku i18n extract` and `taiyaku i18n update`, then translate it"},
        ],
    }
    # The theme's own strings are all translated; the volume's template adds three, one of them translated
    # (and, overriding the theme's footer, leaves that footer's strings out of what the templates use).
    assert theme["path"] == "(theme) locales/ja/LC_MESSAGES/messages.po" and theme["untranslated"] == 0
    extracted = [m for m in extract_messages(template_dirs(root)) if m.id]
    assert (used, used_translated) == (len(extracted), len(extracted) - 2)
    assert report["languages"]["ja"]["summary"]["errors"] == 3


def test_catalog_missing_for_a_language_the_theme_does_not_ship(check_root) -> None:
    root = check_root("catalog_missing")
    code, report = check_json("--root", root)
    # A tree with neither locales/ nor templates/ of its own (a Hugo site) has no catalogs to check.
    assert report["languages"]["ko"]["catalog"] is None
    (root / "locales").mkdir()
    code, report = check_json("--root", root)
    assert code == 1
    catalog = report["languages"]["ko"]["catalog"]
    assert catalog["exists"] is False and catalog["theme"] is None
    assert [p["kind"] for p in catalog["problems"]] == ["catalog-missing"]
    assert catalog["problems"][0]["message"].startswith("no catalog for ko: ")
