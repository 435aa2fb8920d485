"""Volume paths: whether a path stays inside the volume once its symbolic links are followed.

Every reader of the volume's files (content, templates, catalogs) refuses a file that leads outside the volume
folder, so a link planted in a volume cannot make a build publish ``/etc/passwd`` or a private key.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError, TaiyakuError


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, is the volume folder ``root`` or below it."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links, or a name the system refuses
        return False


def is_file(path: Path) -> bool:
    """``Path.is_file`` for names from documents: a name the system refuses (too long, a NUL) is no file, not a
    crash (Python 3.11's ``is_file`` lets ``ENAMETOOLONG`` through)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def refuse_outside(root: Path, path: Path, error: type[TaiyakuError] = ContentError) -> None:
    """Raise ``error`` (located at the volume-relative path) when ``path`` leads outside the volume."""
    if inside(root, path):
        return
    try:
        rel_path = path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        rel_path = str(path)
    raise error(f"a symbolic link to {path.resolve()}, outside the volume: taiyaku reads only files inside the "
                "volume folder", rel_path)
