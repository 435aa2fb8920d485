"""Per-part typesetting (issue 12): the assembled volume reads as one book, parts come from the cache by their
HTML and first folio, and the text of every page is the one the whole-volume layout gives."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from .conftest import ROOTS
from .pdfcheck import pdf_pages_text

PAPERS = {"en": ("Punctuation, Phrases and Notes", "Paying for Deterrence", "Contributors"),
          "ja": ("句読点と文節と注", "抑止の費用", "執筆者紹介")}


@pytest.fixture(params=["en", "ja"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def book(build_pdf, lang: str) -> Path:
    built = build_pdf("japanese")
    assert built.code == 0, built.log
    return built.pdf(f"sample-{lang}.pdf")


def _labels(pdf: pikepdf.Pdf) -> list[str]:
    from pypdf import PdfReader

    return list(PdfReader(pdf.filename).page_labels)


def _page_index(pdf: pikepdf.Pdf, destination: object) -> int:
    """The page a destination (an array, or a name in the name tree) lands on."""
    if isinstance(destination, (pikepdf.String, pikepdf.Name)):
        names = pikepdf.NameTree(pdf.Root.Names.Dests)
        destination = names[str(destination)]
        if isinstance(destination, pikepdf.Dictionary):
            destination = destination.D
    return pikepdf.Page(destination[0]).index


def _contents_folios(text: str, lang: str) -> dict[str, int]:
    """Contents entry (start of its title) → the page number printed after its leader."""
    found = {}
    flat = " ".join(text.split())
    for title in PAPERS[lang]:
        match = re.search(re.escape(title) + r".*?\.{3,}\s*(\d+)", flat)
        assert match, (title, flat)
        found[title] = int(match.group(1))
    return found


def test_page_labels_are_continuous_across_parts(book: Path) -> None:
    with pikepdf.open(book) as pdf:
        labels = _labels(pdf)
    first = labels.index("1")
    assert labels[:first] == ["i", "ii", "iii", "iv", "v", "vi"][:first]
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]


def test_contents_numbers_and_links_land_where_the_papers_start(book: Path, lang: str) -> None:
    pages = pdf_pages_text(book)
    with pikepdf.open(book) as pdf:
        labels = _labels(pdf)
        contents = next(i for i, text in enumerate(pages) if PAPERS[lang][1] in text and labels[i] in ("ii", "iii", "iv"))
        folios = _contents_folios(pages[contents], lang)
        for title, folio in folios.items():
            start = labels.index(str(folio))
            assert title in " ".join(pages[start].split()), (title, folio)
            assert not any(title in " ".join(text.split()) for text in pages[labels.index("1"):start]), title
        targets = set()  # a link is one annotation per line it spans
        for annotation in pdf.pages[contents].get("/Annots", []):
            action = annotation.get("/A")
            assert action is not None and action.S == "/GoTo", "a contents link is not a link into the volume"
            targets.add(labels[_page_index(pdf, action.D)])
        assert sorted(targets, key=int) == [str(folio) for folio in sorted(folios.values())]


def test_a_link_to_the_other_paper_lands_on_its_first_page(book: Path, lang: str) -> None:
    pages = pdf_pages_text(book)
    with pikepdf.open(book) as pdf:
        labels = _labels(pdf)
        body = labels.index("1")
        second = next(i for i in range(body, len(pages)) if PAPERS[lang][1] in pages[i])
        landed = []
        for index in range(body, second):
            for annotation in pdf.pages[index].get("/Annots", []):
                action = annotation.get("/A")
                if action is not None and action.S == "/GoTo":
                    landed.append(_page_index(pdf, action.D))
                assert action is None or action.S != "/URI" or not str(action.URI).startswith("taiyaku-dest:")
        assert second in landed


def test_one_structure_tree_covers_every_page(book: Path) -> None:
    with pikepdf.open(book) as pdf:
        root = pdf.Root.StructTreeRoot
        assert root.K.S == "/Document" if isinstance(root.K, pikepdf.Dictionary) else len(root.K) == 1
        keys = set(pikepdf.NumberTree(root.ParentTree).keys())
        parents = [page.obj.get("/StructParents") for page in pdf.pages]
        texts = pdf_pages_text(book)
        for index, (parent, text) in enumerate(zip(parents, texts)):
            if text.strip():
                assert parent is not None, f"page {index + 1} is not in the structure tree"
            if parent is not None:
                assert int(parent) in keys, f"page {index + 1}: /StructParents {parent} not in the ParentTree"
        assert len({int(p) for p in parents if p is not None}) == len([p for p in parents if p is not None])


def test_outline_has_every_part_at_its_page(book: Path, lang: str) -> None:
    pages = pdf_pages_text(book)
    with pikepdf.open(book) as pdf:
        labels = _labels(pdf)
        found = {}
        with pdf.open_outline() as outline:
            for item in outline.root:
                destination = item.destination if item.destination is not None else item.action.D
                found[item.title] = _page_index(pdf, destination)
    for title in PAPERS[lang]:
        (full,) = [name for name in found if name.startswith(title)]
        assert title in " ".join(pages[found[full]].split())
        assert labels[found[full]].isdigit()


def _copy_root(tmp_path: Path) -> Path:
    root = tmp_path / "volume"
    shutil.copytree(ROOTS / "japanese", root)
    return root


def _typeset(root: Path, out: Path, cache_dir: Path | None) -> dict[str, object]:
    """Typeset the English volume through the parts (with a part cache when ``cache_dir``); its result."""
    from taiyaku.pdf.cache import PDFCache
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs, run_jobs
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    strings = load_strings(volume, diagnostics)
    jobs = make_jobs(volume, strings, out, diagnostics, offprints=True, languages=["en"])
    store = PDFCache(cache_dir, root).parts if cache_dir is not None else None
    (result,) = run_jobs(jobs, store=store)
    if store is not None:
        store.save()
    assert not result.error, result.error
    return {"result": result, "volume": (out / "pdf" / "sample-en.pdf").read_bytes(),
            "offprints": {rel: (out / "pdf" / rel).read_bytes() for rel in result.offprints}}


def test_an_edit_relays_only_its_paper_and_never_the_papers_after_it(tmp_path: Path) -> None:
    """Issue 25: folios and running heads are drawn at assembly, so a paper is laid out once whatever its start,
    and a paper that grows moves the papers after it without laying them out again."""
    root = _copy_root(tmp_path)
    cache = tmp_path / "cache"
    first = _typeset(root, tmp_path / "out1", cache)
    assert Counter(first["result"].typeset_parts) == Counter(
        ["front", "punctuation", "second", "contributors", "furniture", "covers:0"])

    # Nothing changed: every part from the cache, the same bytes.
    again = _typeset(root, tmp_path / "out2", cache)
    assert again["result"].typeset_parts == []
    assert again["volume"] == first["volume"] and again["offprints"] == first["offprints"]

    # One word in the second paper: only it is laid out again (its page count and folio stay), and only its
    # offprint is assembled again (the first's is restored: offprint_seconds counts assembly time only).
    second = root / "content/en/02-second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("approximate", "rough"), encoding="utf-8")
    edited = _typeset(root, tmp_path / "out3", cache)
    assert edited["result"].typeset_parts == ["second"]
    assert edited["result"].page_ranges == first["result"].page_ranges
    assert edited["offprints"]["sample-en/punctuation.pdf"] == first["offprints"]["sample-en/punctuation.pdf"]
    assert edited["offprints"]["sample-en/second.pdf"] != first["offprints"]["sample-en/second.pdf"]
    assert len(list((cache / "parts").glob("*/*/offprint.pdf"))) == 3

    # The first paper grows by pages: it, the contents, the sheet of folios and the covers; not the papers
    # after it, which keep their layout at their new folios.
    paper = root / "content/en/01-punctuation.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(
        "A paragraph added to make the paper longer, so that the folios after it move. " * 6 for _ in range(12)),
        encoding="utf-8")
    grown = _typeset(root, tmp_path / "out4", cache)
    moved = grown["result"].page_ranges["sample-en/second.pdf"][0] - first["result"].page_ranges["sample-en/second.pdf"][0]
    assert moved > 0
    assert Counter(grown["result"].typeset_parts) == Counter(
        ["punctuation", "front", "furniture", "covers:0"])
    # The moved paper's folios are the volume's: on its offprint too.
    offprint = tmp_path / "out4" / "pdf" / "sample-en" / "second.pdf"
    offprint.write_bytes(grown["offprints"]["sample-en/second.pdf"])
    start = grown["result"].page_ranges["sample-en/second.pdf"][0]
    assert str(start) in pdf_pages_text(offprint)[1].split()

    # The last paper grows: the sheet and the batch of covers change, not the first paper's pages of them, so
    # its offprint is restored and only the grown paper's is assembled again.
    kept = len(list((cache / "parts").glob("*/*/offprint.pdf")))
    last = root / "content/en/02-second.md"
    last.write_text(last.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(
        "A paragraph added to make the last paper longer. " * 8 for _ in range(12)), encoding="utf-8")
    longer = _typeset(root, tmp_path / "out5", cache)
    assert longer["result"].page_ranges["sample-en/second.pdf"][1] > grown["result"].page_ranges["sample-en/second.pdf"][1]
    assert Counter(longer["result"].typeset_parts) == Counter(["second", "front", "furniture", "covers:0"])
    assert len(list((cache / "parts").glob("*/*/offprint.pdf"))) == kept + 1
    assert longer["offprints"]["sample-en/punctuation.pdf"] == grown["offprints"]["sample-en/punctuation.pdf"]

    # A build from the cache gives the same bytes as a build without it.
    clean = _typeset(root, tmp_path / "out6", None)
    assert clean["volume"] == longer["volume"]
    assert clean["offprints"] == longer["offprints"]


def _lines(text: str, heads: set[str]) -> list[str]:
    """A page's lines without running heads (the papers' pages change sides: see docs/benchmarks.md)."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip() and line.strip() not in heads]


