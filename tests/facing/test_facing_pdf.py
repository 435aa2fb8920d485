"""The 対訳 edition read from the PDF itself: spreads in step, sides, layout, notes, outline, tags, fill, gaps."""

from __future__ import annotations

import statistics

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from taiyaku.facing.plan import anchors, make_paper
from taiyaku.pdf.geometry import page_geometry

pytestmark = pytest.mark.pdf


def _dest_pages(path) -> dict[str, int]:
    """Named destination → 1-based page number."""
    reader = PdfReader(str(path))
    return {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}


def _papers(edition):
    """(slug, left anchors, right anchors) of every paper, from the plan of the edition."""
    from taiyaku.errors import Diagnostics
    from taiyaku.pdf import make_jobs
    from taiyaku.pipeline import load_strings
    from taiyaku.views import block_alignment

    volume = edition.volume
    strings = load_strings(volume, Diagnostics())
    jobs = {job.lang: job for job in make_jobs(volume, strings, edition.root / "unused", Diagnostics())}
    left, right = jobs["en"], jobs["ja"]
    found = []
    for lpart, rpart in zip(left.parts, right.parts):
        if lpart.name in ("front", "contributors"):
            continue
        doc = volume.document("en", lpart.name)
        paper = make_paper(lpart.name, lpart.body, rpart.body, "ja", "en",
                           block_alignment(volume, doc.source.rel_path, "en", "ja"))
        found.append((paper, anchors(paper, "left"), anchors(paper, "right")))
    return found


def _spread(page: int) -> int:
    """Spread number of a 1-based page (page 1, the cover, alone on spread 0)."""
    return page // 2


def test_every_aligned_row_starts_on_the_same_spread(sample_edition):
    pages = _dest_pages(sample_edition.pdf)
    rows = in_step = 0
    for paper, left, right in _papers(sample_edition):
        assert paper.aligned, paper.slug
        for a, b in zip(left, right):
            rows += 1
            in_step += _spread(pages[a]) == _spread(pages[b])
    assert rows == sample_edition.report.rows == 143
    assert in_step == rows


def test_source_on_even_left_pages_translation_on_odd_right_pages(sample_edition):
    pages = _dest_pages(sample_edition.pdf)
    for paper, left, right in _papers(sample_edition):
        assert all(pages[a] % 2 == 0 for a in left), paper.slug
        assert all(pages[b] % 2 == 1 for b in right), paper.slug
        assert pages[left[0]] + 1 == pages[right[0]]  # each paper opens a spread
    with pikepdf.open(sample_edition.pdf) as pdf:
        assert pdf.Root.PageLayout == pikepdf.Name.TwoPageRight
        assert len(pdf.pages) % 2 == 1 or True
        labels = pdf.Root.PageLabels.Nums
        assert int(labels[0]) == 0 and labels[1].S == pikepdf.Name.D


def test_page_text_language_by_side(sample_edition):
    """Left pages of papers read as English, right pages as Japanese (by their characters)."""
    starts = sample_edition.report.starts
    first, last = starts["about"], starts["contributors"]
    with pdfplumber.open(sample_edition.pdf) as pdf:
        for number in range(first, last):
            text = pdf.pages[number - 1].extract_text() or ""
            if not text.strip():
                continue  # an empty page keeping the sides in step
            kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff")
            if number % 2 == 0:
                assert kana < 0.05 * len(text), number
            else:
                assert kana > 0.3 * len(text.replace(" ", "")), number


def test_no_footnote_lost(sample_edition):
    """Every note of both sides laid out once, in order, on its call's page or (as in the single PDFs) the next:
    the worker verifies each side (an error would have failed the build) and counts the bodies."""
    volume = sample_edition.volume
    pdf = PdfReader(str(sample_edition.pdf))
    text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    for lang in ("en", "ja"):
        expected = sum(doc.footnote_count for doc in volume.documents[lang])
        assert expected > 50
        assert sample_edition.report.notes[lang] == expected  # every note laid out once (verified per side)
    assert "Princeton University Press" in text  # a note of networked-region
    assert "Victor D. Cha" in text


def test_outline_in_both_languages(sample_edition):
    reader = PdfReader(str(sample_edition.pdf))

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    found = list(titles(reader.outline))
    assert any(t.startswith("Introduction") for t in found)
    assert any(t.startswith("序論") for t in found)
    en = [t for t in found if t.startswith("Paying for Deterrence")]
    assert en, found


