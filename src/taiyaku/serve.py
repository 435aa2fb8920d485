"""``taiyaku serve``: build the site, serve it, rebuild on every change and reload the page.

The port is bound before anything is built, so a busy port is one line and nothing else happens. The site is
built into a temporary folder (``build/`` is left alone), removed on every way out (Ctrl-C, SIGTERM, errors).
Only files of that folder are answered: unknown paths get the site's own 404 page, folders without an
``index.html`` are not listed, and paths that try to leave the site (``..``, NUL, backslashes) are refused.
Each HTML response gets a small script that listens for rebuilds over server-sent events; a failed build keeps
the last good site on screen, shows the problems as an overlay, and the server keeps running.

The search index is not part of these builds: Pagefind takes longer than the rest of a rebuild, so the page is
reloaded first and the index made afterwards in a thread, by Pagefind kept running for the session
(:mod:`.serve_search`); a search meanwhile answers from the previous index, and pages that searched load the new
one when it is ready.

With ``--pdf`` every rebuild typesets the PDFs too, through the build cache: only the papers that changed (and
those whose folios moved) are laid out again. ``/__taiyaku/pdf/<path>.pdf`` shows a PDF of the site in a page
that carries the reload script, so the PDF on screen is reloaded after each rebuild as the HTML pages are.

The builds share the volume's cache (``.taiyaku-cache/``); the record of the session's last build
(:class:`.stamp.BuildStamp`, which names the temporary folder) is removed with that folder.
"""

from __future__ import annotations

import errno
import html
import json
import logging
import mimetypes
import shutil
import signal
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import unquote

from .errors import ConfigError, TaiyakuError, Terminated
from .pipeline import BuildOptions, build
from .search import SEARCH_DIR
from .serve_search import LiveSearch
from .stamp import forget_build

log = logging.getLogger(__name__)

EVENTS_PATH = "/__taiyaku/events"
PDF_PREVIEW_PATH = "/__taiyaku/pdf/"
"""``/__taiyaku/pdf/<name>.pdf``: the site's ``/pdf/<name>.pdf`` in a page that reloads after each rebuild."""
SEARCH_PATH = f"/{SEARCH_DIR}/"
WATCHED = ("content", "templates", "locales", "volume.toml")
RELOAD_SCRIPT = """
<script>
(() => {
  const events = new EventSource("%s");
  let seen = null, searchSeen = null;
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    if (seen !== null && state.version !== seen && !state.error) { location.reload(); return; }
    seen = state.version;
    // A new search index: site.js loads it at the next search (the page stays as it is).
    if (searchSeen !== null && state.search !== searchSeen) document.dispatchEvent(new Event("taiyaku:search-index"));
    searchSeen = state.search;
    let overlay = document.getElementById("taiyaku-overlay");
    if (state.error) {
      if (!overlay) {
        overlay = document.createElement("pre");
        overlay.id = "taiyaku-overlay";
        overlay.setAttribute("role", "alert");
        overlay.setAttribute("lang", "en");
        overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;" +
          "background:#2b0d0d;color:#ffd9d9;font:13px/1.5 monospace;white-space:pre-wrap;z-index:99999";
        document.body.appendChild(overlay);
      }
      overlay.textContent = "taiyaku: the last build failed\\n\\n" + state.error;
    } else if (overlay) {
      overlay.remove();
    }
  };
})();
</script>
""" % EVENTS_PATH


class BuildState:
    """The latest build's version and error text, and the search index's version, shared between the watcher,
    the indexer and the request threads."""

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.search = 0
        self.changed = threading.Condition()

    def publish(self, error: str) -> None:
        """Record a finished build and wake every waiting page."""
        with self.changed:
            if not error:
                self.version += 1
            self.error = error
            self.changed.notify_all()

    def publish_search(self, version: int) -> None:
        """Record a new search index and wake every waiting page."""
        with self.changed:
            self.search = version
            self.changed.notify_all()

    def snapshot(self) -> str:
        """The state as one JSON line for the event stream."""
        return json.dumps({"version": self.version, "error": self.error, "search": self.search})


