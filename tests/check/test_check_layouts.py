"""``taiyaku check`` on the layouts of Docusaurus and MkDocs (``[content] source`` and ``translations``).

The Docusaurus repository is shaped like UID2's documentation (tests/../shared/corpora/uid2docs.bundle): feature
branches that merge ``main`` into themselves before merging back, a bulk commit removing ``sidebar_position``
from every file in both languages, a source edit undone later, ``.mdx`` pages and ``_`` partials.
"""

from __future__ import annotations

from pathlib import Path

from taiyaku.config import load_config
from taiyaku.errors import Diagnostics
from taiyaku.read.layout import load_layout
from taiyaku.read.sources import read_volume

from .support import Repo, check_json, run_check

DOCUSAURUS = """\
source_language = "en"

[content]
source = "versioned_docs/version-3/{path}.{ext}"
translations = "i18n/{lang}/docusaurus-plugin-content-docs/version-3/{path}.{ext}"
"""
EN = "versioned_docs/version-3/"
JA = "i18n/ja/docusaurus-plugin-content-docs/version-3/"


def page(title: str, body: str, position: int | None = None) -> str:
    """A page with front matter; ``position`` a ``sidebar_position`` (not translatable)."""
    extra = f"sidebar_position: {position}\n" if position is not None else ""
    return f"---\ntitle: {title}\n{extra}---\n\n{body}\n"


def docusaurus(repo: Repo) -> dict[str, str]:
    """Build the branchy history; returns the commits the tests name."""
    repo.write("volume.toml", DOCUSAURUS)
    names = ("intro", "faq", "bulk", "sidebar", "reverted")
    for name in names:
        repo.write(f"{EN}{name}.md", page(name.title(), f"The {name} page, first version.", 1))
        repo.write(f"{JA}{name}.md", page(name.title(), f"{name}のページ、初版。", 1))
    repo.write(f"{EN}guide/tabs.mdx", "---\ntitle: Tabs\n---\n\nimport Tabs from '@theme/Tabs';\n\n"
               "<Tabs>\n\nInstall the tool.\n\n</Tabs>\n")
    repo.write(f"{EN}guide/_snippet.mdx", "A partial, never a page.\n")
    repo.write(f"{EN}missing.md", page("Missing", "Not translated yet."))
    commits = {"start": repo.commit("docs and their Japanese translation")}
    repo.git("branch", "-M", "main")

    # A translation made on a feature branch, while main changes the source: outdated once merged.
    repo.git("checkout", "-q", "-b", "ja-tabs")
    repo.write(f"{JA}guide/tabs.mdx", "---\ntitle: タブ\n---\n\nimport Tabs from '@theme/Tabs';\n\n"
               "<Tabs>\n\nツールを入れる。\n\n</Tabs>\n")
    commits["ja-tabs"] = repo.commit("ja: tabs")
    repo.git("checkout", "-q", "main")
    repo.write(f"{EN}guide/tabs.mdx", "---\ntitle: Tabs\n---\n\nimport Tabs from '@theme/Tabs';\n\n"
               "<Tabs>\n\nInstall the tool with `npm install`.\n\n</Tabs>\n")
    commits["tabs-edit"] = repo.commit("tabs: the install command")

    # A source edit on a branch that merges main into itself, then into main; the translation follows it.
    repo.git("checkout", "-q", "-b", "faq-edits")
    repo.write(f"{EN}faq.md", page("Faq", "The faq page, second version.", 1))
    repo.commit("faq: second version")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'main' into faq-edits", "main")
    repo.commits += 1
    repo.write(f"{JA}faq.md", page("Faq", "faqのページ、第二版。", 1))
    repo.commit("ja: faq second version")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'faq-edits'", "faq-edits")
    repo.commits += 1
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'ja-tabs'", "ja-tabs")
    repo.commits += 1

    # The source changes, then a bulk commit tidies both languages: the translation is still the old one.
    repo.write(f"{EN}bulk.md", page("Bulk", "The bulk page, second version.", 1))
    repo.commit("bulk: second version")
    # An edit undone later: no change to translate.
    repo.write(f"{EN}reverted.md", page("Reverted", "The reverted page, an edit.", 1))
    repo.commit("reverted: an edit")
    repo.write(f"{EN}reverted.md", page("Reverted", "The reverted page, first version.", 1))
    repo.commit("reverted: undo the edit")
    for name in names:
        for prefix, body in ((EN, f"The {name} page, first version."), (JA, f"{name}のページ、初版。")):
            text = (repo.root / f"{prefix}{name}.md").read_text(encoding="utf-8")
            repo.write(f"{prefix}{name}.md", text.replace("sidebar_position: 1\n", ""))
    commits["bulk"] = repo.commit("remove sidebar_position from every page")
    # A change of a key that holds nothing to translate.
    repo.write(f"{EN}sidebar.md", page("Sidebar", "The sidebar page, first version.", 4))
    repo.commit("sidebar: move it down")
    # And a plain source change on main.
    repo.write(f"{EN}intro.md", page("Intro", "The intro page, second version."))
    commits["intro"] = repo.commit("intro: second version")
    return commits


