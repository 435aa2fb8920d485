"""The HTML site, checked by parsing the output: languages, lang attributes, links, ids, dates, UI strings."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO, ROOTS, SampleBuild
from helpers import Element, html_pages, parse_html, run_taiyaku, SITE_CSS, SITE_JS

CATALOGS = [REPO / "src/taiyaku/theme/locales/ja/LC_MESSAGES/messages.po",  # the theme's
            REPO / "locales/ja/LC_MESSAGES/messages.po"]  # the sample volume's, for its templates/ override
SAMPLE_SLUGS = ["about", "introduction", "treaty-history", "paying-for-deterrence", "co-development",
                "networked-region"]


@pytest.fixture(scope="module")
def sample_site(sample_html: SampleBuild) -> Path:
    """The repository's sample volume built as HTML only (``<out>/html``): the session's build (conftest)."""
    out, code, err = sample_html.out, sample_html.code, sample_html.err
    assert (code, err) == (0, f"built 72 files into {out}\n")
    return out / "html"


@pytest.fixture(scope="module")
def standin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A volume whose second document has no Japanese translation yet."""
    base = tmp_path_factory.mktemp("standin")
    shutil.copytree(ROOTS / "standin", base / "standin")
    code, err = run_taiyaku("build", "--root", base / "standin", "--out", base / "out", "--format", "html")
    assert (code, err) == (0, "content/en/02-two.md: warning: translation: not translated into ja: the ja edition "
                              f"shows the original, marked as not yet translated\nbuilt 17 files into {base / 'out'}; "
                              "1 warning(s)\n")
    return base / "out/html"


def page_lang(site: Path, page: Path) -> str:
    """The language a page is in: its first folder, or the source language for the site's home."""
    rel = page.relative_to(site).as_posix()
    return "en" if rel in ("index.html", "404.html") else rel.split("/")[0]


def links(tree: Element) -> list[Element]:
    return [a for a in tree.iter("a") if "href" in a.attrs]


# -- the home and lang attributes ------------------------------------------------------------------------------

def test_site_files(sample_site: Path) -> None:
    made = sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if p.is_file())
    assert [p for p in made if not p.startswith("pagefind/")] == sorted(
        ["index.html", "404.html", "sitemap.xml", SITE_CSS, SITE_JS]
        + [f"{lang}/contributors/index.html" for lang in ("en", "ja")]
        + [f"{lang}/index.html" for lang in ("en", "ja")]
        + [f"{lang}/{slug}/index.html" for lang in ("en", "ja") for slug in SAMPLE_SLUGS]
        + [f"{lang}/{slug}/parallel/index.html" for lang in ("en", "ja") for slug in SAMPLE_SLUGS]
        + [f"{lang}/figures/defense-budget.svg" for lang in ("en", "ja")]
        + ["images/cover.jpg"]  # the cover (volume.toml), and the citation files of the volume and each paper
        + [f"{lang}/{where}cite.{ext}" for lang in ("en", "ja") for ext in ("bib", "ris", "json")
           for where in ["", *(f"{slug}/" for slug in SAMPLE_SLUGS if slug != "about")]]
    )


def test_home_links_to_both_languages(sample_site: Path) -> None:
    tree = parse_html(sample_site / "index.html")
    entries = tree.find_all("article", class_="chooser-entry")
    assert [e.attrs["lang"] for e in entries] == ["en", "ja"]
    hrefs = {a.attrs["href"] for a in links(tree)}
    assert {"en/index.html", "ja/index.html"} <= hrefs
    assert [e.find("h2").text for e in entries] == ["An Alliance at Seventy-Five", "七十五年目の同盟"]


def test_every_page_declares_its_language(sample_site: Path, standin_site: Path) -> None:
    for site in (sample_site, standin_site):
        for page in html_pages(site):
            html = parse_html(page).find("html")
            assert html.attrs.get("lang") == page_lang(site, page), page


