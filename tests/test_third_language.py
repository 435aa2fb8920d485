"""A third language from nothing: add ``ko``, follow the advice the build prints, translate the one catalog."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from helpers import html_pages, parse_html
from taiyaku.i18n import extract_messages
from taiyaku.theme import template_dirs

CATALOG = "locales/ko/LC_MESSAGES/messages.po"

KO_DOCS = {
    "01-one.md": "---\ntitle: 첫째\n---\n\n첫 번째 문서에는 주석이 있다.[^1] 다음에 [두 번째 문서](02-two.md)를 읽어라.\n\n"
                 "## 한 절\n\n절의 본문.\n\n[^1]: 첫 번째 문서의 주석.\n",
    "02-two.md": "---\ntitle: 둘째\n---\n\n두 번째 문서.\n",
}
ADVICE = re.compile(r"`taiyaku (i18n [a-z]+(?: [A-Za-z_]+)?)`")
# Latin words allowed on a Korean page: the generator's name; everything else Latin is untranslated UI text.
ALLOWED_LATIN = {"taiyaku"}


def translate_catalog(path: Path) -> int:
    """Fill every entry as a translator would, in Korean (placeholders kept); returns how many."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    count = 0
    for number, message in enumerate(m for m in catalog if m.id):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        placeholders = " ".join(re.findall(r"%\(\w+\)s", ids[-1]))
        text = f"번역{number} {placeholders}".strip()
        message.string = (text,) * catalog.num_plurals if isinstance(message.id, tuple) else text
        count += 1
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return count


def latin_words(element) -> list[str]:  # type: ignore[no-untyped-def]
    """Latin words in text whose language (from the nearest ``lang``) is Korean, scripts and styles aside."""
    found: list[str] = []
    for text, holder in element.text_nodes():
        if holder.tag not in ("script", "style") and holder.lang == "ko":
            found += [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED_LATIN]
    return found


def ui_string_count(root: Path) -> int:
    """How many UI strings the volume's pages can show (the theme's and its own templates')."""
    return sum(1 for m in extract_messages(template_dirs(root)) if m.id)


def test_korean_from_nothing_by_following_the_advice(make_root, run, tmp_path: Path, capsys) -> None:
    root = make_root("minimal")
    (root / "volume.toml").write_text('languages = ["en", "ja", "ko"]\ndate = "2026-09-19"\n\n[en]\ntitle = "minimal"\n\n[ko]\ntitle = "시험 권"\n',
                                      encoding="utf-8")
    (root / "content/ko").mkdir()
    for name, text in KO_DOCS.items():
        (root / "content/ko" / name).write_text(text, encoding="utf-8")
    count = ui_string_count(root)

    # The build says, once, that Korean has no catalog and what to run; the advice is followed literally.
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0
    assert err.splitlines()[0] == (f"{CATALOG}: warning: catalog: no catalog translates the UI into ko: its {count} "
                                   "strings stay in English; start one with `taiyaku i18n init ko` and translate it")
    advice = ADVICE.findall(err)
    assert advice == ["i18n init ko"]
    for command in advice:
        code, err = run(*command.split(), "--root", root)
        assert err.splitlines()[-1] == f"{CATALOG}: {count} messages to translate"

    assert translate_catalog(root / CATALOG) == count  # every UI string of the theme, in the one file
    code, _ = run("check", "--root", root, "--lang", "ko")
    report = capsys.readouterr().out
    assert code == 0, report
    assert re.search(rf"^ko\s+2\s+2\s+0\s+0\s+0\s+0\s+{count}/{count}$", report, re.M), report

    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 0
    assert "warning" not in err
    pages = html_pages(out / "html/ko")
    assert len(pages) >= 3
    for page in pages:
        tree = parse_html(page)
        assert tree.find("html").attrs["lang"] == "ko"
        # The body only: a parallel page's <title> names both documents, and <title> cannot mark a language.
        assert latin_words(tree.find("body")) == [], page
    # Babel names the original's language in Korean ("English" in the switcher is named in its own language).
    assert "영어" in parse_html(out / "html/ko/one/index.html").find("main").text