class _Collect(logging.Handler):
    """Keeps a build's warning and error lines for the overlay, each once."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = record.getMessage()
        if line not in self.lines:
            self.lines.append(line)


def rebuild(options: BuildOptions, state: BuildState, first: bool = False) -> bool:
    """Build once; publish success or the problems (each once). Returns whether it succeeded."""
    collector = _Collect()
    logger = logging.getLogger("taiyaku")
    logger.addHandler(collector)
    started = time.perf_counter()
    try:
        build(options)
    except TaiyakuError as exc:
        log.error("%s", exc)
        state.publish("\n".join(collector.lines or [str(exc)]))
        return False
    finally:
        logger.removeHandler(collector)
    log.info("%s in %.2f s", "built" if first else "rebuilt", time.perf_counter() - started)
    state.publish("")
    return True


# -- answering requests ---------------------------------------------------------------------------------------

def site_file(site: Path, url_path: str) -> Path | HTTPStatus:
    """The file of ``site`` a URL path names, or the status to answer: 400 for a malformed path, 404 for anything
    that is not a file of the site (``..``, folders without ``index.html``, symlinks leading out), 301 (as
    ``MOVED_PERMANENTLY``) for a folder asked for without its trailing slash."""
    if not url_path.startswith("/") or "\\" in url_path:
        return HTTPStatus.BAD_REQUEST
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return HTTPStatus.BAD_REQUEST
    if "\x00" in decoded or "\\" in decoded or decoded.startswith("//"):
        return HTTPStatus.BAD_REQUEST
    segments = decoded.split("/")[1:]
    if any(segment in (".", "..") for segment in segments):
        return HTTPStatus.NOT_FOUND
    base = site.resolve()
    candidate = base.joinpath(*[s for s in segments if s])
    try:
        resolved = candidate.resolve()
        resolved.relative_to(base)  # a symlink inside the site must not lead out of it
    except (ValueError, OSError):
        return HTTPStatus.NOT_FOUND
    if resolved.is_dir():
        if not decoded.endswith("/"):
            return HTTPStatus.MOVED_PERMANENTLY
        resolved = resolved / "index.html"
    elif decoded.endswith("/"):
        return HTTPStatus.NOT_FOUND  # a file named as a folder: its relative links would all break
    return resolved if resolved.is_file() else HTTPStatus.NOT_FOUND


def preview_page(pdf_path: str, version: int) -> str:
    """A page showing ``/pdf<pdf_path>`` full-window, reloaded (with the new PDF) after each rebuild."""
    url = html.escape(f"/pdf{pdf_path}?v={version}")
    name = html.escape(pdf_path.rsplit("/", 1)[-1])
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>' + name + "</title></head>"
            '<body style="margin:0"><iframe src="' + url + '" title="' + name + '" '
            'style="border:0;width:100vw;height:100vh;display:block"></iframe>' + RELOAD_SCRIPT + "</body></html>\n")


def make_handler(site: Path, state: BuildState, last_pdfs: Path | None = None,
                 search: LiveSearch | None = None) -> type[BaseHTTPRequestHandler]:
    """A request handler serving the files of ``site`` with the reload script and the event stream.

    ``last_pdfs``: where ``/pdf/…`` is looked for when the site has no such file (a preview without ``--pdf``
    links to the PDFs of the last ``taiyaku build``: ``build/pdf/`` in the volume). ``search``: where
    ``/pagefind/…`` is answered from (the site's own ``pagefind/`` when None).
    """

    class Handler(BaseHTTPRequestHandler):
        server_version = "taiyaku-serve"
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
            log.debug("%s %s", self.address_string(), format % args)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self._answer(head=False)

        def do_HEAD(self) -> None:  # noqa: N802 (http.server's name)
            self._answer(head=True)

        def _answer(self, head: bool) -> None:
            # Not urlsplit: it reads "//etc/passwd" as a host name and a path.
            path, _, query = self.path.partition("?")
            path = path.partition("#")[0]
            if path == EVENTS_PATH and not head:
                self._events()
                return
            if path.startswith(PDF_PREVIEW_PATH) and path.endswith(".pdf"):
                self._preview(path[len(PDF_PREVIEW_PATH) - 1:], head)
                return
            found = site_file(site, path) if search is None or not path.startswith(SEARCH_PATH) else \
                _search_file(search, path[len(SEARCH_PATH) - 1:])
            if found is HTTPStatus.NOT_FOUND and last_pdfs is not None and path.startswith("/pdf/"):
                found = site_file(last_pdfs, path[len("/pdf"):])
            if found is HTTPStatus.MOVED_PERMANENTLY:
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/" + (f"?{query}" if query else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif isinstance(found, HTTPStatus):
                self._error(found, head)
            else:
                self._file(found, HTTPStatus.OK, head)

        def _preview(self, pdf_path: str, head: bool) -> None:
            found = site_file(site, "/pdf" + pdf_path)
            if isinstance(found, HTTPStatus):
                self._error(HTTPStatus.NOT_FOUND if found != HTTPStatus.BAD_REQUEST else found, head)
                return
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", preview_page(pdf_path, state.version).encode(),
                       head)

        def _error(self, status: HTTPStatus, head: bool) -> None:
            page = site / "404.html"
            if status == HTTPStatus.NOT_FOUND and page.is_file():
                self._file(page, status, head)
                return
            body = f"{status.value} {status.phrase}\n".encode()
            self._send(status, "text/plain; charset=utf-8", body, head)

        def _file(self, path: Path, status: HTTPStatus, head: bool) -> None:
            if path.suffix == ".html":
                text = path.read_text(encoding="utf-8")
                body = text.replace("</body>", RELOAD_SCRIPT + "</body>", 1).encode("utf-8")
                self._send(status, "text/html; charset=utf-8", body, head)
                return
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/xml"):
                kind += "; charset=utf-8"
            self._send(status, kind, path.read_bytes(), head)

        def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(f"data: {state.snapshot()}\n\n".encode())
                    self.wfile.flush()
                    with state.changed:
                        state.changed.wait(timeout=15)  # also a keep-alive
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _search_file(search: LiveSearch, path: str) -> Path | HTTPStatus:
    """``/pagefind/<path>`` from the newest index that has it (a search begun on the previous one goes on)."""
    found: Path | HTTPStatus = HTTPStatus.NOT_FOUND
    for folder in search.folders():
        found = site_file(folder, path)
        if not isinstance(found, HTTPStatus):
            return found
    return found


def bind(host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Listen on ``host:port``; a busy or unusable address is a one-line error naming the fix."""
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        where = f"{host}:{port}"
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"cannot serve on {where}: the port is in use; choose another with --port "
                              "(--port 0 picks a free one)") from None
        if exc.errno == errno.EACCES:
            raise ConfigError(f"cannot serve on {where}: permission denied; choose a port above 1023") from None
        raise ConfigError(f"cannot serve on {where}: {exc.strerror or exc}; check --host") from None
    server.daemon_threads = True
    return server