def test_internal_links_resolve(sample_site: Path, standin_site: Path) -> None:
    """Every relative href/src of every page points to a file of the site (a folder means its index.html)."""
    for site in (sample_site, standin_site):
        for page in html_pages(site):
            tree = parse_html(page)
            here = page.parent.relative_to(site).as_posix()
            ids = {el.attrs["id"] for el in tree.iter() if "id" in el.attrs}
            for el in tree.iter():
                url = el.attrs.get("href") or el.attrs.get("src")
                if not url or re.match(r"^[a-z]+:", url):
                    continue
                path, _, fragment = url.partition("#")
                if path.startswith("/") and page.name == "404.html":
                    # The 404 page is served at any depth, so it links from the site root (no base_url here).
                    path, here_for_page = path[1:], ""
                else:
                    here_for_page = here
                if not path and not url.startswith("/"):
                    assert fragment in ids, f"{page}: {url}"
                    continue
                target = posixpath.normpath(posixpath.join(here_for_page, path)) if path else "."
                assert not target.startswith(".."), f"{page}: {url} leaves the site"
                file = site / target / "index.html" if (path.endswith("/") or not path) else site / target
                assert file.is_file(), f"{page}: {url} -> {file}"


def test_language_switcher_marks_the_other_language(sample_site: Path) -> None:
    for page in [sample_site / "en/index.html"] + [sample_site / f"en/{slug}/index.html" for slug in SAMPLE_SLUGS]:
        nav = parse_html(page).find("nav", class_="languages")
        to_ja = [a for a in nav.iter("a") if a.text == "日本語"]
        assert len(to_ja) == 1, page
        assert to_ja[0].attrs["lang"] == "ja"
        assert to_ja[0].attrs["hreflang"] == "ja"
        current = nav.find("span", **{"aria-current": "page"})
        assert (current.text, current.attrs["lang"]) == ("English", "en")
    for page in [sample_site / "ja/index.html"] + [sample_site / f"ja/{slug}/index.html" for slug in SAMPLE_SLUGS]:
        nav = parse_html(page).find("nav", class_="languages")
        to_en = [a for a in nav.iter("a") if a.text == "English"]
        assert len(to_en) == 1 and to_en[0].attrs["lang"] == "en", page


@pytest.mark.parametrize("slug", SAMPLE_SLUGS)
def test_document_links_to_its_translation(sample_site: Path, slug: str) -> None:
    for lang, other in (("en", "ja"), ("ja", "en")):
        tree = parse_html(sample_site / f"{lang}/{slug}/index.html")
        switch = [a.attrs["href"] for a in tree.find("nav", class_="languages").iter("a")]
        assert switch == [f"../../{other}/{slug}/index.html"]
        alternate = tree.find("link", rel="alternate")
        assert (alternate.attrs["hreflang"], alternate.attrs["href"]) == (other, f"../../{other}/{slug}/index.html")


@pytest.mark.parametrize("slug", SAMPLE_SLUGS)
def test_heading_ids_are_the_same_in_both_languages(sample_site: Path, slug: str) -> None:
    def ids(lang: str) -> list[tuple[str, str]]:
        body = parse_html(sample_site / f"{lang}/{slug}/index.html").find("div", class_="body")
        return [(el.tag, el.attrs.get("id", "")) for el in body.iter() if re.fullmatch(r"h[1-6]", el.tag)]

    en, ja = ids("en"), ids("ja")
    assert en and all(ident for _, ident in en)
    assert en == ja


def test_dates_are_formatted_by_babel(sample_site: Path) -> None:
    ja = parse_html(sample_site / "ja/index.html").find("p", class_="imprint").text
    en = parse_html(sample_site / "en/index.html").find("p", class_="imprint").text
    assert ja == "ハルデン太平洋問題研究所\u30002026年9月"  # a full-width space, not a Latin middle dot
    assert en == "Halden Institute for Pacific Affairs · September 2026"


