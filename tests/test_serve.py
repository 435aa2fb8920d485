"""The preview server: serves the built site on 127.0.0.1 with the reload script, reports failed builds."""

from __future__ import annotations

import threading
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

from helpers import SITE_CSS
from taiyaku.pipeline import BuildOptions
from taiyaku.serve import EVENTS_PATH, BuildState, make_handler, rebuild


def test_serves_site_with_reload_script_and_reports_a_failed_build(make_root, tmp_path: Path) -> None:
    root = make_root("minimal")
    options = BuildOptions(root=root, out=tmp_path / "out", format="html")
    state = BuildState()
    assert rebuild(options, state) is True
    assert (state.version, state.error) == (1, "")

    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(tmp_path / "out" / "html", state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = urllib.request.urlopen(f"{base}/ja/", timeout=5).read().decode("utf-8")
        assert f'new EventSource("{EVENTS_PATH}")' in page
        assert page.index("EventSource") < page.index("</body>")
        svg_or_css = urllib.request.urlopen(f"{base}/{SITE_CSS}", timeout=5).read()
        assert b"EventSource" not in svg_or_css

        # A broken file: the build fails, the last good site stays, the error is published.
        doc = root / "content" / "en" / "01-one.md"
        doc.write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
        assert rebuild(options, state) is False
        assert state.version == 1
        assert "content/en/01-one.md:2: front matter: invalid YAML" in state.error
        assert urllib.request.urlopen(f"{base}/en/", timeout=5).status == 200

        with urllib.request.urlopen(f"{base}{EVENTS_PATH}", timeout=5) as events:
            first = events.readline().decode("utf-8")
        assert first.startswith('data: {"version": 1, "error": "content/en/01-one.md:2: front matter')
    finally:
        server.shutdown()
