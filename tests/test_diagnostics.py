"""Bad input: exit 1, no traceback, exact ``path:line: category: message`` lines, previous output untouched."""

from __future__ import annotations

import pytest

from helpers import snapshot, staging_leftovers, SITE_CSS, SITE_JS

ONE = "error: build: 1 problem found; nothing was written"

# (root under tests/roots/, the exact lines the run prints, in order)
BAD_INPUT = [
    pytest.param("bad_yaml", [
        "content/ja/01-one.md:6: front-matter: invalid YAML: a value contains ': ': put the whole value in quotes",
        ONE,
    ], id="broken-yaml"),
    pytest.param("unclosed_front_matter", [
        "content/ja/01-one.md:1: front-matter: opening '---' has no closing '---'",
        ONE,
    ], id="unclosed-front-matter"),
    pytest.param("yaml_list", [
        "content/ja/01-one.md:2: front-matter: expected a mapping of keys to values, got list",
        ONE,
    ], id="yaml-not-a-mapping"),
    pytest.param("no_title", [
        "content/ja/01-one.md:2: front-matter: 'title' is required",
        ONE,
    ], id="missing-title"),
    pytest.param("bad_utf8", [
        "content/ja/01-one.md:6: encoding: not valid UTF-8 (byte 0xff at offset 42); save the file as UTF-8",
        ONE,
    ], id="invalid-utf8"),
    pytest.param("missing_image", [
        "content/en/01-one.md:7: content: an image points to 'figures/chart.svg', which is not a file of this volume",
        ONE,
    ], id="missing-image"),
    pytest.param("missing_link", [
        "content/en/01-one.md:7: content: a link points to '03-missing.md', which is not a file of this volume",
        ONE,
    ], id="missing-md-link"),
    pytest.param("unsafe_slug", [
        "content/ja/01-one.md:4: front-matter: slug 'a/b' is not one safe path segment "
        "(letters, digits, '.', '_', '-'; no '/')",
        ONE,
    ], id="unsafe-slug"),
    pytest.param("duplicate_slug", [
        "content/en/02-two.md:1: front-matter: slug 'same' is already used by content/en/01-one.md: "
        "set a different 'slug'",
        ONE,
    ], id="duplicate-slug"),
    pytest.param("slug_mismatch", [
        "content/ja/01-one.md:1: front-matter: slug 'ichi' differs from its source's 'one': a translation keeps "
        "the source's slug so the languages link up",
        ONE,
    ], id="translation-slug-differs"),
    pytest.param("empty_content", [
        "content: content: no language folders: put documents in content/<lang>/*.md (e.g. content/en/)",
        ONE,
    ], id="empty-content-folder"),
    pytest.param("empty_language", [
        "content/en: content: no Markdown documents (*.md) in this folder",
        ONE,
    ], id="empty-language-folder"),
    pytest.param("no_content", [
        "content: content: no content/ folder: put documents in content/<lang>/*.md",
        ONE,
    ], id="no-content-folder"),
    pytest.param("many_problems", [
        "content/en/01-one.md:5: content: a link points to '03-missing.md', which is not a file of this volume",
        "content/ja/01-one.md:3: front-matter: invalid YAML: a value contains ': ': put the whole value in quotes",
        "content/ja/02-two.md:5: encoding: not valid UTF-8 (byte 0xfe at offset 32); save the file as UTF-8",
        "error: build: 3 problems found; nothing was written",
    ], id="all-problems-of-a-run-together"),
    pytest.param("broken_source", [
        "content/en/01-one.md:2: front-matter: 'title' is required",
        ONE,
    ], id="broken-source-no-misleading-translation-warning"),
]


@pytest.mark.parametrize("name, expected", BAD_INPUT)
def test_bad_input_is_reported_and_keeps_previous_output(name, expected, make_root, run, previous_output):
    out, before = previous_output
    code, err = run("build", "--root", make_root(name), "--out", out)
    assert "Traceback" not in err
    assert err.splitlines() == expected
    assert code == 1
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


def test_bad_input_with_crlf_and_bom_counts_the_same_lines(make_root, run, previous_output):
    """Windows line endings and a UTF-8 byte order mark do not shift the reported line."""
    out, before = previous_output
    root = make_root("bad_yaml")
    path = root / "content/ja/01-one.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    code, err = run("build", "--root", root, "--out", out)
    assert err.splitlines() == [
        "content/ja/01-one.md:6: front-matter: invalid YAML: a value contains ': ': put the whole value in quotes",
        ONE,
    ]
    assert code == 1
    assert snapshot(out) == before


# Template errors: the same template fails on every page; the diagnostic is printed once.
TEMPLATE_ERRORS = [
    pytest.param("template_syntax", "templates/partials/footer.html:3: template: syntax error: Unexpected end of "
                 "template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost "
                 "block that needs to be closed is 'if'.", id="syntax-error"),
    pytest.param("template_runtime", "templates/partials/footer.html:4: template: UndefinedError: "
                 "'no_such_variable' is undefined", id="undefined-variable"),
]


@pytest.mark.pdf  # the site's plan fails after the PDFs' plan has handed papers to the workers (pdf/early.py)
@pytest.mark.parametrize("name, diagnostic", TEMPLATE_ERRORS)
def test_template_error_in_volume_override(name, diagnostic, make_root, run, previous_output):
    out, before = previous_output
    code, err = run("build", "--root", make_root(name), "--out", out)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[:-1] == [diagnostic]
    assert lines[-1].startswith("error: build: ") and lines[-1].endswith(" found; nothing was written")
    assert code == 1
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


