"""Hostile input, generated: Markdown bodies, front matter, volume.toml, catalogs and file names.

Whatever the input, ``taiyaku build --format html`` and ``taiyaku check`` end with exit 0 or 1 and either a
result or ``path[:line]: category: message`` lines — never an exception out of ``cli.main`` (a traceback) — and
``check --format json`` prints valid JSON. Cases Hypothesis once found are kept under ``tests/fuzz/`` and run
as plain regression tests.

Profiles (``TAIYAKU_FUZZ=…``): ``ci`` (default: a few examples per test, a few seconds each, the same examples
every run, no example database) and ``long`` (``make fuzz``: many examples, failures remembered in ``.cache/hypothesis``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from taiyaku.cli import main

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "fuzz"
MINIMAL = TESTS / "roots" / "minimal"

settings.register_profile("ci", max_examples=12, deadline=None, database=None, print_blob=True, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=int(os.environ.get("TAIYAKU_FUZZ_EXAMPLES", "400")), deadline=None,
                          database=DirectoryBasedExampleDatabase(str(TESTS.parent / ".cache" / "hypothesis")),
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("TAIYAKU_FUZZ", "ci"))

DIAGNOSTIC = re.compile(
    r"^(?:error: |warning: )?"                  # the console's level prefix for lines that are not diagnostics
    r"(?:[^\n]+?(?::\d+)?: )?"                  # path[:line] (absent for run-wide messages)
    r"(?:warning: )?[a-z][a-z0-9 -]*: \S"        # the category
)
"""One console line of a run that found problems."""
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters other than newline and tab: a file name with a carriage return, printed raw, rewrites the
console line it is on."""
SUMMARY = re.compile(r"^(built \d+ files into |nothing changed since the last build|[^\n]*: \d+ pages)")


# -- running taiyaku ----------------------------------------------------------------------------------------

def taiyaku(*args: object) -> tuple[int, str, str]:
    """``cli.main`` in-process: (exit code, stdout, stderr); any exception but SystemExit fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module", autouse=True)
def no_search_index() -> Iterator[None]:
    """Pagefind (a second of its own per build) indexes what the build already made: not what is fuzzed here."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("taiyaku.site_output.write_search_index", lambda writer, diagnostics, early=None: None)
        mp.setattr("taiyaku.site_output.SiteOutput._index_early", lambda self, ctx: None)
        yield


@contextlib.contextmanager
def volume(files: dict[str, bytes | str]) -> Iterator[Path]:
    """A throwaway volume: the minimal one, with ``files`` (volume-relative path → content) written over it."""
    with tempfile.TemporaryDirectory(prefix="taiyaku-fuzz-") as tmp:
        root = Path(tmp) / "vol"
        shutil.copytree(MINIMAL, root, ignore=shutil.ignore_patterns(".taiyaku-cache"))
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, str):
                data = data.encode("utf-8", "surrogatepass")
            path.write_bytes(data)
        yield root


def assert_handled(root: Path) -> None:
    """Build (HTML) and check the volume: a result or located diagnostics, never a crash; JSON stays JSON."""
    code, _, err = taiyaku("build", "--root", root, "--out", root.parent / "out", "--format", "html", "--no-cache")
    assert code in (0, 1), err
    assert "Traceback" not in err
    assert not CONTROL.search(err), f"a control character on the console: {err!r}"
    for line in err.split("\n"):
        if line and not SUMMARY.match(line):
            assert DIAGNOSTIC.match(line), f"not a diagnostic: {line!r}"
    if code == 1:
        assert err.rstrip("\n").split("\n")[-1].startswith("error: "), err
        assert not (root.parent / "out").exists()  # nothing written by a failed build
    code, out, err = taiyaku("check", "--root", root, "--format", "json")
    assert code in (0, 1), err
    assert "Traceback" not in err
    report = json.loads(out)
    assert isinstance(report, dict) and "ok" in report


# -- strategies ----------------------------------------------------------------------------------------------

ODD = ["\x00", "\u200f", "\u202e", "\u200b", "\ufeff", "\u0301", "\r", "\t", "\x0b", "\x1b", "\ud7ff", "\uffff",
       "\U0001f600", "\u3000", "\u00a0", "\u2028"]
