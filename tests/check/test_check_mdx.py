"""MDX pages (Docusaurus): ESM, JSX and ``{…}`` lines are markup blocks, never prose, and counted in structure;
a redirect stub without a title is no error."""

from __future__ import annotations

from pathlib import Path

from taiyaku.read.mdx import split_mdx

from .support import check_json, run_check

LAYOUT = '[content]\nsource = "docs/{path}.{ext}"\ntranslations = "i18n/{lang}/docs/{path}.{ext}"\n'

EN = """\
---
title: Install
---

import Tabs from '@theme/Tabs';
import {
  TabItem,
} from '@theme/TabItem';

Install the tool first.

<Tabs
  groupId="os"
  values={[{label: 'macOS', value: 'mac'}]}>
<TabItem value="mac" label="macOS">

Run the installer from the disk image.

```sh
<Tabs>
import x from 'y';
```

</TabItem>
<TabItem value="linux" label="Linux">

Use the package manager of your distribution.

</TabItem>
</Tabs>

{/* Keep the two tabs in step. */}

<Link to="/guide">The guide</Link> explains the rest.
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_mdx_markup_is_blocks_of_its_own() -> None:
    body = EN.split("---\n", 2)[2]
    kinds = [(b.kind, b.line, b.end_line) for b in split_mdx(body, 4).blocks]
    assert kinds == [("html", 5, 8), ("paragraph", 10, 10), ("html", 12, 15), ("paragraph", 17, 17),
                     ("code", 19, 22), ("html", 24, 25), ("paragraph", 27, 27), ("html", 29, 30),
                     ("html", 32, 32), ("paragraph", 34, 34)]


def test_mdx_translation_checked_by_structure(tmp_path: Path) -> None:
    ja = (EN.replace("title: Install", "title: インストール")
          .replace("Install the tool first.", "まずツールをインストールする。")
          .replace("Run the installer from the disk image.", "ディスクイメージからインストーラーを実行する。")
          .replace("Use the package manager of your distribution.", "ディストリビューションのパッケージマネージャーを使う。")
          .replace("<Link to=\"/guide\">The guide</Link> explains the rest.", "残りは<Link to=\"/guide\">ガイド</Link>で。"))
    root = write(tmp_path, {"volume.toml": LAYOUT, "docs/install.mdx": EN, "i18n/ja/docs/install.mdx": ja})
    code, report = check_json("--root", root)
    (doc,) = report["languages"]["ja"]["documents"]
    assert (code, doc["status"], doc["problems"]) == (0, "complete", [])
    # A tab left out of the translation: the JSX that opens it and its paragraph have no counterpart.
    lines = ja.split("\n")
    del lines[23:29]
    (root / "i18n/ja/docs/install.mdx").write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run_check("--root", root)
    assert "i18n/ja/docs/install.mdx:24: block-missing: 2 blocks (lines 24–27: 1 HTML block, 1 paragraph) of the " \
           "source have no counterpart here" in out
    assert "untranslated" not in out


def test_a_page_without_a_title_is_no_error(tmp_path: Path) -> None:
    """Docusaurus redirect stubs (and Hugo data pages) have no title; only a title the source has is asked for."""
    stub = "import { Redirect } from '@docusaurus/router';\n\n<Redirect to=\"/docs/guides/x\" />;\n"
    root = write(tmp_path, {"volume.toml": LAYOUT, "docs/old.mdx": stub, "i18n/ja/docs/old.mdx": stub,
                            "docs/new.md": "---\ntitle: New\n---\n\nText.\n",
                            "i18n/ja/docs/new.md": "---\nsidebar_label: 新\n---\n\n本文。\n"})
    code, report = check_json("--root", root)
    docs = {d["translation"]: d for d in report["languages"]["ja"]["documents"]}
    assert (docs["i18n/ja/docs/old.mdx"]["status"], docs["i18n/ja/docs/old.mdx"]["problems"]) == ("complete", [])
    assert [(p["kind"], p["message"]) for p in docs["i18n/ja/docs/new.md"]["problems"]] == [
        ("front-matter-missing", "the source's front matter has 'title' (source line 2), the translation's does not")]


def test_md_read_as_mdx_when_configured(tmp_path: Path) -> None:
    """Docusaurus reads ``.md`` as MDX as well: ``[content] mdx`` says which files are."""
    en = "---\ntitle: A\n---\n\nimport Link from '@docusaurus/Link';\n\nText to translate.\n"
    ja = "---\ntitle: エー\n---\n\nimport Link from '@docusaurus/Link';\n\n訳す文。\n"
    root = write(tmp_path, {"volume.toml": LAYOUT, "docs/a.md": en, "i18n/ja/docs/a.md": ja})
    code, report = check_json("--root", root)
    assert [p["kind"] for p in report["languages"]["ja"]["documents"][0]["problems"]] == ["untranslated-block"]
    (root / "volume.toml").write_text(LAYOUT + 'mdx = ["*.md", "*.mdx"]\n', encoding="utf-8")
    code, report = check_json("--root", root)
    assert (code, report["languages"]["ja"]["documents"][0]["problems"]) == (0, [])
