"""The preview server: binds first, serves only the site's files, reports failed builds once, leaves nothing."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import SITE_CSS

from taiyaku import serve as serve_module
from taiyaku.errors import ConfigError
from taiyaku.pipeline import BuildOptions
from taiyaku.serve import EVENTS_PATH, BuildState, make_handler, rebuild, serve

POLL = 0.02
"""``serve_forever``'s poll interval in these tests: ``shutdown()`` waits for the loop to notice, half a second
with the default, which was most of each test's time."""


def start(site: Path, state: BuildState) -> tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site, state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True).start()
    return server, server.server_address[1]


def get(port: int, raw_path: str) -> tuple[int, bytes]:
    """A GET with the path sent exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", raw_path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_serves_site_with_reload_script_and_reports_a_failed_build(make_root, tmp_path: Path) -> None:
    root = make_root("minimal")
    options = BuildOptions(root=root, out=tmp_path / "out", format="html")
    state = BuildState()
    assert rebuild(options, state) is True
    assert (state.version, state.error) == (1, "")

    server, port = start(tmp_path / "out" / "html", state)
    base = f"http://127.0.0.1:{port}"
    try:
        page = urllib.request.urlopen(f"{base}/ja/", timeout=5).read().decode("utf-8")
        assert f'new EventSource("{EVENTS_PATH}")' in page
        assert page.index("EventSource") < page.index("</body>")
        svg_or_css = urllib.request.urlopen(f"{base}/{SITE_CSS}", timeout=5).read()
        assert b"EventSource" not in svg_or_css

        # A broken file: the build fails, the last good site stays, each problem is published once, at the line
        # where it starts (the quote opened on line 2), in plain words.
        doc = root / "content" / "en" / "01-one.md"
        doc.write_text('---\ntitle: "unclosed\nauthors: []\nlang: en\n---\nText\n', encoding="utf-8")
        assert rebuild(options, state) is False
        assert state.version == 1
        assert state.error == ("content/en/01-one.md:2: front-matter: invalid YAML: a quoted value starts here and "
                               "is never closed: add the closing quote\n"
                               "build: 1 problem found; nothing was written")
        assert urllib.request.urlopen(f"{base}/en/", timeout=5).status == 200

        with urllib.request.urlopen(f"{base}{EVENTS_PATH}", timeout=5) as events:
            first = events.readline().decode("utf-8")
        assert first.startswith('data: {"version": 1, "error": "content/en/01-one.md:2: front-matter')
    finally:
        server.shutdown()
        server.server_close()


def test_an_unclosed_list_points_to_its_bracket(make_root, tmp_path: Path) -> None:
    root = make_root("minimal")
    (root / "content/en/01-one.md").write_text("---\ntitle: One\nkeywords: [a, b\nlang: en\n---\nText\n",
                                               encoding="utf-8")
    state = BuildState()
    assert rebuild(BuildOptions(root=root, out=tmp_path / "out", format="html"), state) is False
    assert state.error.splitlines()[0] == ("content/en/01-one.md:3: front-matter: invalid YAML: a list starts here "
                                           "with '[' and is never closed with ']'")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site folder, a secret file beside it, and a symlink in the site that leads to the secret."""
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "assets/site.css").write_text("body{}", encoding="utf-8")
    (site / "en/index.html").write_text("<html><body>EN</body></html>", encoding="utf-8")
    (site / "404.html").write_text("<html><body>our own 404</body></html>", encoding="utf-8")
    (site / "pdf").mkdir()
    (site / "pdf/v-en.pdf").write_bytes(b"%PDF-1.7 fake")
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    return site


@pytest.mark.parametrize(("raw_path", "status"), [
    ("/../secret.txt", 404),
    ("/en/../../secret.txt", 404),
    ("/%2e%2e/secret.txt", 404),
    ("/%2E%2E%2Fsecret.txt", 404),
    ("/en/%2e%2e/%2e%2e/secret.txt", 404),
    ("/leak.txt", 404),                  # a symlink leading out of the site
    ("//" + "etc/passwd", 404),          # http.server folds the leading slashes: /etc/passwd in the site
    ("/" + "/tmp", 404),
    ("http://127.0.0.1/../secret.txt", 400),
    ("/en/%00index.html", 400),
    ("/en/index.html%00.css", 400),
    ("/en\\index.html", 400),
    ("/%5c..%5csecret.txt", 400),
    ("/%ff", 400),                        # not UTF-8
])
def test_nothing_outside_the_site_is_answered(site: Path, raw_path: str, status: int) -> None:
    server, port = start(site, BuildState())
    try:
        code, body = get(port, raw_path)
    finally:
        server.shutdown()
        server.server_close()
    assert code == status
    assert b"SECRET" not in body