"""NUL, RTL marks and overrides, zero-width space, BOM, a combining accent, control and odd separators."""
MARKDOWN = ["# ", "## ", "\n", "\n\n", "*", "**", "_", "`", "```\n", "[", "]", "(", ")", "![", "[^1]", "[^1]: ",
            "[^x]", "> ", "- ", "1. ", "| a | b |\n|---|---|\n", "|", "<div>", "</div>", "<script>", "&amp;", "&#0;",
            "{#id}", "{: .cls}", "---\n", "\\", "<", ">", "](", "](02-two.md)", "](../en/01-one.md#x)",
            "](/etc/passwd)", "](file:///etc/passwd)", "{{ config }}", "{% raw %}", "<!--", "-->", "    code\n"]
JAPANESE = ["日本語", "。", "、", "「", "」", "ー", "ｶﾞ", "が", "か\u3099", "〜", "（", "）", "※", "①"]

fragments = st.one_of(st.sampled_from(MARKDOWN), st.sampled_from(ODD), st.sampled_from(JAPANESE),
                      st.text(max_size=12))
markdown_bodies = st.lists(fragments, max_size=60).map("".join)
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
              st.dates(), st.sampled_from(ODD)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
META_KEYS = ["title", "authors", "date", "draft", "slug", "abstract", "keywords", "order", "source_commit",
             "translation_of", "lang", "Title", "AUTHORS"]
front_matter_maps = st.dictionaries(st.one_of(st.sampled_from(META_KEYS), st.text(max_size=10)), yaml_values,
                                    max_size=6)
YAML_BITS = ["title: ", "authors:\n  - ", "- ", ": ", "{", "}", "[", "]", "&a ", "*a", "!!python/object ", "|\n",
             ">\n", "'", '"', "%YAML 1.1\n", "? ", "\t", "\n", "---\n", "...\n", "#", "<<: *a\n", "!!binary ",
             "2026-02-28", "0x1F", ".nan", "~"]  # an impossible date is a known case (tests/fuzz/impossible-date-*)
raw_front_matter = st.lists(st.one_of(st.sampled_from(YAML_BITS), st.sampled_from(ODD), st.text(max_size=8)),
                            max_size=30).map("".join)
TOML_BITS = ["title = ", 'languages = ["en", "ja"]', "languages = ", "slug = ", "source_language = ", "date = ",
             "page_size = ", "profile = ", "[en]", "[ja]", "[check]", "[content]", "[[x]]", '"', "'''", '"""', "=",
             "[", "]", "{", "}", "\n", "1979-05-27T07:32:00Z", "2026-02-30", "nan", "inf", "0o7", "true", ",", "#",
             "\\u0000", "\\", "exclude = ", "include = "]
toml_texts = st.lists(st.one_of(st.sampled_from(TOML_BITS), st.sampled_from(ODD), st.text(max_size=8)),
                      max_size=40).map("".join)
PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ja\\n"\n\n'
PO_BITS = ['msgid "', 'msgstr "', 'msgid_plural "', 'msgstr[0] "', 'msgctxt "', '"\n', "#, fuzzy\n", "#: x:1\n",
           "#~ ", "\\n", "\\", '"', "%(name)s", "%s", "{", "}", "\n", "\n\n", "Contents", "目次"]
po_texts = st.lists(st.one_of(st.sampled_from(PO_BITS), st.sampled_from(ODD), st.text(max_size=8)),
                    max_size=40).map(lambda bits: PO_HEADER + "".join(bits))
