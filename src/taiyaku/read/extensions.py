"""Python-Markdown extensions of taiyaku's own: GitHub alerts, and Japanese line breaking on screen.

``AlertExtension`` turns ``> [!NOTE]`` quotations into ``<aside class="alert alert-note" role="note">`` with a
label in the document's language. ``LineBreakExtension`` (site pages only; the PDF has its own joiners in
``pdf.prepare``) keeps a footnote call on the line of the character before it, keeps numbers with their
counters (1951年, 第6条) on one line, and lets Japanese table cells break only between phrases (BudouX).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..lang import CJK_PUNCTUATION, FULLWIDTH_FORMS, JAPANESE_LETTERS, char_class, is_japanese_language, primary

ALERT_KINDS = ("note", "tip", "important", "warning", "caution")
"""GitHub's five alert types, in the order GitHub documents them."""

ALERT_LABELS: dict[str, dict[str, str]] = {
    "en": {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"},
    "ja": {"note": "注記", "tip": "ヒント", "important": "重要", "warning": "警告", "caution": "注意"},
}
"""An alert's label by language (base code); a language not listed takes the English words."""

WORD_JOINER = "\u2060"
"""Forbids a line break on either side and is invisible: binds a footnote call to the character before it."""

_ALERT_MARK = re.compile(r"^\s*\[!(" + "|".join(ALERT_KINDS) + r")\][ \t]*(?:\n|$)", re.IGNORECASE)

_DIGITS = "0-9０-９"
_COUNTERS = ("年度|年代|年|か月|カ月|ヶ月|月|日|時|分|条|項|号|章|節|回|人|名|円|ドル|億|万|千|歳|世紀|次|か国|カ国|ヶ国|"
             "兆|国|件|隻|機|基|発|倍|割|％|%|度|位|点|歩|期|代|部|巻|頁|ページ")
_OPENING = "（「『〔［｛〈《【"
_CLOSING = "、。，．）」』〕］｝〉》】：；？！"
_NUMBER = rf"[{_DIGITS}](?:[{_DIGITS},，.．-]*[{_DIGITS}])?"
NUMBER_WITH_COUNTER = re.compile(
    rf"[{_OPENING}]*(?:第|約|計|全|各)?{_NUMBER}(?:(?:兆|億|万|千){_NUMBER})*(?:{_COUNTERS})*"
    rf"(?:目|間|前|後|以降|以上|以下|未満)?(?:[〜～]|[{_CLOSING}]*)")
"""A number with the words that belong to it: 1951年, 第6条, 2％, 約1兆円 (the unit is taken when it follows),
and the brackets and punctuation around it: the edge of a ``nowrap`` span is a break opportunity in Chromium
even before 、 or after （, so what may not start or end a line goes inside. Units are as short as that allows:
a date is three (``2022年`` ``1月`` ``8日``) and a range two, the wave dash ending the first (``2023〜``
``2027年度``; JLReq lets a line end after 〜, never start with it), while one number stays one (``約1兆2000億円``).
A ten-character unit on a phone's twenty-character line would leave the line before it spaced out letter by
letter."""

_JAPANESE = re.compile(f"[{char_class(JAPANESE_LETTERS)}]")
_PHRASE_TAGS = ("td", "th")
"""Elements whose Japanese text breaks only between phrases (narrow columns make mid-word breaks likely)."""
_SKIP_TAGS = ("code", "pre", "script", "style", "kbd", "samp", "sup")
URL = re.compile(rf"(?:https?|ftp)://[^\s<>{char_class(JAPANESE_LETTERS + CJK_PUNCTUATION + FULLWIDTH_FORMS)}]+")
"""A URL written out in text; it ends at white space or a Japanese character (「…を参照」)."""


class AlertTreeprocessor(Treeprocessor):
    """``<blockquote><p>[!NOTE] …</p>…</blockquote>`` → ``<aside class="alert alert-note" role="note">``."""

    def __init__(self, md: markdown.Markdown, labels: dict[str, str]) -> None:
        super().__init__(md)
        self.labels = labels

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for quote in [child for child in parent if child.tag == "blockquote"]:
                self._split_alerts(parent, quote)
        for quote in list(root.iter("blockquote")):
            first = quote[0] if len(quote) else None
            match = _alert_mark(first)
            if first is None or match is None:
                continue
            kind = match.group(1).lower()
            first.text = (first.text or "")[match.end():]
            if not first.text.strip() and not len(first):
                quote.remove(first)  # "[!NOTE]" stood on a paragraph of its own
            quote.tag = "aside"
            quote.attrib = {"class": f"alert alert-{kind}", "role": "note"}
            title = etree.Element("p", {"class": "alert-title"})
            title.text = self.labels.get(kind, kind.title())
            quote.insert(0, title)

    @staticmethod
    def _split_alerts(parent: etree.Element, quote: etree.Element) -> None:
        """Python-Markdown joins quotations separated by a blank line; GitHub starts a new alert at each mark."""
        starts = [index for index, child in enumerate(quote) if index and _alert_mark(child)]
        if not starts:
            return
        at = list(parent).index(quote)
        children = list(quote)
        previous = quote
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(children)
            part = etree.Element("blockquote")
            for child in children[start:end]:
                quote.remove(child)
                part.append(child)
            part.tail, previous.tail = previous.tail, "\n"
            parent.insert(at + number + 1, part)
            previous = part


def _alert_mark(el: etree.Element | None) -> re.Match[str] | None:
    """The ``[!KIND]`` mark at the start of a paragraph, if there is one."""
    if el is None or el.tag != "p":
        return None
    return _ALERT_MARK.match(el.text or "")


class AlertExtension(Extension):
    """GitHub-style alerts: ``> [!NOTE]``, ``[!TIP]``, ``[!IMPORTANT]``, ``[!WARNING]``, ``[!CAUTION]``."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {"lang": ["en", "The document's language: chooses the labels' words."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        lang = primary(str(self.getConfig("lang")))
        labels = ALERT_LABELS.get(lang, ALERT_LABELS["en"])
        # After the footnotes (50) and before taiyaku's processor (1): alerts may hold footnote calls and links.
        md.treeprocessors.register(AlertTreeprocessor(md, labels), "taiyaku_alerts", 10)


TextSlot = tuple[etree.Element, str, etree.Element | None]
"""Text held by an element: (element, "text" or "tail", the element's parent for a tail)."""


def _texts(root: etree.Element) -> list[TextSlot]:
    """Every slot holding text, in document order, outside code and footnote calls."""
    found: list[TextSlot] = []

    def walk(el: etree.Element) -> None:
        if el.tag in _SKIP_TAGS or el.get("class") == "url":
            return
        if el.text:
            found.append((el, "text", None))
        for child in el:
            walk(child)
            if child.tail:
                found.append((child, "tail", el))

    walk(root)
    return found


class LineBreakTreeprocessor(Treeprocessor):
    """Footnote calls joined to the preceding character; Japanese numbers and counters kept on one line."""

    def __init__(self, md: markdown.Markdown, japanese: bool) -> None:
        super().__init__(md)
        self.japanese = japanese

    def run(self, root: etree.Element) -> None:
        if self.japanese:
            # URLs first (nothing else may cut into them), then phrases (BudouX reads whole cells), then numbers,
            # then joiners at the ends of what is left.
            self._break_urls(root)
            self._phrase_cells(root)
            self._keep_numbers_together(root)
        self._join_footnote_calls(root)

    def _join_footnote_calls(self, root: etree.Element) -> None:
        """``同盟<sup>`` → ``同盟⁠<sup>``: a line never starts with a note's number (as in the print).

        A call right after another (``[^17][^18]``, nothing between) is marked ``after-call``, so that the site
        prints "17,18" as the PDF does; a call after text after a call is not (the sibling selector
        ``sup + sup`` cannot see text between them: it put commas in "May 1999.,²⁰").
        """
        for parent in list(root.iter()):
            children = list(parent)
            for index, sup in enumerate(children):
                if sup.tag != "sup" or sup.find("a[@class='footnote-ref']") is None:
                    continue
                # A note's number is no word of the text: "May 15, 1972.11 It also…" read as a date in results.
                sup.set("data-pagefind-ignore", "")
                if index:
                    before = children[index - 1]
                    if not before.tail and before.tag == "sup" and before.find("a[@class='footnote-ref']") is not None:
                        sup.set("class", " ".join(filter(None, (sup.get("class"), "after-call"))))
                    if before.tail is None or not before.tail[-1:].isspace():
                        before.tail = (before.tail or "") + WORD_JOINER
                elif parent.text and not parent.text[-1:].isspace():
                    parent.text += WORD_JOINER

    def _break_urls(self, root: etree.Element) -> None:
        """Wrap a URL in Japanese text in ``<span class="url">``, which may break between any two characters.

        Unbreakable, it moved whole to the next line and the justified line before it was letter-spaced across
        the measure (「非　常　に　長　い」); Japanese text breaks between any two characters anyway.
        """
        for slot in _texts(root):
            text = getattr(slot[0], slot[1])
            _wrap_matches(slot, text, list(URL.finditer(text)), "url")

    def _keep_numbers_together(self, root: etree.Element) -> None:
        """Wrap 1951年, 第6条 in ``<span class="nowrap">`` so the browser cannot break inside them."""
        for slot in _texts(root):
            text = getattr(slot[0], slot[1])
            _wrap_matches(slot, text, [m for m in NUMBER_WITH_COUNTER.finditer(text) if _worth_binding(m.group())],
                          "nowrap")

    def _phrase_cells(self, root: etree.Element) -> None:
        """Break opportunities (``<wbr>``) between BudouX phrases in table cells; CSS keeps all other breaks out."""
        parser = _budoux_parser()
        for cell in list(root.iter()):
            if cell.tag not in _PHRASE_TAGS:
                continue
            for slot in _texts(cell):
                text = getattr(slot[0], slot[1])
                if not _JAPANESE.search(text):
                    continue
                cuts = _phrase_cuts(text, parser.parse(text))
                if not cuts:
                    continue
                pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
                wbrs = []
                for piece in pieces[1:]:
                    wbr = etree.Element("wbr")
                    wbr.tail = piece
                    wbrs.append(wbr)
                _replace_text(slot, pieces[0], wbrs)


def _worth_binding(found: str) -> bool:
    """Only a number with a counter needs a span: a bare digit run never breaks in browsers."""
    return bool(re.search(rf"[^0-9０-９,，.．{_OPENING}{_CLOSING}]", found.strip(_OPENING + _CLOSING)))


def _phrase_cuts(text: str, phrases: list[str]) -> list[int]:
    """Offsets between BudouX phrases, except inside a number with its counter ("195 / 1年に" is one)."""
    keep = [(m.start(), m.end()) for m in NUMBER_WITH_COUNTER.finditer(text)]
    # A phrase of one character (「日米安全保障共同宣|言」: BudouX's model cuts a compound) joins the phrase before
    # it, as a paragraph's one-character last line joins the line before in print: a cell never breaks to leave
    # one character alone.
    joined: list[str] = []
    for phrase in phrases:
        if joined and len(phrase.strip("、。，．・：；）」』】〕")) <= 1:
            joined[-1] += phrase
        else:
            joined.append(phrase)
    if len(joined) > 1 and len(joined[0]) <= 1:
        joined[:2] = [joined[0] + joined[1]]
    phrases = joined
    cuts, at = [], 0
    for phrase in phrases[:-1]:
        at += len(phrase)
        if any(start < at < end for start, end in keep):
            continue
        cuts.append(at)
    return cuts


def _wrap_matches(slot: TextSlot, text: str, matches: list[re.Match[str]], css_class: str) -> None:
    """Wrap each match in the slot's ``text`` in a ``<span class=css_class>``; nothing when there is none."""
    if not matches:
        return
    spans = []
    for number, match in enumerate(matches):
        span = etree.Element("span", {"class": css_class})
        span.text = match.group()
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        span.tail = text[match.end(): end]
        spans.append(span)
    _replace_text(slot, text[: matches[0].start()], spans)


def _replace_text(slot: TextSlot, head: str, new: list[etree.Element]) -> None:
    """Put ``head`` where the slot's text was and the elements ``new`` right after it."""
    el, kind, parent = slot
    if kind == "text":
        el.text = head
        for offset, child in enumerate(new):
            el.insert(offset, child)
        return
    assert parent is not None
    el.tail = head
    index = list(parent).index(el)
    for offset, child in enumerate(new, start=1):
        parent.insert(index + offset, child)


_PARSER: list[Any] = []


def _budoux_parser() -> Any:
    """BudouX's Japanese model, loaded once per process."""
    if not _PARSER:
        import budoux

        _PARSER.append(budoux.load_default_japanese_parser())
    return _PARSER[0]


class LineBreakExtension(Extension):
    """Line breaking on screen like the print: joined footnote calls; numbers and table cells for Japanese."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {"lang": ["en", "The document's language: Japanese gets number and phrase rules."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        japanese = is_japanese_language(str(self.getConfig("lang")))
        # Last of all (after taiyaku's processor at 1), so that ids, figures and captions are settled.
        md.treeprocessors.register(LineBreakTreeprocessor(md, japanese), "taiyaku_linebreak", 0)