def _page_lang(pdf: pikepdf.Pdf, page: pikepdf.Page) -> str | None:
    """The language of the structure elements a page's content belongs to (inherited from the parents)."""
    key = page.obj.get("/StructParents")
    if key is None:
        return None
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for index in range(0, len(nums), 2):
        if int(nums[index]) == int(key):
            elems = nums[index + 1]
            break
    else:
        return None
    langs = set()
    for elem in elems:
        node = elem
        while node is not None and "/Lang" not in node and node.get("/S") != pikepdf.Name.Document:
            node = node.get("/P")
        langs.add(str(node.Lang) if node is not None and "/Lang" in node else str(pdf.Root.Lang))
    return langs.pop() if len(langs) == 1 else ",".join(sorted(langs))


def test_tags_give_each_page_its_language(sample_edition):
    starts = sample_edition.report.starts
    with pikepdf.open(sample_edition.pdf) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        checked = 0
        for number in range(starts["about"], starts["contributors"]):
            lang = _page_lang(pdf, pdf.pages[number - 1])
            if lang is None:
                continue  # an empty page
            assert lang.startswith("ja" if number % 2 else "en"), (number, lang)
            checked += 1
        assert checked > 50


def test_tags_read_each_spread_left_page_then_right_page(sample_edition):
    """The structure tree (the reading order of assistive technology) goes page by page: the Document's kids are
    one Part per page with content, in page order, each with its page's language; so each spread reads its
    left (English) page, then its right (Japanese) page."""
    starts = sample_edition.report.starts
    with pikepdf.open(sample_edition.pdf) as pdf:
        number = {page.objgen: index + 1 for index, page in enumerate(pdf.pages)}

        def pages(element, found):
            if isinstance(element, pikepdf.Dictionary):
                if "/Pg" in element and element.Pg.objgen in number:
                    found.add(number[element.Pg.objgen])
                if element.get("/Type") != pikepdf.Name.OBJR:
                    kids = element.get("/K")
                    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                        pages(kid, found)
            return found

        document = pdf.Root.StructTreeRoot.K
        document = document[0] if isinstance(document, pikepdf.Array) else document
        assert document.S == pikepdf.Name.Document
        order = []
        for part in document.K:
            assert part.S == pikepdf.Name.Part
            on = pages(part, set())
            assert len(on) == 1, on  # each Part holds one page's content
            page = on.pop()
            order.append(page)
            if starts["about"] <= page < starts["contributors"]:
                assert str(part.Lang) == ("ja" if page % 2 else "en"), page
        assert order == sorted(order) and len(order) == len(set(order))
        assert len(order) >= len(pdf.pages) - sample_edition.report.blank_pages - 1