def english_ui_strings() -> list[str]:
    """Pieces of every msgid whose Japanese translation differs from it (``Edited by``, ``Contents``…)."""
    messages = []
    for path in CATALOGS:
        if path.is_file():
            with path.open("rb") as handle:
                messages.extend(read_po(handle))
    pieces = set()
    for message in messages:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings:
                continue  # "ISBN" is "ISBN" in Japanese too
            for piece in re.split(r"%\(\w+\)s", msgid):
                if re.search(r"[A-Za-z]{3}", piece):
                    pieces.add(piece.strip())
    assert {"Contents", "Downloads", "Edited by", "Skip to content", "Languages"} <= pieces
    return sorted(pieces)


def test_no_english_ui_on_japanese_pages(sample_site: Path) -> None:
    pieces = english_ui_strings()
    pattern = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])" for p in pieces))
    pages = [sample_site / "ja/index.html"] + [sample_site / f"ja/{slug}/index.html" for slug in SAMPLE_SLUGS]
    for page in pages:
        tree = parse_html(page)
        found = [(text.strip(), el.tag) for text, el in tree.text_nodes()
                 if el.lang == "ja" and pattern.search(text)]
        found += [(f"{el.tag}@{name}={value}", el.tag) for el in tree.iter() for name, value in el.attrs.items()
                  if name in ("aria-label", "title", "alt") and pattern.search(value)]
        assert found == [], page


def test_japanese_ui_strings_are_shown(sample_site: Path) -> None:
    tree = parse_html(sample_site / "ja/index.html")
    assert tree.find("h2", id="contents-heading").text == "目次"
    assert tree.find("p", class_="editors").text == "エレノア・ウィットコム、森川直人 編"
    assert tree.find("a", class_="skip").text == "本文へ移動"
    assert tree.find("nav", class_="languages").attrs["aria-label"] == "言語"


# -- stand-ins for missing translations ----------------------------------------------------------------------

STANDIN_ENGLISH = ["The Untranslated Essay", "Read in the Original Language", "Jane Example"]


def english_on_japanese_pages(site: Path, needles: list[str]) -> list[tuple[str, str, str | None]]:
    """(page, text, effective lang) of every text node holding a needle on ja pages, or elsewhere outside lang="en".

    ``<title>`` is left out: it cannot carry a ``lang`` of its own."""
    found = []
    for page in html_pages(site):
        tree = parse_html(page)
        for text, el in tree.text_nodes():
            if el.tag != "title" and any(n in text for n in needles):
                found.append((page.relative_to(site).as_posix(), text.strip(), el.lang))
    return [f for f in found if f[0].startswith("ja/") or f[2] != "en"]


def test_standin_english_is_marked_lang_en(standin_site: Path) -> None:
    found = english_on_japanese_pages(standin_site, STANDIN_ENGLISH)
    assert [f[:2] for f in found] == [
        ("ja/contributors/index.html", "Jane Example"),
        ("ja/contributors/index.html", "The Untranslated Essay"),
        ("ja/index.html", "The Untranslated Essay"),
        ("ja/index.html", "Read in the Original Language"),
        ("ja/index.html", "Jane Example"),
        ("ja/one/index.html", "The Untranslated Essay"),  # the pager's "next"
        ("ja/two/index.html", "The Untranslated Essay"),
        ("ja/two/index.html", "Read in the Original Language"),
        ("ja/two/index.html", "Jane Example"),
    ]  # no citation line: a stand-in is cited on its original's page (test_citations)
    assert {f[2] for f in found} == {"en"}
    toc = parse_html(standin_site / "ja/index.html").find("ol", class_="toc")
    entry = [li for li in toc.iter("li") if "untranslated" in li.attrs.get("class", "")]
    assert len(entry) == 1
    assert entry[0].find("a").attrs == {"href": "two/index.html", "lang": "en"}
    assert entry[0].find("p", class_="note").text == "未翻訳のため原文で表示している。"
    # The stand-in page: the reader's language around the original, which it links to.
    page = parse_html(standin_site / "ja/two/index.html")
    assert page.find("html").attrs["lang"] == "ja"
    notice = page.find("p", class_="status-notice")
    assert notice.text.startswith("未翻訳のため原文で表示している。")
    assert notice.find("a").attrs == {"href": "../../en/two/index.html", "lang": "en", "hreflang": "en"}
    assert page.find("div", class_="body").attrs["lang"] == "en"
    assert page.find("meta", name="robots").attrs["content"] == "noindex"


