"""Small helpers for the tests: an HTML tree from ``html.parser``, and PDF inspection with poppler and pypdf."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from taiyaku.cli import main


def run_taiyaku(*args: object) -> tuple[int, str]:
    """Run ``taiyaku.cli.main`` in-process; returns (exit code, everything written to stderr).

    ``cli.setup_logging`` installs a ``StreamHandler(sys.stderr)`` on each call, so swapping ``sys.stderr`` for
    the duration of the call captures the ``taiyaku`` logger's output.
    """
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 1
    return code, buffer.getvalue()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    """An HTML element; ``children`` holds elements and text (``str``) in document order."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def iter(self, tag: str | None = None):  # type: ignore[no-untyped-def]
        """This element and every element below it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Elements below (and including) this one with this tag and these exact attribute values;
        ``class_`` matches one of the classes."""
        found = []
        for el in self.iter(tag):
            ok = True
            for name, value in attrs.items():
                if name == "class_":
                    ok = ok and value in el.attrs.get("class", "").split()
                else:
                    ok = ok and el.attrs.get(name) == value
            if ok:
                found.append(el)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        """The only element matching (asserts there is exactly one)."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    @property
    def text(self) -> str:
        """All text below this element."""
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def lang(self) -> str | None:
        """The language in effect for this element (its own ``lang`` or the nearest ancestor's)."""
        el: Element | None = self
        while el is not None:
            if "lang" in el.attrs:
                return el.attrs["lang"]
            el = el.parent
        return None

    def text_nodes(self):  # type: ignore[no-untyped-def]
        """(text, element holding it) for every non-blank text node below this element."""
        for child in self.children:
            if isinstance(child, str):
                if child.strip():
                    yield child, self
            else:
                yield from child.text_nodes()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(el)
        if tag not in VOID:
            self.current = el

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        el: Element | None = self.current
        while el is not None and el.tag != tag:
            el = el.parent
        assert el is not None and el.parent is not None, f"</{tag}> closes nothing"
        # An end tag must close the innermost open element: the theme writes well-formed HTML.
        assert el is self.current, f"</{tag}> while <{self.current.tag}> is open"
        self.current = el.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(path: Path) -> Element:
    """Parse an output page; asserts every element is closed."""
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    assert builder.current is builder.root, f"{path}: <{builder.current.tag}> is never closed"
    return builder.root


def html_pages(site: Path) -> list[Path]:
    """Every HTML page under a built ``html/`` folder."""
    return sorted(site.rglob("*.html"))


# -- output folders ---------------------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path → bytes; the search index (``html/pagefind/``, files named by
    Pagefind's hashes) is left out: tests/test_search.py checks it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "pagefind" not in p.relative_to(folder).parts[:2]}


def staging_leftovers(out: Path) -> list[str]:
    """Staging folders (``.<name>.taiyaku-*``) left beside ``out``."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".") and "taiyaku-" in p.name)


# -- PDFs ----------------------------------------------------------------------------------------------------

def pdftotext(pdf: Path, join: str = "") -> str:
    """The PDF's text, lines joined with ``join`` (Japanese lines wrap without a space)."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                            text=True)
    return join.join(result.stdout.splitlines())


@dataclass(frozen=True)
class PdfFont:
    name: str
    type: str
    emb: str
    sub: str
    uni: str


def pdffonts(pdf: Path) -> list[PdfFont]:
    """The rows of ``pdffonts``: name, type, and the emb/sub/uni columns."""
    result = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["name", "type"] and lines[1].startswith("---"), result.stdout
    fonts = []
    for line in lines[2:]:
        # name, type (may contain spaces), encoding, emb, sub, uni, object number, generation
        match = re.match(r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        assert match, f"unexpected pdffonts line: {line!r}"
        fonts.append(PdfFont(match[1], match[2], match[4], match[5], match[6]))
    return fonts


def _theme_asset(name: str) -> str:
    """The fingerprinted site path of a default-theme asset (``assets/site.<hash>.css``)."""
    from taiyaku.site import fingerprinted
    from taiyaku.theme import THEME_ROOT

    return "assets/" + fingerprinted(name, (THEME_ROOT / "templates" / "assets" / name).read_bytes())


SITE_CSS = _theme_asset("site.css")
SITE_JS = _theme_asset("site.js")
