"""Helpers of the XLIFF tests: running the command in-process, reading what it wrote."""

from __future__ import annotations

import logging
from pathlib import Path

from taiyaku.cli import main


def taiyaku(root: Path, *args: object) -> int:
    """``taiyaku --root ROOT ARGS…`` in this process; returns the exit code."""
    code = main(["--root", str(root), *map(str, args)])
    logging.getLogger("taiyaku").handlers.clear()
    return code