def test_update_brings_a_new_theme_string_into_the_catalog(make_root, run) -> None:
    root = make_root("ui_string")
    assert run("i18n", "init", "ko", "--root", root)[0] == 0
    catalog = root / CATALOG
    with catalog.open("rb") as handle:
        started = read_po(handle)
    # Babel knows Korean: one plural form, and the language named in the header.
    assert (started.num_plurals, str(started.locale), started.language_team) == (1, "ko", "ko <LL@li.org>")
    translate_catalog(catalog)
    footer = root / "templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(
        "  </div>", '    <p>{{ _("Brand new") }}</p>\n  </div>'), encoding="utf-8")
    count = ui_string_count(root)
    code, err = run("i18n", "update", "--root", root)
    assert (code, err) == (0, f"locales/messages.pot: {count} messages\n"
                              f"{CATALOG}: {count} messages, 1 untranslated, 0 fuzzy\n")
    with catalog.open("rb") as handle:
        messages = {m.id: m for m in read_po(handle) if m.id}
    assert messages["Brand new"].string == ""
    assert messages["Something new"].string.startswith("번역")


def test_checks_advice_followed_literally_completes_the_catalog(make_root, run, capsys) -> None:
    # A volume with templates of its own: `check` counts its UI strings and says what to run.
    root = make_root("ui_string")
    (root / "volume.toml").write_text('languages = ["en", "ja", "ko"]\n', encoding="utf-8")
    (root / "content/ko").mkdir()
    (root / "content/ko/01-one.md").write_text("---\ntitle: 하나\n---\n\n본문.\n", encoding="utf-8")
    count = ui_string_count(root)

    code, _ = run("check", "--root", root, "--lang", "ko")
    report = capsys.readouterr().out
    assert code == 1
    advice = ADVICE.findall(report)
    assert advice, report
    for command in advice:
        assert run(*command.split(), "--root", root)[0] == 0
    assert translate_catalog(root / CATALOG) == count

    code, _ = run("check", "--root", root, "--lang", "ko")
    report = capsys.readouterr().out
    assert code == 0, report
    assert re.search(rf"^ko\s+1\s+1\s+0\s+0\s+0\s+0\s+{count}/{count}$", report, re.M), report


def test_a_korean_paper_is_cited_the_korean_way_until_its_catalog_says_otherwise(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    (root / "volume.toml").write_text(
        'languages = ["en", "ja", "ko"]\ndate = "2026-09"\n\n'
        '[ko]\ntitle = "동맹 75년"\nsubtitle = "안보 협력의 미래"\neditors = ["이영희", "엘리너 휘트컴"]\n'
        'publisher = "할덴 태평양문제연구소"\n', encoding="utf-8")
    (root / "content/ko").mkdir()
    (root / "content/ko/01-one.md").write_text(
        "---\ntitle: 동맹의 역사\nsubtitle: 조약의 적응\nauthors:\n  - name: 홍길동\n  - name: 김철수\n---\n\n본문.\n",
        encoding="utf-8")
    out = tmp_path / "out"

    def line() -> str:
        paragraph = parse_html(out / "html/ko/one/index.html").find("p", class_="citation")
        assert paragraph.lang == "ko"
        return " ".join(paragraph.text.split())

    # No catalog: the UI is English ("Cite as"), the citation is Korean all the same, not English and not Japanese.
    assert run("build", "--root", root, "--out", out, "--format", "html")[0] == 0
    assert line() == ("Cite as 홍길동·김철수, 「동맹의 역사: 조약의 적응」, 이영희·엘리너 휘트컴 편, "
                      "『동맹 75년: 안보 협력의 미래』, 할덴 태평양문제연구소, 2026. BibTeX RIS CSL-JSON")

    # The catalog `i18n init` starts holds the citation's words; a translator's choice replaces the built-in one.
    assert run("i18n", "init", "ko", "--root", root)[0] == 0
    catalog = root / CATALOG
    with catalog.open("rb") as handle:
        messages = read_po(handle)
    paper = "%(authors)s“%(title)s,” in %(book)s%(editors)s%(published)s%(pages)s."
    assert paper in messages and "Offprint from %(book)s" in messages
    messages[paper].string = "%(authors)s“%(title)s”, %(editors)s《%(book)s》%(published)s%(pages)s."
    messages["Cite as"].string = "인용 표기"
    with catalog.open("wb") as handle:
        write_po(handle, messages)
    assert run("build", "--root", root, "--out", out, "--format", "html")[0] == 0
    assert line() == ("인용 표기 홍길동·김철수, “동맹의 역사: 조약의 적응”, 이영희·엘리너 휘트컴 편, "
                      "《동맹 75년: 안보 협력의 미래》, 할덴 태평양문제연구소, 2026. BibTeX RIS CSL-JSON")
