"""Rows measured on a paper's flow (no layout: flows made by hand)."""

from __future__ import annotations

import pytest

from taiyaku.facing.pack import side_measure
from taiyaku.facing.plan import SinglePDF, anchors, make_paper
from taiyaku.pdf.flow import Flow


def _body(blocks: str) -> str:
    return (f'<section class="chapter" id="p"><header><h1>T</h1></header><div class="chapter-body">{blocks}</div>'
            "</section>")


PAPER = make_paper("p", _body('<p>a</p><p>b <span class="footnote" data-note="n1">note</span></p><h2>c</h2>'),
                   _body("<p>あ</p><p>い</p><h2>う</h2>"), "ja", "en", None)


def _flow(**fields: object) -> Flow:
    return Flow(capacity=100.0, note_overhead=3.0, tops=[0.0, 0.0], bottoms=[90.0, 50.0], head=(0, 0.0),
                notes={"n1": 12.0}, **fields)  # type: ignore[arg-type]


def test_rows_from_the_blocks_pages_joined():
    measure = side_measure(_flow(blocks=[(0, 10.0), (0, 50.0), (1, 0.0)]), PAPER, "left")
    assert measure.starts == [0, 0, 0, 1]
    assert measure.heights == pytest.approx([10.0, 40.0, 40.0, 50.0])  # row 2 runs to the foot of page 1
    assert measure.notes == [0.0, 0.0, 12.0, 0.0]
    assert (measure.capacity, measure.note_overhead, measure.pages) == (100.0, 3.0, 2)


def test_rows_by_their_marks_when_the_parsed_body_has_other_children():
    """Raw HTML an HTML parser reshapes (``<p><div>…</div></p>``) gives the chapter body more children than the
    blocks cut from its HTML: the rows are found by the anchors the measuring layout marked them with."""
    marks = anchors(PAPER, "left")[1:]
    flow = _flow(blocks=[(0, 10.0), None, (0, 50.0), (1, 0.0)],
                 anchors=dict(zip(marks, [(0, 10.0), (0, 50.0), (1, 0.0)])))
    assert side_measure(flow, PAPER, "left").heights == pytest.approx([10.0, 40.0, 40.0, 50.0])
    with pytest.raises(ValueError, match="the flow has 4 blocks, the left side 3"):
        side_measure(_flow(blocks=[(0, 10.0), None, (0, 50.0), (1, 0.0)]), PAPER, "left")


def test_a_flow_survives_json():
    import json

    flow = _flow(blocks=[(0, 10.0), None, (1, 0.0)], anchors={"x": (1, 2.5)})
    assert Flow.from_dict(json.loads(json.dumps(flow.as_dict()))) == flow


def test_only_a_side_as_its_pdf_laid_it_out_is_taken_from_its_flow(tmp_path):
    """A side whose single-language PDF laid out the same blocks is packed from that flow; a right side with the
    site's notice of an incomplete translation under its head (a taller head than in its PDF), a flow of another
    profile or of other blocks, is measured by a layout of its own."""
    import shutil
    from concurrent.futures import Future

    from taiyaku.errors import Diagnostics
    from taiyaku.facing.edition import _Edition
    from taiyaku.pdf import make_jobs
    from taiyaku.pipeline import BuildOptions, check_translations, load_strings, load_volume

    from .conftest import TESTS

    root = tmp_path / "facing_gaps"
    shutil.copytree(TESTS / "roots" / "facing_gaps", root)
    diagnostics = Diagnostics()
    volume = load_volume(BuildOptions(root=root), diagnostics)
    strings = load_strings(volume, diagnostics)
    check_translations(volume, diagnostics)
    jobs = {job.lang: job for job in make_jobs(volume, strings, tmp_path / "stage", diagnostics)}

    def flows(edition_papers, which, blocks_more=0):
        return {paper.slug: _flow(blocks=[(0, 1.0)] * (len((paper.left if which == "left" else paper.right).blocks)
                                                       + blocks_more)).as_dict() for paper in edition_papers}

    class Pool:
        def __init__(self):
            self.sides = []

        def submit(self, entry, job, priority, size):
            self.sides.append(job.part.lang)
            return Future()

    probe = _Edition(volume, jobs["en"], jobs["ja"], "x.pdf", tmp_path, strings=strings)
    assert probe.noticed == {"gaps"}
    for given, expected in (((jobs["en"].profile, 0), ["ja"]), (("print", 0), ["en", "ja"]),
                            ((jobs["en"].profile, 1), ["en", "ja"])):
        profile, more = given
        edition = _Edition(volume, jobs["en"], jobs["ja"], "x.pdf", tmp_path, strings=strings,
                           singles={"en": SinglePDF(profile, flows(probe.papers, "left", more)),
                                    "ja": SinglePDF(profile, flows(probe.papers, "right", more))})
        pool = Pool()
        for paper in edition.papers:
            for which in ("left", "right"):
                edition._measure(pool, paper, which)  # type: ignore[arg-type]
        assert [paper.slug for paper in edition.papers] == ["gaps"]
        assert pool.sides == expected, given
        assert edition.result.report.flows_reused == 2 - len(expected)


def test_the_front_matters_length_from_a_page_map():
    """From the imprint to the end of the contents, blank pages between them counted (the folios run on), the
    cover and its blank verso not."""
    assert SinglePDF("screen", page_map=(("i", "cover"), ("ii", "imprint"), ("iii", "contents"),
                                         ("1", "about"))).front_pages() == 2
    assert SinglePDF("print", page_map=(("i", "cover"), ("iii", "imprint"), ("v", "contents"), ("vi", "contents"),
                                        ("1", "about"))).front_pages() == 4
    assert SinglePDF("screen", page_map=(("1", "about"),)).front_pages() == 0