def outdated(report: dict) -> set[str]:
    return {d["translation"].removeprefix(JA) for d in report["languages"]["ja"]["documents"]
            if d["status"] == "outdated"}


def test_docusaurus_outdated_pages_are_exact(repo: Repo) -> None:
    commits = docusaurus(repo)
    code, report = check_json("--root", repo.root)
    assert code == 1
    truth = {"intro.md", "guide/tabs.mdx", "bulk.md"}
    found = outdated(report)
    assert (len(found & truth) / len(found), len(found & truth) / len(truth)) == (1.0, 1.0)
    docs = {(d["translation"] or d["source"]): d for d in report["languages"]["ja"]["documents"]}
    assert docs[f"{JA}guide/tabs.mdx"]["source"] == f"{EN}guide/tabs.mdx"
    assert docs[f"{JA}guide/tabs.mdx"]["translated_from"] == commits["ja-tabs"][:7]
    assert [c["subject"] for c in docs[f"{JA}guide/tabs.mdx"]["source_changes"]] == ["tabs: the install command"]
    # The bulk commit tidied both files: the translation was made at the start.
    assert docs[f"{JA}bulk.md"]["translated_from"] == commits["start"][:7]
    assert docs[f"{EN}missing.md"]["status"] == "missing"
    missing = docs[f"{EN}missing.md"]["problems"][0]
    assert missing["message"] == f"no translation: {JA}missing.md does not exist"
    assert report["languages"]["ja"]["summary"]["skipped"] == 0
    assert report["skipped"]["en"] == [f"{EN}guide/_snippet.mdx"]


def test_docusaurus_pin_and_paths_use_the_real_paths(repo: Repo) -> None:
    commits = docusaurus(repo)
    code, out, err = run_check("--root", repo.root, "--pin", repo.root / JA / "intro.md", "--lang", "ja",
                               repo.root / JA / "intro.md")
    assert "source_commit: " + commits["intro"] in (repo.root / JA / "intro.md").read_text(encoding="utf-8")
    code, report = check_json("--root", repo.root, repo.root / JA / "intro.md")
    docs = report["languages"]["ja"]["documents"]
    assert [(d["translation"], d["status"]) for d in docs] == [(f"{JA}intro.md", "complete")]
    code, out, err = run_check("--root", repo.root, "--pin", repo.root / EN / "intro.md")
    assert (code, err.strip()) == (2, f"error: --pin {repo.root / EN / 'intro.md'}: that is a source document; "
                                      f"pin its translation (i18n/<lang>/docusaurus-plugin-content-docs/version-3/intro.md)")
    code, out, err = run_check("--root", repo.root, repo.root / "volume.toml")
    assert code == 2 and "not a file or folder under" in err


def test_a_layout_cannot_build(repo: Repo) -> None:
    docusaurus(repo)
    diagnostics = Diagnostics()
    config = load_config(repo.root, diagnostics)
    assert config.languages == ["en", "ja"]  # found where the translations pattern puts them
    read_volume(repo.root, config, diagnostics)
    assert [str(d) for d in diagnostics.items] == [
        "volume.toml: config: [content] source/translations: this layout can be checked (taiyaku check) but not "
        "built: the site and the PDFs are built from content/<lang>/*.md; remove the [content] patterns or build "
        "from a copy in that layout"]


MKDOCS = """\
languages = ["en", "ja", "fr"]

[content]
source = "docs/{path}.{ext}"
translations = "docs/{path}.{lang}.{ext}"
"""


def test_mkdocs_suffix_layout(repo: Repo) -> None:
    repo.write("volume.toml", MKDOCS)
    repo.write("docs/index.md", page("Home", "Welcome."))
    repo.write("docs/index.ja.md", page("ホーム", "ようこそ。"))
    repo.write("docs/setup/install.md", page("Install", "Run the installer."))
    repo.write("docs/setup/install.ja.md", page("インストール", "インストーラーを実行する。"))
    repo.write("docs/setup/install.fr.md", page("Installation", "Lancez l'installateur."))
    repo.write("docs/old.ja.md", page("古い", "古いページ。"))
    repo.commit("docs in three languages")
    repo.write("docs/setup/install.md", page("Install", "Run the installer as root."))
    repo.commit("install: as root")
    code, report = check_json("--root", repo.root)
    ja = {(d["translation"] or d["source"]): d["status"] for d in report["languages"]["ja"]["documents"]}
    assert ja == {"docs/index.ja.md": "complete", "docs/setup/install.ja.md": "outdated", "docs/old.ja.md": "orphan"}
    fr = {(d["translation"] or d["source"]): d["status"] for d in report["languages"]["fr"]["documents"]}
    assert fr == {"docs/index.md": "missing", "docs/setup/install.fr.md": "outdated"}
    orphan = next(d for d in report["languages"]["ja"]["documents"] if d["status"] == "orphan")
    assert orphan["problems"][0]["message"] == ("no source: docs/old.md does not exist (remove the translation, "
                                                "or move it with its source)")


