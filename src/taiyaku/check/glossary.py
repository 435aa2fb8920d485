"""Terminology: a glossary's terms checked in every aligned pair of blocks.

A glossary is a CSV file with a header row — ``en,ja,variants,forbidden,note``, a column per language, several
variants or forbidden forms separated by ``|`` (``variants:ko`` for one language's own) — or a TBX file. A
source block with a term whose translation has neither the term nor an allowed variant, a forbidden form, a
do-not-translate name (the same in both languages) changed, and one source block translated two ways are
findings; warnings unless ``[check] terminology = "error"``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import CheckConfig
from ..errors import Severity
from ..read.align import Alignment
from ..read.blocks import Block, kind_matches
from ..read.text import SourceText
from .model import DocumentReport, Problem, VolumeProblem

if TYPE_CHECKING:
    from .style import Rule

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Term:
    """One glossary entry for one translation language."""

    source: str
    target: str
    variants: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str = ""
    line: int | None = None
    """Its line (CSV) in the glossary file."""

    @property
    def keep(self) -> bool:
        """A do-not-translate name: written the same in both languages."""
        return self.source == self.target

    @property
    def allowed(self) -> tuple[str, ...]:
        """Every acceptable rendering."""
        return (self.target, *self.variants)

    def pattern(self) -> re.Pattern[str]:
        """The source term in running text: whole words, any case (names keep theirs), a plural ``s``."""
        words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", self.source))
        flags = 0 if self.keep or self.source.isupper() else re.I
        return re.compile(rf"(?<![\w-]){words}(?:s|es)?(?![\w-])", flags)


@dataclass
class Glossary:
    """The terms for each translation language, and the problems of the file itself."""

    path: str
    terms: dict[str, list[Term]] = field(default_factory=dict)
    problems: list[VolumeProblem] = field(default_factory=list)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def load_glossary(root: Path, rel: str, source_lang: str, targets: list[str]) -> Glossary:
    """Read a CSV or TBX glossary (volume-relative ``rel``, or an absolute path)."""
    path = Path(rel) if Path(rel).is_absolute() else root / rel
    glossary = Glossary(rel)
    try:
        data = path.read_bytes()
    except OSError as exc:
        glossary.problems.append(VolumeProblem(rel, None, "glossary", "error", f"cannot read the glossary: "
                                               f"{exc.strerror}"))
        return glossary
    if path.suffix.lower() in (".tbx", ".xml"):
        _read_tbx(data, glossary, source_lang, targets)
    else:
        _read_csv(data, glossary, source_lang, targets)
    return glossary


def _read_csv(data: bytes, glossary: Glossary, source_lang: str, targets: list[str]) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        glossary.problems.append(VolumeProblem(glossary.path, None, "glossary", "error",
                                               f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
        return
    import csv  # only for a CSV glossary

    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    if source_lang not in header:
        glossary.problems.append(VolumeProblem(glossary.path, 1, "glossary", "error",
                                               f"the header row has no {source_lang!r} column (expected "
                                               f"{source_lang},{','.join(targets) or 'ja'},variants,forbidden,note)"))
        return
    for row in reader:
        line = reader.line_num
        source = (row.get(source_lang) or "").strip()
        if not source:
            continue
        for lang in targets:
            target = (row.get(lang) or "").strip()
            if not target:
                continue
            variants = _split(row.get(f"variants:{lang}") or row.get("variants"))
            forbidden = _split(row.get(f"forbidden:{lang}") or row.get("forbidden"))
            glossary.terms.setdefault(lang, []).append(Term(source, target, variants, forbidden,
                                                            (row.get("note") or "").strip(), line))


def _read_tbx(data: bytes, glossary: Glossary, source_lang: str, targets: list[str]) -> None:
    """TBX (ISO 30042, TBX-Basic or TBX v3): a concept's terms per language; ``administrativeStatus`` marks
    admitted (variant) and deprecated (forbidden) terms."""
    from ..xliff.safety import ExchangeError, parse_untrusted_xml

    try:
        root = parse_untrusted_xml(data, glossary.path).getroot()
    except ExchangeError as exc:
        glossary.problems.append(VolumeProblem(glossary.path, exc.line, "glossary", "error", exc.message))
        return
    for entry in root.iter():
        if not isinstance(entry.tag, str) or entry.tag.split("}")[-1] not in ("termEntry", "conceptEntry"):
            continue
        by_lang: dict[str, dict[str, list[str]]] = {}
        note = " ".join(" ".join(d.itertext()).strip() for d in entry.iter()
                        if isinstance(d.tag, str) and d.tag.split("}")[-1] in ("descrip", "note")
                        and d.getparent() is entry)
        for lang_set in entry:
            if not isinstance(lang_set.tag, str) or lang_set.tag.split("}")[-1] != "langSet":
                continue
            lang = (lang_set.get(_XML_LANG) or lang_set.get("lang") or "").split("-")[0].lower()
            kinds = by_lang.setdefault(lang, {"preferred": [], "admitted": [], "deprecated": []})
            for element in lang_set.iter():
                if not isinstance(element.tag, str) or element.tag.split("}")[-1] != "term":
                    continue
                holder = element.getparent()
                status = " ".join(n.text or "" for n in holder.iter() if isinstance(n.tag, str)
                                  and n.tag.split("}")[-1] == "termNote" and "Status" in (n.get("type") or ""))
                kind = "deprecated" if ("deprecated" in status or "superseded" in status) else \
                    "admitted" if "admitted" in status else "preferred"
                kinds[kind].append("".join(element.itertext()).strip())
        sources = by_lang.get(source_lang.split("-")[0].lower(), {}).get("preferred", [])
        for lang in targets:
            found = by_lang.get(lang.split("-")[0].lower())
            if not found or not sources:
                continue
            preferred = found["preferred"] or found["admitted"][:1]
            if not preferred:
                continue
            variants = tuple(found["preferred"][1:] + [a for a in found["admitted"] if a != preferred[0]])
            for source in sources:
                glossary.terms.setdefault(lang, []).append(Term(source, preferred[0], variants,
                                                                tuple(found["deprecated"]), note, entry.sourceline))


def _strip_allowed(text: str, term: Term) -> str:
    """The text without the allowed renderings (a forbidden form may be part of one)."""
    for allowed in sorted(term.allowed, key=len, reverse=True):
        text = text.replace(allowed, "\0")
    return text


def check_terms(pairs: list[tuple[Block, Block]], terms: list[Term], severity: Severity, source_path: str,
                translation_path: str) -> tuple[list[Problem], int]:
    """Glossary findings in aligned pairs of (source block, translation block), and how many a marker silenced."""
    found: list[Problem] = []
    silenced = 0
    patterns = [(term, term.pattern()) for term in terms]

    def add(kind: str, message: str, s_block: Block, t_block: Block) -> None:
        nonlocal silenced
        if t_block.silences(kind):
            silenced += 1
            return
        found.append(Problem.at(kind, severity, message, source_path, translation_path, s_block.line, t_block.line))

    for s_block, t_block in pairs:
        source_text, target_text = s_block.plain, t_block.plain
        if not source_text or not target_text:
            continue
        for term, pattern in patterns:
            if not pattern.search(source_text):
                continue
            bad = [f for f in term.forbidden if f in _strip_allowed(target_text, term)]
            if bad:
                add("term-forbidden", f"{bad[0]!r} is a form the glossary forbids for {term.source!r}: write "
                    f"{term.target!r}" + (f" ({term.note})" if term.note else ""), s_block, t_block)
            elif term.keep:
                if not any(a in target_text for a in term.allowed):
                    add("term-changed", f"{term.source!r} is a name kept as it is (glossary line {term.line}); "
                        "the translation does not have it", s_block, t_block)
            elif not any(a in target_text for a in term.allowed) and not pattern.search(target_text):
                # (the source's own words kept, as in an English title cited in a note, are not a miss)
                shown = " or ".join(repr(a) for a in term.allowed)
                add("term-missing", f"the source has {term.source!r} (source line {s_block.line}); the glossary "
                    f"says {shown}, the translation has neither", s_block, t_block)
    return found, silenced


Facts = list[tuple[str, bool, str, int, int, bool]]
"""What :func:`check_consistency` needs of a document's one-to-one block pairs, each: the source block's text
(white space made one), whether it is a word or two, the translation's text, the source and translation lines,
whether a marker silences ``term-inconsistent`` there. Plain data: the check's cache keeps it."""


