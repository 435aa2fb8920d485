"""``taiyaku new`` writes a volume that builds and checks clean; ``taiyaku clean`` removes only taiyaku's output."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from taiyaku import config


@pytest.mark.pdf
def test_new_volume_builds_and_checks_clean(run, tmp_path: Path, capsys) -> None:
    target = tmp_path / "my-volume"
    code, err = run("new", target)
    assert (code, err) == (0, f"created {target}: volume.toml and content/en/, content/ja/\n"
                              f"next: taiyaku --root {target} serve\n")
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "content/en/01-first-paper.md", "content/en/figures/example.svg",
        "content/ja/01-first-paper.md", "content/ja/figures/example.svg", "volume.toml"]
    settings = tomllib.loads((target / "volume.toml").read_text(encoding="utf-8"))
    assert (settings["slug"], settings["languages"], settings["ja"]["title"]) == ("my-volume", ["en", "ja"],
                                                                                "新しい論集")

    code, err = run("--root", target, "build")
    assert code == 0
    assert "warning" not in err
    assert re.fullmatch(rf"built \d+ files into {re.escape(str(target / 'build'))}: my-volume-en\.pdf \(\d pages\), "
                        r"my-volume-ja\.pdf \(\d pages\)", err.splitlines()[-1]), err
    assert "[^1]" not in (target / "build/html/ja/first-paper/index.html").read_text(encoding="utf-8")

    code, _ = run("check", "--root", target, "--strict")
    assert code == 0
    assert capsys.readouterr().out.endswith("check passed: 0 errors, 0 warnings\n")


def test_every_setting_is_explained_in_the_new_volume_toml(run, tmp_path: Path) -> None:
    assert run("new", tmp_path / "v")[0] == 0
    text = (tmp_path / "v/volume.toml").read_text(encoding="utf-8")
    tables = {"": config.VolumeConfig, "ja": config.LanguageConfig, "check": config.CheckConfig}
    if hasattr(config, "ContentConfig"):
        tables["content"] = config.ContentConfig
    for table, schema in tables.items():
        for field in config.schema(schema).values():
            # Each key is set or shown commented out, after a comment line that explains it.
            found = re.search(rf"^# .+\n(?:# )?{field.name} = ", text, re.M)
            assert found, f"[{table}] {field.name} is not in the new volume.toml"


def test_new_refuses_a_folder_that_is_not_empty(run, tmp_path: Path) -> None:
    (tmp_path / "v").mkdir()
    (tmp_path / "v/notes.txt").write_text("mine", encoding="utf-8")
    code, err = run("new", tmp_path / "v")
    assert (code, err) == (1, f"error: config: {tmp_path / 'v'}: already exists and is not empty; choose a new "
                              "folder\n")
    assert [p.name for p in (tmp_path / "v").iterdir()] == ["notes.txt"]


def test_new_rejects_an_unknown_language(run, tmp_path: Path) -> None:
    code, err = run("new", tmp_path / "v", "--languages", "en,jp")
    assert (code, err) == (1, "error: config: --languages: 'jp' not a locale code Babel knows (such as en, ja, ko "
                              "or zh_Hant)\n")
    assert not (tmp_path / "v").exists()


def test_new_with_a_language_the_theme_lacks_starts_its_catalog(run, tmp_path: Path) -> None:
    target = tmp_path / "v"
    code, err = run("new", target, "--languages", "en,ja,ko")
    assert code == 0
    assert err.splitlines()[:2] == ["warning: content/ko/: a copy of the en text; translate it",
                                    f"created {target}: volume.toml and content/en/, content/ja/, content/ko/"]
    assert "warning: locales/ko/LC_MESSAGES/messages.po: translate the UI strings of ko there" in err
    assert (target / "locales/ko/LC_MESSAGES/messages.po").is_file()
    assert not (target / "locales/ja").exists()  # the theme translates Japanese


def test_clean_removes_only_what_taiyaku_made(run, tmp_path: Path) -> None:
    target = tmp_path / "v"
    assert run("new", target)[0] == 0
    (target / "build/html").mkdir(parents=True)
    (target / "build/pdf").mkdir()
    (target / ".taiyaku-cache").mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    assert run("clean", "--root", target) == (0, "removed build/, .taiyaku-cache/\n")
    assert sorted(p.name for p in target.iterdir()) == ["content", "notes.txt", "volume.toml"]
    assert run("clean", "--root", target) == (0, "removed nothing (there was no build output)\n")


def test_clean_leaves_a_build_folder_it_did_not_write(run, tmp_path: Path) -> None:
    target = tmp_path / "v"
    (target / "build/html").mkdir(parents=True)
    (target / "build/Makefile").write_text("all:\n", encoding="utf-8")
    code, err = run("--root", target, "clean")
    assert (code, err) == (1, "error: config: build/ holds Makefile, which taiyaku does not write; nothing was "
                              "removed (remove build/ yourself)\n")
    assert (target / "build/Makefile").is_file()


def test_clean_refuses_while_a_build_runs(run, tmp_path: Path) -> None:
    """A build holds its output lock and a shared lock on the cache: clean removes nothing under it."""
    from taiyaku.cache import cache_lock
    from taiyaku.lock import output_lock

    target = tmp_path / "v"
    assert run("new", target)[0] == 0
    (target / "build/html").mkdir(parents=True)
    (target / ".taiyaku-cache/parts").mkdir(parents=True)
    with output_lock(target / "build"):
        code, err = run("clean", "--root", target)
    assert code == 1 and "another build of this volume is running" in err, err
    with cache_lock(target / ".taiyaku-cache", exclusive=False) as held:
        assert held
        code, err = run("clean", "--root", target)
    assert code == 1 and "a build is using .taiyaku-cache/; nothing was removed" in err, err
    assert (target / "build/html").is_dir() and (target / ".taiyaku-cache/parts").is_dir()
    assert run("clean", "--root", target) == (0, "removed build/, .taiyaku-cache/\n")
    assert sorted(p.name for p in target.iterdir()) == ["content", "volume.toml"]
