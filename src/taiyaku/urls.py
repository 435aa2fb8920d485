"""URLs, resolved late: one function turns a site path into a link from the page being written.

Documents and templates name what they point to, never how to reach it: templates give a *site path* (``ja/``,
``ja/intro/``, ``assets/site.css``, ``pdf/x.pdf``), and rendered document bodies keep *references*
(``taiyaku:doc/<rel_path>#frag`` for another document, ``taiyaku:asset/<lang>/<path>`` for a file of the volume)
that :func:`resolve_references` replaces when the page is written — as MkDocs' ``File.url_relative_to`` and
Pelican's ``{filename}`` links do. Nothing rewrites HTML for a page's depth afterwards.

URL style: links between pages end in ``index.html`` (``../intro/index.html``), so the site works opened from
disk (``file://`` shows a directory listing for a folder URL) and from any server path; absolute URLs
(``base_url``: sitemap, ``hreflang``, the 404 page) use clean folder URLs, which every server maps to
``index.html``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

REF_SCHEME = "taiyaku:"
DOC_REF = REF_SCHEME + "doc/"
ASSET_REF = REF_SCHEME + "asset/"
_REF_ATTR = re.compile(r'\b(href|src)="taiyaku:(doc|asset)/([^"#]*)(#[^"]*)?"')
_SRCSET = re.compile(r'\bsrcset="([^"]*)"')
_SRCSET_REF = re.compile(r'taiyaku:asset/([^\s,"]+)')


def doc_ref(rel_path: str, fragment: str = "") -> str:
    """A reference to another document of the same language folder, by its content-relative path."""
    return f"{DOC_REF}{rel_path}" + (f"#{fragment}" if fragment else "")


def asset_ref(lang: str, rel_path: str, fragment: str = "") -> str:
    """A reference to a file under ``content/<lang>/`` (an image), written to the site as ``<lang>/<path>``."""
    return f"{ASSET_REF}{lang}/{rel_path}" + (f"#{fragment}" if fragment else "")


def page_file(site_path: str) -> str:
    """The file a site path is written to: ``ja/intro/`` → ``ja/intro/index.html``; files stay as they are."""
    if site_path == "" or site_path.endswith("/"):
        return site_path + "index.html"
    return site_path


def url_for(target: str, from_file: str) -> str:
    """A relative link from the page written at ``from_file`` to ``target`` (a site path, ``#fragment`` kept).

    Folder targets get ``index.html`` so that the link works from ``file://`` too.
    """
    path, hash_, fragment = target.partition("#")
    if not path:
        return target  # an in-page link
    if re.match(r"^[a-z][a-z0-9+.-]*:|^/", path):
        return target  # absolute already
    here = posixpath.dirname(from_file)
    link = posixpath.relpath(page_file(path), here or ".")
    return link + hash_ + fragment


def absolute_url(base_url: str, target: str) -> str:
    """``target`` (a site path) under the public ``base_url``, or root-relative when none is set.

    Clean folder URLs: a server answers them with the folder's ``index.html``.
    """
    base = base_url.rstrip("/") + "/" if base_url else "/"
    return base + target


def resolve_references(html: str, from_file: str, doc_path: Callable[[str], str | None]) -> str:
    """Replace the references of a rendered body with links from the page at ``from_file``.

    ``doc_path`` gives the site path of a document from its content-relative path (the page in the reader's
    language); an unknown document keeps an empty link (the read stage has reported it already).
    """

    def replace(match: re.Match[str]) -> str:
        attr, kind, path, fragment = match[1], match[2], match[3], match[4] or ""
        if kind == "asset":
            target = path
        else:
            site_path = doc_path(path)
            if site_path is None:
                return f'{attr}=""'
            target = site_path
        return f'{attr}="{url_for(target + fragment, from_file)}"'

    html = _REF_ATTR.sub(replace, html)
    # A srcset's candidates (an image in several widths: taiyaku.images.site) are asset references too.
    return _SRCSET.sub(lambda m: 'srcset="' + _SRCSET_REF.sub(lambda r: url_for(r[1], from_file), m[1]) + '"', html)