def test_the_edition_passes_the_independent_pdf_ua_check(sample_edition):
    """PyPI's ``pdfua`` (the machine-checkable subset, as for the single PDFs): no error, no warning, with the
    tree regrouped page by page."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pdfua", "check", str(sample_edition.pdf)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "result: PASS (no findings)" in done.stdout and "errors=0 warnings=0" in done.stdout, done.stdout


def test_pages_within_the_cost_of_keeping_step(sample_edition):
    single = sample_edition.single
    pages = len(PdfReader(str(sample_edition.pdf)).pages)
    assert pages <= 1.15 * (single["en"] + single["ja"]), (pages, single)


def _fill(page, geometry) -> float:
    top = float(geometry.margin_top.removesuffix("pt"))
    bottom = page.height - float(geometry.margin_bottom.removesuffix("pt"))
    chars = [c for c in page.chars if top - 2 <= c["top"] and c["bottom"] <= bottom + 2]
    if not chars:
        return 0.0
    return (max(c["bottom"] for c in chars) - top) / (bottom - top)


def test_median_fill_of_the_fuller_page(sample_edition):
    geometry = page_geometry("A4", "en")
    starts = sample_edition.report.starts
    bounds = [starts[name] for name in ("about", "introduction", "treaty-history", "paying-for-deterrence",
                                        "co-development", "networked-region", "contributors")]
    fuller = []
    with pdfplumber.open(sample_edition.pdf) as pdf:
        for first, end in zip(bounds, bounds[1:]):
            for left in range(first, end - 2, 2):  # a paper's last spread aside
                fuller.append(max(_fill(pdf.pages[left - 1], geometry), _fill(pdf.pages[left], geometry)))
    assert statistics.median(fuller) >= 0.9, fuller


def test_report_for_build_json(sample_edition):
    data = sample_edition.report.as_dict()
    assert data["in_step"] == 1.0
    assert data["rows"] == data["rows_in_step"]
    assert {"spreads", "split_rows", "blank_share", "blank_pages", "median_fill"} <= set(data)
    artifact = sample_edition.artifacts[0]
    assert artifact.rel_path == "pdf/alliance-at-75-en-ja.pdf"
    assert artifact.langs == ("en", "ja") and artifact.kind == "facing" and artifact.output == "facing"
    assert artifact.size == sample_edition.pdf.stat().st_size and artifact.pages == data["pages"]


# --- the gap volume --------------------------------------------------------------------------------------------


def _words(pdf, number):
    return pdf.pages[number - 1].extract_words(keep_blank_chars=False, use_text_flow=True)


def _find(pdf, text):
    """(1-based page, top) of the first line holding ``text``."""
    for index, page in enumerate(pdf.pages):
        for line in page.extract_text_lines():
            if text in line["text"].replace(" ", ""):
                return index + 1, line["top"]
    raise AssertionError(f"{text!r} not in the PDF")


def _text_between(page, top, bottom) -> str:
    return "".join(c["text"] for c in page.chars if top <= c["top"] and c["bottom"] <= bottom).strip()


def test_gap_beside_the_dropped_paragraph(gaps_edition):
    with pdfplumber.open(gaps_edition.pdf) as pdf:
        page, top = _find(pdf, "paragraph3begins")
        next_page, next_top = _find(pdf, "paragraph4begins")
        assert page % 2 == 0
        # Beside paragraph 3's first lines the right page is empty (the empty block is as tall as the flow
        # predicted: within a few lines of the paragraph's end); paragraph 4's translation is on the same spread.
        assert _text_between(pdf.pages[page], top - 2, top + 40) == ""
        ja_page, ja_top = _find(pdf, "第4段落が始まる")
        assert _spread(ja_page) == _spread(next_page)


def test_space_beside_the_added_paragraph(gaps_edition):
    with pdfplumber.open(gaps_edition.pdf) as pdf:
        page, top = _find(pdf, "訳注")
        assert page % 2 == 1
        # The left page of its spread keeps an empty stretch (the empty block after paragraph 4) of several lines.
        tops = sorted(line["top"] for line in pdf.pages[page - 2].extract_text_lines())
        assert max(b - a for a, b in zip(tops, tops[1:])) > 40


def test_merged_paragraphs_start_with_their_translation(gaps_edition):
    with pdfplumber.open(gaps_edition.pdf) as pdf:
        en, _ = _find(pdf, "paragraph5begins")
        ja, _ = _find(pdf, "第5段落が始まる")
        assert _spread(en) == _spread(ja) and en % 2 == 0 and ja % 2 == 1
        en7, _ = _find(pdf, "paragraph7begins")
        ja7, _ = _find(pdf, "第7段落が始まる")
        assert _spread(en7) == _spread(ja7)


def test_gap_volume_notes_on_their_calls_page(gaps_edition):
    with pdfplumber.open(gaps_edition.pdf) as pdf:
        for call, note in (("paragraph2begins", "Anotecalledinparagraph2"), ("第2段落が始まる", "第2段落の注"),
                           ("paragraph7begins", "Anotecalledinparagraph7"), ("第7段落が始まる", "第7段落の注")):
            page, _ = _find(pdf, call)
            note_page, _ = _find(pdf, note)
            assert note_page in (page, page + 2), (call, page, note_page)  # same side, this or the next spread
    assert gaps_edition.report.gaps == 2
    assert gaps_edition.report.rows_in_step == gaps_edition.report.rows


def test_unchanged_rebuild_comes_from_the_cache(tmp_path):
    """A second build with the same cache lays nothing out and writes the same bytes."""
    import shutil
    from types import SimpleNamespace

    from taiyaku.errors import Diagnostics
    from taiyaku.facing import FacingOutput
    from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume
    from taiyaku.writer import OutputWriter

    from .conftest import TESTS

    root = tmp_path / "facing_gaps"
    shutil.copytree(TESTS / "roots" / "facing_gaps", root)
    made = []
    for out in ("build-1", "build-2"):
        diagnostics = Diagnostics()
        volume = load_volume(BuildOptions(root=root), diagnostics)
        strings = load_strings(volume, diagnostics)
        check_translations(volume, diagnostics)
        writer = OutputWriter(tmp_path / out, ["pdf"], root=root)
        output = FacingOutput()
        ctx = SimpleNamespace(volume=volume, strings=strings, diagnostics=diagnostics, writer=writer,
                              options=SimpleNamespace(profile=None, cache=True, cache_folder=tmp_path / "cache"),
                              languages=[])
        artifacts = output.run(ctx)
        writer.commit()
        made.append(((tmp_path / out / artifacts[0].rel_path).read_bytes(), output.last_report.layouts))
    (first, layouts), (second, again) = made
    assert layouts > 0 and again == 0
    assert first == second


def test_printed_folios_are_the_page_numbers(sample_edition):
    """One number per page: the printed folio of every page with text (the cover aside) is its page number, so
    left pages carry even folios; page labels say the same."""
    import re

    with pdfplumber.open(sample_edition.pdf) as pdf:
        checked = 0
        for number, page in enumerate(pdf.pages, start=1):
            foot = [c for c in page.chars if c["top"] > page.height * 0.9]
            text = "".join(c["text"] for c in sorted(foot, key=lambda c: c["x0"])).strip()
            if number == 1 or not page.chars:
                continue
            assert re.fullmatch(r"\d+", text) and int(text) == number, (number, text)
            checked += 1
        assert checked > 50


def test_a_new_volume_gets_its_edition(run, tmp_path):
    """`taiyaku new` (English and Japanese): the edition is made, every row in step, left pages even."""
    from types import SimpleNamespace

    from taiyaku.errors import Diagnostics
    from taiyaku.facing import FacingOutput
    from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume
    from taiyaku.writer import OutputWriter

    assert run("new", tmp_path / "v")[0] == 0
    root = tmp_path / "v"
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    strings = load_strings(volume, diagnostics)
    check_translations(volume, diagnostics)
    writer = OutputWriter(root / "build", ["pdf"], root=root)
    output = FacingOutput()
    ctx = SimpleNamespace(volume=volume, strings=strings, diagnostics=diagnostics, writer=writer,
                          options=SimpleNamespace(profile=None), languages=[])
    artifacts = output.run(ctx)
    writer.commit()
    assert [a.rel_path for a in artifacts] == [f"pdf/{volume.config.slug}-en-ja.pdf"]
    report = output.last_report
    assert report.rows and report.rows_in_step == report.rows
    # Built alone, its one paper's sides are laid out once each: the layout that measured a side is its placement
    # (no break, no gap); then the cover, each side's front matter twice (placeholder folios, then the real
    # ones) and the folio sheet.
    assert (report.flows_reused, report.repairs, report.layouts) == (0, 0, 2 + 1 + 4 + 1)
    with pikepdf.open(root / "build" / artifacts[0].rel_path) as pdf:
        assert pdf.Root.PageLayout == pikepdf.Name.TwoPageRight
        assert len(pdf.pages) == artifacts[0].pages


def test_an_incomplete_translation_is_marked_as_on_the_site(gaps_edition):
    """The site's notice (the theme's catalog) under the paper's head on its first right page."""
    with pdfplumber.open(gaps_edition.pdf) as pdf:
        first = gaps_edition.report.starts["gaps"]
        right = (pdf.pages[first].extract_text() or "").replace(" ", "").replace("\n", "")
        left = (pdf.pages[first - 1].extract_text() or "").replace(" ", "").replace("\n", "")
    assert "この翻訳はまだ完成していない" in right
    assert "この翻訳" not in left and "not complete" not in left


