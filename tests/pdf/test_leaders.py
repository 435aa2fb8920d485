"""A leader's dots as one run of text (``pdf/weasy/leaders.py``): the same dots at the same places as WeasyPrint's
one text box per dot, in English and Japanese, and far fewer text objects."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.pdf

CONTENTS = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>
@page {{ size: A5; margin: 15mm }}
body {{ font-family: {family}; font-size: 10pt }}
li a {{ display: block }}
li a::after {{ content: leader('{leader}') attr(data-folio) }}
</style></head><body><ol>{entries}</ol></body></html>"""


def _contents(lang: str, family: str, titles: list[str], leader: str = ".") -> str:
    entries = "".join(f'<li id="p{n}"><a href="#p{n}" data-folio="{n * 7 + 1}">{title}</a></li>'
                      for n, title in enumerate(titles))
    return CONTENTS.format(lang=lang, family=family, leader=leader, entries=entries)


def _dots(document: object) -> list[tuple[float, float, str]]:
    """Every leader character laid out: (x, y, character), from the text boxes' glyph positions as drawn."""
    from weasyprint.formatting_structure import boxes

    found = []

    def walk(box: object, leader: bool) -> None:
        leader = leader or getattr(box, "is_leader", False)
        if isinstance(box, boxes.TextBox) and leader:
            x = box.position_x
            for character in box.text:
                found.append((round(x, 2), round(box.position_y, 2), character))
                x += box.width / len(box.text)
        for child in getattr(box, "children", ()):
            walk(child, leader)

    for page in document.pages:  # type: ignore[attr-defined]
        walk(page._page_box, False)
    return sorted(found)


def _text_objects(data: bytes) -> int:
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    return sum(len(re.findall(rb"\bBT\b", page.obj.Contents.read_bytes())) for page in pdf.pages)


@pytest.mark.parametrize("lang, family, titles", [
    ("en", "serif", ["Introduction", "Paying for Deterrence: Burden-Sharing Revisited", "About This Volume"]),
    ("ja", "Noto Serif CJK JP", ["はじめに", "抑止を賄う", "ハブ・アンド・スポークを越えて"]),
])
def test_a_leader_is_one_run_of_the_same_dots(lang: str, family: str, titles: list[str]) -> None:
    from taiyaku.pdf import weasy
    from taiyaku.pdf.weasy.leaders import LEADERS

    weasy.apply()
    html = _contents(lang, family, titles)
    with weasy.unpatched():
        before = weasy.render(html)
        dots_before, data_before = _dots(before), before.write_pdf()
    LEADERS.switch_on()
    after = weasy.render(html)
    dots_after, data_after = _dots(after), after.write_pdf()
    assert len(dots_before) > 100 and {dot[2] for dot in dots_before} == {"."}
    # The same dots at the same places (to a hundredth of a point), each leader one text box now.
    assert dots_after == dots_before
    leaders = [box for page in after.pages for box in _leader_boxes(page._page_box)]
    assert len(leaders) == len(titles) and all(len(box.children) == 1 for box in leaders)
    # Four per entry (its number, title, leader, folio) against one per dot.
    assert _text_objects(data_after) <= 4 * len(titles) and _text_objects(data_before) > 100


def _leader_boxes(box: object) -> list[object]:
    if getattr(box, "is_leader", False):
        return [box]
    return [found for child in getattr(box, "children", ()) for found in _leader_boxes(child)]


def test_a_leader_whose_repetitions_would_kern_keeps_its_copies() -> None:
    """Where the leader's text repeated is not exactly as wide as its copies side by side (here a space between
    dots, which WeasyPrint would have trimmed at each copy's end had it been there), the copies stay."""
    from taiyaku.pdf import weasy
    from taiyaku.pdf.weasy import leaders

    weasy.apply()
    merged: list[bool] = []
    original = leaders.merge_copies

    def counting(context: object, leader: object) -> bool:
        merged.append(original(context, leader))
        return merged[-1]

    html = _contents("en", "serif", ["Introduction"], leader="AV")
    try:
        leaders.merge_copies = counting  # type: ignore[assignment]
        document = weasy.render(html)
    finally:
        leaders.merge_copies = original  # type: ignore[assignment]
    boxes = _leader_boxes(document.pages[0]._page_box)
    assert merged == [False] and len(boxes[0].children) > 2