def test_404_page_no_listings_pdfs_and_redirects(site: Path) -> None:
    server, port = start(site, BuildState())
    try:
        code, body = get(port, "/nothing/here")
        assert code == 404 and body.startswith(b"<html><body>our own 404")
        assert b"EventSource" in body  # the 404 page reloads too
        code, body = get(port, "/assets/")  # a folder without index.html is not listed
        assert code == 404 and b"site.css" not in body
        assert get(port, "/pdf/v-en.pdf") == (200, b"%PDF-1.7 fake")
        assert get(port, "/en/")[0] == 200
        assert get(port, "/en/index.html/")[0] == 404
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/en?x=1")
        response = connection.getresponse()
        assert (response.status, response.getheader("Location")) == (301, "/en/?x=1")
        connection.close()
    finally:
        server.shutdown()
        server.server_close()


def _busy_port() -> tuple[socket.socket, int]:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder, holder.getsockname()[1]


def test_a_busy_port_is_one_line_before_anything_is_built(make_root, run, tmp_path: Path, monkeypatch) -> None:
    root = make_root("minimal")
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))

    def no_build(options):  # type: ignore[no-untyped-def]
        raise AssertionError("built before binding")
    monkeypatch.setattr(serve_module, "build", no_build)
    holder, port = _busy_port()
    try:
        code, err = run("serve", "--root", root, "--port", port)
    finally:
        holder.close()
    assert (code, err) == (1, f"error: config: cannot serve on 127.0.0.1:{port}: the port is in use; choose "
                              "another with --port (--port 0 picks a free one)\n")
    assert list(temp.iterdir()) == []


def test_serve_logs_absolute_root_built_and_removes_its_folder(make_root, run, tmp_path: Path, monkeypatch) -> None:
    root = make_root("minimal")
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.chdir(root)
    with pytest.raises(ConfigError):
        serve(root / "missing", 0, once=True)
    assert serve(Path("."), 0, open_browser=True, once=True) == 0
    assert len(opened) == 1 and opened[0].startswith("http://127.0.0.1:")
    assert list(temp.iterdir()) == []
    # The record of the session's last build named the removed folder: it goes too (cache.BuildStamp).
    assert (root / ".taiyaku-cache/builds").is_dir() and list((root / ".taiyaku-cache/builds").iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code", "last_line"), [(signal.SIGTERM, 143, "error: terminated"),
                                                           (signal.SIGHUP, 143, "error: terminated"),
                                                           (signal.SIGINT, 0, "stopped")])
def test_a_signal_leaves_nothing_behind(make_root, tmp_path: Path, signum: int, code: int, last_line: str) -> None:
    root = make_root("minimal")
    temp = tmp_path / "temp"
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from taiyaku.cli import main; sys.exit(main(sys.argv[1:]))",
         "serve", "--root", str(root), "--port", "0"],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(temp)})
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line.rstrip("\n"))
        if line.startswith("serving "):
            break
    assert lines[-2].startswith("built in ")
    assert lines[-1].startswith(f"serving {root} at http://127.0.0.1:")
    assert [p.name for p in temp.iterdir()][0].startswith("taiyaku-serve-")
    process.send_signal(signum)
    rest = process.stderr.read().splitlines()
    assert process.wait(timeout=20) == code
    assert rest == [last_line]
    assert list(temp.iterdir()) == []


def test_pdf_flag_typesets_too(make_root, tmp_path: Path, monkeypatch) -> None:
    formats: list[str] = []

    def fake_build(options):  # type: ignore[no-untyped-def]
        formats.append(options.format)
    monkeypatch.setattr(serve_module, "build", fake_build)
    root = make_root("minimal")
    assert serve(root, 0, pdf=True, once=True) == 0
    assert serve(root, 0, once=True) == 0
    assert formats == ["all", "html"]