def test_layout_groups_and_keys() -> None:
    from taiyaku.config import ContentConfig

    content = ContentConfig(groups=[
        {"name": "docs", "source": "docs/{path}.{ext}", "translations": "i18n/{lang}/docs/{path}.{ext}"},
        {"name": "blog", "source": "blog/{path}.md", "translations": "i18n/{lang}/blog/{path}.md"}])
    layout = load_layout(content)
    assert layout.roots == ["blog/", "docs/", "i18n/"]
    assert layout.identify("i18n/ja/blog/2024/hello.md", "en", ["en", "ja"]) == ("ja", "blog/2024/hello.md")
    assert layout.identify("docs/intro.mdx", "en", ["en", "ja"]) == ("en", "docs/intro.mdx")
    assert layout.path_of("ja", "docs/intro.mdx", "en") == "i18n/ja/docs/intro.mdx"
    assert layout.identify("docs/.hidden/x.md", "en", ["en", "ja"]) is None


def test_layout_config_errors(tmp_path: Path) -> None:
    (tmp_path / "volume.toml").write_text('[content]\nsource = "docs/{name}.md"\ntranslations = "i18n/{path}.md"\n',
                                          encoding="utf-8")
    diagnostics = Diagnostics()
    load_config(tmp_path, diagnostics)
    assert [str(d) for d in diagnostics.items] == [
        "volume.toml:2: config: content.source: 'docs/{name}.md': unknown placeholder {name} (known: {lang}, "
        "{path}, {ext})",
        "volume.toml:3: config: content.translations: 'i18n/{path}.md': expected {lang} (where the language code "
        "goes)"]


def test_front_matter_change_already_followed_is_not_outdated(repo: Repo) -> None:
    """UID2 keeps sidebar labels in English: a label the translation already carries is no change to translate;
    a ``sidebar_position`` change never is one."""
    repo.write("volume.toml", DOCUSAURUS)
    repo.write(f"{EN}a.md", "---\ntitle: A\nsidebar_label: Server-side guide\nsidebar_position: 1\n---\n\nText.\n")
    first = repo.commit("en")
    repo.write(f"{JA}a.md", f"---\ntitle: A\nsidebar_label: Server-side guide\nsource_commit: {first}\n---\n\n本文。\n")
    repo.commit("ja")
    repo.write(f"{EN}a.md", "---\ntitle: A\nsidebar_label: Server-side\nsidebar_position: 2\n---\n\nText.\n")
    repo.commit("en: label and position")
    code, report = check_json("--root", repo.root)
    (doc,) = report["languages"]["ja"]["documents"]
    assert doc["status"] == "outdated"
    assert [p["message"].split(" since")[0] for p in doc["problems"] if p["kind"] == "source-changed"] == [
        "front matter 'sidebar_label' changed in the source"]
    repo.write(f"{JA}a.md", f"---\ntitle: A\nsidebar_label: Server-side\nsource_commit: {first}\n---\n\n本文。\n")
    repo.commit("ja: the label as in English")
    code, report = check_json("--root", repo.root)
    assert report["languages"]["ja"]["documents"][0]["status"] == "complete"


def test_build_says_a_layout_cannot_build(repo: Repo, capsys) -> None:
    from taiyaku import cli

    docusaurus(repo)
    code = cli.main(["build", "--root", str(repo.root), "--format", "html", "--out", str(repo.root / "out")])
    err = capsys.readouterr().err
    assert code == 1 and not (repo.root / "out").exists()
    assert "volume.toml: config: [content] source/translations: this layout can be checked (taiyaku check) but " \
           "not built" in err


def test_mkdocs_folder_layout_and_two_groups(repo: Repo) -> None:
    """mkdocs-static-i18n's folder structure (``docs/ja/…``), beside a blog group of its own."""
    repo.write("volume.toml", '[content]\ngroups = [\n'
               '  {name = "docs", source = "docs/{path}.{ext}", translations = "docs/{lang}/{path}.{ext}"},\n'
               '  {name = "blog", source = "blog/{path}.md", translations = "blog/{lang}/{path}.md"},\n]\n')
    repo.write("docs/index.md", page("Home", "Welcome."))
    repo.write("docs/ja/index.md", page("ホーム", "ようこそ。"))
    repo.write("blog/index.md", page("Release", "Version 2 is out."))
    repo.commit("docs and blog")
    code, report = check_json("--root", repo.root)
    assert list(report["languages"]) == ["ja"]
    docs = {(d["source"], d["translation"]): d["status"] for d in report["languages"]["ja"]["documents"]}
    assert docs == {("blog/index.md", None): "missing", ("docs/index.md", "docs/ja/index.md"): "complete"}
    missing = next(d for d in report["languages"]["ja"]["documents"] if d["status"] == "missing")
    assert missing["problems"][0]["message"] == "no translation: blog/ja/index.md does not exist"
