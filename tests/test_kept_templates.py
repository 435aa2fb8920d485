"""What a build's process used to make afresh from the templates, kept in the cache folder for the next one:
the compiled templates (Jinja's bytecode) and the UI strings Babel extracts from them."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from babel.support import NullTranslations

from taiyaku import i18n, theme
from taiyaku.i18n import UIStrings, extract_messages
from taiyaku.rendercache import RenderStore
from taiyaku.theme import make_environment, template_dirs


@pytest.fixture
def fresh_memory(monkeypatch: pytest.MonkeyPatch) -> theme._MemoryBytecodeCache:
    """The process's compiled templates and extracted strings forgotten, as in a new process."""
    cache = theme._MemoryBytecodeCache()
    monkeypatch.setattr(theme, "_BYTECODE", cache)
    monkeypatch.setattr(i18n, "_EXTRACTED", {})
    return cache


def test_a_template_compiled_by_one_build_is_loaded_by_the_next(make_root, tmp_path: Path, fresh_memory,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root("minimal")
    strings = UIStrings("en", NullTranslations(), [])
    theme.keep_compiled_templates(tmp_path / "cache")
    try:
        first = make_environment(root, strings).get_template("document.html")
        kept = sorted((tmp_path / "cache" / theme.TEMPLATES_CACHE).rglob("*.jbc"))
        assert kept  # document.html and the templates it extends or includes
        compiled: list[str] = []
        original = jinja2.Environment.compile
        monkeypatch.setattr(jinja2.Environment, "compile",
                            lambda self, *args, **kwargs: compiled.append(1) or original(self, *args, **kwargs))
        monkeypatch.setattr(theme, "_BYTECODE", theme._MemoryBytecodeCache())  # the next build's process
        theme.keep_compiled_templates(tmp_path / "cache")
        second = make_environment(root, strings).get_template("document.html")
        assert compiled == []
        assert second.filename == first.filename
        # An edited template is compiled again (Jinja checks the source's checksum).
        override = root / "templates" / "document.html"
        override.parent.mkdir(exist_ok=True)
        override.write_text((theme.THEME_ROOT / "templates" / "document.html").read_text(encoding="utf-8") + "\n<!-- x -->",
                            encoding="utf-8")
        monkeypatch.setattr(theme, "_BYTECODE", theme._MemoryBytecodeCache())
        theme.keep_compiled_templates(tmp_path / "cache")
        make_environment(root, strings).get_template("document.html")
        assert compiled == [1]
    finally:
        theme.keep_compiled_templates(None)


def test_damaged_compiled_templates_are_compiled_again(make_root, tmp_path: Path, fresh_memory) -> None:
    root = make_root("minimal")
    strings = UIStrings("en", NullTranslations(), [])
    theme.keep_compiled_templates(tmp_path / "cache")
    try:
        make_environment(root, strings).get_template("document.html")
        for number, path in enumerate((tmp_path / "cache" / theme.TEMPLATES_CACHE).rglob("*.jbc")):
            # Not bytecode at all, or cut inside the source checksum Jinja pickles after its magic.
            path.write_bytes(b"not bytecode" if number % 2 else path.read_bytes()[:20])
        theme._BYTECODE.store.clear()
        assert make_environment(root, strings).get_template("document.html").render  # compiled, not failed
    finally:
        theme.keep_compiled_templates(None)


def test_the_templates_strings_are_extracted_once_for_every_build(make_root, tmp_path: Path, fresh_memory,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folders = template_dirs(make_root("minimal"))
    store = RenderStore(tmp_path / "cache", "read")
    first = extract_messages(folders, store=store)
    assert any(isinstance(message.id, tuple) for message in first)  # plurals come back as tuples
    store.save()
    monkeypatch.setattr(i18n, "_EXTRACTED", {})  # the next build's process
    monkeypatch.setattr(i18n, "extract_from_file", lambda *args, **kwargs: pytest.fail("extracted again"))
    second = extract_messages(folders, store=RenderStore(tmp_path / "cache", "read"))
    assert [(m.id, m.locations, m.auto_comments, m.context) for m in second] == \
        [(m.id, m.locations, m.auto_comments, m.context) for m in first]


def test_templates_compiled_by_other_code_are_not_loaded(make_root, tmp_path: Path, fresh_memory,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """What Jinja compiles depends on the environment taiyaku makes (autoescape, trimming, i18n), which Jinja's own
    check does not see: compiled templates are kept per taiyaku code, and another code's are removed."""
    import taiyaku.rendercache

    root = make_root("minimal")
    strings = UIStrings("en", NullTranslations(), [])
    try:
        monkeypatch.setattr(taiyaku.rendercache, "code_digest", lambda: "a" * 64)
        theme.keep_compiled_templates(tmp_path / "cache")
        make_environment(root, strings).get_template("document.html")
        monkeypatch.setattr(theme, "_BYTECODE", theme._MemoryBytecodeCache())
        monkeypatch.setattr(taiyaku.rendercache, "code_digest", lambda: "b" * 64)
        compiled: list[int] = []
        original = jinja2.Environment.compile
        monkeypatch.setattr(jinja2.Environment, "compile",
                            lambda self, *args, **kwargs: compiled.append(1) or original(self, *args, **kwargs))
        theme.keep_compiled_templates(tmp_path / "cache")
        make_environment(root, strings).get_template("document.html")
        assert compiled
        assert [p.name for p in (tmp_path / "cache" / theme.TEMPLATES_CACHE).iterdir()] == ["b" * 16]
    finally:
        theme.keep_compiled_templates(None)