@pytest.mark.parametrize("name", ["template_syntax", "template_runtime"])
def test_problem_count_matches_the_printed_diagnostics(name, make_root, run, tmp_path):
    code, err = run("build", "--root", make_root(name), "--out", tmp_path / "out", "--format", "html")
    assert err.splitlines()[-1] == ONE


MISSING_UI_STRING = ("locales/ja/LC_MESSAGES/messages.po: warning: catalog: UI string 'Something new' "
                     "(used in partials/footer.html:4) has no ja translation")


def test_missing_ui_string_is_a_warning(make_root, run, tmp_path):
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("ui_string"), "--out", out, "--format", "html")
    assert err.splitlines() == [MISSING_UI_STRING, f"built 10 files into {out}; 1 warning(s)"]
    assert code == 0
    assert "Something new" in (out / "html/ja/index.html").read_text(encoding="utf-8")


def test_missing_ui_string_fails_with_strict(make_root, run, previous_output):
    out, before = previous_output
    code, err = run("build", "--root", make_root("ui_string"), "--out", out, "--strict")
    assert "Traceback" not in err
    assert err.splitlines() == [
        MISSING_UI_STRING,
        "error: build: 1 problem found; nothing was written (--strict: warnings count)",
    ]
    assert code == 1
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


def test_translation_without_source_is_only_a_warning(make_root, run, previous_output):
    out, before = previous_output
    code, err = run("build", "--root", make_root("orphan_translation"), "--out", out, "--format", "html")
    assert err.splitlines() == [
        "content/ja/02-extra.md: warning: translation: no source document content/en/02-extra.md",
        f"built 11 files into {out}; 1 warning(s)",
    ]
    assert code == 0
    after = snapshot(out)
    assert sorted(after) == sorted([
        "html/404.html", "html/" + SITE_CSS, "html/" + SITE_JS, "html/en/index.html", "html/en/one/index.html",
        "html/index.html",
        "html/ja/extra/index.html", "html/ja/index.html", "html/ja/one/index.html",
        "html/en/one/parallel/index.html", "html/ja/one/parallel/index.html",
    ])
    assert "原文のない文書。" in after["html/ja/extra/index.html"].decode("utf-8")
    assert staging_leftovers(out) == []


# volume.toml: every key is checked and reported with its line.
CONFIG_ERRORS = [
    pytest.param("toml_syntax", ["volume.toml:3: config: TOML: Invalid value", ONE], id="toml-syntax"),
    pytest.param("toml_languages", [
        "volume.toml:2: config: languages: expected a list of locale codes, got 'jp'", ONE,
    ], id="languages-not-a-list"),
    pytest.param("toml_unknown_key", [
        "volume.toml:5: config: ja.titel: unknown setting (known: copyright, cover, cover_alt, cover_credit, cover_focus, "
        "disclaimer, editors, isbn, license, publisher, readings, series, subtitle, title, vertical)", ONE,
    ], id="unknown-key-in-language-table"),
    pytest.param("toml_date_precision", [
        "volume.toml:2: config: date_precision: unknown setting (known: base_url, copyright_year, cover, cover_focus, "
        "date, facing, languages, license, page_size, profile, slug, source_language)",
        "volume.toml:3: config: titel: unknown setting (known: base_url, copyright_year, cover, cover_focus, date, facing, "
        "languages, license, page_size, profile, slug, source_language)",
        "error: build: 2 problems found; nothing was written",
    ], id="unknown-top-level-keys"),
    pytest.param("toml_table_line", [
        "volume.toml:9: config: ja.editors: expected a list of names, got '編者'", ONE,
    ], id="line-of-a-key-in-the-second-table"),
    pytest.param("toml_bad_table", [
        "volume.toml:3: config: jp: a table must be named after a language (like [ja])", ONE,
    ], id="table-not-a-language"),
]


@pytest.mark.parametrize("name, expected", CONFIG_ERRORS)
def test_volume_toml_errors(name, expected, make_root, run, previous_output):
    out, before = previous_output
    code, err = run("build", "--root", make_root(name), "--out", out)
    assert "Traceback" not in err
    assert err.splitlines() == expected
    assert code == 1
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


# A volume's own catalog that Babel cannot read.
def test_broken_catalog_fails(make_root, run, previous_output):
    out, before = previous_output
    code, err = run("build", "--root", make_root("bad_catalog"), "--out", out)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 2 and lines[1] == ONE
    assert lines[0].startswith("locales/ja/LC_MESSAGES/messages.po:")
    assert ": catalog: cannot read catalog: Unknown or misformatted keyword" in lines[0]
    assert code == 1
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


def test_broken_catalog_names_the_bad_line(make_root, run, tmp_path):
    root = make_root("bad_catalog")
    bad = (root / "locales/ja/LC_MESSAGES/messages.po").read_text(encoding="utf-8").splitlines()
    assert bad[8 - 1] == "this line is not PO syntax"
    code, err = run("build", "--root", root, "--out", tmp_path / "out")
    assert err.splitlines()[0].startswith("locales/ja/LC_MESSAGES/messages.po:8: catalog: ")


def test_an_unclosed_quote_is_reported_where_it_starts(make_root, run, tmp_path) -> None:
    """PyYAML gives up at the end of the front matter; the build names the line the quote opens on."""
    root = make_root("minimal")
    (root / "content/en/01-one.md").write_text('---\ntitle: "One\nsubtitle: x\norder: 1\n---\n\nText.\n',
                                               encoding="utf-8")
    code, err = run("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 1
    assert err.splitlines()[0] == ("content/en/01-one.md:2: front-matter: invalid YAML: a quoted value starts here "
                                   "and is never closed: add the closing quote")