def test_fallback_volume_title_is_marked_lang_en(standin_site: Path) -> None:
    found = english_on_japanese_pages(standin_site, ["Parallel Essays"])
    assert found and {f[2] for f in found} == {"en"}, found


# -- content that looks like a template ------------------------------------------------------------------------

def test_jinja_in_markdown_is_printed_literally(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = run("build", "--root", make_root("jinja_content"), "--out", out, "--format", "html")
    assert (code, err) == (0, f"built 10 files into {out}\n")
    for lang, sentence in (("en", "Templates write {{ 7*7 }} and {% if x %}x{% endif %}."),
                           ("ja", "テンプレートは {{ 7*7 }} や {% if x %}x{% endif %} と書く。")):
        page = out / f"html/{lang}/one/index.html"
        body = parse_html(page).find("div", class_="body")
        assert body.find("p").text == sentence
        assert "49" not in parse_html(page).find("main").text  # (the page's asset names are hashes)


# -- the minimal root ------------------------------------------------------------------------------------------

def test_minimal_document_page(previous_output) -> None:
    out, _ = previous_output
    tree = parse_html(out / "html/en/one/index.html")
    body = tree.find("div", class_="body")
    assert [a.attrs["href"] for a in body.iter("a")] == ["#fn:1", "../two/index.html", "#fnref:1"]
    assert body.find("h2").attrs == {"id": "sec-1"}
    assert body.find("li", id="fn:1").find("p").text.startswith("The footnote of the first document.")
    ja = parse_html(out / "html/ja/one/index.html").find("div", class_="body")
    assert [a.attrs["href"] for a in ja.iter("a")] == ["#fn:1", "../two/index.html", "#fnref:1"]
    assert ja.find("h2").attrs == {"id": "sec-1"}
    assert tree.find("title").text == "One — minimal"


def duplicate_ids(page: Path) -> list[str]:
    ids = [el.attrs["id"] for el in parse_html(page).iter() if "id" in el.attrs]
    return sorted({i for i in ids if ids.count(i) > 1})


def test_ids_are_unique_on_every_page(sample_site: Path, standin_site: Path) -> None:
    for site in (sample_site, standin_site):
        for page in html_pages(site):
            assert duplicate_ids(page) == [], page


def test_heading_ids_unique_when_a_document_opens_with_a_deeper_heading(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _ = run("build", "--root", make_root("heading_ids"), "--out", out, "--format", "html")
    assert code == 0
    for lang in ("en", "ja"):
        assert duplicate_ids(out / f"html/{lang}/one/index.html") == []


# -- search ------------------------------------------------------------------------------------------------------

def test_search_index_has_each_language_apart(sample_site: Path) -> None:
    """Pagefind indexes every translated paper and the contributors page, per language (the chooser, the 404
    page and the parallel views carry no ``data-pagefind-body`` and are left out); its own UIs are not shipped."""
    index = sample_site / "pagefind"
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {"en": 7, "ja": 7}
    assert (index / "pagefind.js").is_file()
    assert not list(index.glob("pagefind-*ui*")) and not (index / "pagefind-highlight.js").exists()


def test_only_papers_and_contributors_are_marked_for_search(sample_site: Path, standin_site: Path) -> None:
    marked = sorted(page.relative_to(sample_site).as_posix() for page in html_pages(sample_site)
                    if "data-pagefind-body" in page.read_text(encoding="utf-8"))
    assert marked == sorted([f"{lang}/{slug}/index.html" for lang in ("en", "ja") for slug in SAMPLE_SLUGS]
                            + ["en/contributors/index.html", "ja/contributors/index.html"])
    # A stand-in holds the original's text: indexing it would put English into the Japanese index.
    assert "data-pagefind-body" not in (standin_site / "ja/two/index.html").read_text(encoding="utf-8")


def test_search_field_on_every_language_page(sample_site: Path) -> None:
    for page in html_pages(sample_site):
        rel = page.relative_to(sample_site).as_posix()
        found = parse_html(page).find_all("input", type="search")
        assert len(found) == (0 if rel == "index.html" else 1), rel
    box = parse_html(sample_site / "ja/index.html").find("div", class_="site-search")
    assert (box.attrs["role"], "hidden" in box.attrs) == ("search", True)  # shown by site.js
    assert "data-from-disk" not in box.attrs  # opened from disk, the field searches the plain-text index
    assert box.attrs["data-unavailable"] == "このサイトには検索索引がないため、検索は使えない。"
    assert box.attrs["data-no-results"] == "「{query}」に一致するものはない。"
    assert box.find("input").attrs["placeholder"] == "検索"


# -- issue 10's details ------------------------------------------------------------------------------------------

def test_bio_does_not_repeat_the_name(sample_site: Path) -> None:
    for lang, start in (("en", "Yuki Miyasaka studies defense budgeting"), ("ja", "宮坂由紀は防衛予算")):
        section = parse_html(sample_site / f"{lang}/paying-for-deterrence/index.html").find("section", class_="contributors")
        bio = section.find("p")
        assert bio.text.startswith(start), bio.text
        assert bio.find("strong").text == start.split(" studies")[0].split("は")[0]


def test_disclaimer_once_on_the_volume_home(sample_site: Path) -> None:
    """The sample's own footer says it is a sample; the colophon does not say it again."""
    for lang in ("en", "ja"):
        html = (sample_site / f"{lang}/index.html").read_text(encoding="utf-8")
        assert 'class="disclaimer"' not in html
        assert html.count('class="sample-notice"') == 1


def test_citation_sets_the_book_title_as_a_title(sample_site: Path) -> None:
    en = parse_html(sample_site / "en/paying-for-deterrence/index.html").find("p", class_="citation")
    # The book's full title, as in its Scholar tags and BibTeX (one citation model, test_citations).
    assert en.find("cite").text == "An Alliance at Seventy-Five: Essays on the Future of U.S.–Japan Security Cooperation"
    ja = parse_html(sample_site / "ja/paying-for-deterrence/index.html").find("p", class_="citation")
    assert "『七十五年目の同盟——日米安全保障協力の将来』" in ja.text
    assert ja.find("cite").text == "七十五年目の同盟——日米安全保障協力の将来"


def test_chooser_header_and_footer_speak_every_language(sample_site: Path) -> None:
    tree = parse_html(sample_site / "index.html")
    titles = tree.find("p", class_="chooser-titles").find_all("a")
    assert [(a.attrs["lang"], a.attrs["href"], a.text) for a in titles] == [
        ("en", "en/index.html", "An Alliance at Seventy-Five"), ("ja", "ja/index.html", "七十五年目の同盟")]
    parts = tree.find("footer").find_all("div", class_="wrap")
    assert [(div.attrs["lang"], div.find("p", class_="generator").text) for div in parts] == [
        ("en", "Published with taiyaku."), ("ja", "本サイトはtaiyakuで作成した。")]


def test_japanese_footnote_calls_hold_to_the_word(sample_site: Path) -> None:
    """Every call follows a word joiner (U+2060): a line never starts with a note's number."""
    for lang in ("en", "ja"):
        html = (sample_site / f"{lang}/paying-for-deterrence/index.html").read_text(encoding="utf-8")
        calls = re.findall(r'(.)<sup [^>]*id="fnref', html)
        assert calls and set(calls) == {"\u2060"}, (lang, calls)


def test_japanese_numbers_keep_their_counters(sample_site: Path) -> None:
    body = parse_html(sample_site / "ja/treaty-history/index.html").find("div", class_="body")
    kept = [span.text for span in body.find_all("span", class_="nowrap")]
    assert "1951年" in kept and all(re.search(r"[0-9０-９]", text) for text in kept)
