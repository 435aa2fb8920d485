"""The typesetting worker: WeasyPrint with a fetcher that reads only the volume and the theme.

Runs in its own process (see :func:`taiyaku.pdf.run_jobs`); it returns what happened instead of logging,
so the parent reports every warning in order.
"""

from __future__ import annotations

import logging
import resource
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import TypesetJob, TypesetResult

SUBSET_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"


class VolumeFetcher(URLFetcher):
    """Fetch ``data:`` URLs and files under the allowed folders; refuse everything else (no network)."""

    def __init__(self, allowed_roots: tuple[str, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)
        self.allowed = [Path(root) for root in allowed_roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource, or raise ``ValueError`` (WeasyPrint then leaves it out) and remember why."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed):
                if not path.is_file():
                    self.refused.append(f"{url}: no such file")
                    raise ValueError(f"no such file: {path}")
                return URLFetcherResponse(url, path.read_bytes())
        self.refused.append(url)
        raise ValueError(f"taiyaku reads only the volume and the theme, not {url}")


class _Collector(logging.Handler):
    """Keeps WeasyPrint's warnings for the parent process to report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def typeset(job: TypesetJob) -> TypesetResult:
    """Lay out and write one PDF; never raises for a user's problem, reports it in the result."""
    result = TypesetResult(job.lang, job.label)
    collector = _Collector()
    wp_logger = logging.getLogger("weasyprint")
    wp_logger.addHandler(collector)
    wp_logger.propagate = False
    fetcher = VolumeFetcher(job.allowed_roots)
    try:
        started = time.perf_counter()
        document = weasyprint.HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render(
            pdf_variant=job.pdf_variant, pdf_tags=True)
        result.layout_seconds = time.perf_counter() - started
        result.pages = len(document.pages)
        started = time.perf_counter()
        target = Path(job.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = document.write_pdf(pdf_variant=job.pdf_variant, pdf_tags=True,
                                  pdf_identifier=True)
        target.write_bytes(data)
        result.size_bytes = len(data)
        result.write_seconds = time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a PDF error with the file named
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        wp_logger.removeHandler(collector)
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.warnings = collector.messages
    result.refused = fetcher.refused
    result.warnings = [m for m in result.warnings if "taiyaku reads only" not in m and "no such file" not in m]
    return result
