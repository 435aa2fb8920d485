"""``python -m taiyaku``: the ``taiyaku`` command, for a venv whose scripts are not on the PATH."""

from taiyaku.cli import run

if __name__ == "__main__":  # the PDF workers (spawned) import the main module again
    run()
