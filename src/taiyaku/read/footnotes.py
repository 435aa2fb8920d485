"""Footnotes in the print and EPUB forms: Python-Markdown writes them as a list after the text; print puts each
note at its call (``float: footnote``), EPUB 3 as an ``aside`` after the text with its back link first."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree


def inline_footnotes(root: etree.Element) -> int:
    """Put each footnote's text at its call, as ``<span class="footnote">``, for ``float: footnote`` (print);
    how many calls got their note."""
    count = 0
    div = root.find(".//div[@class='footnote']")
    if div is None:
        return 0
    bodies: dict[str, etree.Element] = {}
    for li in div.iter("li"):
        for backref in li.findall(".//a[@class='footnote-backref']"):
            _remove_keep_tail(li, backref)
        bodies["#" + li.get("id", "")] = li
    for parent in list(root.iter()):
        for index, sup in enumerate(list(parent)):
            link = sup.find("a[@class='footnote-ref']") if sup.tag == "sup" else None
            if link is None:
                continue
            li = bodies.get(link.get("href", ""))
            if li is None:
                continue
            note = etree.Element("span", {"class": "footnote"})
            note.tail = sup.tail
            first = True
            for block in list(li):
                if not first:
                    etree.SubElement(note, "br", {"class": "footnote-break"})
                first = False
                holder = etree.SubElement(note, "span")
                holder.text = block.text if block.tag == "p" else None
                if block.tag == "p":
                    holder.extend(list(block))
                else:
                    holder.append(block)
            parent.remove(sup)
            parent.insert(index, note)
            count += 1
    for parent in root.iter():
        if div in list(parent):
            parent.remove(div)
            break
    return count


def aside_footnotes(root: etree.Element) -> int:
    """EPUB 3 notes (EPUB SSV, DPUB-ARIA): each call an ``<a epub:type="noteref">`` holding only its number,
    each note an ``<aside epub:type="footnote">`` whose back link comes first (pop-ups in Apple Books and
    Thorium show the aside; a back link at the end would be cut off in them); how many notes."""
    for sup in root.iter("sup"):
        link = sup.find("a[@class='footnote-ref']")
        if link is not None:
            link.attrib.pop("class", None)
            link.set("epub:type", "noteref")
            link.set("role", "doc-noteref")
    div = root.find(".//div[@class='footnote']")
    if div is None:
        return 0
    asides = []
    for li in div.iter("li"):
        backrefs = li.findall(".//a[@class='footnote-backref']")
        for backref in backrefs:
            _remove_keep_tail(li, backref)
        number = li.get("id", "").rsplit("-", 1)[-1]
        aside = etree.Element("aside", {"id": li.get("id", ""), "epub:type": "footnote", "role": "doc-footnote",
                                        "class": "footnote"})
        blocks = list(li)
        if li.text and li.text.strip():
            first = etree.Element("p")
            first.text = li.text
            blocks.insert(0, first)
        if not blocks or blocks[0].tag != "p":
            blocks.insert(0, etree.Element("p"))
        target = backrefs[0].get("href", "") if backrefs else ""
        back = etree.Element("a", {"href": target, "role": "doc-backlink", "class": "note-number"})
        back.text = number
        back.tail = " " + (blocks[0].text or "")
        blocks[0].text = None
        blocks[0].insert(0, back)
        aside.extend(blocks)
        asides.append(aside)
    for parent in root.iter():
        children = list(parent)
        if div in children:
            index = children.index(div)
            parent.remove(div)
            for offset, aside in enumerate(asides):
                parent.insert(index + offset, aside)
            break
    return len(asides)


def _remove_keep_tail(root: etree.Element, child: etree.Element) -> None:
    for parent in root.iter():
        children = list(parent)
        if child in children:
            index = children.index(child)
            # Python-Markdown puts a no-break space (as a stashed placeholder) before the back link.
            if index:
                children[index - 1].tail = _strip_trailing(children[index - 1].tail) or None
            else:
                parent.text = _strip_trailing(parent.text)
            if child.tail:
                if index:
                    children[index - 1].tail = (children[index - 1].tail or "") + child.tail
                else:
                    parent.text = (parent.text or "") + child.tail
            parent.remove(child)
            return


def _strip_trailing(text: str | None) -> str:
    """Text without trailing spaces, no-break spaces and Python-Markdown placeholders."""
    return re.sub(r"(?:[\s\xa0]|\x02[^\x02\x03]*\x03)+$", "", text or "")
