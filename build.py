"""Build this volume: ``python build.py [build|i18n …]`` (see ``python build.py --help``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))  # works before `pip install -e .` too

from taiyaku.cli import run  # noqa: E402

if __name__ == "__main__":  # the PDF workers import this module again
    run()
