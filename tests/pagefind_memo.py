"""Pagefind for the tests, memoized: the same site and options give the output of the first run, copied.

``tests/conftest.py`` points ``search.pagefind_executable`` at this script (run with ``python -S``: the
standard library only) for every test but those marked ``pagefind``. Pagefind's output is a function of the
pages it reads and its options (``tests/test_search.py`` checks that two builds give the same bytes, with the
real binary every time), so a run over pages already indexed in this session is answered from the store; any
other run goes to the real binary, and only a successful one is kept. Each run of the binary costs about one CPU
second (the Japanese dictionary is loaded every time), and the tests build the same small volumes many times.

Usage: ``pagefind_memo.py REAL_BINARY STORE_FOLDER <Pagefind's own arguments>``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys


def key(real: str, args: list[str]) -> str:
    """The digest of the binary, the options (the two paths aside) and every file Pagefind would read."""
    site = args[args.index("--site") + 1]
    options = [a for i, a in enumerate(args) if a not in ("--site", "--output-path")
               and (i == 0 or args[i - 1] not in ("--site", "--output-path"))]
    stat = os.stat(real)
    digest = hashlib.sha256(repr((real, stat.st_size, stat.st_mtime_ns, options)).encode())
    for folder, dirs, files in os.walk(site, followlinks=True):  # the site Pagefind reads is a folder of links
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, site).encode()
            with open(path, "rb") as file:
                data = file.read()
            digest.update(b"%d:%s%d:" % (len(rel), rel, len(data)) + data)
    return digest.hexdigest()


def main(real: str, store: str, args: list[str]) -> int:
    out = args[args.index("--output-path") + 1]
    entry = os.path.join(store, key(real, args))
    if not os.path.isdir(entry):
        done = subprocess.run([real, *args], capture_output=True)
        sys.stdout.buffer.write(done.stdout)
        sys.stderr.buffer.write(done.stderr)
        if done.returncode == 0 and os.path.isdir(out):
            partial = f"{entry}.{os.getpid()}.partial"
            shutil.copytree(out, os.path.join(partial, "out"))
            for name, data in (("stdout", done.stdout), ("stderr", done.stderr)):
                with open(os.path.join(partial, name), "wb") as file:
                    file.write(data)
            try:
                os.rename(partial, entry)
            except OSError:  # kept meanwhile by another run
                shutil.rmtree(partial, ignore_errors=True)
        return done.returncode
    shutil.copytree(os.path.join(entry, "out"), out, dirs_exist_ok=True)
    for name, stream in (("stdout", sys.stdout), ("stderr", sys.stderr)):
        with open(os.path.join(entry, name), "rb") as file:
            stream.buffer.write(file.read())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
