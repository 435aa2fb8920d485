"""Template lookup: a volume's ``templates/`` over the default theme, file by file, with Jinja i18n.

Jinja autoescapes everything; document bodies arrive as already-rendered HTML (``Markup``) and are never
rendered as templates, so content that looks like Jinja (``{{ 7*7 }}``) stays literal.
"""

from __future__ import annotations

import os
import shutil
import sys
import traceback
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from .errors import TemplateError
from .paths import refuse_outside
from .i18n import UIStrings, format_names

THEME_ROOT = Path(__file__).parent / "theme"
"""The default theme: ``templates/`` and ``locales/`` that ship with taiyaku."""


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the process: Jinja keys them by file and source checksum, so an
    edited template is compiled again. Each language gets its own environment (its own gettext), and ``serve``
    builds again on every change; without this, compiling the templates was a third of an HTML build.

    With a :attr:`folder` (the build's cache, :func:`keep_compiled_templates`), what is compiled is kept there
    too, one file per template, for the next build's process: compiling the 17 templates of the sample's build
    took 0.17 s of a one-paragraph rebuild. Jinja checks what it loads (its version, Python's, the source's
    checksum) and compiles again on any difference."""

    LIMIT = 512
    """Entries kept (oldest dropped first): ``serve`` compiles every edited version of a template again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.folder: Path | None = None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        from_disk = data is None and self.folder is not None
        if from_disk and self.folder is not None:
            try:
                data = (self.folder / f"{bucket.key}.jbc").read_bytes()
            except OSError:
                data = None
        if data is not None:
            try:
                bucket.bytecode_from_string(data)  # another Jinja or Python, another source: left empty
            except Exception:  # noqa: BLE001 - a damaged file (cut in its checksum): compiled again
                bucket.reset()
            if from_disk and bucket.code is not None:
                self.store[bucket.key] = data  # the build's other environments (a language each) ask again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store[bucket.key] = bucket.bytecode_to_string()
        while len(self.store) > self.LIMIT:
            del self.store[next(iter(self.store))]
        if self.folder is not None:
            path = self.folder / f"{bucket.key}.jbc"
            temporary = path.with_name(f".{path.name}.{os.getpid()}")
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                temporary.write_bytes(data)
                os.replace(temporary, path)
            except OSError:  # a cache: the next build compiles again
                temporary.unlink(missing_ok=True)


class _VolumeLoader(jinja2.FileSystemLoader):
    """Templates from the volume's ``templates/`` over the theme's, never through a link out of the volume."""

    def __init__(self, volume_root: Path) -> None:
        super().__init__([str(d) for d in template_dirs(volume_root)])
        self.volume_root = volume_root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        path = Path(filename)
        if not path.is_relative_to(THEME_ROOT):
            refuse_outside(self.volume_root, path, TemplateError)
        return source, filename, uptodate


_BYTECODE = _MemoryBytecodeCache()

TEMPLATES_CACHE = "templates"
"""Under the cache folder: compiled templates (:func:`keep_compiled_templates`)."""


def keep_compiled_templates(cache_folder: Path | None) -> None:
    """Keep compiled templates in ``<cache_folder>/templates/<code>/`` from now on in this process (None: in
    memory only). ``<code>`` is taiyaku's code digest (:func:`.rendercache.code_digest`: its modules, theme and
    the libraries' versions), since what Jinja compiles depends on the environment taiyaku makes, which Jinja's
    own check (its version, Python's, the source's checksum) does not see; the folders of other code are removed.
    A template's file is named by Jinja's key (its name and path): an edited one replaces it. The files are code:
    the cache folder is trusted as the volume's own templates are (which run unsandboxed)."""
    if cache_folder is None:
        _BYTECODE.folder = None
        return
    from .rendercache import code_digest

    folder = cache_folder / TEMPLATES_CACHE / code_digest()[:16]
    if _BYTECODE.folder != folder:
        _BYTECODE.folder = folder
        parent = folder.parent
        if parent.is_dir():
            for other in parent.iterdir():
                if other != folder:
                    shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)


def template_dirs(volume_root: Path) -> list[Path]:
    """Folders searched for templates, highest priority first."""
    dirs = [volume_root / "templates", THEME_ROOT / "templates"]
    return [d for d in dirs if d.is_dir()]


def make_environment(volume_root: Path, strings: UIStrings) -> jinja2.Environment:
    """A Jinja environment for one language: autoescaping, strict undefined, gettext installed."""
    env = jinja2.Environment(
        loader=_VolumeLoader(volume_root),
        # HTML and XML are escaped; the print stylesheet (.css) is a template too and must not be.
        autoescape=jinja2.select_autoescape(("html", "htm", "xml"), default_for_string=True, default=False),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_BYTECODE,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(strings.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["names"] = lambda names, lang=strings.lang: format_names(list(names), lang)
    return env


def _display_path(filename: str | None, volume_root: Path) -> str:
    """A template path as the user knows it: ``templates/page.html`` or ``(theme) templates/page.html``."""
    if not filename:
        return "templates"
    path = Path(filename)
    for base, label in ((volume_root, ""), (THEME_ROOT, "(theme) ")):
        try:
            return label + path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return filename


def render_template(env: jinja2.Environment, name: str, volume_root: Path, **context: Any) -> str:
    """Render one template; any template problem becomes a :class:`TemplateError` naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"syntax error: {exc.message}", _display_path(exc.filename, volume_root), exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}", _display_path(None, volume_root)) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
        # Jinja rewrites tracebacks so that template frames carry the template's file name and line.
        filename, lineno = None, None
        for frame in traceback.extract_tb(sys.exc_info()[2]):
            if frame.filename and frame.filename.endswith((".html", ".xml", ".css", ".j2")):
                filename, lineno = frame.filename, frame.lineno
        message = getattr(exc, "message", None) or str(exc)
        raise TemplateError(f"{type(exc).__name__}: {message}", _display_path(filename, volume_root), lineno) from None
