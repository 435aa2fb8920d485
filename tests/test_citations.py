"""Publishing metadata (issue 15): Scholar tags, JSON-LD, social cards and citation files checked against the
sample's front matter and volume.toml; BibTeX, RIS and CSL-JSON read back by their own parsers."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
import tomllib
import warnings
from pathlib import Path

import pytest
import yaml
from markupsafe import Markup

from conftest import SampleBuild
from helpers import Element, parse_html, run_taiyaku
from taiyaku.read.markup import render_inline
from taiyaku.citations.formats import to_bibtex, to_csl_json, to_ris
from taiyaku.citations.head import head_tags
from taiyaku.citations.model import Citation, Person, Rights, person
from taiyaku.citations.styles import cite_html, cite_text
from taiyaku.pdf.metadata import add_to_xmp, xmp_rights

REPO = Path(__file__).resolve().parent.parent
BASE = "https://alliance-at-75.example.org/"
PAPERS = ["introduction", "treaty-history", "paying-for-deterrence", "co-development", "networked-region"]
SETTINGS = tomllib.loads((REPO / "volume.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(sample_html: SampleBuild) -> Path:
    """The sample volume built as HTML: the session's build (conftest)."""
    out, code, err = sample_html.out, sample_html.code, sample_html.err
    assert (code, err) == (0, f"built 72 files into {out}\n")
    return out / "html"


def front_matter(lang: str, slug: str) -> dict:
    """The front matter of the sample paper whose page is ``<lang>/<slug>/``, texts as pages show them (the
    Markdown renderer's typographic quotes: Japan's → Japan’s)."""
    for path in sorted((REPO / "content" / lang).glob("*.md")):
        if path.stem.split("-", 1)[1] == slug:
            meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
            for key in ("title", "subtitle", "abstract"):
                if key in meta:
                    meta[key] = Markup(render_inline(meta[key], lang)).striptags()
            return meta
    raise AssertionError(slug)


def metas(tree: Element, attr: str = "name") -> list[tuple[str, str]]:
    """``(name, content)`` of every ``<meta name>`` (or ``<meta property>``) in document order."""
    return [(m.attrs[attr], m.attrs["content"]) for m in tree.iter("meta") if attr in m.attrs]


def values(tree: Element, name: str, attr: str = "name") -> list[str]:
    return [content for key, content in metas(tree, attr) if key == name]


def json_ld(tree: Element) -> dict:
    (script,) = [s for s in tree.iter("script") if s.attrs.get("type") == "application/ld+json"]
    return json.loads(script.text)


def full_title(meta: dict, lang: str) -> str:
    subtitle = meta.get("subtitle")
    if not subtitle:
        return meta["title"]
    return f"{meta['title']}——{subtitle}" if lang == "ja" else f"{meta['title']}: {subtitle}"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("slug", PAPERS)
def test_scholar_tags_state_the_front_matter(site: Path, lang: str, slug: str) -> None:
    meta = front_matter(lang, slug)
    book = SETTINGS[lang]
    tree = parse_html(site / f"{lang}/{slug}/index.html")
    # Authors in order, each followed by their institution; English names "Family, Given", Japanese as written.
    expected_authors: list[tuple[str, str]] = []
    for author in meta["authors"]:
        name = author["name"]
        if lang == "en":
            given, _, family = name.rpartition(" ")
            name = f"{family}, {given}"
        expected_authors += [("citation_author", name), ("citation_author_institution", author["affiliation"])]
    tags = [(k, v) for k, v in metas(tree) if k.startswith("citation_")]
    assert tags == [
        ("citation_title", full_title(meta, lang)),
        *expected_authors,
        *[("citation_editor", person(name).inverted) for name in book["editors"]],
        ("citation_publication_date", "2026/09"),
        ("citation_inbook_title", f"{book['title']}{'——' if lang == 'ja' else ': '}{book['subtitle']}"),
        ("citation_book_title", f"{book['title']}{'——' if lang == 'ja' else ': '}{book['subtitle']}"),
        ("citation_publisher", book["publisher"]),
        ("citation_isbn", book["isbn"]),
        ("citation_abstract_html_url", f"{BASE}{lang}/{slug}/"),
        ("citation_language", lang),
        *[("citation_keywords", k) for k in meta["keywords"]],
    ]
    assert values(tree, "description") == [meta["abstract"]]


def test_japanese_names_are_not_inverted(site: Path) -> None:
    tree = parse_html(site / "ja/introduction/index.html")
    assert values(tree, "citation_author") == ["エレノア・ウィットコム", "森川直人"]
    tree = parse_html(site / "en/introduction/index.html")
    assert values(tree, "citation_author") == ["Whitcombe, Eleanor", "Morikawa, Naoto"]


def test_a_document_without_authors_is_not_cited(site: Path) -> None:
    for lang in ("en", "ja"):
        tree = parse_html(site / f"{lang}/about/index.html")
        assert not [k for k, _ in metas(tree) if k.startswith("citation_")]
        assert not (site / f"{lang}/about/cite.bib").exists()
        assert tree.find_all("span", class_="citation-files") == []


