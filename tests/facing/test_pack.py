"""Rows measured on a paper's flow (no layout: flows made by hand)."""

from __future__ import annotations

import pytest

from taiyaku.facing.pack import side_measure
from taiyaku.facing.plan import anchors, make_paper
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