@pytest.mark.parametrize("profile", ["screen", "print"])
def test_every_page_has_the_text_of_the_whole_volume_layout(tmp_path: Path, profile: str) -> None:
    """The parts, assembled, against the older route (the whole volume in one layout), page by page."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs, run_jobs
    from taiyaku.pdf.typeset import typeset
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume

    root = _copy_root(tmp_path)
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    strings = load_strings(volume, diagnostics)
    (job,) = make_jobs(volume, strings, tmp_path / "parts", diagnostics, profile=profile, languages=["en"])
    (result,) = run_jobs([job])
    assert not result.error
    (whole_job,) = make_jobs(volume, strings, tmp_path / "whole", diagnostics, profile=profile, languages=["en"])
    whole = typeset(whole_job)
    assert not whole.error
    heads = {"A Small Volume", *(line for title in PAPERS["en"] for line in [title])}
    heads |= {doc.meta.title for doc in volume.documents["en"]} | {head for _, head in job.running_heads}
    parts_pages = pdf_pages_text(Path(job.target))
    whole_pages = pdf_pages_text(Path(whole_job.target))
    assert len(parts_pages) == len(whole_pages) == result.pages == whole.pages
    for number, (got, want) in enumerate(zip(parts_pages, whole_pages), 1):
        assert _lines(got, heads) == _lines(want, heads), f"page {number}"
    if profile == "print":
        # The sides agree (every paper opens on a right-hand page in both routes): the folios and running
        # heads drawn at assembly are the whole layout's, but for a long title's short running head.
        short = {doc.meta.title: dict(job.running_heads).get(doc.slug, doc.meta.title)
                 for doc in volume.documents["en"]}
        for number, (got, want) in enumerate(zip(parts_pages, whole_pages), 1):
            expected = [short.get(line, line) for line in _lines(want, set())]
            assert sorted(_lines(got, set())) == sorted(expected), f"page {number}"
    assert result.report.hyphenated_lines == whole.report.hyphenated_lines
    assert result.footnotes == whole.footnotes


def test_parts_are_split_at_the_marks_and_links_out_of_a_part_point_to_the_assembler() -> None:
    from taiyaku.pdf.assemble import DEST_SCHEME
    from taiyaku.pdf.document import split_parts

    html = ('<html><head><style>x</style></head><body class="lang-en">\n<!--taiyaku-part front-->\n'
            '<nav><a href="#one">One</a></nav>\n<!--taiyaku-part one-->\n<section id="one"><p id="one:p">'
            '<a href="#one:p">here</a> <a href="#two:sec">there</a> <a href="https://example.org/#one">web</a></p>'
            '</section>\n<!--taiyaku-part two-->\n<section id="two"><h2 id="two:sec">S</h2></section>\n'
            '<!--taiyaku-part-end-->\n</body></html>')
    head, parts = split_parts(html)
    assert head == '<html><head><style>x</style></head><body class="lang-en">\n'
    assert [part.name for part in parts] == ["front", "one", "two"]
    assert parts[0].body == f'<nav><a href="{DEST_SCHEME}one">One</a></nav>\n'
    assert parts[1].body == (f'<section id="one"><p id="one:p"><a href="#one:p">here</a> <a href="{DEST_SCHEME}'
                             'two:sec">there</a> <a href="https://example.org/#one">web</a></p></section>\n')
    assert parts[2].body == '<section id="two"><h2 id="two:sec">S</h2></section>\n'


@pytest.mark.parametrize(("start", "pages", "profile", "expected"), [
    (1, 3, "screen", 4), (4, 2, "screen", 6), (1, 3, "print", 5), (1, 2, "print", 3), (5, 1, "print", 7)])
def test_the_next_paper_starts_on_the_next_page_or_the_next_right_hand_one(start: int, pages: int, profile: str,
                                                                           expected: int) -> None:
    from taiyaku.pdf.book import next_start

    assert next_start(start, pages, profile) == expected


def test_a_paper_is_laid_out_the_same_wherever_it_starts() -> None:
    """A paper's own rules hold no folio and no page side; its margin boxes draw nothing (the sheet does)."""
    from taiyaku.pdf.document import chapter_css

    css = chapter_css('A "Title"')
    assert 'string-set: volume-title "A \\"Title\\""' in css
    assert "counter-reset" not in css and "break-before" not in css
    assert "@bottom-center { content: none !important; }" in css and "@top-right { content: none !important; }" in css