def test_contents_in_both_languages_give_each_papers_first_spread(sample_edition):
    """Each side's contents (facing each other) gives every paper the folio of its opening left page."""
    import re

    starts = sample_edition.report.starts
    with pdfplumber.open(sample_edition.pdf) as pdf:
        pages = [pdf.pages[index].extract_text() or "" for index in range(1, starts["about"] - 1)]
    english = next(text for text in pages if text.startswith("Contents"))
    japanese = next(text for text in pages if text.startswith("目次"))
    for text, title in ((english, "Introduction: An Alliance That Keeps Changing"), (japanese, "序論")):
        line = next(line for line in text.splitlines() if line.replace(" ", "").startswith(title.replace(" ", "")))
        assert re.search(rf"\.\s*{starts['introduction']}$", line), line
    assert pages.index(english) % 2 == 0 and pages.index(japanese) == pages.index(english) + 1  # a spread


def test_the_sample_is_packed_from_the_single_language_pdfs(sample_edition):
    """A full build lays the papers out for the single-language PDFs first: the edition packs every side from
    those layouts' flows and lays each side out once (placed), plus the cover, each side's front matter once (its
    length taken from the single PDFs' page maps), contributors, the folio sheet and the placements repeated for
    rows found out of step."""
    papers = len(_papers(sample_edition))
    report = sample_edition.report
    assert report.flows_reused == 2 * papers
    assert report.layouts <= 2 * papers + report.repairs * 2 + 6


