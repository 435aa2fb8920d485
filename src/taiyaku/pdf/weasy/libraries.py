"""WeasyPrint's C libraries looked up in the dynamic linker's cache, read once.

WeasyPrint 70 loads each of its libraries (GObject, Pango, HarfBuzz and its subsetter, fontconfig, PangoFT2) by
trying up to six names, the other platforms' first (``libgobject-2.0-0``, a Windows name, comes before
``gobject-2.0``). cffi hands every name without a dot to ``ctypes.util.find_library``, which on Linux runs
``ldconfig -p``, then gcc and ld (with objdump) for each name the linker's cache does not list: some 40
processes, 0.12 s of every worker's start, which an edit's rebuild waits for.

:func:`found_in_linker_cache` answers those look-ups from one reading of ``ldconfig -p``, with the regular
expression ``ctypes.util`` itself uses for it, so every library that is found is the one ctypes would have
found (its first step is this one). What is not in the cache is not looked for with gcc and ld: those find
libraries outside the cache only through ``LD_LIBRARY_PATH`` or ``LIBRARY_PATH`` (with either set, or off
Linux, or without ``ldconfig``, ``find_library`` is left as it is), and the dynamic linker would not load such a
library by the name they return anyway. Not a library of its own: ``ctypes.util`` offers no cached look-up.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import struct
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

LDCONFIG = "/sbin/ldconfig"

_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}
"""``ctypes.util._findSoname_ldconfig``'s machine → ldconfig ABI names."""


def _abi() -> str:
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    return _ABI.get(machine, "libc6")


def linker_cache() -> bytes | None:
    """``ldconfig -p``'s listing, or ``None`` where it cannot be used in place of ``find_library``."""
    if sys.platform != "linux" or os.environ.get("LD_LIBRARY_PATH") or os.environ.get("LIBRARY_PATH"):
        return None
    try:
        done = subprocess.run([LDCONFIG, "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"}, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 and done.stdout else None


def find_in(listing: bytes, name: str) -> str | None:
    """The soname ``find_library(name)`` finds in the linker's cache (``ctypes.util``'s own expression)."""
    found = re.search(os.fsencode(r"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name), _abi())), listing)
    return os.fsdecode(found.group(1)) if found else None


@contextmanager
def found_in_linker_cache() -> Iterator[None]:
    """Within: ``ctypes.util.find_library`` answers from one reading of the linker's cache (see the module)."""
    listing = linker_cache()
    if listing is None:
        yield
        return
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        return find_in(listing, name)

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