def test_verification_messages_name_the_printed_folio() -> None:
    from taiyaku.errors import Diagnostic
    from taiyaku.pdf.jobs import TypesetResult
    from taiyaku.pdf.typeset import _pages_as_folios

    result = TypesetResult("en", "v-en.pdf", warnings=["table “T” on page 1 is 3.0 pt wider than the text block"],
                           problems=[Diagnostic("content/en/02-b.md", 4, "pdf",
                                                "footnote 2 of b (“N”), called on page 2, is printed 2 times "
                                                "(pages 2, 3)")])
    _pages_as_folios(result, 11)
    assert result.warnings == ["table “T” on page 11 is 3.0 pt wider than the text block"]
    assert result.problems[0].message == "footnote 2 of b (“N”), called on page 12, is printed 2 times (pages 12, 13)"


def test_a_volume_template_without_part_marks_is_laid_out_whole(tmp_path: Path) -> None:
    """A volume's own ``print/volume.html`` written before the marks existed still makes its PDFs."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs, run_jobs
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume
    from taiyaku.theme import THEME_ROOT

    root = _copy_root(tmp_path)
    template = (THEME_ROOT / "templates/print/volume.html").read_text(encoding="utf-8")
    (root / "templates/print").mkdir(parents=True)
    (root / "templates/print/volume.html").write_text(re.sub(r"<!--taiyaku-part[^>]*-->\n?", "", template),
                                                     encoding="utf-8")
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    strings = load_strings(volume, diagnostics)
    (job,) = make_jobs(volume, strings, tmp_path / "out", diagnostics, offprints=True, languages=["en"])
    assert job.parts == ()
    (result,) = run_jobs([job])
    assert not result.error and result.pages > 4 and result.typeset_parts == []
    assert sorted(result.page_ranges) == ["sample-en/punctuation.pdf", "sample-en/second.pdf"]


def test_a_damaged_part_is_laid_out_again(tmp_path: Path, caplog) -> None:
    root = _copy_root(tmp_path)
    cache = tmp_path / "cache"
    first = _typeset(root, tmp_path / "out1", cache)
    entries = sorted((cache / "parts").glob("*/*/part.pdf"))
    assert len(entries) >= len(set(first["result"].typeset_parts))
    for entry in entries:  # every one: a part laid out twice (an estimated folio) has two entries
        entry.write_bytes(entry.read_bytes()[:-100])
    again = _typeset(root, tmp_path / "out2", cache)
    assert set(again["result"].typeset_parts) == set(first["result"].typeset_parts)
    assert "is damaged" in caplog.text
    assert again["volume"] == first["volume"] and again["offprints"] == first["offprints"]


def test_one_page_offprint_cites_a_page_not_a_range(build_pdf) -> None:
    """A paper of one page is cited "p. 7" on its offprint's cover (not "pp. 7–7")."""
    from .pdfcheck import pdf_lines

    built = build_pdf("typesetter")
    checked = 0
    for lang, single, folios in (("en", r", p\. \d+\.", r"\d+–\d+"), ("ja", r"、\d+頁。", r"\d+–\d+")):
        for offprint in sorted(built.pdf(f"typesetter-{lang}").glob("*.pdf")):
            with pikepdf.open(offprint) as pdf:
                if len(pdf.pages) != 2:  # the cover and one page of the paper
                    continue
            cover = " ".join(line.text for line in pdf_lines(offprint) if line.page == 1)
            assert re.search(single, cover), cover
            assert not re.search(folios, cover), cover
            checked += 1
    assert checked >= 2


