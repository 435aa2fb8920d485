"""What the browser tests share besides fixtures: Chromium's launch arguments, a page with the problems it
met (:class:`Tab`), and :func:`watch`, which records them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # Offline: every host name but the loopback fails to resolve (a request for one is recorded as a problem).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


@dataclass
class Tab:
    """A browser page, and what went wrong in its context so far."""

    page: object
    server: str
    problems: list[str] = field(default_factory=list)

    def open(self, path: str) -> object:
        """Go to ``path`` (relative to the site's root) and wait until it has loaded."""
        self.page.goto(self.server + path.lstrip("/"), wait_until="load")
        return self.page

    def show(self, path: str) -> object:
        """Like :meth:`open`, but keep the page if it is already there (for tests that only read styles)."""
        if self.page.url != self.server + path.lstrip("/"):
            self.open(path)
        return self.page

    @property
    def path(self) -> str:
        """The current address without the server: ``ja/paying-for-deterrence/#sec-2``."""
        return self.page.url.removeprefix(self.server)

    def assert_clean(self) -> None:
        """No console error or warning, uncaught exception, failed or refused request since the last call."""
        problems, self.problems[:] = list(self.problems), []
        assert not problems, "\n".join(problems)


def watch(context, base_url: str, site: Path) -> list[str]:
    """Record what goes wrong in ``context``; answer requests for ``base_url`` from ``site``.

    Returns the list the problems are appended to: console errors and warnings, uncaught exceptions, failed
    requests (any host but 127.0.0.1 fails to resolve: see ``CHROMIUM_ARGS``) and HTTP errors.
    """
    problems: list[str] = []

    def from_site(route) -> None:  # the 404 page's absolute links to the volume's own host
        rel = unquote(urlsplit(route.request.url).path).removeprefix(urlsplit(base_url).path)
        target = site / rel
        if target.is_dir():
            target = target / "index.html"
        if target.is_file():
            route.fulfill(path=str(target))
        else:
            route.fulfill(status=404, body="not found")

    def console(message) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type} on {message.page.url if message.page else '?'}: {message.text}")

    def response(response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.url}")

    if base_url:
        context.route(base_url + "**", from_site)
    context.on("console", console)
    context.on("weberror", lambda error: problems.append(f"uncaught exception: {error.error}"))
    context.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} ({request.failure})"))
    context.on("response", response)
    return problems


