"""Pandoc's reading of a prepared .docx as its JSON AST (pandoc-types 1.23), from the ``taiyaku[word]`` extra."""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Literal

from ..errors import TaiyakuError
from .docx import ManuscriptError, Package, prepare, write_prepared

log = logging.getLogger(__name__)

Changes = Literal["accept", "reject"]
MISSING = "pandoc is not installed: install taiyaku's word extra (pip install 'taiyaku[word]', or `make setup`)"
API_MAJOR = [1, 23]
"""The pandoc-types version whose JSON the writer reads (pandoc 3.x)."""


class EngineMissing(TaiyakuError):
    """The optional pandoc wheel is not installed."""

    category = "import"


def pandoc_path() -> str:
    """The pandoc executable shipped by ``pypandoc-binary``."""
    try:
        import pypandoc
    except ImportError as exc:
        raise EngineMissing(MISSING) from exc
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise EngineMissing(MISSING) from exc


def read_ast(package: Package, changes: Changes) -> dict[str, Any]:
    """Pandoc's JSON AST of the package, styles kept as ``custom-style`` divs and spans."""
    pandoc = pandoc_path()
    with tempfile.TemporaryDirectory(prefix="taiyaku-import-") as tmp:
        prepared = Path(tmp) / "manuscript.docx"
        write_prepared(prepare(package), prepared)
        command = [pandoc, "--from=docx+styles", "--to=json", f"--track-changes={changes}", str(prepared)]
        log.debug("running %s", " ".join(command))
        try:
            done = subprocess.run(command, capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ManuscriptError(f"pandoc could not read the file ({exc})", str(package.path)) from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ManuscriptError(f"pandoc could not read the file: {reason[-1] if reason else 'no reason given'}",
                              str(package.path))
    ast: dict[str, Any] = json.loads(done.stdout)
    version = ast.get("pandoc-api-version", [])
    if version[:2] != API_MAJOR:
        log.warning("pandoc's JSON is version %s; taiyaku reads %s", ".".join(map(str, version)),
                    ".".join(map(str, API_MAJOR)))
    return ast