def consistency_facts(pairs: list[tuple[Block, Block]]) -> Facts:
    """The :data:`Facts` of one document's pairs."""
    return [(s.normalized, len(s.plain.split()) < 3, t.normalized, s.line, t.line, t.silences("term-inconsistent"))
            for s, t in pairs]


def check_consistency(documents: list[tuple[DocumentReport, Facts]], severity: Severity) -> None:
    """One source block translated two different ways across the volume: a finding at the later translation."""
    seen: dict[str, tuple[str, str, int]] = {}
    for report, facts in documents:
        for key, short, translated, source_line, translation_line, silenced in facts:
            if short or not translated:
                continue  # a word or two ("Notes", a name) may well read differently in two places
            first = seen.setdefault(key, (translated, report.translation or "", translation_line))
            if first[0] != translated and not silenced:
                report.problems.append(Problem.at(
                    "term-inconsistent", severity, f"the same source block (source line {source_line}) is "
                    f"translated differently at {first[1]}:{first[2]}", report.source, report.translation,
                    source_line, translation_line))


def one_to_one(alignment: Alignment | None) -> list[tuple[Block, Block]]:
    """The aligned pairs of one source block and one translation block (headings and footnotes too)."""
    if alignment is None:
        return []
    pairs: list[tuple[Block, Block]] = []
    for s_section, t_section, section_pairs in alignment.sections:
        if s_section and t_section and s_section.heading and t_section.heading:
            pairs.append((s_section.heading, t_section.heading))
        pairs.extend((p.source[0], p.translation[0]) for p in section_pairs
                     if len(p.source) == 1 and len(p.translation) == 1)
    pairs.extend((s, t) for s, t in alignment.footnotes if s is not None and t is not None)
    return pairs


