"""``taiyaku serve``: build the site, serve it on 127.0.0.1, rebuild on every change and reload the page.

The site is built into a temporary folder (``build/`` is left alone). Each HTML response gets a small script
that listens for rebuilds over server-sent events; a failed build keeps the last good site on screen, shows
the problems as an overlay, and the server keeps running.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import TaiyakuError
from .pipeline import BuildOptions, build

log = logging.getLogger(__name__)

EVENTS_PATH = "/__taiyaku/events"
WATCHED = ("content", "templates", "locales", "volume.toml")
RELOAD_SCRIPT = """
<script>
(() => {
  const events = new EventSource("%s");
  let seen = null;
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    if (seen !== null && state.version !== seen && !state.error) { location.reload(); return; }
    seen = state.version;
    let overlay = document.getElementById("taiyaku-overlay");
    if (state.error) {
      if (!overlay) {
        overlay = document.createElement("pre");
        overlay.id = "taiyaku-overlay";
        overlay.setAttribute("role", "alert");
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
    """The latest build's version and error text, shared between the watcher and the request threads."""

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.changed = threading.Condition()

    def publish(self, error: str) -> None:
        """Record a finished build and wake every waiting page."""
        with self.changed:
            if not error:
                self.version += 1
            self.error = error
            self.changed.notify_all()

    def snapshot(self) -> str:
        """The state as one JSON line for the event stream."""
        return json.dumps({"version": self.version, "error": self.error})


class _Collect(logging.Handler):
    """Keeps a build's warning and error lines for the overlay."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def rebuild(options: BuildOptions, state: BuildState) -> bool:
    """Build the HTML once; publish success or the problems. Returns whether it succeeded."""
    collector = _Collect()
    logger = logging.getLogger("taiyaku")
    logger.addHandler(collector)
    started = time.perf_counter()
    try:
        build(options)
    except TaiyakuError as exc:
        collector.lines.append(str(exc))
        log.error("%s", exc)
        state.publish("\n".join(collector.lines))
        return False
    finally:
        logger.removeHandler(collector)
    log.info("rebuilt in %.2f s", time.perf_counter() - started)
    state.publish("")
    return True


def make_handler(site: Path, state: BuildState) -> type[SimpleHTTPRequestHandler]:
    """A request handler serving ``site`` with the reload script and the event stream."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
            log.debug("%s %s", self.address_string(), format % args)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path == EVENTS_PATH:
                self._events()
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                if not self.path.split("?")[0].endswith("/"):
                    super().do_GET()  # redirect to the slash form
                    return
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                body = path.read_text(encoding="utf-8")
                body = body.replace("</body>", RELOAD_SCRIPT + "</body>", 1).encode("utf-8")
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

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


def serve(root: Path, port: int = 8000, host: str = "127.0.0.1", once: bool = False) -> int:
    """Build, serve and watch until interrupted; ``once`` returns after the first build (for tests)."""
    from watchfiles import watch

    out = Path(tempfile.mkdtemp(prefix="taiyaku-serve-"))
    options = BuildOptions(root=root, out=out, format="html")
    state = BuildState()
    rebuild(options, state)
    (out / "html").mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((host, port), make_handler(out / "html", state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    log.info("serving %s on http://%s:%d/ (Ctrl-C to stop)", root, host, server.server_address[1])
    stop = threading.Event()
    try:
        if once:
            return 0
        paths = [root / name for name in WATCHED if (root / name).exists()] or [root]
        for changes in watch(*paths, stop_event=stop, debounce=150, step=50):
            names = sorted({Path(p).name for _, p in changes})
            log.info("changed: %s", ", ".join(names[:5]) + (" …" if len(names) > 5 else ""))
            rebuild(options, state)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        shutil.rmtree(out, ignore_errors=True)
    return 0


__all__ = ["serve", "rebuild", "BuildState", "make_handler"]