@pytest.mark.parametrize("slug", PAPERS)
def test_json_ld_links_each_paper_to_its_translation(site: Path, slug: str) -> None:
    en, ja = (json_ld(parse_html(site / f"{lang}/{slug}/index.html")) for lang in ("en", "ja"))
    assert (en["@type"], en["@id"], en["inLanguage"]) == ("ScholarlyArticle", f"{BASE}en/{slug}/", "en")
    assert (ja["@type"], ja["@id"], ja["inLanguage"]) == ("ScholarlyArticle", f"{BASE}ja/{slug}/", "ja")
    assert [t["@id"] for t in en["workTranslation"]] == [ja["@id"]]
    assert en["workTranslation"][0]["name"] == ja["headline"]
    assert ja["translationOfWork"]["@id"] == en["@id"] and ja["translationOfWork"]["name"] == en["headline"]
    assert "translationOfWork" not in en and "workTranslation" not in ja
    for data, lang in ((en, "en"), (ja, "ja")):
        meta = front_matter(lang, slug)
        assert data["headline"] == full_title(meta, lang)
        assert [a["name"] for a in data["author"]] == [a["name"] for a in meta["authors"]]
        assert [a["affiliation"]["name"] for a in data["author"]] == [a["affiliation"] for a in meta["authors"]]
        assert data["keywords"] == meta["keywords"]
        assert data["isPartOf"]["@type"] == "Book" and data["isPartOf"]["isbn"] == SETTINGS[lang]["isbn"]
        assert data["isPartOf"]["@id"] == f"{BASE}{lang}/"
        assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert (data["copyrightHolder"]["name"], data["copyrightYear"]) == (SETTINGS[lang]["copyright"], 2026)
        assert data["image"] == f"{BASE}images/cover.jpg"


def test_volume_home_is_a_book_linked_to_its_translation(site: Path) -> None:
    en, ja = (json_ld(parse_html(site / f"{lang}/index.html")) for lang in ("en", "ja"))
    assert (en["@type"], en["@id"], en["isbn"]) == ("Book", f"{BASE}en/", SETTINGS["en"]["isbn"])
    assert [e["name"] for e in ja["editor"]] == SETTINGS["ja"]["editors"]
    assert en["workTranslation"] == [{"@id": f"{BASE}ja/", "@type": "Book", "inLanguage": "ja",
                                      "name": "七十五年目の同盟——日米安全保障協力の将来", "url": f"{BASE}ja/"}]
    assert ja["translationOfWork"]["@id"] == f"{BASE}en/"
    tree = parse_html(site / "ja/index.html")
    assert values(tree, "citation_title") == ["七十五年目の同盟——日米安全保障協力の将来"]
    assert values(tree, "book:isbn", "property") == [SETTINGS["ja"]["isbn"]]


def test_social_cards_in_both_languages(site: Path) -> None:
    for lang, other, locale, alternate in (("en", "ja", "en_US", "ja_JP"), ("ja", "en", "ja_JP", "en_US")):
        meta = front_matter(lang, "co-development")
        tree = parse_html(site / f"{lang}/co-development/index.html")
        props = dict(metas(tree, "property"))
        assert props["og:type"] == "article"
        assert props["og:title"] == full_title(meta, lang)
        assert props["og:url"] == f"{BASE}{lang}/co-development/"
        assert (props["og:locale"], values(tree, "og:locale:alternate", "property")) == (locale, [alternate])
        assert props["og:image"] == f"{BASE}images/cover.jpg"
        assert props["og:image:alt"] == SETTINGS[lang]["cover_alt"]
        assert meta["abstract"].startswith(props["og:description"].rstrip("…"))
        assert values(tree, "twitter:card") == ["summary_large_image"]
        assert values(tree, "twitter:image") == [f"{BASE}images/cover.jpg"]
    licence = [link.attrs["href"] for link in tree.iter("link") if link.attrs.get("rel") == "license"]
    assert licence == ["https://creativecommons.org/licenses/by/4.0/"]


def test_cover_and_credit_on_the_home_page(site: Path) -> None:
    assert (site / "images/cover.jpg").read_bytes() == (REPO / "images/cover.jpg").read_bytes()
    for lang in ("en", "ja"):
        figure = parse_html(site / f"{lang}/index.html").find("figure", class_="cover")
        img = figure.find("img")
        assert (img.attrs["src"], img.attrs["alt"]) == ("../images/cover.jpg", SETTINGS[lang]["cover_alt"])
        assert (img.attrs["width"], img.attrs["height"]) == ("320", "453")  # 1240 × 1754 scaled
        assert figure.find("figcaption").text == SETTINGS[lang]["cover_credit"]
        assert "lang" not in img.attrs  # each language has its own alt text and credit


def test_download_links_reach_the_citation_files(site: Path) -> None:
    for lang in ("en", "ja"):
        files = parse_html(site / f"{lang}/treaty-history/index.html").find("span", class_="citation-files")
        links = [(a.text, a.attrs["href"], a.attrs["type"]) for a in files.iter("a")]
        assert links == [("BibTeX", "cite.bib", "application/x-bibtex"),
                         ("RIS", "cite.ris", "application/x-research-info-systems"),
                         ("CSL-JSON", "cite.json", "application/vnd.citationstyles.csl+json")]
        for _, href, _ in links:
            assert (site / f"{lang}/treaty-history" / href).is_file()


def cite_line(tree: Element) -> str:
    """The "Cite as" line of a page: its text without the label and the download links, spaces collapsed."""
    paragraph = tree.find("p", class_="citation")
    text = paragraph.text
    for part in ("citation-label", "citation-files"):
        text = text.replace(paragraph.find("span", class_=part).text, "", 1)
    return " ".join(text.split())


