"""The check's report as text (a summary table, then ``path:line: kind: message`` lines), JSON or one HTML page."""

from __future__ import annotations

import json
import re
from html import escape
from typing import Literal

from .model import STATUSES, CheckReport, DocumentReport, LanguageReport

Format = Literal["text", "json", "html"]
FORMATS: tuple[Format, ...] = ("text", "json", "html")


def render(report: CheckReport, fmt: Format, strict: bool = False) -> str:
    """The report in one format, ending with a newline."""
    if fmt == "json":
        return json.dumps(report.to_json(strict), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return render_html(report, strict)
    return render_text(report, strict)


def _ui_column(language: LanguageReport) -> str:
    catalog = language.catalog
    if catalog is None:
        return "-"
    return f"{catalog.used_translated}/{catalog.used}"


def _verdict(report: CheckReport, strict: bool) -> str:
    errors, warnings = report.counts()
    counted = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    if report.passed(strict):
        return f"check passed: {counted}"
    return f"check failed: {counted}" + (" (--strict: warnings count)" if strict and not errors else "")


def render_text(report: CheckReport, strict: bool = False) -> str:
    """The summary table per language, every problem on its own line, and the verdict."""
    lines = [f"note: {note}" for note in report.notes]
    skipped = [path for paths in report.skipped.values() for path in paths]
    if skipped:
        shown = ", ".join(skipped[:3]) + (f" and {len(skipped) - 3} more" if len(skipped) > 3 else "")
        lines.append(f"note: {len(skipped)} Markdown file{'s' if len(skipped) != 1 else ''} not read as documents "
                     f"(names starting with '_', or [content] exclude; JSON: skipped): {shown}")
    columns = ("documents", "complete", "outdated", "incomplete", "missing", "orphan")
    header = ["language", *columns, "UI strings"]
    rows = []
    for lang, language in report.languages.items():
        summary = language.summary()
        rows.append([lang, *(str(summary[c]) for c in columns), _ui_column(language)])
    if rows:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
            lines.append("  ".join(cells).rstrip())
    else:
        lines.append(f"no translations to check (source language: {report.source_language})")
    diagnostics = report.diagnostics()
    if diagnostics:
        lines.append("")
        lines.extend(str(d) for d in diagnostics)
    lines.append("")
    lines.append(_verdict(report, strict))
    return "\n".join(lines) + "\n"


# -- HTML ------------------------------------------------------------------------------------------------------

_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK JP", sans-serif;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 0 .5rem; border-radius: .6rem; font-size: .85em; color: #fff; }
.complete { background: #2e7d32; } .outdated { background: #b26a00; } .incomplete { background: #c62828; }
.missing { background: #6a1b9a; } .orphan { background: #455a64; }
.verdict { font-weight: 600; } .verdict.ok { color: #2e7d32; } .verdict.failed { color: #c62828; }
li.error::marker { color: #c62828; } li.warning::marker { color: #b26a00; }
code { font-size: .9em; } .where { color: #555; }
table.changes { width: 100%; table-layout: fixed; }
table.changes td { white-space: pre-wrap; font-size: .9em; }
del { background: #fde0e0; } ins { background: #dff5df; text-decoration: none; }
.note { background: #fff8e1; padding: .5rem .8rem; border-left: 4px solid #b26a00; }
"""


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _word_diff(old: str, new: str) -> tuple[str, str]:
    """Both texts as HTML, words removed from ``old`` in ``<del>``, words added to ``new`` in ``<ins>``."""
    import difflib  # only for the HTML report

    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    before: list[str] = []
    after: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            before.append(removed)
            after.append(added)
            continue
        if removed:
            before.append(f"<del>{removed}</del>")
        if added:
            after.append(f"<ins>{added}</ins>")
    return "".join(before), "".join(after)


def _badge(status: str) -> str:
    return f'<span class="status {escape(status)}">{escape(status)}</span>'


def _document_id(lang: str, doc: DocumentReport) -> str:
    return "doc-" + lang + "-" + "".join(c if c.isalnum() else "-" for c in doc.path)


def render_html(report: CheckReport, strict: bool = False) -> str:
    """One self-contained page: summaries, per-document status and problems, changed source beside translation."""
    out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<title>Translation status</title>', f'<style>{_CSS}</style>', '</head>', '<body>',
           '<h1>Translation status</h1>']
    passed = report.passed(strict)
    out.append(f'<p class="verdict {"ok" if passed else "failed"}">{escape(_verdict(report, strict))}</p>')
    out.append(f'<p>Source language: <code>{escape(report.source_language)}</code>'
               + (f'; commit <code>{escape(report.git.head[:7])}</code>' if report.git.head else "") + '</p>')
    for note in report.notes:
        out.append(f'<p class="note">{escape(note)}</p>')
    if report.problems:
        out.append('<h2>Volume</h2><ul>')
        for p in report.problems:
            where = f"{p.path}:{p.line}" if p.line else p.path
            out.append(f'<li class="{p.severity}"><span class="where">{escape(where)}</span> '
                       f'<code>{escape(p.kind)}</code> {escape(p.message)}</li>')
        out.append('</ul>')
    for lang, language in report.languages.items():
        out.extend(_language_html(lang, language, report.source_language))
    out.extend(['</body>', '</html>'])
    return "\n".join(out) + "\n"


def _language_html(lang: str, language: LanguageReport, source_lang: str) -> list[str]:
    summary = language.summary()
    out = [f'<h2 id="lang-{escape(lang)}">{escape(lang)}</h2>', '<table class="summary"><tr>']
    out.append("".join(f"<th>{escape(key)}</th>" for key in ("documents", *STATUSES, "errors", "warnings")))
    out.append('</tr><tr>' + "".join(f'<td class="n">{summary[key]}</td>'
                                      for key in ("documents", *STATUSES, "errors", "warnings")) + '</tr></table>')
    out.append('<table class="documents"><tr><th>source</th><th>translation</th><th>status</th>'
               '<th>errors</th><th>warnings</th></tr>')
    for doc in language.documents:
        errors = sum(1 for p in doc.problems if p.severity == "error")
        warnings = len(doc.problems) - errors
        badge = _badge(doc.status)
        if doc.problems:
            badge = f'<a href="#{_document_id(lang, doc)}">{badge}</a>'
        out.append(f'<tr><td>{escape(doc.source or "—")}</td><td>{escape(doc.translation or "—")}</td>'
                   f'<td>{badge}</td><td class="n">{errors}</td><td class="n">{warnings}</td></tr>')
    out.append('</table>')
    for doc in language.documents:
        if not doc.problems:
            continue
        out.append(f'<section id="{_document_id(lang, doc)}"><h3>{escape(doc.path)} {_badge(doc.status)}</h3><ul>')
        for p in doc.problems:
            lines = []
            if p.source_line is not None:
                lines.append(f"source {p.source_line}")
            if p.translation_line is not None:
                lines.append(f"translation {p.translation_line}")
            where = f'<span class="where">{escape(", ".join(lines))}</span> ' if lines else ""
            out.append(f'<li class="{p.severity}">{where}<code>{escape(p.kind)}</code> {escape(p.message)}</li>')
        out.append('</ul>')
        if doc.source_changes:
            out.append('<h4>Source changes since the translation</h4><ul>')
            for change in doc.source_changes:
                label = f"<code>{escape(change.commit)}</code> {escape(change.date or '')} " if change.commit else ""
                out.append(f'<li>{label}{escape(change.subject)}</li>')
            out.append('</ul>')
        if doc.changed_blocks:
            out.append('<table class="changes"><tr><th>line</th><th>source then</th><th>source now</th>'
                       '<th>translation</th></tr>')
            for block in doc.changed_blocks:
                where = f"{block.source_line or '—'} / {block.translation_line or '—'}"
                before, after = _word_diff(block.old_source, block.source)
                out.append(f'<tr><td>{escape(where)}<br>{escape(block.change)}</td>'
                           f'<td lang="{escape(source_lang)}">{before}</td>'
                           f'<td lang="{escape(source_lang)}">{after}</td>'
                           f'<td lang="{escape(lang)}">{escape(block.translation)}</td></tr>')
            out.append('</table>')
        out.append('</section>')
    catalog = language.catalog
    if catalog is not None:
        out.append(f'<h3>UI strings: {catalog.used_translated} of {catalog.used} translated</h3>')
        out.append('<table class="catalogs"><tr><th>catalog</th><th>entries</th><th>translated</th><th>fuzzy</th>'
                   '<th>untranslated</th><th>obsolete</th></tr>')
        for stats in (catalog.stats, catalog.theme):
            if stats is None:
                continue
            total = stats.total if stats.exists else "none"
            out.append(f'<tr><td>{escape(stats.path)}</td><td class="n">{total}</td>'
                       f'<td class="n">{stats.translated}</td><td class="n">{stats.fuzzy}</td>'
                       f'<td class="n">{stats.untranslated}</td><td class="n">{stats.obsolete}</td></tr>')
        out.append('</table>')
        if catalog.problems:
            out.append('<ul>')
            for c in catalog.problems:
                where = f'<span class="where">line {c.line}</span> ' if c.line else ""
                out.append(f'<li class="{c.severity}">{where}<code>{escape(c.kind)}</code> {escape(c.message)}</li>')
            out.append('</ul>')
    return out
