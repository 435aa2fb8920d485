"""Seeded tag damage: every damaged unit is refused by name, and its file is left as it was."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Callable

import pytest
from lxml import etree

from .conftest import snapshot
from .support import taiyaku

X = "urn:oasis:names:tc:xliff:document:1.2"
NS = {"x": X}
Damage = Callable[[etree._Element], bool]


def _tags(target: etree._Element, name: str) -> list[etree._Element]:
    return target.findall(f"x:{name}", NS)


def _remove(element: etree._Element) -> None:
    """Remove an inline element, keeping its tail text."""
    parent = element.getparent()
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _first(name: str, ctype: str | None = None) -> Callable[[etree._Element], etree._Element | None]:
    def find(target: etree._Element) -> etree._Element | None:
        return next((t for t in _tags(target, name) if ctype is None or t.get("ctype") == ctype), None)
    return find


def lose_bpt(t: etree._Element) -> bool:
    found = _first("bpt")(t)
    return bool(found is not None and not _remove(found))


def lose_ept(t: etree._Element) -> bool:
    found = _first("ept")(t)
    return bool(found is not None and not _remove(found))


def lose_footnote(t: etree._Element) -> bool:
    found = _first("ph", "x-footnote")(t)
    return bool(found is not None and not _remove(found))


def lose_pair(t: etree._Element) -> bool:
    found = _first("bpt")(t)
    if found is None:
        return False
    end = next(e for e in _tags(t, "ept") if e.get("id") == found.get("id"))
    _remove(found)
    _remove(end)
    return True


def lose_all(t: etree._Element) -> bool:
    if not len(t):
        return False
    for child in list(t):
        _remove(child)
    return True


def duplicate_ph(t: etree._Element) -> bool:
    found = _first("ph")(t)
    if found is None:
        return False
    found.addnext(copy.deepcopy(found))
    return True


def duplicate_pair(t: etree._Element) -> bool:
    found = _first("bpt")(t)
    if found is None:
        return False
    end = next(e for e in _tags(t, "ept") if e.get("id") == found.get("id"))
    clone_b, clone_e = copy.deepcopy(found), copy.deepcopy(end)
    clone_b.tail, clone_e.tail = "重複", " "
    t.append(clone_b)
    t.append(clone_e)
    return True


def add_unknown_ph(t: etree._Element) -> bool:
    ph = etree.SubElement(t, f"{{{X}}}ph", id="99", ctype="x-html")
    ph.text = "<script>alert(1)</script>"
    return True


def add_lone_ept(t: etree._Element) -> bool:
    ept = etree.SubElement(t, f"{{{X}}}ept", id="77")
    ept.text = "**"
    return True


def add_g(t: etree._Element) -> bool:
    g = etree.SubElement(t, f"{{{X}}}g", id="5")
    g.text = "太字"
    return True


def add_x(t: etree._Element) -> bool:
    etree.SubElement(t, f"{{{X}}}x", id="6")
    return True


def add_bpt_without_id(t: etree._Element) -> bool:
    bpt = etree.SubElement(t, f"{{{X}}}bpt", ctype="bold")
    bpt.text = "**"
    return True


def footnote_label_changed(t: etree._Element) -> bool:
    found = _first("ph", "x-footnote")(t)
    if found is None:
        return False
    found.text = re.sub(r"\d+", "999", found.text)
    return True


def link_target_changed(t: etree._Element) -> bool:
    found = _first("bpt", "link")(t)
    if found is None:
        return False
    end = next(e for e in _tags(t, "ept") if e.get("id") == found.get("id"))
    end.text = "](javascript:alert(1))"
    return True


def emphasis_code_changed(t: etree._Element) -> bool:
    found = _first("bpt", "italic")(t)
    if found is None:
        return False
    found.text = "**"
    return True


def ph_id_changed(t: etree._Element) -> bool:
    found = _first("ph")(t)
    if found is None:
        return False
    found.set("id", "42")
    return True


def bpt_made_ph(t: etree._Element) -> bool:
    found = _first("bpt")(t)
    if found is None:
        return False
    found.tag = f"{{{X}}}ph"
    return True


def ept_made_ph(t: etree._Element) -> bool:
    found = _first("ept")(t)
    if found is None:
        return False
    found.tag = f"{{{X}}}ph"
    return True


def ept_before_bpt(t: etree._Element) -> bool:
    found = _first("bpt")(t)
    if found is None:
        return False
    end = next(e for e in _tags(t, "ept") if e.get("id") == found.get("id"))
    tail_b, tail_e = found.tail, end.tail
    found.tag, end.tag = end.tag, found.tag
    found.text, end.text = end.text, found.text
    if found.get("ctype"):
        end.set("ctype", found.attrib.pop("ctype"))
    found.tail, end.tail = tail_b, tail_e
    return True


def crossed_pairs(t: etree._Element) -> bool:
    pairs = _tags(t, "bpt")
    if len(pairs) < 2:
        return False
    a, b = pairs[0], pairs[1]
    end_a = next(e for e in _tags(t, "ept") if e.get("id") == a.get("id"))
    end_b = next(e for e in _tags(t, "ept") if e.get("id") == b.get("id"))
    # a … /a b … /b, or a b … /b /a  →  a … b … /a /b
    _remove(end_a)
    end_b.addprevious(end_a)
    end_a.tail = None
    return True


def bpt_moved_to_end(t: etree._Element) -> bool:
    found = _first("bpt")(t)
    if found is None:
        return False
    _remove(found)
    found.tail = None
    t.append(found)
    return True


def bpt_id_swapped(t: etree._Element) -> bool:
    found = _first("bpt")(t)
    if found is None:
        return False
    found.set("id", "31")
    return True


DAMAGES: list[Damage] = [lose_bpt, lose_ept, lose_footnote, lose_pair, lose_all, duplicate_ph, duplicate_pair,
                         add_unknown_ph, add_lone_ept, add_g, add_x, add_bpt_without_id, footnote_label_changed,
                         link_target_changed, emphasis_code_changed, ph_id_changed, bpt_made_ph, ept_made_ph,
                         ept_before_bpt, bpt_moved_to_end]


@pytest.mark.parametrize("fmt", ["1.2"])
def test_twenty_seeded_tag_damages_are_twenty_refused_units(sample: Path, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture,
                                                           capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert len(DAMAGES) == 20
    exchange = tmp_path / "all.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "--all", "-o", exchange) == 0
    tree = etree.parse(str(exchange))
    damaged: dict[str, str] = {}
    remaining = list(DAMAGES)
    units = [u for u in tree.findall(".//x:trans-unit", NS) if u.find("x:target", NS) is not None]
    for damage in DAMAGES:
        for unit in units:
            if unit.get("id") in damaged:
                continue
            target = unit.find("x:target", NS)
            trial = copy.deepcopy(target)
            if damage(trial):
                unit.replace(target, trial)
                damaged[unit.get("id")] = damage.__name__
                remaining.remove(damage)
                break
    assert not remaining, [d.__name__ for d in remaining]
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    before = snapshot(sample)
    capsys.readouterr()
    assert taiyaku(sample, "xliff", "import", exchange) == 1
    err = capsys.readouterr().err
    refused = re.findall(r"xliff-import: unit (\S+) \(.*?\): refused: (.*)", err)
    named = {unit_id for unit_id, _ in refused}
    assert named == set(damaged), (set(damaged) ^ named, err)
    assert len(named) == 20
    assert snapshot(sample) == before  # all or nothing per file: nothing written where a unit was refused


def test_crossed_pairs_are_reordered_tags() -> None:
    from taiyaku.xliff.inline import read_segment
    from taiyaku.xliff.tags import tag_problems

    source = read_segment("*a* and [b](x.md)")
    bpt_a, _, end_a, text, bpt_b, inner, end_b = source
    crossed = [bpt_a, "a", text, bpt_b, end_a, inner, end_b]
    assert tag_problems(crossed, source, None) == [
        "tags reordered: italic <ept id=1> '*' closes while <bpt id=2> is still open"]
    assert tag_problems([bpt_b, inner, end_b, " と ", bpt_a, "a", end_a], source, None) == []  # word order may change


def test_a_unit_whose_translation_changed_since_the_export_is_refused(sample: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    exchange = tmp_path / "all.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "--all", "-o", exchange) == 0
    path = sample / "content/ja/03-paying-for-deterrence.md"
    path.write_text(path.read_text(encoding="utf-8").replace("岸田内閣は", "岸田内閣（当時）は"), encoding="utf-8")
    tree = etree.parse(str(exchange))
    unit = next(u for u in tree.findall(".//x:trans-unit", NS) if "岸田内閣は" in "".join(u.find("x:target", NS).itertext()))
    unit.find("x:target", NS).text = unit.find("x:target", NS).text.replace("岸田内閣は", "岸田文雄内閣は")
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    before = snapshot(sample)
    capsys.readouterr()
    assert taiyaku(sample, "xliff", "import", exchange) == 1
    err = capsys.readouterr().err
    assert f"xliff-import: unit {unit.get('id')} (Paying for Deterrence > A Decision in December): refused: " \
           "content/ja/03-paying-for-deterrence.md changed at this block since the export (line 15); export again" in err
    assert snapshot(sample) == before


def test_damage_in_xliff_20_is_refused_too(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exchange = tmp_path / "all.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "--all", "--xliff-version", "2.0", "-o", exchange) == 0
    tree = etree.parse(str(exchange))
    x2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    # One target's pair unwrapped (its text kept), another's placeholder dropped.
    pc = tree.xpath("//x:target//x:pc", namespaces=x2)[0]
    parent, index = pc.getparent(), pc.getparent().index(pc)
    for child in reversed(list(pc)):
        parent.insert(index, child)
    pc.getparent().remove(pc)
    ph = next(p for p in tree.xpath("//x:target/x:ph", namespaces=x2)
              if p.getparent().getparent() is not parent.getparent())
    ph.getparent().remove(ph)
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    before = snapshot(sample)
    capsys.readouterr()
    assert taiyaku(sample, "xliff", "import", exchange) == 1
    err = capsys.readouterr().err
    assert err.count("refused: tag lost:") >= 2
    assert snapshot(sample) == before