def expected_line(lang: str, meta: dict, pages: str = "") -> str:
    """The citation of a sample paper as its language's style words it, from the front matter and volume.toml:
    Chicago in English, 「論文」編者編『書名』 in Japanese with every name as written."""
    book = SETTINGS[lang]
    book_title = f"{book['title']}{'——' if lang == 'ja' else ': '}{book['subtitle']}"
    authors = [a["name"] for a in meta["authors"]]
    if lang == "ja":
        return (f"{'、'.join(authors)}「{full_title(meta, lang)}」{'、'.join(book['editors'])}編『{book_title}』"
                f"{book['publisher']}、2026年{f'、{pages}頁' if pages else ''}。")
    names = " and ".join(authors) if len(authors) < 3 else ", ".join(authors[:-1]) + ", and " + authors[-1]
    return (f"{names}, “{full_title(meta, lang)},” in {book_title}, ed. {' and '.join(book['editors'])} "
            f"({book['publisher']}, 2026){f', pp. {pages}' if pages else ''}.")


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("slug", PAPERS)
def test_cite_as_line_states_the_front_matter_as_the_citation_files_do(site: Path, lang: str, slug: str) -> None:
    meta = front_matter(lang, slug)
    tree = parse_html(site / f"{lang}/{slug}/index.html")
    line = cite_line(tree)
    assert line == expected_line(lang, meta)  # an HTML-only build has no page numbers: no "pp." left empty
    # The line and the downloads are one model: the CSL item's title, book and names are the line's.
    (item,) = json.loads((site / f"{lang}/{slug}/cite.json").read_text(encoding="utf-8"))
    names = [n.get("literal") or f"{n['given']} {n['family']}" for n in item["author"] + item["editor"]]
    assert item["title"] in line and item["container-title"] in line and all(n in line for n in names)
    assert tree.find("p", class_="citation").find("cite").text == item["container-title"]


def test_bibtex_round_trip(site: Path) -> None:
    import bibtexparser
    from bibtexparser import middlewares

    for lang, authors in (("en", [["Whitcombe", "Eleanor"], ["Morikawa", "Naoto"]]),
                          ("ja", [["{エレノア・ウィットコム}"], ["{森川直人}"]])):  # braced: never split
        library = bibtexparser.parse_string((site / f"{lang}/introduction/cite.bib").read_text(encoding="utf-8"),
                                            append_middleware=[middlewares.SeparateCoAuthors(),
                                                               middlewares.SplitNameParts()])
        assert library.failed_blocks == []
        (entry,) = library.entries
        meta = front_matter(lang, "introduction")
        assert (entry.entry_type, entry.key) == ("incollection", f"alliance-at-75-{lang}-introduction")
        assert [[*n.last, *n.first] for n in entry["author"]] == authors
        assert entry["title"] == meta["title"]
        assert entry["publisher"] == SETTINGS[lang]["publisher"]
        assert (entry["year"], entry["month"], entry["isbn"]) == ("2026", "sep", SETTINGS[lang]["isbn"])
        assert entry["url"] == f"{BASE}{lang}/introduction/"
        assert entry["keywords"] == ", ".join(meta["keywords"])
    library = bibtexparser.parse_string((site / "ja/cite.bib").read_text(encoding="utf-8"))
    (entry,) = library.entries
    assert (entry.entry_type, entry["title"]) == ("book", "七十五年目の同盟——日米安全保障協力の将来")


def test_bibtex_escapes_what_latex_would_read() -> None:
    citation = Citation("chapter", "k", "en", "Costs & Benefits: 50% of {GDP}", authors=(person("A_B C#D"),))
    text = to_bibtex(citation)
    assert r"title = {Costs \& Benefits: 50\% of \{GDP\}}" in text
    assert r"author = {C\#D, A\_B}" in text


def test_ris_round_trip(site: Path) -> None:
    import rispy

    for lang in ("en", "ja"):
        meta = front_matter(lang, "networked-region")
        (entry,) = rispy.loads((site / f"{lang}/networked-region/cite.ris").read_text(encoding="utf-8"))
        assert entry["type_of_reference"] == "CHAP"
        assert entry["title"] == full_title(meta, lang)
        assert entry["secondary_title"] == f"{SETTINGS[lang]['title']}{'——' if lang == 'ja' else ': '}" \
                                           f"{SETTINGS[lang]['subtitle']}"
        assert entry["authors"] == [person(a["name"]).inverted for a in meta["authors"]]
        assert entry["secondary_authors"] == [person(n).inverted for n in SETTINGS[lang]["editors"]]
        assert (entry["year"], entry["date"], entry["language"]) == ("2026", "2026/09//", lang)
        assert entry["keywords"] == meta["keywords"]
        assert entry["urls"] == [f"{BASE}{lang}/networked-region/"]
        assert entry["abstract"] == meta["abstract"]