def _ignored(translation: SourceText) -> list[str]:
    """The front matter's ``check: {ignore: [...]}`` (document.py reports a malformed one)."""
    value = translation.meta.extra.get("check") if translation.meta else None
    ignore = value.get("ignore", []) if isinstance(value, dict) else []
    ignore = [ignore] if isinstance(ignore, str) else ignore
    return [v for v in ignore if isinstance(v, str)] if isinstance(ignore, list) else []


class HouseRules:
    """Terminology and house style for one translation language, document by document, then across them."""

    def __init__(self, lang: str, config: CheckConfig, glossary: Glossary | None) -> None:
        self.terms = glossary.terms.get(lang, []) if glossary else []
        if config.style:
            from .style import rules_for  # its patterns compiled only for a volume with a house style

            self.rules: list[Rule] = rules_for(lang, config.style)
        else:
            self.rules = []
        self.term_severity: Severity = "error" if config.terminology == "error" else "warning"
        self.style_severity: Severity = "error" if config.style_severity == "error" else "warning"
        self.seen: list[tuple[DocumentReport, Facts]] = []

    def check(self, report: DocumentReport, source: SourceText, translation: SourceText) -> Facts:
        """Add the document's findings to its report (an error among them makes a complete one incomplete);
        returns what :meth:`finish` will compare across documents (for the cache: :meth:`restore`)."""
        if translation.text is None or source.text is None:
            return []
        pairs = one_to_one(report.alignment)
        found, silenced = check_terms(pairs, self.terms, self.term_severity, source.path, translation.path) \
            if self.terms else ([], 0)
        styled, more = ([], 0)
        if self.rules:
            from .style import check_style

            styled, more = check_style(translation.blocks, self.rules, self.style_severity, source.path,
                                       translation.path)
        found += styled
        ignore = _ignored(translation)
        kept = [p for p in found if not any(kind_matches(p.kind, name) for name in ignore)]
        report.silenced += len(found) - len(kept) + silenced + more
        found = kept
        report.problems.extend(found)
        facts = consistency_facts(pairs) if self.terms else []
        self.seen.append((report, facts))
        if report.status == "complete" and any(p.severity == "error" for p in found):
            report.status = "incomplete"
        return facts

    def restore(self, report: DocumentReport, facts: Facts) -> None:
        """A document checked by an earlier run (its report has these rules' findings already)."""
        self.seen.append((report, facts))

    def finish(self) -> None:
        """Findings across documents: one source block translated two ways."""
        if self.terms:
            check_consistency(self.seen, self.term_severity)
