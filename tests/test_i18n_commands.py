"""``taiyaku i18n extract | init | update``: Babel's catalog workflow over the volume's and the theme's templates."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

from helpers import parse_html
from taiyaku.i18n import extract_messages
from taiyaku.theme import template_dirs

POT = "locales/messages.pot"
PO = "locales/ja/LC_MESSAGES/messages.po"


def count(root: Path) -> int:
    """How many UI strings the volume's pages can show (its templates' and the theme's): the theme grows."""
    return sum(1 for m in extract_messages(template_dirs(root)) if m.id)


def read_catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def test_extract_init_translate_update_build(make_root, run, tmp_path: Path) -> None:
    root = make_root("ui_string")
    n = count(root)

    code, err = run("i18n", "extract", "--root", root)
    assert (code, err) == (0, f"{POT}: {n} messages\n")
    pot = read_catalog(root / POT)
    ids = [(m.id, m.locations) for m in pot if m.id]
    # The volume's own templates first, then every theme string its pages can show.
    assert ids[:2] == [
        ("Published with taiyaku.", [("partials/footer.html", 3)]),
        ("Something new", [("partials/footer.html", 4)]),
    ]
    assert dict(ids)["Page not found"][0][0] == "404.html"
    # The theme's footer is overridden by the volume's, so its strings are not asked for.
    assert not any(name == "partials/footer.html" and line > 4 for _, locations in ids for name, line in locations)

    code, err = run("i18n", "init", "ja", "--root", root)
    assert (code, err) == (0, f"{POT}: {n} messages, unchanged\n"
                              f"{PO}: 1 messages to translate ({n - 1} more filled in from the theme)\n")
    catalog = read_catalog(root / PO)
    assert str(catalog.locale) == "ja"
    strings = {m.id: m.string for m in catalog if m.id}
    assert (strings["Published with taiyaku."], strings["Something new"]) == ("taiyakuで刊行。", "")
    assert strings["Page not found"] == "ページが見つからない"

    # A translator fills in one string and leaves a comment for the next one.
    po = root / PO
    text = po.read_text(encoding="utf-8")
    entry = '#: partials/footer.html:4\nmsgid "Something new"\nmsgstr ""\n'
    assert entry in text
    po.write_text(text.replace(entry, '# note\n#: partials/footer.html:4\nmsgid "Something new"\nmsgstr "新しいもの"\n'),
                  encoding="utf-8")

    # The template gets a new string; update extracts and merges it in.
    footer = root / "templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(
        "  </div>", '    <p class="added">{{ _("Another string") }}</p>\n  </div>'), encoding="utf-8")
    code, err = run("i18n", "update", "--root", root)
    assert (code, err) == (0, f"{POT}: {n + 1} messages\n{PO}: {n + 1} messages, 1 untranslated, 0 fuzzy\n")

    catalog = read_catalog(root / PO)
    messages = {m.id: m for m in catalog if m.id}
    assert len(messages) == n + 1
    assert messages["Something new"].string == "新しいもの"
    assert messages["Something new"].user_comments == ["note"]
    assert not messages["Something new"].fuzzy
    assert messages["Another string"].string == ""
    assert messages["Another string"].locations == [("partials/footer.html", 5)]
    assert "# note\n#: partials/footer.html:4\nmsgid \"Something new\"\nmsgstr \"新しいもの\"\n" in po.read_text(
        encoding="utf-8")

    # The build compiles the catalogs in memory: no .mo file is needed (or written).
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert err.splitlines() == [
        f"{PO}: warning: catalog: UI string 'Another string' (used in partials/footer.html:5) has no ja translation",
        f"built 10 files into {out}; 1 warning(s)",
    ]
    assert code == 0
    footer_ja = parse_html(out / "html/ja/index.html").find("footer")
    assert footer_ja.find("p", class_="note").text == "新しいもの"
    assert footer_ja.find("p", class_="generator").text == "taiyakuで刊行。"
    footer_en = parse_html(out / "html/en/index.html").find("footer")
    assert footer_en.find("p", class_="note").text == "Something new"
    assert list(root.rglob("*.mo")) == []


def test_update_fills_a_new_string_from_the_theme(make_root, run) -> None:
    root = make_root("ui_string")
    assert run("i18n", "init", "ja", "--root", root)[0] == 0
    po = root / PO
    # An older catalog lacks a theme string: update adds it with the theme's translation.
    catalog = read_catalog(po)
    assert catalog["Page not found"].string == "ページが見つからない"
    catalog.delete("Page not found")
    with po.open("wb") as handle:
        write_po(handle, catalog)
    code, err = run("i18n", "update", "--root", root)
    n = count(root)
    assert (code, err) == (0, f"{POT}: {n} messages, unchanged\n"
                              f"{PO}: {n} messages, 1 untranslated, 0 fuzzy (1 filled in from the theme)\n")
    assert read_catalog(po)["Page not found"].string == "ページが見つからない"


def test_bare_i18n_prints_its_usage(run, capsys) -> None:
    code, err = run("i18n")
    assert code == 2
    assert err.startswith("usage: taiyaku i18n [-h] [--root DIR] [-q | -v] SUBCOMMAND ...\n")
    assert "init         start a catalog for a new language with every UI string" in err


def test_extract_leaves_an_unchanged_template_alone(make_root, run) -> None:
    root = make_root("ui_string")
    assert run("i18n", "extract", "--root", root)[0] == 0
    before = (root / POT).read_bytes()
    code, err = run("i18n", "extract", "--root", root)
    assert (code, err) == (0, f"{POT}: {count(root)} messages, unchanged\n")
    assert (root / POT).read_bytes() == before


def test_init_refuses_to_overwrite_a_catalog(make_root, run) -> None:
    root = make_root("ui_string")
    assert run("i18n", "init", "ja", "--root", root)[0] == 0
    before = (root / PO).read_bytes()
    code, err = run("i18n", "init", "ja", "--root", root)
    assert (code, err) == (1, f"error: {PO}: catalog: already exists; use `taiyaku i18n update` to merge new strings\n")
    assert (root / PO).read_bytes() == before


def test_init_rejects_an_unknown_locale(make_root, run) -> None:
    root = make_root("ui_string")
    code, err = run("i18n", "init", "jp", "--root", root)
    assert (code, err) == (1, "error: config: 'jp' is not a locale code Babel knows (such as ko, zh_Hans or pt_BR)\n")
    assert not (root / "locales/jp").exists()


def test_compile_writes_mo_files(make_root, run) -> None:
    root = make_root("ui_string")
    assert run("i18n", "init", "ja", "--root", root)[0] == 0
    code, err = run("i18n", "compile", "--root", root)
    assert (code, err) == (0, "locales/ja/LC_MESSAGES/messages.mo\n")
    assert (root / "locales/ja/LC_MESSAGES/messages.mo").is_file()