def test_a_papers_flow_is_the_same_in_its_pdf_and_in_the_edition(sample_volume_pdfs):
    """The flow the PDF worker read from a paper of the single-language PDF (table continued on the next page
    included) is the one the edition's own measuring layout of that side reads."""
    from taiyaku.errors import Diagnostics
    from taiyaku.facing.edition import _Edition
    from taiyaku.facing.layout import SideJob, place_side
    from taiyaku.facing.plan import measure_html
    from taiyaku.pdf import make_jobs
    from taiyaku.pdf.flow import Flow
    from taiyaku.pipeline import BuildOptions, load_strings, load_volume
    from taiyaku.workers import Workers

    from .conftest import REPO

    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=REPO), diagnostics)
    strings = load_strings(volume, diagnostics)
    stage, results = sample_volume_pdfs
    jobs = {job.lang: job for job in make_jobs(volume, strings, stage / "unused", diagnostics,
                                               structured_problems=True)}
    edition = _Edition(volume, jobs["en"], jobs["ja"], "x.pdf", stage / "unused", strings=strings)
    paper = next(p for p in edition.papers if p.slug == "treaty-history")  # Table 1 runs onto a second page
    workers = Workers()
    pool = workers.pool()
    try:
        own = {which: pool.submit(place_side, SideJob(edition._part(which, paper.slug, measure_html(paper, which)),
                                                      anchors(paper, which)))
               for which in ("left", "right")}
        measured = {which: future.result() for which, future in own.items()}
    finally:
        workers.close()
    for which, result in zip(("left", "right"), results):
        assert not measured[which].result.error
        mine, theirs = Flow.from_dict(measured[which].flow), Flow.from_dict(result.flows[paper.slug])
        assert mine.pages == theirs.pages >= 2
        assert None not in mine.blocks and [page for page, _ in mine.blocks] == [page for page, _ in theirs.blocks]
        assert [y for _, y in mine.blocks] == pytest.approx([y for _, y in theirs.blocks], abs=0.01)
        assert mine.bottoms == pytest.approx(theirs.bottoms, abs=0.01)
        assert mine.notes == pytest.approx(theirs.notes, abs=0.01) and mine.notes
        # The measuring layout's row marks land where the blocks do (the rows' fallback).
        assert [mine.anchors[name] for name in anchors(paper, which)[1:3]] == mine.blocks[:2]


def test_the_edition_takes_the_print_documents_renderings_from_the_build_cache(tmp_path, monkeypatch):
    """The edition plans the same print documents as the single-language PDFs: their print-mode Markdown and
    preparation come from the build's render store (filled by the PDFs' plan, or here by a first build), and its
    print copies of images go to the build's cache folder, not to the volume's."""
    import shutil
    from types import SimpleNamespace

    import taiyaku.pdf.document as print_module
    from taiyaku.errors import Diagnostics
    from taiyaku.facing import FacingOutput
    from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume
    from taiyaku.writer import OutputWriter

    from .conftest import TESTS

    root = tmp_path / "facing_gaps"
    shutil.copytree(TESTS / "roots" / "facing_gaps", root)
    rendered: list[str] = []
    render = print_module._print_html
    monkeypatch.setattr(print_module, "_print_html", lambda body, ctx: rendered.append(ctx.rel_path) or render(body, ctx))
    counts = []
    for out in ("build-1", "build-2"):
        rendered.clear()
        diagnostics = Diagnostics()
        volume = load_volume(BuildOptions(root=root), diagnostics)
        strings = load_strings(volume, diagnostics)
        check_translations(volume, diagnostics)
        writer = OutputWriter(tmp_path / out, ["pdf"], root=root)
        ctx = SimpleNamespace(volume=volume, strings=strings, diagnostics=diagnostics, writer=writer,
                              options=SimpleNamespace(profile=None, cache=True, cache_folder=tmp_path / "cache"),
                              languages=[])
        assert FacingOutput().run(ctx)
        writer.commit()
        counts.append(len(rendered))
    assert counts[0] >= 2 and counts[1] == 0
    assert (tmp_path / "cache" / "renders" / "print.json").is_file()
    assert not (root / ".taiyaku-cache").exists()