def _font_glyphs(data: bytes) -> dict[str, set[int]]:
    """BaseFont (without its tag) → the CIDs its /W lists, over a PDF's fonts."""
    found: dict[str, set[int]] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                if "/DescendantFonts" not in font:
                    continue
                w = list(font.DescendantFonts[0].get("/W", []))
                cids = found.setdefault(str(font.BaseFont).split("+", 1)[-1], set())
                for first, widths in zip(w[::2], w[1::2]):
                    cids.update(range(int(first), int(first) + len(widths)))
    return found


@pytest.mark.parametrize("profile", ["screen", "print"])
def test_a_cover_taken_out_of_its_batch_is_the_cover_laid_out_alone(tmp_path: Path, profile: str) -> None:
    """Issue 25: a language's offprint covers are laid out and written together (one font subset for all), and
    each offprint takes its cover's page out of that PDF: the same text at the same places as the cover laid
    out alone, its fonts listing only its own glyphs, its structure tree only its own elements."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import PartJob, make_jobs
    from taiyaku.pdf.assemble import Part, assemble
    from taiyaku.pdf.document import covers_html
    from taiyaku.pdf.typeset import typeset_covers
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume

    root = tmp_path / "volume"
    shutil.copytree(ROOTS / "typesetter", root)
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    jobs = make_jobs(volume, load_strings(volume, diagnostics), tmp_path / "out", diagnostics, offprints=True,
                     languages=["ja"], profile=profile)
    (job,) = jobs

    def covers(name: str, first: int, last: int) -> tuple[bytes, list[int]]:
        html = covers_html([(o.slug, o.cover(3 + i, 4 + i)) for i, o in enumerate(job.offprints) if first <= i < last])
        part = PartJob(lang=job.lang, label=job.label, name=name, html=html, base_url=job.base_url,
                       allowed_roots=job.allowed_roots, target=str(tmp_path / f"{name}.pdf"), start=1,
                       pdf_variant=job.pdf_variant, profile=job.profile, sources=job.sources,
                       typography=job.typography, structured_problems=job.structured_problems)
        result = typeset_covers(part)
        assert not result.error and result.pages == last - first, result.error
        return Path(part.target).read_bytes(), result.cover_pages

    batch, starts = covers("together", 0, 3)
    assert starts == [0, 1, 2]
    assert "taiyaku-cover-" not in batch.decode("latin-1")
    for index in (0, 1):
        taken = assemble([Part("cover", batch, (index,))], [], title="t", authors=[], lang="ja").data
        alone_data, _ = covers(f"alone{index}", index, index + 1)
        alone = assemble([Part("cover", alone_data)], [], title="t", authors=[], lang="ja").data
        (Path(tmp_path) / "taken.pdf").write_bytes(taken)
        (Path(tmp_path) / "alone.pdf").write_bytes(alone)
        with pdfplumber.open(tmp_path / "taken.pdf") as a, pdfplumber.open(tmp_path / "alone.pdf") as b:
            assert len(a.pages) == len(b.pages) == 1
            chars = [sorted((round(c["x0"], 2), round(c["top"], 2), c["text"]) for c in pdf.pages[0].chars)
                     for pdf in (a, b)]
            assert chars[0] == chars[1]
        assert _font_glyphs(taken) == _font_glyphs(alone)
        with pikepdf.open(tmp_path / "taken.pdf") as pdf:
            tree = pdf.Root.StructTreeRoot
            assert len(pikepdf.NumberTree(tree.ParentTree)) == 1
            assert job.offprints[index].title.split()[0] in pdf_pages_text(tmp_path / "taken.pdf")[0]


def test_a_japanese_cited_title_stays_in_the_texts_face(build_pdf) -> None:
    """『』 already mark a cited title in Japanese: on the offprint cover the book's title in the citation is set
    in the citation's own Mincho, not switched to gothic (Japanese has no italics to switch to)."""
    import pdfplumber

    built = build_pdf("japanese")
    with pdfplumber.open(built.pdf("sample-ja/punctuation.pdf")) as pdf:
        chars = pdf.pages[0].chars
    lines: dict[int, list] = {}
    for char in chars:
        lines.setdefault(round(char["top"]), []).append(char)
    cited = []
    for line in lines.values():
        text = "".join(c["text"] for c in line)
        if "『" in text and "頁" in text:
            inside = False
            for char in line:
                if char["text"] == "』":
                    inside = False
                if inside:
                    cited.append(char["fontname"])
                if char["text"] == "『":
                    inside = True
    assert cited, "no cited title found on the cover's citation line"
    assert all("Serif" in name for name in cited), sorted(set(cited))
