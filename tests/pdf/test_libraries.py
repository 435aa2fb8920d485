"""WeasyPrint's C libraries looked up in the linker's cache read once (``taiyaku.pdf.weasy.libraries``)."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from taiyaku.pdf.weasy import libraries

pytestmark = pytest.mark.skipif(sys.platform != "linux" or libraries.linker_cache() is None,
                                reason="the linker's cache is read on Linux only")

NAMES = ["gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig", "pangoft2-1.0", "c", "m"]


@pytest.mark.parametrize("name", NAMES)
def test_a_library_in_the_cache_is_the_one_ctypes_finds(name: str) -> None:
    listing = libraries.linker_cache()
    assert listing is not None
    assert libraries.find_in(listing, name) == ctypes.util.find_library(name)


def test_names_of_other_platforms_are_not_found_without_running_gcc_and_ld() -> None:
    listing = libraries.linker_cache()
    assert listing is not None
    for name in ("libgobject-2.0-0", "gobject-2.0-0", "libpango-1.0-0", "no-such-library-taiyaku"):
        assert libraries.find_in(listing, name) is None


def test_find_library_is_replaced_only_within_and_only_without_library_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    original = ctypes.util.find_library
    with libraries.found_in_linker_cache():
        assert ctypes.util.find_library is not original
        assert ctypes.util.find_library("harfbuzz") == original("harfbuzz")
    assert ctypes.util.find_library is original
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/pango/lib")  # libraries outside the cache: ctypes looks as it does
    with libraries.found_in_linker_cache():
        assert ctypes.util.find_library is original


def test_weasyprint_loads_the_same_libraries_either_way() -> None:
    """The shared objects a process has mapped after importing WeasyPrint, with and without the cache read once."""
    import subprocess

    code = ("import sys\n"
            "if sys.argv[1] == 'cache':\n"
            "    import taiyaku.pdf.weasy\n"
            "else:\n"
            "    import weasyprint\n"
            "print(sorted({line.split()[-1] for line in open('/proc/self/maps') if '.so' in line}))\n")
    mapped = [subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True, check=True,
                             timeout=120).stdout for mode in ("cache", "ctypes")]
    assert mapped[0] == mapped[1]
    assert "libpango-1.0.so" in mapped[0]
