"""The check's cache (``.taiyaku-cache/check/``): a warm check gives the cold check's report, byte for byte,
and compares only the pairs whose inputs changed."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from .support import REPO, Repo, run_check

ENTRIES = Path(".taiyaku-cache/check/entries.json")


def sample(repo: Repo) -> Repo:
    """The sample volume's documents, glossary and house style in a git repository, a source change committed
    and one uncommitted: findings of every kind (outdated, numbers, terms across documents, style)."""
    for folder in ("content/en", "content/ja"):
        shutil.copytree(REPO / folder, repo.root / folder, ignore=shutil.ignore_patterns("figures"))
    shutil.copy(REPO / "glossary.csv", repo.root / "glossary.csv")
    repo.write("volume.toml", 'title = "Sample"\n[check]\nglossary = "glossary.csv"\nstyle = "default"\n')
    # One source paragraph translated two ways (a finding across documents), a number lost, a house-style slip.
    for number, (name, translated) in enumerate((("04-co-development.md", "同盟の予算は十年で三分の一増えた。"),
                                                  ("05-networked-region.md", "委員会は何度も開かれた。"))):
        for lang, text in (("en", "The alliance budget grew by a third over the decade, in 1984 and after.\n"),
                           ("ja", translated + ("50%に達した。" if number else "") + "\n")):
            path = repo.root / "content" / lang / name
            path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    repo.commit("Add the volume")
    for name, extra in (("01-introduction.md", "A paragraph added in 1999.\n"),
                        ("02-treaty-history.md", "Another paragraph, about 42 bases.\n")):
        path = repo.root / "content/en" / name
        path.write_text(path.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
        if name.startswith("01"):
            repo.commit("Extend the introduction")
    return repo


def check(root: Path, *args: str) -> tuple[int, str]:
    """``taiyaku check --format json``: (exit code, the report as printed)."""
    code, out, err = run_check("--root", root, "--format", "json", *args)
    assert out, err
    return code, out


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The translations the check compares (``check_pair`` calls) in this test."""
    import taiyaku.check.document as document

    seen: list[str] = []
    real = document.check_pair

    def counting(source: Any, translation: Any, ctx: Any) -> Any:
        seen.append(translation.path)
        return real(source, translation, ctx)

    monkeypatch.setattr(document, "check_pair", counting)
    return seen


def test_warm_check_reports_what_a_cold_one_does(repo: Repo, compared: list[str]) -> None:
    root = sample(repo).root
    cold = check(root, "--no-cache")
    assert not (root / ENTRIES).exists()  # --no-cache keeps nothing
    assert len(compared) == 6
    first = check(root)
    assert (root / ENTRIES).is_file() and first == cold and len(compared) == 12
    report = json.loads(first[1])
    kinds = {p["kind"] for d in report["languages"]["ja"]["documents"] for p in d["problems"]}
    assert kinds == {"source-changed", "term-inconsistent", "term-missing", "number-missing", "style-full-width-percent"}
    assert report["languages"]["ja"]["summary"]["outdated"] == 2
    written, day = (root / ENTRIES).stat().st_mtime_ns, time.time() // 86400
    warm = check(root)
    assert warm == cold and len(compared) == 12  # nothing compared again
    if time.time() // 86400 == day:  # (entries are stamped with the day they were last used)
        assert (root / ENTRIES).stat().st_mtime_ns == written  # and nothing new to write
    # Findings across documents (the same source block translated two ways) come back from the cache too.
    assert json.loads(warm[1]) == report


def test_only_changed_pairs_are_compared_again(repo: Repo, compared: list[str]) -> None:
    root = sample(repo).root
    check(root)
    compared.clear()
    path = root / "content/ja/03-paying-for-deterrence.md"
    path.write_text(path.read_text(encoding="utf-8").replace("。", "。\n\n追加の段落。", 1), encoding="utf-8")
    warm = check(root)
    assert compared == ["content/ja/03-paying-for-deterrence.md"]
    assert warm == check(root, "--no-cache")
    # A commit moves HEAD: the history is read again, and the pairs whose history changed are compared again.
    repo.commit("ja: a paragraph more")  # (git add -A: the uncommitted source edit of 02 is committed with it)
    compared.clear()
    warm = check(root)
    assert compared == ["content/ja/02-treaty-history.md", "content/ja/03-paying-for-deterrence.md"]
    assert warm == check(root, "--no-cache")