def test_csl_json_renders_with_citeproc_in_both_languages(site: Path) -> None:
    from citeproc import Citation as CiteprocCitation
    from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    rendered = {}
    for lang, locale in (("en", "en-US"), ("ja", "ja-JP")):
        items = json.loads((site / f"{lang}/introduction/cite.json").read_text(encoding="utf-8"))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a CSL variable citeproc does not know is a mistake
            source = CiteProcJSON(items)
        style = CitationStylesStyle("harvard-cite-them-right", locale=locale, validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        bibliography.register(CiteprocCitation([CitationItem(items[0]["id"])]))
        (rendered[lang],) = [str(entry) for entry in bibliography.bibliography()]
    assert rendered["en"].startswith("Whitcombe, E. and Morikawa, N. (2026) “Introduction: An Alliance That Keeps "
                                     "Changing”, in E. Whitcombe and N. Morikawa (eds.) An Alliance at Seventy-Five")
    # Japanese names are literals: never cut into initials or inverted.
    assert rendered["ja"].startswith("エレノア・ウィットコム と 森川直人 (2026) 「序論——変わり続ける同盟」")


def test_plain_text_citation_in_each_language() -> None:
    common = dict(book_title="七十五年目の同盟", publisher="ハルデン太平洋問題研究所", first_page="1", last_page="20")
    import datetime as dt

    ja = Citation("chapter", "k", "ja", "序論", authors=(person("森川直人"),),
                  editors=(person("エレノア・ウィットコム"), person("森川直人")), date=dt.date(2026, 9, 1), **common)
    assert cite_text(ja) == "森川直人「序論」エレノア・ウィットコム、森川直人編『七十五年目の同盟』ハルデン太平洋問題研究所、2026年、1–20頁。"
    en = Citation("chapter", "k", "en", "Paying for Deterrence", subtitle="Budgets",
                  authors=(person("Yuki Miyasaka"),), editors=(person("Eleanor Whitcombe"), person("Naoto Morikawa")),
                  book_title="An Alliance at Seventy-Five", publisher="Halden Institute", date=dt.date(2026, 9, 1),
                  first_page="41", last_page="60")
    assert cite_text(en) == ("Yuki Miyasaka, “Paying for Deterrence: Budgets,” in An Alliance at Seventy-Five, ed. "
                             "Eleanor Whitcombe and Naoto Morikawa (Halden Institute, 2026), pp. 41–60.")
    assert [line for line in to_ris(en).splitlines() if line[:2] in ("SP", "EP")] == ["SP  - 41", "EP  - 60"]
    # The pages are one unbreakable unit, words included (and dropped whole when typesetting found none).
    assert ja.html == Markup("森川直人「序論」エレノア・ウィットコム、森川直人編『<cite>七十五年目の同盟</cite>』"
                             'ハルデン太平洋問題研究所、2026年<span class="pages">、1–20頁</span>。')
    assert en.html.startswith(Markup("Yuki Miyasaka, “Paying for Deterrence: Budgets,” in <cite>An Alliance at "
                                     "Seventy-Five</cite>, ed."))
    assert en.html.endswith(Markup('(Halden Institute, 2026)<span class="pages">, pp. 41–60</span>.'))


def chapter(lang: str, authors: tuple[str, ...], editors: tuple[str, ...], **kwargs: object) -> Citation:
    """A paper in ``lang`` with these names, published 2026 on pages 41–60."""
    import datetime as dt

    return Citation("chapter", "k", lang, kwargs.pop("title", "T"), authors=tuple(map(person, authors)),
                    editors=tuple(map(person, editors)), date=dt.date(2026, 9, 1), first_page="41", last_page="60",
                    **kwargs)  # type: ignore[arg-type]


def test_chinese_and_korean_are_cited_their_own_way_not_the_japanese_way() -> None:
    zh = dict(title="同盟的历史", book_title="七十五年的同盟", publisher="哈尔登太平洋事务研究所")
    # 《中国社会科学》's notes: 著者：《篇名》，编者编：《文集名》，出版者，年，第页。 Titles in 《》, pages 页 (頁 in Hant).
    assert cite_text(chapter("zh", ("王明", "李华"), ("张伟",), **zh)) == \
        "王明、李华：《同盟的历史》，张伟编：《七十五年的同盟》，哈尔登太平洋事务研究所，2026年，第41–60页。"
    assert cite_text(chapter("zh-Hant", ("王明",), ("張偉",), **zh)) == \
        "王明：《同盟的历史》，張偉編：《七十五年的同盟》，哈尔登太平洋事务研究所，2026年，第41–60頁。"
    assert cite_text(chapter("zh-TW", ("王明",), (), **zh)).endswith("《七十五年的同盟》，哈尔登太平洋事务研究所，2026年，第41–60頁。")
    # Korean: 「」 for the chapter, 『』 for the book (국립국어원's punctuation rules), spaces, 쪽, names joined by ·.
    ko = chapter("ko", ("홍길동", "김철수"), ("이영희",), title="동맹의 역사", subtitle="조약의 적응",
                 book_title="동맹 75년", publisher="할덴 태평양문제연구소")
    assert cite_text(ko) == "홍길동·김철수, 「동맹의 역사: 조약의 적응」, 이영희 편, 『동맹 75년』, 할덴 태평양문제연구소, 2026, 41–60쪽."
    assert ko.html == Markup('홍길동·김철수, 「동맹의 역사: 조약의 적응」, 이영희 편, 『<cite>동맹 75년</cite>』, '
                             '할덴 태평양문제연구소, 2026<span class="pages">, 41–60쪽</span>.')
    # The volume itself, in each built-in style.
    book = dict(book_title="Book", title="Book", publisher="P")
    assert cite_text(replace(chapter("en", (), ("A B", "C D"), **book), kind="book")) == "A B and C D, eds., Book (P, 2026)."
    assert cite_text(replace(chapter("en", (), ("A B",), **book), kind="book")) == "A B, ed., Book (P, 2026)."
    assert cite_text(replace(chapter("ko", (), ("이영희",), **book), kind="book")) == "이영희 편, 『Book』, P, 2026."
    assert cite_text(replace(chapter("zh", (), ("张伟",), **book), kind="book")) == "张伟编：《Book》，P，2026年。"


def test_offprint_cover_line_keeps_a_mark_for_its_pages_and_a_standins_title_in_its_language() -> None:
    from taiyaku.pdf import PAGES_MARK

    standin = chapter("ja", ("Jane Example",), (), title="The Essay", subtitle="Read Twice", book_title="本")
    assert cite_html(standin, pages=PAGES_MARK, title_tag="en") == Markup(
        'Jane Example「<span lang="en">The Essay: Read Twice</span>」『<cite>本</cite>』2026年'
        f'<span class="pages">、{PAGES_MARK}頁</span>。')
    # The mark stands for a range ("pp."), whatever the model's own pages say.
    assert cite_html(replace(standin, lang="en", last_page="41"), pages=PAGES_MARK).endswith(
        Markup(f'(2026)<span class="pages">, pp. {PAGES_MARK}</span>.'))
    assert cite_text(replace(standin, lang="en", last_page="41")).endswith("(2026), p. 41.")


def test_the_citation_messages_are_the_english_style_and_the_theme_translates_them_as_the_japanese_one() -> None:
    """The template's messages are the English patterns (else a page could not tell a translation from none), and
    the theme's Japanese catalog says what the built-in Japanese style says (Citation.text is the page's line)."""
    from babel.messages.pofile import read_po

    from taiyaku.citations.styles import ENGLISH, JAPANESE, WORD_FIELDS
    from taiyaku.i18n import extract_messages
    from taiyaku.theme import THEME_ROOT

    used = [m.id for m in extract_messages([THEME_ROOT / "templates"])
            if any(path == "partials/cite-words.html" for path, _ in m.locations)]
    assert used == [getattr(ENGLISH, name) for name in WORD_FIELDS]
    with (THEME_ROOT / "locales/ja/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    assert [catalog[msgid].string for msgid in used] == [getattr(JAPANESE, name) for name in WORD_FIELDS]


def test_a_catalog_rewords_the_citation_and_babel_joins_the_names() -> None:
    from taiyaku.citations.styles import ENGLISH, KOREAN, WORD_FIELDS, style_for

    english = {name: getattr(ENGLISH, name) for name in WORD_FIELDS}  # what an untranslated catalog gives back
    fr = chapter("fr", ("Jean Dupont", "Marie Curie"), ("Paul Martin",), book_title="Livre", publisher="Éd.")
    # A language taiyaku has no style for: English words, but Babel's list pattern for its names.
    assert cite_text(fr, english) == "Jean Dupont et Marie Curie, “T,” in Livre, ed. Paul Martin (Éd., 2026), pp. 41–60."
    french = {**english, "paper": "%(authors)s« %(title)s », dans %(book)s%(editors)s%(published)s%(pages)s.",
              "paper_editors": ", sous la dir. de %(editors)s", "pages": ", p. %(pages)s"}
    assert cite_text(fr, french) == ("Jean Dupont et Marie Curie, « T », dans Livre, sous la dir. de Paul Martin "
                                     "(Éd., 2026), p. 41–60.")
    # A language with a built-in style keeps it where its catalog is silent, and takes what the catalog says.
    assert style_for("ko", english) == KOREAN
    assert style_for("ko", {**english, "pages": ", pp. %(pages)s", "page": ", %(pages)s면"}).page == ", %(pages)s면"
    ko = chapter("ko", ("홍길동",), (), book_title="책")
    assert cite_text(ko, {**english, "paper": "%(authors)s“%(title)s”, %(editors)s『%(book)s』%(published)s%(pages)s."}) \
        == "홍길동, “T”, 『책』, 2026, 41–60쪽."


def test_names_and_licences() -> None:
    assert person("Thomas R. Ashdown") == Person("Thomas R. Ashdown", "Ashdown", "Thomas R.")
    assert person("トーマス・R・アッシュダウン").inverted == "トーマス・R・アッシュダウン"
    assert person("Plato").inverted == "Plato"
    assert Rights("CC-BY-NC-SA-4.0", "Halden", 2026).license_url == "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    assert Rights("CC-BY-NC-SA-4.0", "Halden", 2026).statement == "© 2026 Halden. CC BY-NC-SA 4.0"
    assert Rights("CC0-1.0").license_url == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert Rights("MIT").license_url == "https://spdx.org/licenses/MIT.html"
    assert Rights("All rights reserved", "ハルデン", 2026, "ja").statement == "© 2026 ハルデン\u3000All rights reserved"
    assert Rights("All rights reserved").license_url == ""


def published_volume(tmp_path: Path, toml: str) -> Path:
    """The ``standin`` test volume (papers with authors) with this ``volume.toml``."""
    root = tmp_path / "v"
    shutil.copytree(Path(__file__).parent / "roots/standin", root)
    (root / "volume.toml").write_text(toml, encoding="utf-8")
    return root


def test_a_published_volume_is_warned_once_about_what_citations_lack(tmp_path: Path) -> None:
    root = published_volume(tmp_path, 'license = "CC-BY-4.0"\n')
    (root / "content/en/03-three.md").write_text("---\ntitle: Three\nabstract: An abstract.\n---\n\nText.\n",
                                                 encoding="utf-8")
    code, err = run_taiyaku("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 0
    assert [line for line in err.splitlines() if "citation:" in line] == [
        "content/en/03-three.md: warning: citation: 1 document(s) with an abstract but no 'authors' are not cited as "
        "papers (no Scholar tags, no BibTeX/RIS): content/en/03-three.md",
        "volume.toml: warning: citation: no 'base_url': PDF and page URLs in citations and social cards cannot be "
        "absolute (Google Scholar and link previews need absolute ones)",
        "volume.toml: warning: citation: no 'date': citations, Scholar tags and JSON-LD carry no publication date",
    ]


def test_a_draft_volume_is_not_warned(tmp_path: Path) -> None:
    root = published_volume(tmp_path, 'date = "2026-09"\n[en]\ntitle = "Parallel Essays"\n')
    code, err = run_taiyaku("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert (code, "citation" in err) == (0, False)


def test_cover_must_be_an_image_in_the_volume(tmp_path: Path) -> None:
    root = published_volume(tmp_path, 'cover = "cover.svg"\n\n[ja]\ncover = "../x.png"\n')
    (root / "cover.svg").write_text("<svg/>", encoding="utf-8")
    code, err = run_taiyaku("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 1
    assert err.splitlines()[:2] == [
        "volume.toml:1: config: cover: 'cover.svg': expected a PNG or JPEG image",
        "volume.toml:4: config: ja.cover: '../x.png': expected a path inside the volume folder",
    ]


def test_page_numbers_found_by_typesetting_fill_every_form() -> None:
    citation = Citation("chapter", "k", "en", "T", authors=(person("A B"),), book_title="Book", page_path="en/p/",
                        first_page="41", last_page="60")
    tags = head_tags(citation, lambda path: path)
    page = "".join(f"<meta name=\"{n}\" content=\"{v}\">\n" for n, v in tags.names) + str(tags.json_ld) \
        + f"<p>{citation.html}</p>"
    filled = [page, to_bibtex(citation), to_ris(citation), to_csl_json(citation)]
    assert '<meta name="citation_firstpage" content="41">\n<meta name="citation_lastpage" content="60">' in filled[0]
    assert '"pageEnd": "60"' in filled[0] and '"pageStart": "41"' in filled[0]
    assert '<p>A B, “T,” in <cite>Book</cite><span class="pages">, pp. 41–60</span>.</p>' in filled[0]
    assert "pages = {41--60}" in filled[1]
    assert "SP  - 41\nEP  - 60" in filled[2]
    assert '"page": "41-60"' in filled[3]
    # Without page numbers (an HTML-only build) no empty Scholar tag, nor a "Cite as" line ending in "pp. –".
    unknown = Citation("chapter", "k", "en", "T", authors=(person("A B"),), book_title="Book", page_path="en/p/")
    tags = head_tags(unknown, lambda path: path)
    page = "".join(f"<meta name=\"{n}\" content=\"{v}\">\n" for n, v in tags.names) + f"<p>{unknown.html}</p>"
    assert "citation_firstpage" not in page and "<p>A B, “T,” in <cite>Book</cite>.</p>" in page


def test_pdf_urls_are_absolute_and_name_the_offprint() -> None:
    from taiyaku.errors import Diagnostics
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume
    from taiyaku.site import Download, Downloads, render_site

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=REPO), diagnostics)
    strings = load_strings(volume, diagnostics)
    downloads = {lang: Downloads(Download(f"pdf/alliance-at-75-{lang}.pdf", 1000),
                                 {"introduction": Download(f"pdf/alliance-at-75-{lang}/introduction.pdf", 500, "offprint",
                                                           2, (7, 8))})
                 for lang in ("en", "ja")}
    made = render_site(volume, strings, diagnostics, downloads)
    files = {f.rel_path: f.data.decode("utf-8") for f in made if not f.rel_path.endswith(".jpg")}
    assert diagnostics.items == []
    offprint = f"{BASE}pdf/alliance-at-75-ja/introduction.pdf"
    page = files["ja/introduction/index.html"]
    assert f'<meta name="citation_pdf_url" content="{offprint}">' in page
    assert f'"contentUrl": "{offprint}"' in page
    assert f"L1  - {offprint}\n" in files["ja/introduction/cite.ris"]
    assert f'<meta name="citation_pdf_url" content="{BASE}pdf/alliance-at-75-en.pdf">' in files["en/index.html"]
    assert "citation_pdf_url" not in files["ja/treaty-history/index.html"]  # no offprint offered for it


def test_a_cover_linked_from_outside_the_volume_is_refused(tmp_path: Path) -> None:
    root = published_volume(tmp_path, 'cover = "cover.png"\n')
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    (root / "cover.png").symlink_to(tmp_path / "secret.png")
    code, err = run_taiyaku("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 1
    assert err.splitlines()[0] == ("volume.toml:1: config: cover: 'cover.png': a symbolic link outside the volume "
                                   "folder (taiyaku reads only files inside it)")


def test_rights_in_the_xmp_of_a_weasyprint_pdf() -> None:
    """The recipe for the PDF stage: the rights go inside WeasyPrint's own rdf:RDF, where readers look."""
    import io

    import pydyf
    import weasyprint
    from pypdf import PdfReader

    rights = Rights("CC-BY-4.0", "ハルデン太平洋問題研究所", 2026, "ja")

    def finish(_document: object, pdf: pydyf.PDF) -> None:
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
                obj.stream = [add_to_xmp(b"".join(obj.stream), xmp_rights(rights))]

    document = weasyprint.HTML(string='<html lang="ja"><title>t</title><p>本文</p>').render(pdf_variant="pdf/ua-1")
    data = document.write_pdf(pdf_variant="pdf/ua-1", finisher=finish)
    xmp = PdfReader(io.BytesIO(data)).xmp_metadata
    statement = "© 2026 ハルデン太平洋問題研究所\u3000CC BY 4.0"
    assert xmp.dc_rights == {"x-default": statement, "ja": statement}
    rights_ns = "http://ns.adobe.com/xap/1.0/rights/"
    assert [e.firstChild.data for e in xmp.rdf_root.getElementsByTagNameNS(rights_ns, "Marked")] == ["True"]
    assert [e.firstChild.data for e in xmp.rdf_root.getElementsByTagNameNS(rights_ns, "WebStatement")] == [
        "https://creativecommons.org/licenses/by/4.0/"]
    # pikepdf, the reader, finds the same rights (it too reads the first rdf:RDF only).
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert (meta["dc:rights"], meta["xmpRights:Marked"], meta["xmpRights:WebStatement"]) == (
            statement, "True", "https://creativecommons.org/licenses/by/4.0/")
    assert xmp_rights(Rights()) == b"" and add_to_xmp(b"<x/>", b"") == b"<x/>"


def test_every_page_can_state_the_licence_in_its_footer(tmp_path: Path) -> None:
    root = published_volume(tmp_path, 'license = "CC-BY-4.0"\ndate = "2026-09"\nbase_url = "https://x.example/"\n'
                                      '[en]\npublisher = "Halden Institute"\n[ja]\ncopyright = "ハルデン研究所"\n')
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/footer.html").write_text(
        '<footer><p class="rights">{{ rights.notice }} <a rel="license" href="{{ rights.license_url }}">'
        "{{ rights.license_name }}</a></p></footer>\n", encoding="utf-8")
    code, err = run_taiyaku("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 0, err
    for page, notice in (("en/index.html", "© 2026 Halden Institute"), ("en/one/index.html", "© 2026 Halden Institute"),
                         ("ja/index.html", "© 2026 ハルデン研究所"), ("ja/two/index.html", "© 2026 ハルデン研究所")):
        rights = parse_html(tmp_path / "out/html" / page).find("p", class_="rights")
        assert rights.text == f"{notice} CC BY 4.0", page
        assert rights.find("a").attrs["href"] == "https://creativecommons.org/licenses/by/4.0/"


def test_doi_from_the_front_matter_and_a_standin_is_not_cited(tmp_path: Path) -> None:
    root = published_volume(tmp_path, 'date = "2026-09-15"\n[en]\ntitle = "Parallel Essays"\n')
    two = root / "content/en/02-two.md"
    two.write_text(two.read_text(encoding="utf-8").replace("---\n\n", "doi: 10.5555/example.2\n---\n\n", 1),
                   encoding="utf-8")
    code, err = run_taiyaku("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert (code, err) == (0, "content/en/02-two.md: warning: translation: not translated into ja: the ja edition "
                              f"shows the original, marked as not yet translated\nbuilt 17 files into {tmp_path / 'out'}"
                              "; 1 warning(s)\n")  # en/two/cite.*: the only paper
    site = tmp_path / "out/html"
    tree = parse_html(site / "en/two/index.html")
    assert values(tree, "citation_doi") == ["10.5555/example.2"]
    assert values(tree, "citation_publication_date") == ["2026/09/15"]
    assert values(tree, "citation_pdf_url") == []  # an HTML build offers no PDF
    assert json_ld(tree)["sameAs"] == "https://doi.org/10.5555/example.2"
    assert "  doi = {10.5555/example.2},\n" in (site / "en/two/cite.bib").read_text(encoding="utf-8")
    assert "DO  - 10.5555/example.2\n" in (site / "en/two/cite.ris").read_text(encoding="utf-8")
    # Without base_url, links in JSON-LD are relative to the page; no og:url, no card image.
    assert json_ld(tree)["@id"] == "index.html" and values(tree, "og:url", "property") == []
    # The Japanese page of the untranslated essay shows the English text: it is not cited as a Japanese paper.
    standin = parse_html(site / "ja/two/index.html")
    assert values(standin, "citation_title") == [] and not (site / "ja/two/cite.bib").exists()


def test_the_footer_states_the_licence(sample_html: SampleBuild) -> None:
    # The session's build of the sample (conftest): --format html --no-cache, as this test built it before.
    code, err = sample_html.code, sample_html.err
    assert code == 0, err
    for lang, notice in (("en", "© 2026 Halden Institute for Pacific Affairs. "), ("ja", "© 2026 ハルデン太平洋問題研究所\u3000")):
        footer = parse_html(sample_html.out / f"html/{lang}/index.html").find("p", class_="rights")
        assert footer.text == notice + "CC BY 4.0"
        assert footer.find("a").attrs == {"rel": "license", "href": "https://creativecommons.org/licenses/by/4.0/"}


TINY_TOML = """slug = "tiny"
languages = ["en", "ja"]
date = "2026-09"

[en]
title = "A Small Book"
subtitle = "Two Papers"
editors = ["Ada Lovelace", "Charles Babbage"]
publisher = "Small Press"

[ja]
title = "小さな本"
subtitle = "二つの論文"
editors = ["エイダ・ラブレス", "森川直人"]
publisher = "小出版社"
"""
TINY_PAPERS = {
    "en/01-first.md": ("First Paper", "- name: Yuki Miyasaka\n"),
    "en/02-second.md": ("Second Paper", "- name: Thomas R. Ashdown\n  - name: Eleanor Whitcombe\n"),
    "ja/01-first.md": ("第一論文", "- name: 宮坂由紀\n"),
    "ja/02-second.md": ("第二論文", "- name: トーマス・R・アッシュダウン\n  - name: エレノア・ウィットコム\n"),
}


@pytest.mark.slow
@pytest.mark.pdf
def test_offprint_cover_and_web_page_cite_alike_with_the_pdfs_page_numbers(tmp_path: Path) -> None:
    """One model, two prints: the offprint's cover says what the paper's web page says, pages included."""
    from pypdf import PdfReader

    root = tmp_path / "tiny"
    (root / "content/en").mkdir(parents=True)
    (root / "content/ja").mkdir()
    (root / "volume.toml").write_text(TINY_TOML, encoding="utf-8")
    body = {"en": "A paragraph of the paper, long enough to be set. " * 40,
            "ja": "論文の本文である。組版されるだけの長さがある。" * 60}
    for rel, (title, authors) in TINY_PAPERS.items():
        lang = rel[:2]
        text = "\n\n".join([body[lang]] * 6)
        (root / "content" / rel).write_text(f"---\ntitle: {title}\nauthors:\n  {authors}---\n\n{text}\n",
                                            encoding="utf-8")
    out = tmp_path / "out"
    # The offprints and the site are what this test reads (not the EPUBs nor the facing edition).
    code, err = run_taiyaku("build", "--root", root, "--out", out, "--cache-dir", tmp_path / "cache",
                            "--format", "pdf,html")
    assert code == 0, err
    expected = {
        "en": ["Yuki Miyasaka, “First Paper,” in A Small Book: Two Papers, ed. Ada Lovelace and Charles Babbage "
               "(Small Press, 2026), pp. {}.",
               "Thomas R. Ashdown and Eleanor Whitcombe, “Second Paper,” in A Small Book: Two Papers, ed. Ada Lovelace "
               "and Charles Babbage (Small Press, 2026), pp. {}."],
        # Japanese names as written, never inverted; 「論文」 and 『書名』.
        "ja": ["宮坂由紀「第一論文」エイダ・ラブレス、森川直人編『小さな本——二つの論文』小出版社、2026年、{}頁。",
               "トーマス・R・アッシュダウン、エレノア・ウィットコム「第二論文」エイダ・ラブレス、森川直人編『小さな本——二つの論文』"
               "小出版社、2026年、{}頁。"]}
    for lang, label in (("en", "Offprint from A Small Book: Two Papers"), ("ja", "『小さな本——二つの論文』抜刷")):
        for slug, wording in zip(("first", "second"), expected[lang]):
            offprint = out / f"pdf/tiny-{lang}/{slug}.pdf"
            reader = PdfReader(offprint)
            labels = reader.page_labels  # the cover, then the paper's pages as the volume numbers them
            line = cite_line(parse_html(out / f"html/{lang}/{slug}/index.html"))
            assert line == wording.format(f"{labels[1]}–{labels[-1]}")
            cover = "".join(reader.pages[0].extract_text().split())  # spaces and line wraps aside
            assert "".join(line.split()) in cover
            assert "".join(label.split()).casefold() in cover.casefold()  # the English label is set in capitals
            # The Scholar tags of the same page: the front matter, volume.toml and the same page numbers.
            tree = parse_html(out / f"html/{lang}/{slug}/index.html")
            tags = [(k, v) for k, v in metas(tree) if k.startswith("citation_")]
            title, authors = TINY_PAPERS[f"{lang}/0{1 + ('first', 'second').index(slug)}-{slug}.md"]
            names = [person(a["name"]) for a in yaml.safe_load(f"authors:\n  {authors}")["authors"]]
            book = tomllib.loads(TINY_TOML)[lang]
            book_title = f"{book['title']}{'——' if lang == 'ja' else ': '}{book['subtitle']}"
            assert tags == [
                ("citation_title", title),
                *[("citation_author", p.name if lang == "ja" else p.inverted) for p in names],
                *[("citation_editor", person(n).name if lang == "ja" else person(n).inverted) for n in book["editors"]],
                ("citation_publication_date", "2026/09"),
                ("citation_inbook_title", book_title), ("citation_book_title", book_title),
                ("citation_publisher", book["publisher"]),
                ("citation_firstpage", labels[1]), ("citation_lastpage", labels[-1]),
                ("citation_pdf_url", f"../../pdf/tiny-{lang}/{slug}.pdf"),  # relative: the volume has no base_url
                ("citation_language", lang),
            ]
            data = json_ld(tree)
            assert (data["pageStart"], data["pageEnd"]) == (labels[1], labels[-1])
            bib = (out / f"html/{lang}/{slug}/cite.bib").read_text(encoding="utf-8")
            assert f"  pages = {{{labels[1]}--{labels[-1]}}}," in bib