def test_the_terminal_gets_the_same_plain_words(make_root, tmp_path: Path, capsys) -> None:
    from taiyaku.cli import setup_logging

    setup_logging(0)
    root = make_root("minimal")
    (root / "content/en/01-one.md").write_text('---\ntitle: "One\nlang: en\n---\nText\n', encoding="utf-8")
    assert rebuild(BuildOptions(root=root, out=tmp_path / "out", format="html"), BuildState()) is False
    assert capsys.readouterr().err.splitlines() == [
        "content/en/01-one.md:2: front-matter: invalid YAML: a quoted value starts here and is never closed: add "
        "the closing quote",
        "error: build: 1 problem found; nothing was written",
    ]


def test_a_pdf_preview_page_reloads_with_the_rebuilt_pdf(site: Path) -> None:
    """``serve --pdf``: the PDF shown in a page that carries the reload script, its URL new after each build."""
    state = BuildState()
    server, port = start(site, state)
    try:
        code, body = get(port, "/__taiyaku/pdf/v-en.pdf")
        assert code == 200
        assert b'<iframe src="/pdf/v-en.pdf?v=0" title="v-en.pdf"' in body and b"EventSource" in body
        state.publish("")
        assert b'src="/pdf/v-en.pdf?v=1"' in get(port, "/__taiyaku/pdf/v-en.pdf")[1]
        assert get(port, "/pdf/v-en.pdf?v=1") == (200, b"%PDF-1.7 fake")
        assert get(port, "/__taiyaku/pdf/missing.pdf")[0] == 404
        assert get(port, "/__taiyaku/pdf/../leak.pdf")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


def test_without_pdf_the_last_builds_pdfs_are_served(tmp_path: Path) -> None:
    """A preview of the site only links its PDFs to those of the last ``taiyaku build`` (build/pdf/)."""
    site = tmp_path / "preview" / "html"
    (site / "en").mkdir(parents=True)
    (site / "en/index.html").write_text("<html><body>en</body></html>", encoding="utf-8")
    last = tmp_path / "volume/build/pdf"
    (last / "v-en").mkdir(parents=True)
    (last / "v-en.pdf").write_bytes(b"%PDF-1.7 last build")
    (last / "v-en/paper.pdf").write_bytes(b"%PDF-1.7 offprint")
    (tmp_path / "volume/secret.txt").write_text("SECRET", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site, BuildState(), last))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True).start()
    port = server.server_address[1]
    try:
        assert get(port, "/pdf/v-en.pdf") == (200, b"%PDF-1.7 last build")
        assert get(port, "/pdf/v-en/paper.pdf") == (200, b"%PDF-1.7 offprint")
        assert get(port, "/pdf/../secret.txt")[0] == 404
        assert get(port, "/pdf/%2e%2e/%2e%2e/secret.txt")[0] == 404
        assert get(port, "/v-en.pdf")[0] == 404  # only under /pdf/
    finally:
        server.shutdown()
        server.server_close()


def test_a_search_while_the_index_is_made_answers_from_the_previous_one(tmp_path: Path, monkeypatch) -> None:
    """serve's index is made after the reload from a snapshot of the pages; until it is ready ``/pagefind/`` answers
    from the previous index, and the files of the one before stay for a search begun on it."""
    from taiyaku import serve_search

    site = tmp_path / "site"
    (site / "en/a").mkdir(parents=True)
    page = site / "en/a/index.html"
    alpha, beta, later = ('<html lang="en"><body><main data-pagefind-body>alpha</main></body></html>',
                          '<html lang="en"><body><main data-pagefind-body>beta</main></body></html>',
                          "<html><body>a later build, not yet indexed</body></html>")

    def build(text: str) -> None:
        """A new file in place of the page, as a build's swap leaves it (a page is never rewritten in place)."""
        (site / "new.html").write_text(text, encoding="utf-8")
        os.replace(site / "new.html", page)

    build(alpha)
    (site / "en/index.html").write_text("<html><body>not searchable</body></html>", encoding="utf-8")
    release = threading.Event()
    seen: list[tuple[list[str], str]] = []

    def fake_index(pages: Path, work: Path):  # type: ignore[no-untyped-def]
        seen.append((sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*.html")),
                     (pages / "en/a/index.html").read_text(encoding="utf-8")))
        if len(seen) == 2:
            assert release.wait(10)
        out = work / "pagefind"
        out.mkdir(parents=True)
        (out / "pagefind-entry.json").write_text(str(len(seen)), encoding="utf-8")
        (out / f"chunk-{len(seen)}").write_text("x", encoding="utf-8")
        return out, None, ""

    monkeypatch.setattr(serve_search, "make_index", fake_index)
    monkeypatch.setattr(serve_search, "pagefind_executable", lambda: None)  # no service: each index a command's run
    state = BuildState()
    ready = threading.Semaphore(0)
    live = serve_search.LiveSearch(tmp_path / "search", lambda v: (state.publish_search(v), ready.release()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site, state, None, live))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True).start()
    port = server.server_address[1]
    try:
        assert get(port, "/pagefind/pagefind-entry.json")[0] == 404  # no index yet
        live.update(site)
        assert ready.acquire(timeout=10)
        assert get(port, "/pagefind/pagefind-entry.json") == (200, b"1")
        assert '"search": 1' in state.snapshot()

        build(beta)
        live.update(site)  # indexed in the background, held until released
        build(later)
        assert not ready.acquire(timeout=0.3)
        assert get(port, "/pagefind/pagefind-entry.json") == (200, b"1")  # the previous index while one is made
        release.set()
        assert ready.acquire(timeout=10)
        assert get(port, "/pagefind/pagefind-entry.json") == (200, b"2")
        assert get(port, "/pagefind/chunk-1") == (200, b"x")  # a search begun on the previous index goes on
        assert get(port, "/pagefind/../en/a/index.html")[0] == 404

        live.update(site)
        assert ready.acquire(timeout=10)
        assert get(port, "/pagefind/chunk-1")[0] == 404 and get(port, "/pagefind/chunk-2") == (200, b"x")
    finally:
        server.shutdown()
        server.server_close()
        live.close()
    # Only the marked pages, as they were when their build finished (a snapshot, not the site being replaced);
    # every page of a site that marks none.
    assert seen == [(["en/a/index.html"], alpha), (["en/a/index.html"], beta),
                    (["en/a/index.html", "en/index.html"], later)]