def test_settings_are_part_of_the_key(repo: Repo) -> None:
    root = sample(repo).root
    check(root)
    repo.write("volume.toml", 'title = "Sample"\n[check]\nglossary = "glossary.csv"\nterminology = "error"\n')
    assert check(root) == check(root, "--no-cache")


@pytest.mark.parametrize("damage", [b"{not json", b'{"schema": 1, "code": "other", "entries": {}}', b"[]", b""])
def test_damaged_or_foreign_cache_is_ignored(repo: Repo, damage: bytes) -> None:
    root = sample(repo).root
    cold = check(root, "--no-cache")
    check(root)
    entries = json.loads((root / ENTRIES).read_bytes())
    (root / ENTRIES).write_bytes(damage)
    assert check(root) == cold
    assert json.loads((root / ENTRIES).read_bytes())["entries"].keys() == entries["entries"].keys()


def test_damaged_entries_are_not_trusted(repo: Repo) -> None:
    """Entries of the right file but unusable shape: the pair is compared again rather than failing."""
    root = sample(repo).root
    cold = check(root, "--no-cache")
    check(root)
    data = json.loads((root / ENTRIES).read_bytes())
    data["entries"] = {key: [day, "garbage"] for key, (day, _) in data["entries"].items()}
    (root / ENTRIES).write_text(json.dumps(data), encoding="utf-8")
    assert check(root) == cold


def test_cache_dir_and_gitignore(repo: Repo, tmp_path: Path) -> None:
    root = sample(repo).root
    elsewhere = tmp_path / "cache"
    check(root, "--cache-dir", str(elsewhere))
    assert (elsewhere / "check" / "entries.json").is_file() and not (root / ".taiyaku-cache").exists()
    check(root)
    # A cache made in someone's repository stays out of its git status.
    assert (root / ".taiyaku-cache/.gitignore").read_text(encoding="utf-8") == "*\n"
    assert ".taiyaku-cache" not in repo.git("status", "--porcelain", "--untracked-files=all")


def test_ui_catalogs_come_from_the_cache_until_a_catalog_changes(tmp_path: Path) -> None:
    """The sample's UI catalogs: the report is the same warm, and a changed catalog is read again."""
    from taiyaku import i18n
    from taiyaku.check import volume

    assert volume.UI_LANGUAGE == i18n.UI_SOURCE_LANGUAGE
    root = tmp_path / "sample"
    for name in ("content", "locales", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("figures", "*.mo"))
    shutil.copy(REPO / "volume.toml", root / "volume.toml")
    cold = check(root, "--no-cache")
    assert json.loads(cold[1])["languages"]["ja"]["catalog"]["used"] > 0
    assert check(root) == cold and check(root) == cold
    po = root / "locales/ja/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "A string nobody uses"\nmsgstr ""\n', encoding="utf-8")
    changed = check(root)
    assert changed == check(root, "--no-cache") and changed != cold


def test_front_matter_memory_keeps_only_what_json_gives_back(tmp_path: Path) -> None:
    """Parsed front matter is kept only when JSON returns it unchanged; each read gets its own copy."""
    import datetime as dt

    from taiyaku.check.cache import CheckCache

    memory = CheckCache(tmp_path).front_matter()
    plain = {"title": "One", "authors": [{"name": "A", "order": 1}], "weight": 1.5, "draft": False, "x": None}
    memory.put("title: One", plain)
    memory.put("date: 2026-01-01", {"date": dt.date(2026, 1, 1)})
    memory.put("1: one", {1: "one"})
    assert memory.get("title: One") == plain and memory.get("title: One") is not memory.get("title: One")
    assert memory.get("date: 2026-01-01") is None and memory.get("1: one") is None


def test_collector_thresholds_are_set_back(repo: Repo) -> None:
    """The check makes Python's cyclic collector rare while it runs (a third of its time went there), and only
    then: the build that calls it in-process gets its thresholds back, even when the check fails."""
    import gc

    from taiyaku.check import check_volume
    from taiyaku.check.model import CheckUsageError

    before = gc.get_threshold()
    check_volume(sample(repo).root)
    assert gc.get_threshold() == before
    with pytest.raises(CheckUsageError):
        check_volume(repo.root, ["xx"])
    assert gc.get_threshold() == before
