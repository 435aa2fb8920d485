"""Drift without a history signal: how much of it the check finds, and how often it cries wolf.

Real page pairs (the UID2 Docusaurus bundle by default, or any tree with a ``volume.toml`` layout) are changed on
the source side only, in memory, as if source and translation had been committed together (a squashed
repository, an imported translation): no git history helps. Each case is one change:

- ``extend``: a sentence of the same page appended to a source paragraph;
- ``insert``: a paragraph of the page copied in after another one;
- ``command``: a command word of a code block changed, or a flag added to it;
- ``markup``: emphasis written ``_x_`` for ``*x*``, a site link made absolute, a shortcode's delimiters changed
  (edits that are no drift: any new problem is a false alarm).

A case is found when the check reports a problem it did not report for the unchanged pair.

    .venv/bin/python benchmarks/drift_eval.py [--root DIR] [--cases 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from taiyaku.check.context import PairContext  # noqa: E402
from taiyaku.check.document import check_pair  # noqa: E402
from taiyaku.check.equivalence import MarkupRules  # noqa: E402
from taiyaku.check.volume import load_for_check  # noqa: E402
from taiyaku.read.text import SourceText  # noqa: E402

BASE_URL = "https://unifiedid.com"
UID2_LAYOUT = """\
base_url = "https://unifiedid.com"

[content]
source = "docs/{path}.{ext}"
translations = "i18n/{lang}/docusaurus-plugin-content-docs/current/{path}.{ext}"
mdx = ["*.md", "*.mdx"]
"""
_SENTENCE = re.compile(r"[A-Z][^.!?\n]{30,160}[.!?]")
_COMMENT_OR_STRING = re.compile(r"(?:^|\s)(?:#|//).*$|/\*.*?\*/|\"[^\"]*\"|'[^']*'")
_FLAGS = ["--namespace=default", "--dry-run", "-v"]


def problems(source: SourceText, translation: SourceText, lang: str) -> set[tuple[str, int | None]]:
    """The check's problems for a pair, without history, as (kind, translation line)."""
    context = PairContext("en", lang, markup=MarkupRules(BASE_URL))
    return {(p.kind, p.translation_line) for p in check_pair(source, translation, context).problems}


def changed(source: SourceText, text: str) -> SourceText:
    """A copy of ``source`` with another body (same front matter)."""
    copy = SourceText(source.source, text=text, yaml_text=source.yaml_text, yaml_start_line=source.yaml_start_line,
                      body_start_line=source.body_start_line, meta=source.meta, mdx=source.mdx,
                      commonmark=source.commonmark)
    copy.body = "\n".join(text.split("\n")[source.body_start_line - 1 :])
    return copy


def cases(source: SourceText, rng: random.Random) -> list[tuple[str, str]]:
    """Changed source texts of one page, each with its kind."""
    assert source.text is not None
    lines = source.text.split("\n")
    found = []
    paragraphs = [b for b in source.blocks if b.kind == "paragraph" and len(b.plain) >= 60]
    sentences = [m[0] for b in paragraphs for m in _SENTENCE.finditer(b.plain)]
    if paragraphs and len(sentences) > 1:
        block = rng.choice(paragraphs)
        extra = rng.choice([s for s in sentences if s not in block.plain] or sentences)
        edited = list(lines)
        edited[block.end_line - 1] += " " + extra
        found.append(("extend", "\n".join(edited)))
        other = rng.choice(paragraphs)
        edited = list(lines)
        edited[block.end_line - 1] += "\n\n" + other.text
        found.append(("insert", "\n".join(edited)))
    code = [b for b in source.blocks if b.kind == "code" and b.end_line - b.line >= 2 and b.text.lstrip()[:1] in "`~"]
    if code:
        block = rng.choice(code)
        # A command line: what is left of it without comments and strings has a word.
        inner = [n for n in range(block.line, block.end_line - 1)
                 if re.search(r"\b[a-z]{3,}\b", _COMMENT_OR_STRING.sub("", lines[n]))]
        if inner:
            n = rng.choice(inner)
            edited = list(lines)
            words = re.findall(r"\b[a-z]{3,}\b", _COMMENT_OR_STRING.sub("", edited[n]))
            if rng.random() < 0.5 and words:
                edited[n] = edited[n].replace(words[0], words[0][::-1], 1)
            else:
                edited[n] = edited[n].rstrip() + " " + rng.choice(_FLAGS)
            found.append(("command", "\n".join(edited)))
    prose = sorted({n for b in source.blocks if b.kind in ("paragraph", "list-item", "quote", "heading")
                    for n in range(b.line - 1, b.end_line)})
    for pattern, repl in ((r"(?<![*\w])\*([^*\s][^*\n]*)\*(?!\*)", r"_\1_"), (r"\]\(/", f"]({BASE_URL}/"),
                          (r"\{\{<", "{{%"), (r"\*\*([^*\n]+)\*\*", r"__\1__")):
        hits = [n for n in prose if re.search(pattern, lines[n])]
        if hits:
            edited = list(lines)
            for n in hits:
                edited[n] = re.sub(pattern, repl, edited[n])
                if "{{%" in edited[n]:
                    edited[n] = edited[n].replace(">}}", "%}}")
            found.append(("markup", "\n".join(edited)))
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="a checked-out tree (default: clone the UID2 bundle)")
    parser.add_argument("--lang", default="ja")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = args.root
        if root is None:
            root = Path(temp) / "uid2"
            bundle = REPO.parent / "shared" / "corpora" / "uid2docs.bundle"
            subprocess.run(["git", "clone", "-q", str(bundle), str(root)], check=True)
            (root / "volume.toml").write_text(UID2_LAYOUT, encoding="utf-8")
        volume, _ = load_for_check(root)
        rng = random.Random(args.seed)
        sources, translations = volume.files["en"], volume.files.get(args.lang, {})
        totals: Counter[str] = Counter()
        found: Counter[str] = Counter()
        for rel in sorted(set(sources) & set(translations)):
            source, translation = sources[rel], translations[rel]
            if source.text is None or translation.text is None or source.meta is None or translation.meta is None:
                continue
            before = problems(source, translation, args.lang)
            for kind, text in cases(source, rng):
                totals[kind] += 1
                if problems(changed(source, text), translation, args.lang) - before:
                    found[kind] += 1
        for kind in ("extend", "insert", "command", "markup"):
            rate = found[kind] / totals[kind] if totals[kind] else 0
            what = "false alarms" if kind == "markup" else "found"
            print(f"{kind:8} {found[kind]:4} of {totals[kind]:4} {what} ({rate:.0%})")
        drift = sum(totals[k] for k in ("extend", "insert", "command"))
        print(f"drift    {sum(found[k] for k in ('extend', 'insert', 'command'))} of {drift} found")


if __name__ == "__main__":
    main()