def serve(root: Path, port: int = 8000, host: str = "127.0.0.1", open_browser: bool = False, pdf: bool = False,
          once: bool = False, stop: threading.Event | None = None, ready: Callable[[str], None] | None = None) -> int:
    """Bind, build, serve and watch until interrupted or ``stop`` is set; ``ready`` is called with the URL once
    serving; ``once`` returns after the first build (for tests)."""
    from watchfiles import watch

    if not root.is_dir():
        raise ConfigError(f"{root}: not a folder")
    state = BuildState()
    # Bound first, so that a busy port stops the command before a folder is made or a page is built; the
    # handler learns the site's folder once it exists.
    server = bind(host, port, BaseHTTPRequestHandler)
    out: Path | None = None
    options: BuildOptions | None = None
    search: LiveSearch | None = None
    running = False
    stop = stop or threading.Event()
    terminated = threading.Event()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        # watchfiles turns any exception raised by a signal handler into KeyboardInterrupt: remember which.
        terminated.set()
        raise Terminated()

    # SIGHUP too: closing the terminal that runs the preview must not leave its folder behind.
    stoppers = (signal.SIGTERM, signal.SIGHUP)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = {signum: signal.signal(signum, on_sigterm) for signum in stoppers} if main_thread else {}
    try:
        out = Path(tempfile.mkdtemp(prefix="taiyaku-serve-"))
        # The output one level down, so that the build's lock and staging folders (made beside its output)
        # are inside the temporary folder too and go with it.
        site = out / "build" / "html"
        search = LiveSearch(out / "search", state.publish_search)
        server.RequestHandlerClass = make_handler(site, state, None if pdf else root / "build" / "pdf", search)
        options = BuildOptions(root=root, out=out / "build", format="all" if pdf else "html", preview=True)
        if rebuild(options, state, first=True):
            search.update(site)
        site.mkdir(parents=True, exist_ok=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running = True
        url = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_address[1]}/"
        log.info("serving %s at %s (Ctrl-C to stop)", root.resolve(), url)
        if host not in ("127.0.0.1", "localhost", "::1"):
            log.warning("listening on %s: other machines that can reach it can read the site", host)
        if pdf:
            for staged in sorted((site / "pdf").glob("*.pdf")):
                log.info("PDF preview, reloaded after each rebuild: %s%s", url.rstrip("/"),
                         PDF_PREVIEW_PATH + staged.name)
        if ready is not None:
            ready(url)
        if open_browser:
            webbrowser.open(url)
        if once:
            return 0
        paths = [root / name for name in WATCHED if (root / name).exists()] or [root]
        for changes in watch(*paths, stop_event=stop, debounce=150, step=50):
            names = sorted({Path(p).name for _, p in changes})
            log.info("changed: %s", ", ".join(names[:5]) + (" …" if len(names) > 5 else ""))
            if rebuild(options, state):
                search.update(site)  # after the pages are on their way to the browser
    except KeyboardInterrupt:
        if terminated.is_set():
            raise Terminated() from None
        log.info("stopped")
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        stop.set()
        if running:
            server.shutdown()
        server.server_close()
        if search is not None:
            search.close()
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
        if options is not None:
            # The record of the last build into the folder just removed: no later build can use it.
            forget_build(options.cache_folder, options.out_dir)
    return 0


__all__ = ["serve", "rebuild", "bind", "site_file", "BuildState", "make_handler", "preview_page"]