@pytest.mark.pagefind
def test_the_pagefind_service_writes_the_index_the_command_writes(make_root, run, tmp_path: Path) -> None:
    """serve's Pagefind, kept running (``--service``), gives the files a build's run of the command gives."""
    from taiyaku.search import SEARCH_DIR, finish_index, pagefind_executable
    from taiyaku.serve_search import PagefindService, link_pages

    out = tmp_path / "out"
    assert run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")[0] == 0
    pages = tmp_path / "pages"
    link_pages(out / "html", pages)
    executable = pagefind_executable()
    assert executable is not None
    service = PagefindService(executable)
    try:
        for attempt in ("first", "second"):  # the second from the warm service
            made = tmp_path / attempt / SEARCH_DIR
            service.index(pages, made)
            finish_index(pages, made, 0.0)
            built = out / "html" / SEARCH_DIR
            assert {p.relative_to(made).as_posix(): p.read_bytes() for p in sorted(made.rglob("*")) if p.is_file()} \
                == {p.relative_to(built).as_posix(): p.read_bytes() for p in sorted(built.rglob("*")) if p.is_file()}
    finally:
        service.close()
    assert service.process.returncode == 0


def test_a_rebuild_renders_again_only_what_an_edit_changed(make_root, tmp_path: Path, monkeypatch) -> None:
    """serve's rebuilds: an edit renders its own document again, not the others; a template's strings are read
    again only when it changed; the previous output is removed after the swap, not before the page is shown."""
    from taiyaku import i18n
    from taiyaku.read import markup

    root = make_root("minimal")
    options = BuildOptions(root=root, out=tmp_path / "out", format="html", preview=True)
    state = BuildState()
    assert rebuild(options, state)
    rendered: list[str] = []
    original = markup.render_markdown
    monkeypatch.setattr(markup, "render_markdown", lambda body, ctx: rendered.append(ctx.rel_path) or original(body, ctx))
    extracted: list[str] = []
    extract = i18n.extract_from_file
    monkeypatch.setattr(i18n, "extract_from_file", lambda method, path, **kw: extracted.append(Path(path).name)
                        or extract(method, path, **kw))

    with (root / "content/en/02-two.md").open("a", encoding="utf-8") as file:
        file.write("\nAn edit.\n")
    assert rebuild(options, state)
    assert rendered == ["02-two.md"] and extracted == []
    assert "An edit." in (tmp_path / "out/html/en/two/index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "out/html/pagefind").exists()  # the preview indexes after the reload

    (root / "templates").mkdir()
    (root / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}<p>{{ _("Gone.") }}</p>'
                                             "{% endblock %}", encoding="utf-8")
    rebuild(options, state)
    assert extracted == ["404.html"]  # the theme's templates are not read again