# Control characters are left out: that they are printed raw is a known case (tests/fuzz/carriage-return-in-file-name).
name_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/")
file_names = st.one_of(
    st.text(name_chars, min_size=1, max_size=40),
    st.builds(lambda base, form: unicodedata.normalize(form, base), st.sampled_from(["café", "が", "Å", "ﬁ", "①"]),
              st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"])),
    st.integers(200, 251).map(lambda n: "x" * n),   # with ".md", up to the 255-byte limit of a name
    st.sampled_from(["-rf", " lead", "trail ", "\u202egnp.md", "\u200f", "index", "_index", "CON", "a.b.c"]))


PATH_BITS = ["..", ".", "/", "%2e%2e", "%2F", "%00", "\x00", "\x01", "\x1f", "CON", "NUL", "aux.md", "x.md",
             "figures", "#frag", "?q=1", "%", "%zz", "~", " ", "\\", "C:", "//host", "file:", "日本語"]
path_targets = st.one_of(
    st.lists(st.one_of(st.sampled_from(PATH_BITS), st.text(name_chars, max_size=6)), max_size=30).map("".join),
    st.integers(250, 600).map(lambda n: "a" * n + ".md"),                       # one name longer than NAME_MAX
    st.integers(250, 600).map(lambda n: "b" * n + ".png"),
    st.integers(100, 2100).map(lambda n: "c/" * n + "x.md"),                     # deep, past PATH_MAX
    st.integers(1, 40).map(lambda n: "../" * n + "etc/passwd"))
"""Link and image targets: long names and components, deep nesting, ``..``, percent-encoding, NUL and control
characters, reserved names."""


def document(meta: str, body: str) -> str:
    """A Markdown document with front matter."""
    return f"---\n{meta}\n---\n\n{body}\n"


# -- properties ----------------------------------------------------------------------------------------------

@pytest.mark.slow
@given(body=markdown_bodies)
def test_any_markdown_body(body: str) -> None:
    with volume({"content/en/01-one.md": document("title: One", body),
                 "content/ja/01-one.md": document("title: 一", body)}) as root:
        assert_handled(root)


@pytest.mark.slow
@given(target=path_targets, image=st.booleans())
def test_any_link_or_image_target(target: str, image: bool) -> None:
    body = f"{'!' if image else ''}[x](<{target}>) and [y]({target.replace(' ', '%20')})"
    with volume({"content/en/01-one.md": document("title: One", body)}) as root:
        assert_handled(root)


@pytest.mark.slow
@given(meta=front_matter_maps)
def test_any_front_matter_mapping(meta: dict) -> None:
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    with volume({"content/ja/02-two.md": document(text, "本文。")}) as root:
        assert_handled(root)


@pytest.mark.slow
@given(meta=raw_front_matter)
def test_any_front_matter_text(meta: str) -> None:
    with volume({"content/en/02-two.md": document(meta, "Body.")}) as root:
        assert_handled(root)


@pytest.mark.slow
@given(toml=toml_texts)
def test_any_volume_toml(toml: str) -> None:
    with volume({"volume.toml": toml}) as root:
        assert_handled(root)


@pytest.mark.slow
@given(po=po_texts)
def test_any_catalog(po: str) -> None:
    with volume({"locales/ja/LC_MESSAGES/messages.po": po}) as root:
        assert_handled(root)


@pytest.mark.slow
@given(name=file_names, other=file_names)
def test_any_file_names(name: str, other: str) -> None:
    files: dict[str, bytes | str] = {}
    for lang, stem in (("en", name), ("ja", name), ("ja", other)):
        if len(f"{stem}.md".encode()) <= 255:
            files[f"content/{lang}/{stem}.md"] = document("title: T", "Body.")
    with volume(files) as root:
        assert_handled(root)


@pytest.mark.slow
@given(raw=st.binary(max_size=200))
def test_any_bytes_as_a_document(raw: bytes) -> None:
    with volume({"content/en/01-one.md": raw}) as root:
        assert_handled(root)


# -- the corpus of found cases -----------------------------------------------------------------------------

def corpus_cases() -> list:  # type: ignore[type-arg]
    """Each folder under ``tests/fuzz/`` is a volume overlay; an ``XFAIL`` file in it names the module at fault."""
    cases = []
    for case in sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []:
        marks = []
        if (case / "XFAIL").is_file():
            marks.append(pytest.mark.xfail(strict=True, reason=(case / "XFAIL").read_text(encoding="utf-8").strip()))
        cases.append(pytest.param(case, id=case.name, marks=marks))
    return cases


@pytest.mark.parametrize("case", corpus_cases())
def test_found_case(case: Path) -> None:
    files = {p.relative_to(case / "volume").as_posix(): p.read_bytes()
             for p in sorted((case / "volume").rglob("*")) if p.is_file()}
    with volume(files) as root:
        assert_handled(root)
